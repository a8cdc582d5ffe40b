import DepartmentCore
import Foundation
import PlanContracts

/// The CSV layouts of the investment records: English or Vietnamese headers; record ids may be left out and are then
/// made from the row's content, so a file imported twice stores nothing twice.
///
/// The "economic-statistic" layout reads the statistics office's and the press's figures as collected in
/// `Shared/ReferenceData/data/hp2018-reported-jan-jun.csv`, as is.
enum InvestmentCSV {
    /// The layouts of every kind; a statistic row without `org_unit_code` is for `defaultOrgUnitCode`.
    static func layouts(defaultOrgUnitCode: String) -> [RecordKindLayout<Planmonitor_Investment_V1_InvestmentRecord>] {
        [
            RecordKindLayout(kind: InvestmentRecordKind.project.rawValue, titleVi: "Dự án đầu tư (giấy chứng nhận đăng ký đầu tư)", columns: [
                recordID,
                orgUnit,
                CSVColumn("kind", aliases: ["loại dự án", "loại"]),
                CSVColumn("name", aliases: ["tên dự án"]),
                CSVColumn("investor", aliases: ["nhà đầu tư"]),
                CSVColumn("investor_country", aliases: ["quốc gia", "nước đầu tư"], isRequired: false),
                CSVColumn("sector", aliases: ["ngành", "lĩnh vực"], isRequired: false),
                CSVColumn("zone", aliases: ["khu công nghiệp", "khu kinh tế", "kcn/kkt"], isRequired: false),
                CSVColumn("registered_capital", aliases: ["vốn đăng ký"]),
                unit(isRequired: false),
                CSVColumn("certificate_number", aliases: ["số giấy chứng nhận", "số gcn"], isRequired: false),
                CSVColumn("certified_on", aliases: ["ngày cấp"]),
                CSVColumn("status", aliases: ["tình trạng"], isRequired: false),
                CSVColumn("revoked_on", aliases: ["ngày thu hồi"], isRequired: false),
                CSVColumn("revocation_reason", aliases: ["lý do thu hồi"], isRequired: false),
                note,
            ], decode: decodeProject),
            RecordKindLayout(kind: InvestmentRecordKind.adjustment.rawValue, titleVi: "Điều chỉnh vốn đầu tư của dự án", columns: [
                recordID,
                projectID,
                CSVColumn("adjusted_on", aliases: ["ngày điều chỉnh"]),
                CSVColumn("amount", aliases: ["vốn điều chỉnh", "số tiền"]),
                unit(isRequired: true),
                note,
            ], decode: decodeAdjustment),
            RecordKindLayout(kind: InvestmentRecordKind.disbursement.rawValue, titleVi: "Vốn giải ngân của dự án trong tháng", columns: [
                recordID,
                projectID,
                CSVColumn("month", aliases: ["tháng", "kỳ"]),
                CSVColumn("amount", aliases: ["vốn giải ngân", "số tiền"]),
                unit(isRequired: true),
            ], decode: decodeDisbursement),
            RecordKindLayout(kind: InvestmentRecordKind.enterprises.rawValue, titleVi: "Đăng ký doanh nghiệp trong tháng", columns: [
                recordID,
                orgUnit,
                CSVColumn("month", aliases: ["tháng", "kỳ"]),
                CSVColumn("registered", aliases: ["đăng ký mới", "doanh nghiệp đăng ký mới"]),
                CSVColumn("dissolved", aliases: ["giải thể", "doanh nghiệp giải thể"], isRequired: false),
                CSVColumn("active_at_month_end", aliases: ["đang hoạt động", "doanh nghiệp đang hoạt động"], isRequired: false),
            ], decode: decodeEnterprises),
            RecordKindLayout(kind: InvestmentRecordKind.statistic.rawValue, titleVi: "Số liệu thống kê đã công bố", columns: [
                recordID,
                CSVColumn("target_no", aliases: ["chỉ tiêu số"]),
                CSVColumn("sub_target", aliases: ["chỉ tiêu con"], isRequired: false),
                CSVColumn("indicator", aliases: ["chỉ tiêu"]),
                CSVColumn("org_unit_code", aliases: ["mã đơn vị"], isRequired: false),
                CSVColumn("period_kind", aliases: ["loại kỳ"]),
                CSVColumn("period", aliases: ["kỳ"]),
                CSVColumn("value", aliases: ["giá trị"]),
                CSVColumn("unit", aliases: ["đơn vị", "đơn vị tính", "đvt"]),
                CSVColumn("estimate", aliases: ["ước tính"], isRequired: false),
                CSVColumn("source_url", aliases: ["nguồn"], isRequired: false),
            ], decode: { row throws(CSVRowErrors) in try decodeStatistic(row, defaultOrgUnitCode: defaultOrgUnitCode) }),
        ]
    }

    private static let recordID = CSVColumn("record_id", aliases: ["mã bản ghi", "mã"], isRequired: false)
    private static let orgUnit = CSVColumn("org_unit_code", aliases: ["mã đơn vị", "đơn vị"])
    private static let projectID = CSVColumn("project_id", aliases: ["mã dự án"])
    private static let note = CSVColumn("note", aliases: ["ghi chú"], isRequired: false)
    private static func unit(isRequired: Bool) -> CSVColumn { CSVColumn("unit", aliases: ["đơn vị tính", "đvt"], isRequired: isRequired) }

    // MARK: Projects, capital, enterprises

    private static func decodeProject(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Investment_V1_InvestmentRecord {
        var errors = CSVRowErrors()
        var project = Planmonitor_Investment_V1_InvestmentProject()
        project.orgUnitCode = row["org_unit_code"]
        project.kind = errors.collect { () throws(CSVFieldError) in try investmentKind(row) } ?? .unspecified
        project.name = row["name"]
        project.investor = row["investor"]
        project.investorCountry = row["investor_country"].uppercased()
        project.sector = row["sector"]
        project.zone = row["zone"]
        let defaultUnit: Planmonitor_Common_V1_MoneyUnit = project.kind == .fdi ? .millionUsd : .billionVnd
        project.registeredCapital = errors.collect { () throws(CSVFieldError) in try money(row, "registered_capital", defaultUnit: defaultUnit) } ?? .init()
        project.certificateNumber = row["certificate_number"]
        if let certified = errors.collect({ () throws(CSVFieldError) in try row.parse("certified_on", as: CSVValue.date) }) {
            project.certifiedOn = LocalDay.make(Int32(certified.year), Int32(certified.month), Int32(certified.day))
        }
        project.status = errors.collect { () throws(CSVFieldError) in try certificateStatus(row) } ?? .unspecified
        if let revoked = errors.collect({ () throws(CSVFieldError) in try row.parseIfPresent("revoked_on", as: CSVValue.date) }) ?? nil {
            project.revokedOn = LocalDay.make(Int32(revoked.year), Int32(revoked.month), Int32(revoked.day))
        }
        project.revocationReason = row["revocation_reason"]
        project.note = row["note"]
        if !row["record_id"].isEmpty {
            project.recordID = row["record_id"]
        } else if !project.certificateNumber.isEmpty {
            project.recordID = "du-an-\(project.certificateNumber)"
        } else {
            errors.append(row.fieldError("record_id", "is empty, and there is no certificate_number to make an id from"))
        }
        if !errors.isEmpty { throw errors }
        return .with { $0.project = project }
    }

    private static func decodeAdjustment(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Investment_V1_InvestmentRecord {
        var errors = CSVRowErrors()
        var adjustment = Planmonitor_Investment_V1_CapitalAdjustment()
        adjustment.projectID = row["project_id"]
        if let adjusted = errors.collect({ () throws(CSVFieldError) in try row.parse("adjusted_on", as: CSVValue.date) }) {
            adjustment.adjustedOn = LocalDay.make(Int32(adjusted.year), Int32(adjusted.month), Int32(adjusted.day))
        }
        adjustment.amount = errors.collect { () throws(CSVFieldError) in try money(row, "amount", defaultUnit: nil) } ?? .init()
        adjustment.note = row["note"]
        adjustment.recordID = row["record_id"].isEmpty ? "dieu-chinh-\(adjustment.projectID)-\(LocalDay.iso(adjustment.adjustedOn))" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.adjustment = adjustment }
    }

    private static func decodeDisbursement(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Investment_V1_InvestmentRecord {
        var errors = CSVRowErrors()
        var disbursement = Planmonitor_Investment_V1_CapitalDisbursement()
        disbursement.projectID = row["project_id"]
        if let (year, month) = errors.month(of: row) {
            (disbursement.year, disbursement.month) = (year, month)
        }
        disbursement.amount = errors.collect { () throws(CSVFieldError) in try money(row, "amount", defaultUnit: nil) } ?? .init()
        disbursement.recordID = row["record_id"].isEmpty
            ? "giai-ngan-\(disbursement.projectID)-\(disbursement.year)-\(disbursement.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.disbursement = disbursement }
    }

    private static func decodeEnterprises(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Investment_V1_InvestmentRecord {
        var errors = CSVRowErrors()
        var enterprises = Planmonitor_Investment_V1_EnterpriseRegistrations()
        enterprises.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (enterprises.year, enterprises.month) = (year, month)
        }
        enterprises.registered = errors.integer("registered", of: row, as: Int32.self) ?? 0
        enterprises.dissolved = row["dissolved"].isEmpty ? 0 : errors.integer("dissolved", of: row, as: Int32.self) ?? 0
        enterprises.activeAtMonthEnd = row["active_at_month_end"].isEmpty
            ? -1 : errors.integer("active_at_month_end", of: row, as: Int32.self) ?? -1
        enterprises.recordID = row["record_id"].isEmpty ? "doanh-nghiep-\(enterprises.orgUnitCode)-\(enterprises.year)-\(enterprises.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.enterprises = enterprises }
    }

    /// The amount in `column` with the row's unit (`defaultUnit` when the unit column is empty or absent).
    private static func money(_ row: CSVRow, _ column: String, defaultUnit: Planmonitor_Common_V1_MoneyUnit?) throws(CSVFieldError) -> Planmonitor_Common_V1_Money {
        let amount = try row.parse(column, as: CSVValue.decimal)
        let unitText = row["unit"]
        guard let unit = unitText.isEmpty ? defaultUnit : MoneyUnits.unit(unitText) else {
            throw row.fieldError("unit", unitText.isEmpty ? "is empty (a unit of money: triệu USD, USD, tỷ đồng, triệu đồng, đồng)"
                                                          : "is not a unit of money (triệu USD, USD, tỷ đồng, triệu đồng, đồng)")
        }
        return Planmonitor_Common_V1_Money(amount: amount, unit: unit)
    }

    private static func investmentKind(_ row: CSVRow) throws(CSVFieldError) -> Planmonitor_Investment_V1_InvestmentKind {
        switch row["kind"].lowercased() {
        case "fdi", "nước ngoài", "đầu tư nước ngoài", "đtnn": return .fdi
        case "domestic", "ddi", "trong nước", "đầu tư trong nước": return .domestic
        case "ppp", "bot", "bt", "đối tác công tư": return .ppp
        case "": throw row.fieldError("kind", "is empty (FDI/nước ngoài, domestic/trong nước or PPP)")
        default: throw row.fieldError("kind", "is not a kind of project (FDI/nước ngoài, domestic/trong nước or PPP)")
        }
    }

    private static func certificateStatus(_ row: CSVRow) throws(CSVFieldError) -> Planmonitor_Investment_V1_CertificateStatus {
        switch row["status"].lowercased() {
        case "", "active", "còn hiệu lực", "hiệu lực": return .active
        case "revoked", "thu hồi", "đã thu hồi": return .revoked
        default: throw row.fieldError("status", "is not a certificate status (active/còn hiệu lực or revoked/thu hồi)")
        }
    }

    // MARK: Statistics

    private static func decodeStatistic(_ row: CSVRow, defaultOrgUnitCode: String) throws(CSVRowErrors) -> Planmonitor_Investment_V1_InvestmentRecord {
        var errors = CSVRowErrors()
        var statistic = Planmonitor_Investment_V1_EconomicStatistic()
        statistic.targetNumber = errors.collect { () throws(CSVFieldError) in try targetNumber(row) } ?? 0
        statistic.subTargetCode = row["sub_target"]
        statistic.indicator = row["indicator"]
        statistic.orgUnitCode = row["org_unit_code"].isEmpty ? defaultOrgUnitCode : row["org_unit_code"]
        let kind = errors.collect { () throws(CSVFieldError) in try periodKind(row) }
        if let kind, let parsed = errors.collect({ () throws(CSVFieldError) in try period(row, kind: kind) }) {
            statistic.period = parsed
            statistic.plan = kind == .plan
        }
        let value = errors.collect { () throws(CSVFieldError) in try row.parse("value", as: CSVValue.decimal) }
        let unit = errors.collect { () throws(CSVFieldError) in try quantityUnit(row) }
        statistic.value = Planmonitor_Common_V1_Quantity(value: value ?? "", unit: unit ?? "")
        if let estimate = errors.collect({ () throws(CSVFieldError) in try row.parseIfPresent("estimate", as: CSVValue.boolean) }) {
            statistic.estimate = estimate ?? false
        }
        if !row["source_url"].isEmpty { statistic.source.url = row["source_url"] }
        guard errors.isEmpty, let kind, let value else { throw errors }
        if row["record_id"].isEmpty {
            let content = [String(statistic.targetNumber), statistic.subTargetCode, statistic.indicator, kind.rawValue, row["period"], row["source_url"], value]
            statistic.recordID = "stat-" + StableHash.fnv1a64Hex(content.joined(separator: "|"))
        } else {
            statistic.recordID = row["record_id"]
        }
        return .with { $0.statistic = statistic }
    }

    /// A target number, or "other"/"khác" for a figure tied to none (0).
    private static func targetNumber(_ row: CSVRow) throws(CSVFieldError) -> Int32 {
        let text = row["target_no"]
        if ["other", "khác"].contains(text.lowercased()) { return 0 }
        guard !text.isEmpty else { throw row.fieldError("target_no", "is empty (a target number 1–18, or other/khác)") }
        let number: Int
        do throws(CSVValueError) {
            number = try CSVValue.integer(text)
        } catch {
            throw row.fieldError("target_no", "is not a target number (1–18, or other/khác)")
        }
        guard let target = Int32(exactly: number) else { throw row.fieldError("target_no", "is not a target number (1–18, or other/khác)") }
        return target
    }

    private static func periodKind(_ row: CSVRow) throws(CSVFieldError) -> StatisticPeriodKind {
        guard let kind = StatisticPeriodKind(written: row["period_kind"]) else {
            throw row.fieldError("period_kind", "is not a kind of period (\(StatisticPeriodKind.accepted))")
        }
        return kind
    }

    /// The period written in the row for a period of `kind`.
    private static func period(_ row: CSVRow, kind: StatisticPeriodKind) throws(CSVFieldError) -> Planmonitor_Common_V1_Period {
        let text = row["period"]
        guard let period = kind.period(text) else {
            throw row.fieldError("period", "is not a \(kind.rawValue) period (write \(kind.example))")
        }
        return period
    }

    /// The unit code of the row's unit, or "text:" and the unit as written when no unit code covers it.
    private static func quantityUnit(_ row: CSVRow) throws(CSVFieldError) -> String {
        let text = row["unit"]
        guard !text.isEmpty else { throw row.fieldError("unit", "is empty (%, tỷ đồng, bn VND, mn USD, Mt, visitors, …)") }
        return UnitCodes.canonical(text) ?? InvestmentDomain.textUnitPrefix + text
    }
}

/// The kinds of period a statistics file names, with the forms of period each accepts.
enum StatisticPeriodKind: String, Sendable {
    /// A single month: "2018-04".
    case month
    /// January through a month, "2018-01..05", or exact days from January, "2018-01-01..03-26".
    case cumulative
    /// A half-year: "2018-H1".
    case halfYear = "half-year"
    /// A quarter: "2018-Q1".
    case quarter
    /// A whole year: "2018".
    case year
    /// A stock measured on a day: "2018-06-30".
    case point
    /// An event on a day, "2018-04-28", or in a month, "2018-05".
    case date
    /// A planned figure for a year: "2018".
    case plan

    /// The kind written in a file, in English or Vietnamese, in any case.
    init?(written text: String) {
        let folded = text.precomposedStringWithCanonicalMapping.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let vietnamese: [String: StatisticPeriodKind] = [
            "tháng": .month, "lũy kế": .cumulative, "luỹ kế": .cumulative, "6 tháng": .halfYear, "sáu tháng": .halfYear,
            "quý": .quarter, "năm": .year, "thời điểm": .point, "ngày": .date, "kế hoạch": .plan,
        ]
        guard let kind = StatisticPeriodKind(rawValue: folded) ?? vietnamese[folded] else { return nil }
        self = kind
    }

    /// The accepted kinds, for messages.
    static let accepted = "month/tháng, cumulative/lũy kế, half-year/6 tháng, quarter/quý, year/năm, point/thời điểm, date/ngày or plan/kế hoạch"

    /// The forms of the period, for messages.
    var example: String {
        switch self {
        case .month: "2018-04"
        case .cumulative: "2018-01..05 for January–May, or 2018-01-01..03-26 for exact days"
        case .halfYear: "2018-H1 or 2018-H2"
        case .quarter: "2018-Q1 … 2018-Q4"
        case .year, .plan: "2018"
        case .point: "a day, 2018-06-30"
        case .date: "a day, 2018-04-28, or a month, 2018-05"
        }
    }

    /// The period `text` denotes for this kind; `nil` when it is not one of the kind's forms.
    func period(_ text: String) -> Planmonitor_Common_V1_Period? {
        var period = Planmonitor_Common_V1_Period()
        switch self {
        case .month:
            guard let (year, month) = try? CSVValue.month(text) else { return nil }
            return PeriodText.month(year: Int32(year), month: Int32(month))
        case .cumulative:
            return Self.cumulative(text)
        case .halfYear, .quarter:
            let parts = text.uppercased().split(separator: "-")
            let letter: Character = self == .halfYear ? "H" : "Q"
            guard parts.count == 2, let year = Self.year(parts[0]), parts[1].first == letter,
                  let number = Self.number(parts[1].dropFirst(), digits: 1), (1...(self == .halfYear ? 2 : 4)).contains(number)
            else { return nil }
            if self == .halfYear {
                period.halfYear = .with { $0.year = year; $0.half = number }
            } else {
                period.quarter = .with { $0.year = year; $0.quarter = number }
            }
            return period
        case .year, .plan:
            guard let year = Self.year(Substring(text)) else { return nil }
            period.year = .with { $0.year = year }
            return period
        case .point:
            return Self.day(text)
        case .date:
            if let day = Self.day(text) { return day }
            return StatisticPeriodKind.month.period(text)
        }
    }

    /// "2018-01..05" (January through May) or "2018-01-01..03-26" / "2018-01-01..2018-03-26" (exact days from
    /// January, through the month of the last day).
    private static func cumulative(_ text: String) -> Planmonitor_Common_V1_Period? {
        let ends = text.components(separatedBy: "..")
        guard ends.count == 2 else { return nil }
        let start = ends[0].split(separator: "-")
        if start.count == 2 {
            guard let year = year(start[0]), start[1] == "01", let through = number(Substring(ends[1]), digits: 2), (1...12).contains(through) else { return nil }
            return PeriodText.cumulative(year: year, through: through)
        }
        guard start.count == 3, let from = try? CSVValue.date(ends[0]), from.month == 1 else { return nil }
        let lastDay = ends[1].split(separator: "-").count == 2 ? "\(from.year)-\(ends[1])" : ends[1]
        guard let to = try? CSVValue.date(lastDay), to.year == from.year, (to.month, to.day) >= (from.month, from.day) else { return nil }
        var period = PeriodText.cumulative(year: Int32(from.year), through: Int32(to.month))
        period.dateFrom = LocalDay.make(Int32(from.year), Int32(from.month), Int32(from.day))
        period.dateTo = LocalDay.make(Int32(to.year), Int32(to.month), Int32(to.day))
        return period
    }

    private static func day(_ text: String) -> Planmonitor_Common_V1_Period? {
        guard let date = try? CSVValue.date(text) else { return nil }
        var period = Planmonitor_Common_V1_Period()
        period.day = .with { $0.date = LocalDay.make(Int32(date.year), Int32(date.month), Int32(date.day)) }
        return period
    }

    private static func year(_ text: Substring) -> Int32? {
        number(text, digits: 4)
    }

    /// The value of `text` when it is exactly `digits` ASCII digits.
    private static func number(_ text: Substring, digits: Int) -> Int32? {
        guard text.count == digits, text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int32(text)
    }
}

/// FNV-1a, 64 bits: a small, stable hash for record ids made from a row's content (not for security). The same
/// text gives the same id on every platform and run, so a file imported again makes the same ids.
enum StableHash {
    /// The hash of `text`'s UTF-8 bytes as 16 lower-case hex digits.
    static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
