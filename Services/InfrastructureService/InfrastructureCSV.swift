import DepartmentCore
import Foundation
import PlanContracts

/// The CSV layouts of the infrastructure records: English or Vietnamese headers. Record ids may be left out, except a
/// project's, and are then made from the row (`<project>/progress/2018-06`), so a file imported twice stores nothing
/// twice. Amounts are in billion VND unless the `unit` column says otherwise; lists (sectors, districts, funding
/// sources) are separated by ",", ";", "|" or spaces.
enum InfrastructureCSV {
    /// The kind of import that reads published figures (`Shared/ReferenceData/data/hp2018-reported-jan-jun.csv`) and
    /// stores the rows whose indicator starts with "Infrastructure milestone:" as milestones.
    static let publishedMilestoneKind = "published-milestone"
    /// The start of the indicator of a published milestone row.
    static let publishedMilestonePrefix = "Infrastructure milestone:"

    /// The layouts; a project row without a unit is for `defaultOrgUnitCode`.
    static func layouts(defaultOrgUnitCode: String) -> [RecordKindLayout<Planmonitor_Infrastructure_V1_InfrastructureRecord>] {
        [
            RecordKindLayout(kind: InfrastructureRecordKind.project.rawValue, titleVi: "Danh mục dự án, công trình trọng điểm", columns: [
                CSVColumn("record_id", aliases: ["mã dự án", "mã"]),
                CSVColumn("org_unit_code", aliases: ["mã đơn vị", "đơn vị"], isRequired: false),
                CSVColumn("year", aliases: ["năm"]),
                CSVColumn("title", aliases: ["tên dự án", "tên công trình"]),
                CSVColumn("description", aliases: ["mô tả", "quy mô"], isRequired: false),
                CSVColumn("sectors", aliases: ["lĩnh vực"]),
                CSVColumn("owner_agency_code", aliases: ["chủ đầu tư", "cơ quan chủ quản"]),
                CSVColumn("district_codes", aliases: ["quận, huyện", "địa bàn"], isRequired: false),
                CSVColumn("funding_sources", aliases: ["nguồn vốn"], isRequired: false),
                CSVColumn("total_investment", aliases: ["tổng mức đầu tư"], isRequired: false),
                CSVColumn("capital_plan", aliases: ["kế hoạch vốn", "kế hoạch vốn năm"], isRequired: false),
                unit,
                CSVColumn("status", aliases: ["giai đoạn", "tình trạng"]),
                CSVColumn("task_key", aliases: ["nhiệm vụ", "mã nhiệm vụ"]),
                CSVColumn("key_project_code", aliases: ["mã công trình trọng điểm"], isRequired: false),
                CSVColumn("period_start", aliases: ["ngày bắt đầu", "ngày khởi công"], isRequired: false),
                CSVColumn("period_end", aliases: ["ngày hoàn thành dự kiến"], isRequired: false),
                note,
            ]) { row throws(CSVRowErrors) in try decodeProject(row, defaultOrgUnitCode: defaultOrgUnitCode) },
            RecordKindLayout(kind: InfrastructureRecordKind.milestone.rawValue, titleVi: "Mốc tiến độ", columns: [
                recordID, projectID,
                CSVColumn("year", aliases: ["năm"], isRequired: false),
                CSVColumn("code", aliases: ["mã mốc"]),
                CSVColumn("title", aliases: ["tên mốc", "mốc"]),
                CSVColumn("due_date", aliases: ["ngày đến hạn", "hạn"]),
                CSVColumn("date_met", aliases: ["ngày đạt", "ngày hoàn thành"], isRequired: false),
                CSVColumn("source_url", aliases: ["nguồn"], isRequired: false),
                note,
            ], decode: decodeMilestone),
            RecordKindLayout(kind: InfrastructureRecordKind.contractChange.rawValue, titleVi: "Điều chỉnh hợp đồng", columns: [
                recordID, projectID,
                CSVColumn("year", aliases: ["năm"], isRequired: false),
                CSVColumn("contract_title", aliases: ["gói thầu", "hợp đồng"]),
                CSVColumn("changed_on", aliases: ["ngày điều chỉnh"]),
                CSVColumn("old_value", aliases: ["giá trị cũ"], isRequired: false),
                CSVColumn("new_value", aliases: ["giá trị mới"], isRequired: false),
                unit,
                CSVColumn("old_end_date", aliases: ["ngày kết thúc cũ"], isRequired: false),
                CSVColumn("new_end_date", aliases: ["ngày kết thúc mới"], isRequired: false),
                CSVColumn("reason", aliases: ["lý do"]),
            ], decode: decodeContractChange),
            RecordKindLayout(kind: InfrastructureRecordKind.progress.rawValue, titleVi: "Tiến độ thực hiện và giải ngân trong tháng", columns: [
                recordID, projectID, month,
                CSVColumn("planned_percent", aliases: ["kế hoạch (%)", "tiến độ kế hoạch"]),
                CSVColumn("actual_percent", aliases: ["thực hiện (%)", "tiến độ thực tế"]),
                CSVColumn("disbursed", aliases: ["giải ngân trong tháng", "giải ngân"], isRequired: false),
                unit,
                note,
            ], decode: decodeProgress),
            RecordKindLayout(kind: InfrastructureRecordKind.siteClearance.rawValue, titleVi: "Giải phóng mặt bằng", columns: [
                recordID, projectID, month,
                CSVColumn("households_to_clear", aliases: ["số hộ phải giải phóng", "số hộ phải di dời"]),
                CSVColumn("households_cleared", aliases: ["số hộ đã giải phóng", "số hộ đã di dời"]),
                CSVColumn("area_to_clear_ha", aliases: ["diện tích phải giải phóng (ha)"]),
                CSVColumn("area_cleared_ha", aliases: ["diện tích đã giải phóng (ha)"]),
                CSVColumn("area_handed_over_ha", aliases: ["diện tích đã bàn giao (ha)"]),
                CSVColumn("obstacles", aliases: ["vướng mắc"], isRequired: false),
            ], decode: decodeClearance),
            RecordKindLayout(kind: publishedMilestoneKind, titleVi: "Mốc hạ tầng đã công bố (số liệu công bố)", columns: [
                CSVColumn("target_no", aliases: ["chỉ tiêu"], isRequired: false),
                CSVColumn("indicator", aliases: ["chỉ số", "nội dung"]),
                CSVColumn("period_kind", aliases: ["loại kỳ"], isRequired: false),
                CSVColumn("period", aliases: ["kỳ", "ngày"]),
                CSVColumn("value", aliases: ["giá trị"], isRequired: false),
                CSVColumn("unit", aliases: ["đơn vị tính", "đvt"], isRequired: false),
                CSVColumn("estimate", aliases: ["ước tính"], isRequired: false),
                CSVColumn("source_url", aliases: ["nguồn"], isRequired: false),
            ], decode: decodePublishedMilestone),
        ]
    }

    private static let recordID = CSVColumn("record_id", aliases: ["mã bản ghi"], isRequired: false)
    private static let projectID = CSVColumn("project_id", aliases: ["mã dự án"])
    private static let month = CSVColumn("month", aliases: ["tháng", "kỳ"])
    private static let unit = CSVColumn("unit", aliases: ["đơn vị tính", "đvt"], isRequired: false)
    private static let note = CSVColumn("note", aliases: ["ghi chú"], isRequired: false)

    // MARK: Kinds

    private static func decodeProject(_ row: CSVRow, defaultOrgUnitCode: String) throws(CSVRowErrors) -> Planmonitor_Infrastructure_V1_InfrastructureRecord {
        var errors = CSVRowErrors()
        var project = Planmonitor_Infrastructure_V1_Project()
        project.recordID = row["record_id"]
        project.orgUnitCode = row["org_unit_code"].isEmpty ? defaultOrgUnitCode : row["org_unit_code"]
        project.year = errors.integer("year", of: row, as: Int32.self) ?? 0
        project.title = row["title"]
        project.description_p = row["description"]
        project.sectors = list(row["sectors"])
        project.ownerAgencyCode = row["owner_agency_code"]
        project.districtCodes = list(row["district_codes"])
        project.fundingSources = errors.collect { () throws(CSVFieldError) in
            try list(row["funding_sources"]).map { (code) throws(CSVFieldError) in
                guard let source = Planmonitor_Infrastructure_V1_FundingSource(code: code) else {
                    throw row.fieldError("funding_sources", "names '\(code)', not a funding source (\(Planmonitor_Infrastructure_V1_FundingSource.codes))")
                }
                return source
            }
        } ?? []
        if let total = errors.collect({ () throws(CSVFieldError) in try optionalMoney(row, "total_investment") }), let total { project.totalInvestment = total }
        if let plan = errors.collect({ () throws(CSVFieldError) in try optionalMoney(row, "capital_plan") }), let plan { project.capitalPlan = plan }
        project.status = errors.collect { () throws(CSVFieldError) in
            guard let status = Planmonitor_Infrastructure_V1_ProjectStatus(code: row["status"]) else {
                throw row.fieldError("status", "is not a status (\(Planmonitor_Infrastructure_V1_ProjectStatus.codes))")
            }
            return status
        } ?? .unspecified
        project.taskKey = row["task_key"]
        project.keyProjectCode = row["key_project_code"]
        if let start = errors.collect({ () throws(CSVFieldError) in try optionalDay(row, "period_start") }), let start { project.periodStart = start }
        if let end = errors.collect({ () throws(CSVFieldError) in try optionalDay(row, "period_end") }), let end { project.periodEnd = end }
        project.note = row["note"]
        if !errors.isEmpty { throw errors }
        return .with { $0.project = project }
    }

    private static func decodeMilestone(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Infrastructure_V1_InfrastructureRecord {
        var errors = CSVRowErrors()
        var milestone = Planmonitor_Infrastructure_V1_Milestone()
        milestone.projectID = row["project_id"]
        milestone.code = row["code"]
        milestone.title = row["title"]
        if let due = errors.collect({ () throws(CSVFieldError) in try day(row, "due_date") }) { milestone.dueDate = due }
        if let met = errors.collect({ () throws(CSVFieldError) in try optionalDay(row, "date_met") }), let met { milestone.dateMet = met }
        milestone.year = errors.collect { () throws(CSVFieldError) in try year(row, defaultingTo: milestone.dueDate.year) } ?? 0
        milestone.sourceURL = row["source_url"]
        milestone.note = row["note"]
        milestone.recordID = row["record_id"].isEmpty ? "\(milestone.projectID)/milestone/\(milestone.code)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.milestone = milestone }
    }

    private static func decodeContractChange(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Infrastructure_V1_InfrastructureRecord {
        var errors = CSVRowErrors()
        var change = Planmonitor_Infrastructure_V1_ContractChange()
        change.projectID = row["project_id"]
        change.contractTitle = row["contract_title"]
        if let changed = errors.collect({ () throws(CSVFieldError) in try day(row, "changed_on") }) { change.changedOn = changed }
        change.year = errors.collect { () throws(CSVFieldError) in try year(row, defaultingTo: change.changedOn.year) } ?? 0
        if let old = errors.collect({ () throws(CSVFieldError) in try optionalMoney(row, "old_value") }), let old { change.oldValue = old }
        if let new = errors.collect({ () throws(CSVFieldError) in try optionalMoney(row, "new_value") }), let new { change.newValue = new }
        if let old = errors.collect({ () throws(CSVFieldError) in try optionalDay(row, "old_end_date") }), let old { change.oldEndDate = old }
        if let new = errors.collect({ () throws(CSVFieldError) in try optionalDay(row, "new_end_date") }), let new { change.newEndDate = new }
        change.reason = row["reason"]
        change.recordID = row["record_id"].isEmpty ? "\(change.projectID)/contract-change/\(LocalDay.iso(change.changedOn))" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.contractChange = change }
    }

    private static func decodeProgress(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Infrastructure_V1_InfrastructureRecord {
        var errors = CSVRowErrors()
        var progress = Planmonitor_Infrastructure_V1_ProgressReport()
        progress.projectID = row["project_id"]
        if let (year, month) = errors.month(of: row) {
            (progress.year, progress.month) = (year, month)
        }
        progress.plannedPercent = errors.collect { () throws(CSVFieldError) in try row.parse("planned_percent", as: CSVValue.decimal) } ?? ""
        progress.actualPercent = errors.collect { () throws(CSVFieldError) in try row.parse("actual_percent", as: CSVValue.decimal) } ?? ""
        let disbursed = errors.collect { () throws(CSVFieldError) in try optionalMoney(row, "disbursed") }
        progress.disbursed = disbursed.flatMap { $0 } ?? Planmonitor_Common_V1_Money(amount: "0", unit: .billionVnd)
        progress.note = row["note"]
        progress.recordID = row["record_id"].isEmpty ? "\(progress.projectID)/progress/\(monthKey(progress.year, progress.month))" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.progress = progress }
    }

    private static func decodeClearance(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Infrastructure_V1_InfrastructureRecord {
        var errors = CSVRowErrors()
        var clearance = Planmonitor_Infrastructure_V1_SiteClearance()
        clearance.projectID = row["project_id"]
        if let (year, month) = errors.month(of: row) {
            (clearance.year, clearance.month) = (year, month)
        }
        clearance.householdsToClear = errors.integer("households_to_clear", of: row, as: Int32.self) ?? 0
        clearance.householdsCleared = errors.integer("households_cleared", of: row, as: Int32.self) ?? 0
        clearance.areaToClearHa = errors.collect { () throws(CSVFieldError) in try row.parse("area_to_clear_ha", as: CSVValue.decimal) } ?? ""
        clearance.areaClearedHa = errors.collect { () throws(CSVFieldError) in try row.parse("area_cleared_ha", as: CSVValue.decimal) } ?? ""
        clearance.areaHandedOverHa = errors.collect { () throws(CSVFieldError) in try row.parse("area_handed_over_ha", as: CSVValue.decimal) } ?? ""
        clearance.obstacles = row["obstacles"]
        clearance.recordID = row["record_id"].isEmpty ? "\(clearance.projectID)/site-clearance/\(monthKey(clearance.year, clearance.month))" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.siteClearance = clearance }
    }

    /// A row of published figures whose indicator starts with ``publishedMilestonePrefix``: a milestone met on the
    /// row's day (due the same day, since a publication gives no plan), of the project of the year's seed register
    /// whose published name the indicator contains.
    private static func decodePublishedMilestone(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Infrastructure_V1_InfrastructureRecord {
        var errors = CSVRowErrors()
        let indicator = row["indicator"]
        let title = errors.collect { () throws(CSVFieldError) in
            guard indicator.lowercased().hasPrefix(publishedMilestonePrefix.lowercased()) else {
                throw row.fieldError("indicator", "is not an infrastructure milestone (its indicator must start with “\(publishedMilestonePrefix)”)")
            }
            return String(indicator.dropFirst(publishedMilestonePrefix.count)).trimmingCharacters(in: .whitespaces)
        }
        let kind = row["period_kind"].lowercased()
        if !kind.isEmpty && kind != "date" {
            errors.append(row.fieldError("period_kind", "is not a dated event (date)"))
        }
        let met = errors.collect { () throws(CSVFieldError) in try day(row, "period") }
        if let title, let met {
            let projectID = errors.collect { () throws(CSVFieldError) in try publishedProject(in: row, year: met.year) }
            if let projectID {
                var milestone = Planmonitor_Infrastructure_V1_Milestone()
                milestone.projectID = projectID
                milestone.year = met.year
                milestone.code = "published-\(LocalDay.iso(met))"
                milestone.title = title
                milestone.dueDate = met
                milestone.dateMet = met
                milestone.sourceURL = row["source_url"]
                milestone.note = "Theo số liệu công bố; ngày đến hạn lấy bằng ngày đạt vì nguồn không nêu kế hoạch."
                milestone.recordID = "\(projectID)/milestone/\(milestone.code)"
                if errors.isEmpty { return .with { $0.milestone = milestone } }
            }
        }
        throw errors
    }

    /// The id of the one project of the `year` seed register whose published name the row's indicator contains.
    private static func publishedProject(in row: CSVRow, year: Int32) throws(CSVFieldError) -> String {
        let seed: ProjectSeed
        do {
            guard let bundled = try ProjectSeed.bundled(year: year) else {
                throw row.fieldError("period", "is of \(year), a year without a seed register to match the milestone with")
            }
            seed = bundled
        } catch let error as CSVFieldError {
            throw error
        } catch {
            throw row.fieldError("indicator", "cannot be matched: the \(year) seed register cannot be read (\(error))")
        }
        let matches = seed.projectIDs(publishedIn: row["indicator"])
        guard let projectID = matches.first else {
            throw row.fieldError("indicator", "names no project of the \(year) register (a seed entry's published names must occur in it)")
        }
        guard matches.count == 1 else {
            throw row.fieldError("indicator", "names several projects of the \(year) register: \(matches.joined(separator: ", "))")
        }
        return projectID
    }

    // MARK: Values

    /// The items of a list cell, separated by ",", ";", "|" or spaces.
    private static func list(_ text: String) -> [String] {
        text.split { $0 == "," || $0 == ";" || $0 == "|" || $0.isWhitespace }.map(String.init)
    }

    /// The amount in `column` with the row's unit (billion VND when the unit column is empty or absent); `nil` when
    /// the cell is empty.
    private static func optionalMoney(_ row: CSVRow, _ column: String) throws(CSVFieldError) -> Planmonitor_Common_V1_Money? {
        guard let amount = try row.parseIfPresent(column, as: CSVValue.decimal) else { return nil }
        let unitText = row["unit"]
        guard let unit = unitText.isEmpty ? .billionVnd : MoneyUnits.unit(unitText) else {
            throw row.fieldError("unit", "is not a unit of money (tỷ đồng, triệu đồng, đồng)")
        }
        return Planmonitor_Common_V1_Money(amount: amount, unit: unit)
    }

    private static func day(_ row: CSVRow, _ column: String) throws(CSVFieldError) -> Planmonitor_Common_V1_LocalDate {
        let (year, month, day) = try row.parse(column, as: CSVValue.date)
        return LocalDay.make(Int32(year), Int32(month), Int32(day))
    }

    private static func optionalDay(_ row: CSVRow, _ column: String) throws(CSVFieldError) -> Planmonitor_Common_V1_LocalDate? {
        row[column].isEmpty ? nil : try day(row, column)
    }

    /// The `year` column, or `fallback` (the year of the row's date) when it is empty or absent.
    private static func year(_ row: CSVRow, defaultingTo fallback: Int32) throws(CSVFieldError) -> Int32 {
        guard let year = try row.parseIfPresent("year", as: CSVValue.integer) else { return fallback }
        guard let exact = Int32(exactly: year) else { throw row.fieldError("year", "is not a year") }
        return exact
    }

    /// "2018-06".
    private static func monthKey(_ year: Int32, _ month: Int32) -> String {
        String(format: "%04d-%02d", year, month)
    }
}

extension Planmonitor_Infrastructure_V1_ProjectStatus {
    /// The OC4IDS projectStatus code: "identification", "preparation", "implementation", "completion", "cancelled".
    var code: String {
        switch self {
        case .identification: "identification"
        case .preparation: "preparation"
        case .implementation: "implementation"
        case .completion: "completion"
        case .cancelled: "cancelled"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }

    /// The status a file or the seed names: an OC4IDS code or its Vietnamese name ("chuẩn bị đầu tư", "thực hiện").
    init?(code text: String) {
        switch text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces).lowercased() {
        case "identification", "chủ trương đầu tư": self = .identification
        case "preparation", "chuẩn bị đầu tư", "chuẩn bị": self = .preparation
        case "implementation", "thực hiện", "thực hiện đầu tư", "đang thi công": self = .implementation
        case "completion", "hoàn thành": self = .completion
        case "cancelled", "dừng", "hủy": self = .cancelled
        default: return nil
        }
    }

    /// The codes, for messages.
    static let codes = "identification, preparation, implementation, completion, cancelled"
}

extension Planmonitor_Infrastructure_V1_FundingSource {
    /// What the source is, in Vietnamese.
    var nameVi: String {
        switch self {
        case .publicBudget: "Vốn ngân sách nhà nước (đầu tư công)"
        case .odaWorldBank: "Vốn vay ODA Ngân hàng Thế giới"
        case .odaJica: "Vốn vay ODA JICA (Nhật Bản)"
        case .pppBot: "Đối tác công - tư (PPP, BOT)"
        case .private: "Vốn tư nhân, đầu tư trực tiếp"
        case .unspecified, .UNRECOGNIZED: "Chưa rõ"
        }
    }

    /// The source a file or the seed names: its code or a short name ("world-bank", "wb", "jica", "ppp", "bot").
    init?(code text: String) {
        switch text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces).lowercased() {
        case "public-budget": self = .publicBudget
        case "oda-world-bank", "world-bank", "wb": self = .odaWorldBank
        case "oda-jica", "jica": self = .odaJica
        case "ppp-bot", "ppp", "bot": self = .pppBot
        case "private": self = .private
        default: return nil
        }
    }

    /// The codes, for messages.
    static let codes = "public-budget, oda-world-bank, oda-jica, ppp-bot, private"
}
