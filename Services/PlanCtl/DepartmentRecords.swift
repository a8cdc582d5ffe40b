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
    /// Key works: projects, milestones, contract changes, progress, site clearance.
    case infrastructure
    /// Social programmes: rates as fractions, jobs, training, assistance, insurance, new rural assessments.
    case social
    /// Security and defence: cases, traffic accidents, fires, conscription, drills (cases need the security role).
    case security

    /// The typed client of the service's record RPCs.
    var clientType: any DepartmentRecordsClient.Type {
        switch self {
        case .budget: Planmonitor_Budget_V1_BudgetService.Client.self
        case .investment: Planmonitor_Investment_V1_InvestmentService.Client.self
        case .infrastructure: Planmonitor_Infrastructure_V1_InfrastructureService.Client.self
        case .social: Planmonitor_Social_V1_SocialService.Client.self
        case .security: Planmonitor_Security_V1_SecurityService.Client.self
        }
    }

    /// The record kinds the service imports and lists, as ImportRecordsCsv and ListRecords name them.
    var kinds: [String] {
        switch self {
        case .budget: ["budget-line", "budget-execution", "tax-arrears"]
        case .investment: ["investment-project", "capital-adjustment", "capital-disbursement", "enterprise-registrations", "economic-statistic"]
        case .infrastructure: ["project", "milestone", "contract-change", "progress", "site-clearance"]
        case .social: ["rate-observation", "jobs-created", "vocational-training", "social-assistance", "insurance-participants", "new-rural-assessment"]
        case .security: ["security-case", "traffic-accidents", "fires-explosions", "conscription", "drill"]
        }
    }
}

/// The record RPCs every department service serves — PutRecord, ImportRecordsCsv, ListRecords, GetRecordHistory and
/// GetYearToDate — each with the service's own record and answer types. The generated clients conform as they are.
protocol DepartmentRecordsClient: Sendable {
    /// PutRecord's request: the service's record with `amend` and `reason`.
    associatedtype PutRequest: RecordPutRequest
    /// ListRecords' answer.
    associatedtype Listing: RecordListing
    /// GetRecordHistory's answer.
    associatedtype History: RecordHistory
    /// GetYearToDate's answer.
    associatedtype YearToDate: YearToDateReport

    init(transport: any RPCTransport)
    func putRecord(_ request: PutRequest, options: RPCCallOptions) async throws -> Planmonitor_Department_V1_PutRecordResponse
    func importRecordsCsv(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, options: RPCCallOptions) async throws
        -> Planmonitor_Department_V1_ImportRecordsCsvResponse
    func listRecords(_ request: Planmonitor_Department_V1_ListRecordsRequest, options: RPCCallOptions) async throws -> Listing
    func getRecordHistory(_ request: Planmonitor_Department_V1_GetRecordHistoryRequest, options: RPCCallOptions) async throws -> History
    func getYearToDate(_ request: Planmonitor_Department_V1_GetYearToDateRequest, options: RPCCallOptions) async throws -> YearToDate
}

extension Planmonitor_Budget_V1_BudgetService.Client: DepartmentRecordsClient {}
extension Planmonitor_Investment_V1_InvestmentService.Client: DepartmentRecordsClient {}
extension Planmonitor_Infrastructure_V1_InfrastructureService.Client: DepartmentRecordsClient {}
extension Planmonitor_Social_V1_SocialService.Client: DepartmentRecordsClient {}
extension Planmonitor_Security_V1_SecurityService.Client: DepartmentRecordsClient {}

/// PutRecord's request of a department service.
protocol RecordPutRequest: SwiftProtobuf.Message {
    associatedtype Record: DepartmentRecord
    var record: Record { get set }
    var amend: Bool { get set }
    var reason: String { get set }
}

/// ListRecords' answer of a department service: the current versions.
protocol RecordListing: SwiftProtobuf.Message {
    associatedtype Stored: StoredDepartmentRecord
    var records: [Stored] { get }
}

/// GetRecordHistory's answer of a department service: every version, oldest first.
protocol RecordHistory: SwiftProtobuf.Message {
    associatedtype Stored: StoredDepartmentRecord
    var versions: [Stored] { get }
}

extension Planmonitor_Budget_V1_PutBudgetRecordRequest: RecordPutRequest {}
extension Planmonitor_Investment_V1_PutInvestmentRecordRequest: RecordPutRequest {}
extension Planmonitor_Infrastructure_V1_PutInfrastructureRecordRequest: RecordPutRequest {}
extension Planmonitor_Social_V1_PutSocialRecordRequest: RecordPutRequest {}
extension Planmonitor_Security_V1_PutSecurityRecordRequest: RecordPutRequest {}
extension Planmonitor_Budget_V1_ListBudgetRecordsResponse: RecordListing {}
extension Planmonitor_Investment_V1_ListInvestmentRecordsResponse: RecordListing {}
extension Planmonitor_Infrastructure_V1_ListInfrastructureRecordsResponse: RecordListing {}
extension Planmonitor_Social_V1_ListSocialRecordsResponse: RecordListing {}
extension Planmonitor_Security_V1_ListSecurityRecordsResponse: RecordListing {}
extension Planmonitor_Budget_V1_BudgetRecordHistoryResponse: RecordHistory {}
extension Planmonitor_Investment_V1_InvestmentRecordHistoryResponse: RecordHistory {}
extension Planmonitor_Infrastructure_V1_InfrastructureRecordHistoryResponse: RecordHistory {}
extension Planmonitor_Social_V1_SocialRecordHistoryResponse: RecordHistory {}
extension Planmonitor_Security_V1_SecurityRecordHistoryResponse: RecordHistory {}

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

    /// A row for a record of no kind the service knows (from a newer version of it): the whole record as its fields.
    init(kindless record: some SwiftProtobuf.Message, change: Planmonitor_Department_V1_RecordChange) throws {
        try self.init(kind: "", recordID: change.recordID, orgUnitCode: "", period: "", otherFields: record, change: change)
    }
}

/// A record type of a department service (the message with the `record` oneof of every kind).
protocol DepartmentRecord: SwiftProtobuf.Message {
    /// The record as a table row, with the change that made its version.
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow
}

/// A stored version of a department record: `StoredBudgetRecord`, `StoredInvestmentRecord`, ….
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
extension Planmonitor_Infrastructure_V1_StoredInfrastructureRecord: StoredDepartmentRecord {}
extension Planmonitor_Social_V1_StoredSocialRecord: StoredDepartmentRecord {}
extension Planmonitor_Security_V1_StoredSecurityRecord: StoredDepartmentRecord {}

extension RecordListing {
    /// The records as table rows.
    func rows() throws -> [RecordRow] {
        try records.map { try $0.row() }
    }
}

extension RecordHistory {
    /// The versions as table rows.
    func rows() throws -> [RecordRow] {
        try versions.map { try $0.row() }
    }
}
