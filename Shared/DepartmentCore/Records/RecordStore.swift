import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// Where a record belongs: its id, kind, unit and period, read from the record by its ``RecordDomain``.
public struct RecordPlacement: Sendable, Equatable {
    /// The record's id.
    public var recordID: String
    /// Its kind ("budget-execution").
    public var kind: String
    /// GSO code of its unit.
    public var orgUnitCode: String
    /// Its year.
    public var year: Int32
    /// Its month 1–12, or 0 for a record of the whole year.
    public var month: Int32

    /// Makes a placement.
    public init(recordID: String, kind: String, orgUnitCode: String, year: Int32, month: Int32) {
        self.recordID = recordID
        self.kind = kind
        self.orgUnitCode = orgUnitCode
        self.year = year
        self.month = month
    }
}

/// A stored version of a record with its change.
public struct StoredRecord<Record: SwiftProtobuf.Message & Sendable>: Sendable {
    /// The record.
    public var record: Record
    /// Where it belongs.
    public var placement: RecordPlacement
    /// The change that made this version.
    public var change: Planmonitor_Department_V1_RecordChange
}

/// Every version of a department's domain records in its `records` table, as protobuf bytes with their placement
/// and audit columns.
public struct RecordStore<Record: SwiftProtobuf.Message & Sendable>: Sendable {
    /// The department's schema.
    public let schema: SchemaName

    /// The store of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// Serialises writes of one year's records (and the observations derived from them) for the transaction.
    public func lockYear(_ year: Int32, on connection: PostgresConnection, logger: Logger) async throws {
        let key = "\(schema.rawValue):records:\(year)"
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger)
    }

    /// The current version of `recordID`, `nil` when there is none.
    public func current(_ recordID: String, on connection: PostgresConnection, logger: Logger) async throws -> StoredRecord<Record>? {
        try await versions(recordID, latestOnly: true, on: connection, logger: logger).last
    }

    /// The current versions of those of `recordIDs` that exist, by id: one query for any number of ids.
    public func current(_ recordIDs: [String], on connection: PostgresConnection, logger: Logger) async throws -> [String: StoredRecord<Record>] {
        guard !recordIDs.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (record_id) \(unescaped: Self.columns) FROM \(unescaped: schema.quoted).records
            WHERE record_id = ANY(\(recordIDs))
            ORDER BY record_id, version DESC
            """,
            logger: logger
        )
        return Dictionary(try await decode(rows).map { ($0.placement.recordID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every version of `recordID`, oldest first.
    public func history(_ recordID: String, on connection: PostgresConnection, logger: Logger) async throws -> [StoredRecord<Record>] {
        try await versions(recordID, latestOnly: false, on: connection, logger: logger)
    }

    private func versions(_ recordID: String, latestOnly: Bool, on connection: PostgresConnection, logger: Logger) async throws -> [StoredRecord<Record>] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: schema.quoted).records
            WHERE record_id = \(recordID)
              AND (NOT \(latestOnly) OR version = (SELECT max(version) FROM \(unescaped: schema.quoted).records WHERE record_id = \(recordID)))
            ORDER BY version
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// The current versions of the records of `years`, optionally of one kind, unit and month range, ordered by
    /// kind, unit, month and id.
    public func currentRecords(
        years: [Int32], kind: String? = nil, orgUnitCodes: [String]? = nil, months: ClosedRange<Int32> = 0...12,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [StoredRecord<Record>] {
        let (low, high) = (months.lowerBound, months.upperBound)
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM \(unescaped: schema.quoted).records r
            WHERE year = ANY(\(years)) AND (\(kind)::text IS NULL OR kind = \(kind))
              AND (\(orgUnitCodes)::text[] IS NULL OR org_unit_code = ANY(\(orgUnitCodes)))
              AND (month = 0 OR month BETWEEN \(low) AND \(high))
              AND version = (SELECT max(version) FROM \(unescaped: schema.quoted).records v WHERE v.record_id = r.record_id)
            ORDER BY kind, org_unit_code, month, record_id
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// Stores a version in the caller's transaction.
    public func insert(
        _ record: Record, placement: RecordPlacement, change: Planmonitor_Department_V1_RecordChange,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let action = change.action == .amended ? "amended" : "created"
        let actor = change.changedBy
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).records
                (record_id, version, kind, org_unit_code, year, month, record, action, reason,
                 changed_by_user, changed_by_agency, request_id, changed_at)
            VALUES (\(placement.recordID), \(change.version), \(placement.kind), \(placement.orgUnitCode), \(placement.year),
                    \(placement.month), \(try record.serializedData()), \(action), \(change.reason),
                    \(actor.user), \(actor.agencyCode), \(actor.requestID), \(actor.at.date))
            """,
            logger: logger
        )
    }

    private static var columns: String {
        "record_id, version, kind, org_unit_code, year, month, record, action, reason, changed_by_user, changed_by_agency, request_id, changed_at"
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [StoredRecord<Record>] {
        var stored: [StoredRecord<Record>] = []
        for try await row in rows {
            let (id, version, kind, org, year, month, bytes, action, reason, user, agency, request, at) =
                try row.decode((String, Int32, String, String, Int32, Int32, Data, String, String, String, String, String, Date).self)
            var change = Planmonitor_Department_V1_RecordChange()
            change.recordID = id
            change.version = version
            change.action = action == "amended" ? .amended : .created
            change.reason = reason
            change.changedBy.user = user
            change.changedBy.agencyCode = agency
            change.changedBy.requestID = request
            change.changedBy.at = Google_Protobuf_Timestamp(date: at)
            stored.append(StoredRecord(
                record: try Record(serializedBytes: bytes),
                placement: RecordPlacement(recordID: id, kind: kind, orgUnitCode: org, year: year, month: month),
                change: change
            ))
        }
        return stored
    }
}
