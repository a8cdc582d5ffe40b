import ArgumentParser
import DepartmentCore
import PlanContracts
import SwiftProtobuf

/// The department services whose records `planctl records` imports, enters, lists and totals.
enum RecordService: String, CaseIterable, ExpressibleByArgument {
    /// Budget records: estimate lines, monthly revenue and spending, tax arrears.
    case budget
    /// Investment and economy records: projects, capital adjustments and disbursements, enterprises, statistics.
    case investment
}

/// The department services, as a list for help texts.
let departmentNames = Department.allCases.map(\.rawValue).joined(separator: ", ")

/// Accepts the name of a department service; a ``ValidationError`` listing them otherwise.
func validateDepartment(_ name: String) throws {
    guard Department(rawValue: name) != nil else {
        throw ValidationError("unknown department '\(name)'; expected one of \(departmentNames)")
    }
}

/// A stored record as the tables of `planctl records` show it, whichever service keeps it.
struct RecordRow {
    /// The record's kind, as ImportRecordsCsv and ListRecords name it ("budget-execution").
    var kind: String
    /// The record's id.
    var recordID: String
    /// GSO code of the record's unit; empty for a record that belongs to a project.
    var orgUnitCode: String
    /// When the record applies, in Vietnamese: "năm 2018", "tháng 6/2018", "ngày 15/03/2018".
    var period: String
    /// The record's other fields (those the columns above do not show) as compact protobuf JSON.
    var details: String
    /// The version this is and who made it.
    var change: Planmonitor_Department_V1_RecordChange

    /// A row for a record whose fields shown in the other columns were cleared from `otherFields`.
    init(
        kind: String, recordID: String, orgUnitCode: String, period: String,
        otherFields: some SwiftProtobuf.Message, change: Planmonitor_Department_V1_RecordChange
    ) throws {
        self.kind = kind
        self.recordID = recordID
        self.orgUnitCode = orgUnitCode
        self.period = period
        details = try otherFields.jsonString()
        self.change = change
    }
}

/// A record type of a department service (the message with the `record` oneof of every kind).
protocol DepartmentRecord: SwiftProtobuf.Message {
    /// The record as a table row, with the change that made its version.
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow
}

/// A stored version of a department record: `StoredBudgetRecord`, `StoredInvestmentRecord`.
protocol StoredDepartmentRecord {
    associatedtype Record: DepartmentRecord
    /// The record as stored.
    var record: Record { get }
    /// Its version and audit entry.
    var change: Planmonitor_Department_V1_RecordChange { get }
}

extension StoredDepartmentRecord {
    /// The stored version as a table row.
    func row() throws -> RecordRow {
        try record.row(change: change)
    }
}

extension Planmonitor_Budget_V1_StoredBudgetRecord: StoredDepartmentRecord {}
extension Planmonitor_Investment_V1_StoredInvestmentRecord: StoredDepartmentRecord {}

/// "tháng 6/2018".
private func monthLabel(year: Int32, month: Int32) -> String {
    periodLabel(PeriodText.month(year: year, month: month))
}

extension Planmonitor_Budget_V1_BudgetRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .line(let line):
            var otherFields = line
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year) = ("", "", 0)
            return try RecordRow(
                kind: "budget-line", recordID: line.recordID, orgUnitCode: line.orgUnitCode, period: "năm \(line.year)",
                otherFields: otherFields, change: change)
        case .execution(let execution):
            var otherFields = execution
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year, otherFields.month) = ("", "", 0, 0)
            return try RecordRow(
                kind: "budget-execution", recordID: execution.recordID, orgUnitCode: execution.orgUnitCode,
                period: monthLabel(year: execution.year, month: execution.month), otherFields: otherFields, change: change)
        case .arrears(let arrears):
            var otherFields = arrears
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year, otherFields.month) = ("", "", 0, 0)
            return try RecordRow(
                kind: "tax-arrears", recordID: arrears.recordID, orgUnitCode: arrears.orgUnitCode,
                period: monthLabel(year: arrears.year, month: arrears.month), otherFields: otherFields, change: change)
        case nil:
            return try RecordRow(kind: "", recordID: change.recordID, orgUnitCode: "", period: "", otherFields: self, change: change)
        }
    }
}

extension Planmonitor_Investment_V1_InvestmentRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .project(let project):
            var otherFields = project
            (otherFields.recordID, otherFields.orgUnitCode) = ("", "")
            otherFields.clearCertifiedOn()
            return try RecordRow(
                kind: "investment-project", recordID: project.recordID, orgUnitCode: project.orgUnitCode,
                period: "ngày \(dateLabel(project.certifiedOn))", otherFields: otherFields, change: change)
        case .adjustment(let adjustment):
            var otherFields = adjustment
            otherFields.recordID = ""
            otherFields.clearAdjustedOn()
            return try RecordRow(
                kind: "capital-adjustment", recordID: adjustment.recordID, orgUnitCode: "",
                period: "ngày \(dateLabel(adjustment.adjustedOn))", otherFields: otherFields, change: change)
        case .disbursement(let disbursement):
            var otherFields = disbursement
            (otherFields.recordID, otherFields.year, otherFields.month) = ("", 0, 0)
            return try RecordRow(
                kind: "capital-disbursement", recordID: disbursement.recordID, orgUnitCode: "",
                period: monthLabel(year: disbursement.year, month: disbursement.month), otherFields: otherFields, change: change)
        case .enterprises(let enterprises):
            var otherFields = enterprises
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year, otherFields.month) = ("", "", 0, 0)
            return try RecordRow(
                kind: "enterprise-registrations", recordID: enterprises.recordID, orgUnitCode: enterprises.orgUnitCode,
                period: monthLabel(year: enterprises.year, month: enterprises.month), otherFields: otherFields, change: change)
        case .statistic(let statistic):
            var otherFields = statistic
            (otherFields.recordID, otherFields.orgUnitCode) = ("", "")
            otherFields.clearPeriod()
            return try RecordRow(
                kind: "economic-statistic", recordID: statistic.recordID, orgUnitCode: statistic.orgUnitCode,
                period: periodLabel(statistic.period), otherFields: otherFields, change: change)
        case nil:
            return try RecordRow(kind: "", recordID: change.recordID, orgUnitCode: "", period: "", otherFields: self, change: change)
        }
    }
}
