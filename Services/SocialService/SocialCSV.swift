import DepartmentCore
import PlanContracts

/// The CSV layouts of the social records: English or Vietnamese headers; record ids may be left out and are then made
/// from the row's kind, unit (or commune), period and measure, so a file imported twice stores nothing twice and two
/// rows of the same figure in one file are refused.
enum SocialCSV {
    static let layouts: [RecordKindLayout<Planmonitor_Social_V1_SocialRecord>] = [
        RecordKindLayout(kind: SocialRecordKind.rate.rawValue, titleVi: "Tỷ lệ theo tử số, mẫu số", columns: [
            recordID, orgUnit, month,
            CSVColumn("measure", aliases: ["chỉ tiêu", "loại tỷ lệ"]),
            CSVColumn("numerator", aliases: ["tử số"]),
            CSVColumn("denominator", aliases: ["mẫu số"]),
            note,
        ], decode: decodeRate),
        RecordKindLayout(kind: SocialRecordKind.jobs.rawValue, titleVi: "Giải quyết việc làm trong tháng", columns: [
            recordID, orgUnit, month,
            CSVColumn("channel", aliases: ["kênh", "hình thức"]),
            CSVColumn("persons", aliases: ["số người", "lượt người"]),
            note,
        ], decode: decodeJobs),
        RecordKindLayout(kind: SocialRecordKind.training.rawValue, titleVi: "Giáo dục nghề nghiệp trong tháng", columns: [
            recordID, orgUnit, month,
            CSVColumn("enrolled", aliases: ["tuyển sinh"]),
            CSVColumn("graduated", aliases: ["tốt nghiệp"]),
            note,
        ], decode: decodeTraining),
        RecordKindLayout(kind: SocialRecordKind.assistance.rawValue, titleVi: "Đối tượng bảo trợ xã hội hưởng trợ cấp", columns: [
            recordID, orgUnit, month,
            CSVColumn("beneficiaries", aliases: ["số đối tượng", "số người hưởng"]),
            note,
        ], decode: decodeAssistance),
        RecordKindLayout(kind: SocialRecordKind.insurance.rawValue, titleVi: "Người tham gia bảo hiểm y tế theo nhóm", columns: [
            recordID, orgUnit, month,
            CSVColumn("group", aliases: ["nhóm", "nhóm đối tượng"]),
            CSVColumn("participants", aliases: ["số người tham gia"]),
            note,
        ], decode: decodeInsurance),
        RecordKindLayout(kind: SocialRecordKind.newRural.rawValue, titleVi: "Đánh giá tiêu chí nông thôn mới của xã", columns: [
            recordID, orgUnit,
            CSVColumn("commune_code", aliases: ["mã xã"]),
            month,
            CSVColumn("criteria_met", aliases: ["tiêu chí đạt", "các tiêu chí đạt"]),
            note,
        ], decode: decodeNewRural),
    ]

    private static let recordID = CSVColumn("record_id", aliases: ["mã bản ghi", "mã"], isRequired: false)
    private static let orgUnit = CSVColumn("org_unit_code", aliases: ["mã đơn vị", "mã quận, huyện", "đơn vị"])
    private static let month = CSVColumn("month", aliases: ["tháng", "kỳ"])
    private static let note = CSVColumn("note", aliases: ["ghi chú"], isRequired: false)

    private static func decodeRate(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Social_V1_SocialRecord {
        var errors = CSVRowErrors()
        var rate = Planmonitor_Social_V1_RateObservation()
        rate.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.collect({ () throws(CSVFieldError) in try monthOrStartOfYear(row) }) {
            rate.year = year
            rate.month = month
        }
        let definition = errors.collect { () throws(CSVFieldError) in
            guard let definition = SocialMeasures.rate(code: row["measure"]) else {
                throw row.fieldError("measure", "is not a measure (\(SocialMeasures.codes))")
            }
            return definition
        }
        rate.measure = definition?.measure ?? .unspecified
        rate.numerator = errors.collect { () throws(CSVFieldError) in try row.parse("numerator", as: CSVValue.decimal) } ?? ""
        rate.denominator = errors.collect { () throws(CSVFieldError) in try row.parse("denominator", as: CSVValue.decimal) } ?? ""
        rate.note = row["note"]
        rate.recordID = row["record_id"].isEmpty ? "rate-\(definition?.code ?? "")-\(rate.orgUnitCode)-\(rate.year)-\(rate.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.rate = rate }
    }

    private static func decodeJobs(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Social_V1_SocialRecord {
        var errors = CSVRowErrors()
        var jobs = Planmonitor_Social_V1_JobsCreated()
        jobs.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (jobs.year, jobs.month) = (year, month)
        }
        let channel = errors.collect { () throws(CSVFieldError) in
            guard let channel = SocialMeasures.jobChannels.first(where: { $0.codes.contains(row["channel"].lowercased()) }) else {
                throw row.fieldError("channel", "is not a channel (domestic/trong nước, labour-export/xuất khẩu lao động)")
            }
            return channel
        }
        jobs.channel = channel?.channel ?? .unspecified
        jobs.persons = errors.integer("persons", of: row, as: Int64.self) ?? 0
        jobs.note = row["note"]
        jobs.recordID = row["record_id"].isEmpty ? "jobs-\(channel?.codes[0] ?? "")-\(jobs.orgUnitCode)-\(jobs.year)-\(jobs.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.jobs = jobs }
    }

    private static func decodeTraining(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Social_V1_SocialRecord {
        var errors = CSVRowErrors()
        var training = Planmonitor_Social_V1_VocationalTraining()
        training.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (training.year, training.month) = (year, month)
        }
        training.enrolled = errors.integer("enrolled", of: row, as: Int64.self) ?? 0
        training.graduated = errors.integer("graduated", of: row, as: Int64.self) ?? 0
        training.note = row["note"]
        training.recordID = row["record_id"].isEmpty ? "training-\(training.orgUnitCode)-\(training.year)-\(training.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.training = training }
    }

    private static func decodeAssistance(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Social_V1_SocialRecord {
        var errors = CSVRowErrors()
        var assistance = Planmonitor_Social_V1_SocialAssistance()
        assistance.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (assistance.year, assistance.month) = (year, month)
        }
        assistance.beneficiaries = errors.integer("beneficiaries", of: row, as: Int64.self) ?? 0
        assistance.note = row["note"]
        assistance.recordID = row["record_id"].isEmpty ? "assistance-\(assistance.orgUnitCode)-\(assistance.year)-\(assistance.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.assistance = assistance }
    }

    private static func decodeInsurance(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Social_V1_SocialRecord {
        var errors = CSVRowErrors()
        var insurance = Planmonitor_Social_V1_InsuranceParticipants()
        insurance.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (insurance.year, insurance.month) = (year, month)
        }
        let group = errors.collect { () throws(CSVFieldError) in
            guard let group = SocialMeasures.insuranceGroups.first(where: { $0.code == row["group"].lowercased() }) else {
                throw row.fieldError("group", "is not a group (\(SocialMeasures.insuranceGroupCodes))")
            }
            return group
        }
        insurance.group = group?.group ?? .unspecified
        insurance.participants = errors.integer("participants", of: row, as: Int64.self) ?? 0
        insurance.note = row["note"]
        insurance.recordID = row["record_id"].isEmpty
            ? "insurance-\(group?.code ?? "")-\(insurance.orgUnitCode)-\(insurance.year)-\(insurance.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.insurance = insurance }
    }

    private static func decodeNewRural(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Social_V1_SocialRecord {
        var errors = CSVRowErrors()
        var assessment = Planmonitor_Social_V1_NewRuralAssessment()
        assessment.orgUnitCode = row["org_unit_code"]
        assessment.communeCode = row["commune_code"]
        if let (year, month) = errors.collect({ () throws(CSVFieldError) in try monthOrStartOfYear(row) }) {
            assessment.year = year
            assessment.month = month
        }
        assessment.criteriaMet = errors.collect { () throws(CSVFieldError) in try criteria(row) } ?? []
        assessment.note = row["note"]
        assessment.recordID = row["record_id"].isEmpty ? "ntm-\(assessment.communeCode)-\(assessment.year)-\(assessment.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.newRural = assessment }
    }

    /// The row's month, or month 0 of a year written "đầu năm 2018" / "start 2018" (the situation on 31 December of
    /// the year before).
    private static func monthOrStartOfYear(_ row: CSVRow) throws(CSVFieldError) -> (year: Int32, month: Int32) {
        let text = row["month"].lowercased()
        for prefix in ["đầu năm ", "start "] where text.hasPrefix(prefix) {
            let year = text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            guard year.count == 4, let value = Int32(year) else { throw row.fieldError("month", "is not a start of year (write đầu năm 2018)") }
            return (value, 0)
        }
        let (year, month) = try row.parse("month", as: CSVValue.month)
        return (Int32(year), Int32(month))
    }

    /// The criteria met, written as numbers and ranges separated by spaces or "|": "1-12 14 16-19"; "tất cả" or "all"
    /// for all 19; empty for none.
    private static func criteria(_ row: CSVRow) throws(CSVFieldError) -> [Int32] {
        let text = row["criteria_met"].lowercased()
        if text == "tất cả" || text == "all" { return Array(1...SocialDomain.newRuralCriteriaCount) }
        var criteria: [Int32] = []
        for part in text.split(whereSeparator: { $0 == " " || $0 == "|" }) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int32($0) }
            switch bounds.count {
            case 1:
                guard let criterion = bounds[0] else { throw row.fieldError("criteria_met", "is not a list of criteria (write 1-12 14 16-19)") }
                criteria.append(criterion)
            case 2:
                let criteriaRange = 1...SocialDomain.newRuralCriteriaCount
                guard let low = bounds[0], let high = bounds[1], low <= high, criteriaRange.contains(low), criteriaRange.contains(high) else {
                    throw row.fieldError("criteria_met", "is not a list of criteria 1–\(SocialDomain.newRuralCriteriaCount) (write 1-12 14 16-19)")
                }
                criteria += Array(low...high)
            default:
                throw row.fieldError("criteria_met", "is not a list of criteria (write 1-12 14 16-19)")
            }
        }
        return criteria
    }
}
