import DepartmentCore
import Foundation
import PlanContracts

/// The reviewable list of the published indicators that *are* the measure of one of the investment service's
/// targets: a published statistic becomes an observation of its target only when its indicator is listed here (with
/// a period the measure allows). Everything else a publisher reports — levels where the target is a growth rate,
/// growth rates where the target is an amount, "% of plan", components of a total, a part of the visitors — stays a
/// statistic and yields no observation.
///
/// The list was drawn from `Shared/ReferenceData/data/hp2018-reported-jan-jun.csv` and the 2018 directive's
/// targets. To add a publisher's wording, add it to `publishedNames` of the measure (matched without regard to case
/// or runs of spaces); to add a measure, add an entry with the directive's target or sub-target code. Each measure has
/// one canonical indicator name, which its observations carry, so the same figure from two publishers shares one
/// observation key.
enum IndicatorCatalogue {
    /// The measures, by target and sub-target.
    static let measures: [IndicatorMeasure] = [
        IndicatorMeasure(
            targetNumber: 1, subTargetCode: "", indicator: "Tốc độ tăng trưởng GRDP",
            publishedNames: ["GRDP growth"]),
        IndicatorMeasure(
            targetNumber: 1, subTargetCode: "1.a", indicator: "Tốc độ tăng trưởng GRDP nhóm nông, lâm, thủy sản",
            publishedNames: ["GRDP growth agriculture-forestry-fishery"]),
        IndicatorMeasure(
            targetNumber: 1, subTargetCode: "1.b", indicator: "Tốc độ tăng trưởng GRDP nhóm công nghiệp, xây dựng",
            publishedNames: ["GRDP growth industry-construction"]),
        IndicatorMeasure(
            targetNumber: 1, subTargetCode: "1.c", indicator: "Tốc độ tăng trưởng GRDP nhóm dịch vụ",
            publishedNames: ["GRDP growth services"]),
        IndicatorMeasure(
            targetNumber: 2, subTargetCode: "", indicator: "GRDP bình quân đầu người (giá hiện hành)",
            publishedNames: ["GRDP per capita (current prices)"]),
        // The target is the growth of the year over the previous year: a month's growth over the same month of last
        // year is not it, the growth of January through a month (or of a half-year) is.
        IndicatorMeasure(
            targetNumber: 3, subTargetCode: "", indicator: "Chỉ số sản xuất công nghiệp (IIP) tăng so với cùng kỳ",
            publishedNames: ["IIP growth year-on-year"], periods: [.cumulative, .halfYear, .year]),
        IndicatorMeasure(
            targetNumber: 7, subTargetCode: "", indicator: "Sản lượng hàng hóa thông qua cảng",
            publishedNames: ["Cargo throughput via ports"]),
        IndicatorMeasure(
            targetNumber: 9, subTargetCode: "", indicator: "Lượt khách du lịch",
            publishedNames: ["Tourist arrivals", "Tourists served"]),
        IndicatorMeasure(
            targetNumber: 11, subTargetCode: "", indicator: "Vốn FDI thu hút (cấp mới và điều chỉnh)",
            publishedNames: ["FDI attracted (new + additional), year-to-date to 26 Mar"]),
    ]

    /// The measure of target `targetNumber` (and of `subTargetCode`, when the statistic names one) that `indicator`
    /// is published as, whatever its period; `nil` when the catalogue does not list it.
    static func measure(targetNumber: Int32, subTargetCode: String, indicator: String) -> IndicatorMeasure? {
        let name = IndicatorMeasure.matchingKey(indicator)
        return measures.first { measure in
            measure.targetNumber == targetNumber
                && (subTargetCode.isEmpty || measure.subTargetCode == subTargetCode)
                && measure.publishedNames.contains { IndicatorMeasure.matchingKey($0) == name }
        }
    }
}

/// One target's (or sub-target's) measure as publishers name it.
struct IndicatorMeasure: Sendable {
    /// The directive's target number.
    var targetNumber: Int32
    /// The sub-target code ("1.b"), empty for the target itself.
    var subTargetCode: String
    /// The canonical indicator name the observations carry.
    var indicator: String
    /// The indicator names publishers use for it.
    var publishedNames: [String]
    /// The kinds of period it is the measure for; `nil` for any.
    var periods: Set<PeriodShape>? = nil

    /// True when a figure of `period` is the measure.
    func accepts(_ period: Planmonitor_Common_V1_Period) -> Bool {
        guard let periods else { return true }
        return PeriodShape(period).map(periods.contains) ?? false
    }

    /// `name` folded for comparison: NFC, lower case, runs of whitespace as one space.
    static func matchingKey(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// The nominal kind of a period, without its year and numbers.
enum PeriodShape: String, Sendable, Hashable {
    /// A single month.
    case month
    /// A calendar quarter.
    case quarter
    /// A half-year.
    case halfYear = "half-year"
    /// A whole year.
    case year
    /// January through a month.
    case cumulative
    /// A single day.
    case day

    /// The shape of `period`; `nil` when no kind is set.
    init?(_ period: Planmonitor_Common_V1_Period) {
        switch period.kind {
        case .month: self = .month
        case .quarter: self = .quarter
        case .halfYear: self = .halfYear
        case .year: self = .year
        case .cumulative: self = .cumulative
        case .day: self = .day
        case nil: return nil
        }
    }

    /// The shape in English words, for messages: "a single month".
    var wordsEn: String {
        switch self {
        case .month: "a single month"
        case .quarter: "a quarter"
        case .halfYear: "a half-year"
        case .year: "a year"
        case .cumulative: "January through a month"
        case .day: "a day"
        }
    }

    /// The shape in Vietnamese words, for messages: "của một tháng".
    var wordsVi: String {
        switch self {
        case .month: "của một tháng"
        case .quarter: "của một quý"
        case .halfYear: "của sáu tháng"
        case .year: "của cả năm"
        case .cumulative: "lũy kế từ đầu năm"
        case .day: "tại một ngày"
        }
    }
}
