import DirectiveParser
import Foundation
import PlanContracts

/// Observations of plan targets as a table: target, sub-target, indicator, unit of government, period, value, unit
/// and origin, one row each in the given order.
func observationTable(_ observations: [Planmonitor_Common_V1_Observation]) -> String {
    var table = TextTable(columns: [
        .init("Chỉ tiêu", alignment: .right), .init("Chỉ tiêu thành phần"), .init("Chỉ số", maximumWidth: 40), .init("Đơn vị hành chính"),
        .init("Kỳ"), .init("Giá trị", alignment: .right), .init("Đơn vị tính"), .init("Nguồn gốc"),
    ])
    for observation in observations {
        table.append([
            observation.targetNumber == 0 ? "" : "(\(observation.targetNumber))", observation.subTargetCode, observation.indicator,
            observation.orgUnitCode, periodLabel(observation.period), observation.value.value, observation.value.unit,
            originLabel(observation.origin, estimate: observation.estimate),
        ])
    }
    return table.rendered()
}

/// A period in Vietnamese: "tháng 6/2018", "lũy kế đến tháng 6/2018", "quý 2/2018", "6 tháng đầu năm 2018",
/// "năm 2018", "ngày 30/06/2018"; the exact days follow in parentheses when the period has them.
func periodLabel(_ period: Planmonitor_Common_V1_Period) -> String {
    let nominal = switch period.kind {
    case .month(let month): "tháng \(month.month)/\(month.year)"
    case .quarter(let quarter): "quý \(quarter.quarter)/\(quarter.year)"
    case .year(let year): "năm \(year.year)"
    case .cumulative(let cumulative): "lũy kế đến tháng \(cumulative.throughMonth)/\(cumulative.year)"
    case .halfYear(let half): "6 tháng \(half.half == 1 ? "đầu" : "cuối") năm \(half.year)"
    case .day(let day): "ngày \(dateLabel(day.date))"
    case nil: ""
    }
    guard period.hasDateFrom && period.hasDateTo else { return nominal }
    return "\(nominal) (\(dateLabel(period.dateFrom))–\(dateLabel(period.dateTo)))"
}

/// A day as Vietnamese write it: "30/06/2018".
func dateLabel(_ date: Planmonitor_Common_V1_LocalDate) -> String {
    String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
}

/// How a figure came to be, in Vietnamese, with "ước" for an estimate.
func originLabel(_ origin: Planmonitor_Common_V1_ObservationOrigin, estimate: Bool) -> String {
    let label = switch origin {
    case .reported: "báo cáo"
    case .derived: "tính từ bản ghi"
    case .published: "số liệu công bố"
    case .unspecified, .UNRECOGNIZED: ""
    }
    return estimate ? "\(label) (ước)" : label
}

/// An amount with its unit in Vietnamese ("24725 tỷ đồng", "1.2 tỷ USD"); empty when no amount is given.
func moneyText(_ money: Planmonitor_Common_V1_Money) -> String {
    guard !money.amount.isEmpty else { return "" }
    let unit = switch money.unit {
    case .vnd: "đồng"
    case .millionVnd: "triệu đồng"
    case .billionVnd: "tỷ đồng"
    case .usd: "USD"
    case .millionUsd: "triệu USD"
    case .billionUsd: "tỷ USD"
    case .unspecified, .UNRECOGNIZED: "(không rõ đơn vị)"
    }
    return "\(money.amount) \(unit)"
}

/// Who did something for which agency: "nguyen.van.a (dept-finance)", or just the user.
func actorLabel(_ actor: Planmonitor_Common_V1_AuditMetadata) -> String {
    actor.agencyCode.isEmpty ? actor.user : "\(actor.user) (\(actor.agencyCode))"
}
