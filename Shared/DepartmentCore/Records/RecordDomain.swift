import Foundation
import PlanContracts
import SwiftProtobuf

/// What a department service knows about its own domain records; ``RecordDesk`` does the rest (storage, versions,
/// audit, events, CSV import, derived observations) the same way for every department.
public protocol RecordDomain: Sendable {
    /// The service's record union message (`Planmonitor_Budget_V1_BudgetRecord`).
    associatedtype Record: SwiftProtobuf.Message & Sendable
    /// The event announcing a created or amended record (`Planmonitor_Budget_V1_BudgetRecordChanged`).
    associatedtype ChangedEvent: SwiftProtobuf.Message & Sendable

    /// The department.
    var department: Department { get }
    /// The record kinds with their CSV layouts, in the order the README lists them.
    var kinds: [RecordKindLayout<Record>] { get }

    /// Where `record` belongs; `nil` when no kind is set in the union.
    func placement(of record: Record) -> RecordPlacement?

    /// What is wrong with `record`, field by field (fields relative to the record of its kind, e.g. "amount.unit").
    func validate(_ record: Record, in context: RecordValidationContext<Record>) async throws -> FieldViolations

    /// The observations the current records of `year` determine (derived or published figures), each with target,
    /// sub-target, indicator, unit of government, period, value, origin, agency and derivation set.
    func observations(from records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation]

    /// The ids of records of other years that the figures of one year's `records` depend on (a 2018 capital
    /// adjustment of a project certified in 2015); the derivation is given their current versions.
    func referencedRecordIDs(in records: [Record]) -> Set<String>

    /// ``observations(from:year:context:)`` with the current versions of the records of other years that
    /// ``referencedRecordIDs(in:)`` named, by id.
    func observations(
        from records: [StoredRecord<Record>], referenced: [String: Record], year: Int32, context: DerivationContext
    ) -> [Planmonitor_Common_V1_Observation]

    /// The event for a stored change.
    func changedEvent(_ record: Record, change: Planmonitor_Department_V1_RecordChange) -> ChangedEvent

    /// Remarks for a stored record that yields no observation although it names a target (kept for the import's notes).
    func note(about record: Record, context: DerivationContext) -> String?

    /// How a record is named where it may leave the service (the `cause` of `ObservationsRecorded`) and in log lines:
    /// by default its kind and id; a service whose record ids identify sensitive cases names only kind, unit and month.
    func publicName(of placement: RecordPlacement) -> String

    /// How an imported CSV file is named where it may leave the service and in log lines: by default its name; a
    /// service whose files may be named after the people in them names none.
    func publicName(ofImport fileName: String) -> String
}

extension RecordDomain {
    public func note(about record: Record, context: DerivationContext) -> String? { nil }

    public func referencedRecordIDs(in records: [Record]) -> Set<String> { [] }

    public func observations(
        from records: [StoredRecord<Record>], referenced: [String: Record], year: Int32, context: DerivationContext
    ) -> [Planmonitor_Common_V1_Observation] {
        observations(from: records, year: year, context: context)
    }

    public func publicName(of placement: RecordPlacement) -> String { "\(placement.kind) \(placement.recordID)" }

    public func publicName(ofImport fileName: String) -> String { fileName }
}

extension RecordDomain where ChangedEvent: StoredRecordMessage, ChangedEvent.Record == Record {
    /// The event of a service whose records may leave it: the record as stored with its change.
    public func changedEvent(_ record: Record, change: Planmonitor_Department_V1_RecordChange) -> ChangedEvent {
        ChangedEvent(record: record, change: change)
    }
}

/// One kind of record and how a CSV file of it reads.
public struct RecordKindLayout<Record: Sendable>: Sendable {
    /// The kind's name ("budget-execution").
    public var kind: String
    /// What the kind is, in Vietnamese, for messages and the README ("Thu, chi ngân sách trong tháng").
    public var titleVi: String
    /// The CSV columns, with their English and Vietnamese headers.
    public var columns: [CSVColumn]
    /// Reads one CSV row into a record; throws the row's field errors.
    public var decode: @Sendable (CSVRow) throws(CSVRowErrors) -> Record

    /// Makes a layout.
    public init(kind: String, titleVi: String, columns: [CSVColumn], decode: @escaping @Sendable (CSVRow) throws(CSVRowErrors) -> Record) {
        self.kind = kind
        self.titleVi = titleVi
        self.columns = columns
        self.decode = decode
    }
}

/// What validation of a record may consult.
public struct RecordValidationContext<Record: SwiftProtobuf.Message & Sendable>: Sendable {
    /// The units the instance serves.
    public var scope: OrgUnitScope
    /// The year of the directive the instance follows (the latest received), `nil` before any.
    public var directiveYear: Int32?
    /// The instance's share of that directive.
    public var share: Planmonitor_Department_V1_DirectiveShare?
    /// The current version of the record when it is being amended.
    public var previous: Record?
    /// Looks a record up by id: one of the same import first, then the stored current version.
    public var lookup: @Sendable (String) async throws -> Record?
}

/// What derivations may consult.
public struct DerivationContext: Sendable {
    /// The units the instance serves.
    public var scope: OrgUnitScope
    /// The instance's share of the year's directive, when received (targets with their units).
    public var share: Planmonitor_Department_V1_DirectiveShare?

    /// Makes a context.
    public init(scope: OrgUnitScope, share: Planmonitor_Department_V1_DirectiveShare?) {
        self.scope = scope
        self.share = share
    }

    /// The unit code of target `number` (or of its sub-target `subTargetCode`), when the share has it.
    public func unitCode(target number: Int32, subTarget subTargetCode: String = "") -> String? {
        guard let target = share?.targets.first(where: { $0.number == number }) else { return nil }
        if subTargetCode.isEmpty { return target.unitCode.isEmpty ? nil : target.unitCode }
        return target.subTargets.first { $0.code == subTargetCode }?.unitCode
    }
}
