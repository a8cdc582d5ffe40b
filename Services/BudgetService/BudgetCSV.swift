import DepartmentCore
import PlanContracts

/// The CSV layouts of the budget records: English or Vietnamese headers; record ids may be left out and are then
/// made from the row's unit, period and classification, so a file imported twice stores nothing twice.
enum BudgetCSV {
    static let layouts: [RecordKindLayout<Planmonitor_Budget_V1_BudgetRecord>] = [
        RecordKindLayout(kind: "budget-line", titleVi: "Dự toán ngân sách", columns: [
            CSVColumn("record_id", aliases: ["mã bản ghi", "mã"], isRequired: false),
            orgUnit,
            CSVColumn("year", aliases: ["năm"]),
            CSVColumn("phase", aliases: ["giai đoạn", "loại dự toán"]),
            CSVColumn("direction", aliases: ["thu/chi", "thu chi"], isRequired: false),
            classification,
            amount,
            unit,
            note,
        ], decode: decodeLine),
        RecordKindLayout(kind: "budget-execution", titleVi: "Thu, chi ngân sách trong tháng", columns: [
            CSVColumn("record_id", aliases: ["mã bản ghi", "mã"], isRequired: false),
            orgUnit,
            CSVColumn("month", aliases: ["tháng", "kỳ"]),
            CSVColumn("direction", aliases: ["thu/chi", "thu chi"], isRequired: false),
            classification,
            amount,
            unit,
            note,
        ], decode: decodeExecution),
        RecordKindLayout(kind: "tax-arrears", titleVi: "Nợ thuế", columns: [
            CSVColumn("record_id", aliases: ["mã bản ghi", "mã"], isRequired: false),
            orgUnit,
            CSVColumn("month", aliases: ["tháng", "kỳ"]),
            CSVColumn("stock", aliases: ["tổng nợ thuế", "nợ thuế cuối tháng"]),
            CSVColumn("recovered", aliases: ["thu hồi nợ", "nợ đã thu hồi"]),
            unit,
            note,
        ], decode: decodeArrears),
    ]

    private static let orgUnit = CSVColumn("org_unit_code", aliases: ["mã đơn vị", "đơn vị"])
    private static let classification = CSVColumn("classification_code", aliases: ["mục", "mã mục", "phân loại"])
    private static let amount = CSVColumn("amount", aliases: ["số tiền", "giá trị"])
    private static let unit = CSVColumn("unit", aliases: ["đơn vị tính", "đvt"], isRequired: false)
    private static let note = CSVColumn("note", aliases: ["ghi chú"], isRequired: false)

    private static func decodeLine(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Budget_V1_BudgetRecord {
        var errors = CSVRowErrors()
        var line = Planmonitor_Budget_V1_BudgetLine()
        line.orgUnitCode = row["org_unit_code"]
        line.year = errors.integer("year", of: row, as: Int32.self) ?? 0
        line.phase = errors.collect { () throws(CSVFieldError) in try phase(row) } ?? .unspecified
        line.classificationCode = row["classification_code"]
        line.direction = errors.collect { () throws(CSVFieldError) in try direction(row) } ?? .unspecified
        line.amount = errors.collect { () throws(CSVFieldError) in try money(row, "amount") } ?? .init()
        line.note = row["note"]
        line.recordID = row["record_id"].isEmpty ? "dt-\(line.orgUnitCode)-\(line.year)-\(phaseCode(line.phase))-\(line.classificationCode)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.line = line }
    }

    private static func decodeExecution(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Budget_V1_BudgetRecord {
        var errors = CSVRowErrors()
        var execution = Planmonitor_Budget_V1_BudgetExecution()
        execution.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (execution.year, execution.month) = (year, month)
        }
        execution.classificationCode = row["classification_code"]
        execution.direction = errors.collect { () throws(CSVFieldError) in try direction(row) } ?? .unspecified
        execution.amount = errors.collect { () throws(CSVFieldError) in try money(row, "amount") } ?? .init()
        execution.note = row["note"]
        let kind = execution.direction == .expenditure ? "chi" : "thu"
        execution.recordID = row["record_id"].isEmpty
            ? "\(kind)-\(execution.orgUnitCode)-\(execution.year)-\(execution.month)-\(execution.classificationCode)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.execution = execution }
    }

    private static func decodeArrears(_ row: CSVRow) throws(CSVRowErrors) -> Planmonitor_Budget_V1_BudgetRecord {
        var errors = CSVRowErrors()
        var arrears = Planmonitor_Budget_V1_TaxArrears()
        arrears.orgUnitCode = row["org_unit_code"]
        if let (year, month) = errors.month(of: row) {
            (arrears.year, arrears.month) = (year, month)
        }
        arrears.stock = errors.collect { () throws(CSVFieldError) in try money(row, "stock") } ?? .init()
        arrears.recovered = errors.collect { () throws(CSVFieldError) in try money(row, "recovered") } ?? .init()
        arrears.note = row["note"]
        arrears.recordID = row["record_id"].isEmpty ? "no-thue-\(arrears.orgUnitCode)-\(arrears.year)-\(arrears.month)" : row["record_id"]
        if !errors.isEmpty { throw errors }
        return .with { $0.arrears = arrears }
    }

    /// The amount in `column` with the row's unit (billion VND when the unit column is empty or absent).
    private static func money(_ row: CSVRow, _ column: String) throws(CSVFieldError) -> Planmonitor_Common_V1_Money {
        let amount = try row.parse(column, as: CSVValue.decimal)
        let unitText = row["unit"]
        guard let unit = unitText.isEmpty ? .billionVnd : MoneyUnits.unit(unitText) else {
            throw row.fieldError("unit", "is not a unit of money (tỷ đồng, triệu đồng, đồng)")
        }
        return Planmonitor_Common_V1_Money(amount: amount, unit: unit)
    }

    /// The direction written in the row, or the one its classification implies when the column is empty.
    private static func direction(_ row: CSVRow) throws(CSVFieldError) -> Planmonitor_Budget_V1_BudgetDirection {
        switch row["direction"].lowercased() {
        case "": return BudgetClassification.named(row["classification_code"])?.direction ?? .unspecified
        case "revenue", "thu": return .revenue
        case "expenditure", "chi": return .expenditure
        default: throw row.fieldError("direction", "is neither revenue (thu) nor expenditure (chi)")
        }
    }

    private static func phase(_ row: CSVRow) throws(CSVFieldError) -> Planmonitor_Budget_V1_BudgetPhase {
        switch row["phase"].lowercased() {
        case "approved", "được giao", "giao", "dự toán giao": return .approved
        case "adjusted", "điều chỉnh", "dự toán điều chỉnh": return .adjusted
        case "executed", "quyết toán": return .executed
        case "": throw row.fieldError("phase", "is empty (approved/được giao, adjusted/điều chỉnh, executed/quyết toán)")
        default: throw row.fieldError("phase", "is not a phase (approved/được giao, adjusted/điều chỉnh, executed/quyết toán)")
        }
    }

    private static func phaseCode(_ phase: Planmonitor_Budget_V1_BudgetPhase) -> String {
        switch phase {
        case .approved: "approved"
        case .adjusted: "adjusted"
        case .executed: "executed"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }
}
