import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import SwiftProtobuf
import Synchronization

/// The work every department does with its domain records, for any ``RecordDomain``: create and amend records as
/// versions, import them from CSV (all or nothing), list them, give their history, and keep the observations they
/// determine current — each change audited and announced through the outbox in the same transaction.
public struct RecordDesk<Domain: RecordDomain>: Sendable {
    /// Work a department does in the transaction of every change of its records, after the observations: given the
    /// years whose records changed, who changed them, what the change was (for the audit) and the transaction. When
    /// it throws, the change is not stored.
    public typealias FollowUp = @Sendable (
        _ years: [Int32], _ actor: Planmonitor_Common_V1_AuditMetadata, _ cause: String, _ connection: PostgresConnection
    ) async throws -> Void

    /// The department's knowledge of its records.
    public let domain: Domain
    /// The units the instance serves.
    public let scope: OrgUnitScope
    let database: PostgresClient
    let schema: SchemaName
    let outbox: Outbox
    let events: EventFactory
    let logger: Logger
    let followUp: FollowUp?

    /// A desk over the service's database and outbox; `followUp` runs in the transaction of every change.
    public init(
        domain: Domain, scope: OrgUnitScope, database: PostgresClient, schema: SchemaName, outbox: Outbox, events: EventFactory, logger: Logger,
        followUp: FollowUp? = nil
    ) {
        self.domain = domain
        self.scope = scope
        self.database = database
        self.schema = schema
        self.outbox = outbox
        self.events = events
        self.logger = logger
        self.followUp = followUp
    }

    private var records: RecordStore<Domain.Record> { RecordStore(schema: schema) }
    private var observations: ObservationStore { ObservationStore(schema: schema) }
    private var audit: AuditLog { AuditLog(schema: schema) }
    private var shares: DirectiveShareStore { DirectiveShareStore(schema: schema) }
    private var service: String { domain.department.rawValue }

    // MARK: Put

    /// Creates `record` (the id must be new) or, with `amend`, stores it as the next version of the record with its
    /// id; returns the change and the observations derived anew.
    ///
    /// Throws `RPCError`: INVALID_ARGUMENT naming every invalid field (under `record.<kind>.`), ALREADY_EXISTS for a
    /// taken id, NOT_FOUND for an amendment of nothing.
    public func put(_ input: Domain.Record, amend: Bool, reason: String, call: RPCServerContext) async throws -> Planmonitor_Department_V1_PutRecordResponse {
        let record = try Self.normalized(input)
        guard let placement = domain.placement(of: record) else {
            let kinds = domain.kinds.map(\.kind).joined(separator: ", ")
            throw RPCError(.invalidArgument, "the record has no kind set", fieldViolations: [.init(field: "record", reason: "missing: set one of \(kinds)")])
        }
        let reason = reason.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        if amend && reason.isEmpty {
            throw RPCError(.invalidArgument, "an amendment needs a reason", fieldViolations: [.init(field: "reason", reason: "missing: say why \(placement.recordID) is amended")])
        }
        let actor = Planmonitor_Common_V1_AuditMetadata(call: call)
        let (records, logger) = (records, logger)
        return try await database.planTransaction(logger: logger) { connection in
            try await records.lockYear(placement.year, on: connection, logger: logger)
            let existing = try await records.current(placement.recordID, on: connection, logger: logger)
            if let existing, !amend {
                throw RPCError(.alreadyExists, "record \(placement.recordID) already exists (version \(existing.change.version), \(existing.placement.kind)); amend it to change it",
                               fieldViolations: [.init(field: "record.\(placement.kind).record_id", reason: "already exists: \(placement.recordID)")])
            }
            if amend {
                guard let existing else {
                    throw RPCError(.notFound, "there is no record \(placement.recordID) to amend")
                }
                if existing.placement.kind != placement.kind {
                    throw RPCError(.invalidArgument, "an amendment cannot change the record's kind", fieldViolations: [
                        .init(field: "record", reason: "\(placement.recordID) is a \(existing.placement.kind), not a \(placement.kind)"),
                    ])
                }
            }
            let context = try await validationContext(year: placement.year, previous: existing?.record, batch: [:], on: connection)
            let violations = try await domain.validate(record, in: context)
            var scoped = FieldViolations()
            scoped.add(contentsOf: violations, under: "record.\(placement.kind)")
            if let error = scoped.error("the \(placement.kind) record \(placement.recordID) is not valid") { throw error }

            var change = Planmonitor_Department_V1_RecordChange()
            change.recordID = placement.recordID
            change.version = (existing?.change.version ?? 0) + 1
            change.action = amend ? .amended : .created
            change.reason = reason
            change.changedBy = actor
            try await store(record, placement: placement, change: change, detail: amend ? "amended: \(reason)" : "created", on: connection)
            var years = [placement.year]
            if let previousYear = existing?.placement.year, previousYear != placement.year { years.append(previousYear) }
            var response = Planmonitor_Department_V1_PutRecordResponse()
            response.change = change
            let cause = "\(domain.publicName(of: placement)) (version \(change.version))"
            response.derivedObservations = try await rederive(years: years, actor: actor, cause: cause, on: connection)
            try await followUp?(years.sorted(), actor, cause, connection)
            logger.info("stored a record", metadata: [
                "record": "\(domain.publicName(of: placement))", "version": "\(change.version)",
                "user": "\(actor.user)", "derived": "\(response.derivedObservations.count)",
            ])
            return response
        }
    }

    // MARK: Queries

    /// The current versions of the records of `request`'s year, unit, months and kind.
    public func list(_ request: Planmonitor_Department_V1_ListRecordsRequest) async throws -> [StoredRecord<Domain.Record>] {
        var violations = FieldViolations()
        violations.requireYear(request.year, "year", expectedYear: nil)
        let from = request.monthFrom == 0 ? 1 : request.monthFrom
        let to = request.monthTo == 0 ? 12 : request.monthTo
        if !(1...12).contains(from) { violations.add("month_from", "\(request.monthFrom) is not a month (1–12, or 0 for January)") }
        if !(1...12).contains(to) { violations.add("month_to", "\(request.monthTo) is not a month (1–12, or 0 for December)") }
        if (1...12).contains(from), (1...12).contains(to), from > to { violations.add("month_to", "\(to) is before month_from \(from)") }
        if !request.orgUnitCode.isEmpty, !scope.contains(request.orgUnitCode) { violations.add("org_unit_code", scope.unknownUnitReason(request.orgUnitCode)) }
        if !request.recordKind.isEmpty, !domain.kinds.contains(where: { $0.kind == request.recordKind }) {
            violations.add("record_kind", "unknown kind '\(request.recordKind)' (one of \(domain.kinds.map(\.kind).joined(separator: ", ")))")
        }
        if let error = violations.error("the record query is not valid") { throw error }
        let (records, logger) = (records, logger)
        return try await database.withConnection { connection in
            try await records.currentRecords(
                years: [request.year], kind: request.recordKind.isEmpty ? nil : request.recordKind,
                orgUnitCodes: request.orgUnitCode.isEmpty ? nil : [request.orgUnitCode], months: min(from, to)...max(from, to),
                on: connection, logger: logger)
        }
    }

    /// Every version of a record, oldest first; NOT_FOUND when there is none.
    public func history(_ recordID: String) async throws -> [StoredRecord<Domain.Record>] {
        guard !recordID.isEmpty else {
            throw RPCError(.invalidArgument, "which record?", fieldViolations: [.init(field: "record_id", reason: "missing")])
        }
        let (records, logger) = (records, logger)
        let versions = try await database.withConnection { connection in
            try await records.history(recordID, on: connection, logger: logger)
        }
        guard !versions.isEmpty else { throw RPCError(.notFound, "there is no record \(recordID)") }
        return versions
    }

    /// The current versions of those of `recordIDs` that exist, by id.
    public func currentRecords(ids recordIDs: [String]) async throws -> [String: StoredRecord<Domain.Record>] {
        let (records, logger) = (records, logger)
        return try await database.withConnection { connection in
            try await records.current(recordIDs, on: connection, logger: logger)
        }
    }

    /// The current records of `years` (all kinds and units), for year-to-date totals.
    public func currentRecords(years: [Int32]) async throws -> [StoredRecord<Domain.Record>] {
        let (records, logger) = (records, logger)
        return try await database.withConnection { connection in
            try await records.currentRecords(years: years, on: connection, logger: logger)
        }
    }

    // MARK: Shared steps

    /// Stores a version, audits it and enqueues its event, in the caller's transaction.
    func store(_ record: Domain.Record, placement: RecordPlacement, change: Planmonitor_Department_V1_RecordChange, detail: String, on connection: PostgresConnection) async throws {
        try await records.insert(record, placement: placement, change: change, on: connection, logger: logger)
        let action = change.action == .amended ? "record.amended" : "record.created"
        try await audit.append(action: action, subject: placement.recordID, detail: "\(placement.kind) v\(change.version) \(detail)", by: change.changedBy, on: connection, logger: logger)
        let event = try events.event(domain.changedEvent(record, change: change), name: "record-changed", orgUnit: placement.orgUnitCode)
        try await outbox.enqueue(event, on: connection, logger: logger)
    }

    /// Recomputes the observations of `years` from the current records, stores those that changed, withdraws those
    /// the records no longer determine, and announces both with `ObservationsRecorded`; returns the changed ones.
    func rederive(years: [Int32], actor: Planmonitor_Common_V1_AuditMetadata, cause: String, on connection: PostgresConnection) async throws -> [Planmonitor_Common_V1_Observation] {
        var changed: [Planmonitor_Common_V1_Observation] = []
        var withdrawn: [Planmonitor_Common_V1_Observation] = []
        for year in years {
            let current = try await records.currentRecords(years: [year], on: connection, logger: logger)
            let elsewhere = domain.referencedRecordIDs(in: current.map(\.record)).subtracting(current.map(\.placement.recordID))
            let referenced = try await records.current(elsewhere.sorted(), on: connection, logger: logger).mapValues(\.record)
            let share = try await shares.currentShare(of: domain.department, year: year, orgUnitCodes: shareUnits, on: connection, logger: logger)
            var derived = domain.observations(from: current, referenced: referenced, year: year, context: DerivationContext(scope: scope, share: share))
            for index in derived.indices {
                derived[index].observedAt = actor.at
                if derived[index].origin == .unspecified { derived[index].origin = .derived }
            }
            changed += try await observations.record(derived, on: connection, logger: logger)
            withdrawn += try await observations.withdraw(
                origins: [.derived, .published], year: year, keeping: Set(derived.map(ObservationKey.init)), on: connection, logger: logger)
        }
        guard !changed.isEmpty || !withdrawn.isEmpty else { return [] }
        var announcement = Planmonitor_Department_V1_ObservationsRecorded()
        announcement.service = service
        announcement.observations = changed
        announcement.withdrawn = withdrawn
        announcement.recordedBy = actor
        announcement.cause = cause
        try await outbox.enqueue(try events.event(announcement, name: "observations-recorded", orgUnit: scope.orgUnitCode), on: connection, logger: logger)
        return changed
    }

    /// The units whose directive the instance follows: its own, then the one above it.
    var shareUnits: [String] { [scope.orgUnitCode] + (scope.parentCode.map { [$0] } ?? []) }

    /// The validation context for a record of `year`.
    func validationContext(
        year: Int32, previous: Domain.Record?, batch: [String: Domain.Record], on connection: PostgresConnection
    ) async throws -> RecordValidationContext<Domain.Record> {
        let latestYear = try await shares.latestYear(orgUnitCodes: shareUnits, on: connection, logger: logger)
        let share = try await shares.currentShare(of: domain.department, year: latestYear ?? year, orgUnitCodes: shareUnits, on: connection, logger: logger)
        let (records, logger) = (records, logger)
        // A file's rows often name the same record (a project): each is read once per context.
        let seen = Mutex<[String: Domain.Record?]>([:])
        return RecordValidationContext(
            scope: scope, directiveYear: latestYear, share: share, previous: previous,
            lookup: { @Sendable id in
                if let pending = batch[id] { return pending }
                if let known = seen.withLock({ $0[id] }) { return known }
                let found = try await records.current(id, on: connection, logger: logger)?.record
                seen.withLock { $0[id] = found }
                return found
            }
        )
    }

    /// `record` with every string in NFC (the request's bytes are taken as sent otherwise).
    static func normalized(_ record: Domain.Record) throws -> Domain.Record {
        let json = try record.jsonString()
        let normalized = json.precomposedStringWithCanonicalMapping
        return normalized == json ? record : try Domain.Record(jsonString: normalized)
    }
}

/// A service's stored-record message (`Planmonitor_Budget_V1_StoredBudgetRecord`…) or record-changed event
/// (`Planmonitor_Budget_V1_BudgetRecordChanged`…): a record with its change.
public protocol StoredRecordMessage: SwiftProtobuf.Message {
    /// The service's record union message.
    associatedtype Record: SwiftProtobuf.Message & Sendable
    /// The record as stored.
    var record: Record { get set }
    /// Its version and audit entry.
    var change: Planmonitor_Department_V1_RecordChange { get set }
}

extension StoredRecordMessage {
    /// The message of `record` with the change that made its version.
    public init(record: Record, change: Planmonitor_Department_V1_RecordChange) {
        self.init()
        self.record = record
        self.change = change
    }
}

extension RecordDesk {
    /// ``list(_:)`` as the service's stored-record messages.
    public func listed<Message: StoredRecordMessage>(_ request: Planmonitor_Department_V1_ListRecordsRequest, as type: Message.Type) async throws -> [Message]
    where Message.Record == Domain.Record {
        try await list(request).map(Self.message)
    }

    /// ``history(_:)`` as the service's stored-record messages.
    public func versions<Message: StoredRecordMessage>(of recordID: String, as type: Message.Type) async throws -> [Message]
    where Message.Record == Domain.Record {
        try await history(recordID).map(Self.message)
    }

    private static func message<Message: StoredRecordMessage>(_ stored: StoredRecord<Domain.Record>) -> Message where Message.Record == Domain.Record {
        Message(record: stored.record, change: stored.change)
    }

    /// Checks a year-to-date query and returns the unit it totals (the instance's own when none is named); `unitCheck`
    /// replaces the scope check for a service whose figures are kept for its own unit only.
    public func yearToDateUnit(
        _ request: Planmonitor_Department_V1_GetYearToDateRequest, unitCheck: ((String) -> String?)? = nil
    ) throws -> String {
        let unit = request.orgUnitCode.isEmpty ? scope.orgUnitCode : request.orgUnitCode
        var violations = FieldViolations()
        if let unitCheck {
            if let reason = unitCheck(unit) { violations.add("org_unit_code", reason) }
        } else if !scope.contains(unit) {
            violations.add("org_unit_code", scope.unknownUnitReason(unit))
        }
        violations.requireYear(request.year, "year", expectedYear: nil)
        if !(0...12).contains(request.throughMonth) { violations.add("through_month", "\(request.throughMonth) is not a month (1–12, or 0 for the latest)") }
        if let error = violations.error("the year-to-date query is not valid") { throw error }
        return unit
    }
}
