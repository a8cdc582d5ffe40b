import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// A department's shares of the directive, in its own schema: one share per directive revision (org unit, year,
/// revision). A newer revision becomes the current share; older ones are kept and stay readable.
///
/// Tables (`DirectiveShareStore.migrations`):
/// - `directive_shares` — one row per revision received: directive id, text hash, previous revision, counts, when it
///   was imported and received, and the id of the `DirectiveIssued` message it came with;
/// - `directive_share_targets` — the share's targets in order, the protobuf `Target` with its number, name, value
///   and unit as columns;
/// - `directive_share_tasks` — the share's tasks in order, the protobuf `Task` with its key, section, block, lead
///   agencies, due date and text as columns;
/// - `directive_share_agencies` — the department's agencies among the leads, the protobuf `Agency` with code and name.
public struct DirectiveShareStore: Sendable {
    /// The department's schema.
    public let schema: SchemaName

    /// Creates the store of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// The tables, applied after the messaging tables.
    public static let migrations: [Migration] = [
        Migration(id: "department-0001-directive-shares", statements: [
            """
            CREATE TABLE {schema}.directive_shares (
                org_unit_code TEXT NOT NULL,
                year INTEGER NOT NULL CHECK (year > 0),
                revision INTEGER NOT NULL CHECK (revision > 0),
                directive_id TEXT NOT NULL,
                text_sha256 TEXT NOT NULL,
                previous_revision INTEGER NOT NULL,
                target_count INTEGER NOT NULL,
                task_count INTEGER NOT NULL,
                imported_at TIMESTAMPTZ,
                received_at TIMESTAMPTZ NOT NULL,
                message_id UUID NOT NULL,
                PRIMARY KEY (org_unit_code, year, revision)
            )
            """,
            """
            CREATE TABLE {schema}.directive_share_targets (
                org_unit_code TEXT NOT NULL,
                year INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                position INTEGER NOT NULL,
                number INTEGER NOT NULL,
                name_vi TEXT NOT NULL,
                value TEXT NOT NULL,
                unit_code TEXT NOT NULL,
                target BYTEA NOT NULL,
                PRIMARY KEY (org_unit_code, year, revision, number),
                FOREIGN KEY (org_unit_code, year, revision) REFERENCES {schema}.directive_shares ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE {schema}.directive_share_tasks (
                org_unit_code TEXT NOT NULL,
                year INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                position INTEGER NOT NULL,
                task_key TEXT NOT NULL,
                section_number INTEGER NOT NULL,
                block_number INTEGER NOT NULL,
                lead_agency_codes TEXT[] NOT NULL,
                due_date DATE,
                text TEXT NOT NULL,
                task BYTEA NOT NULL,
                PRIMARY KEY (org_unit_code, year, revision, task_key),
                FOREIGN KEY (org_unit_code, year, revision) REFERENCES {schema}.directive_shares ON DELETE CASCADE
            )
            """,
            """
            CREATE TABLE {schema}.directive_share_agencies (
                org_unit_code TEXT NOT NULL,
                year INTEGER NOT NULL,
                revision INTEGER NOT NULL,
                position INTEGER NOT NULL,
                code TEXT NOT NULL,
                name_vi TEXT NOT NULL,
                agency BYTEA NOT NULL,
                PRIMARY KEY (org_unit_code, year, revision, code),
                FOREIGN KEY (org_unit_code, year, revision) REFERENCES {schema}.directive_shares ON DELETE CASCADE
            )
            """,
        ]),
    ]

    /// Stores `share` in the caller's transaction, replacing a share of the same revision (a revision issued again
    /// wins over the earlier copy).
    public func save(
        _ share: Planmonitor_Department_V1_DirectiveShare, previousRevision: Int32, messageID: UUID,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let table = schema.quoted
        let (org, year, revision) = (share.orgUnitCode, share.year, share.revision)
        try await connection.query(
            """
            DELETE FROM \(unescaped: table).directive_shares
            WHERE org_unit_code = \(org) AND year = \(year) AND revision = \(revision)
            """,
            logger: logger
        )
        let importedAt: Date? = share.hasImportedAt ? share.importedAt.date : nil
        try await connection.query(
            """
            INSERT INTO \(unescaped: table).directive_shares
                (org_unit_code, year, revision, directive_id, text_sha256, previous_revision, target_count, task_count,
                 imported_at, received_at, message_id)
            VALUES (\(org), \(year), \(revision), \(share.directiveID), \(share.textSha256), \(previousRevision),
                    \(Int32(share.targets.count)), \(Int32(share.tasks.count)), \(importedAt), \(share.receivedAt.date), \(messageID))
            """,
            logger: logger
        )
        for (position, target) in share.targets.enumerated() {
            try await connection.query(
                """
                INSERT INTO \(unescaped: table).directive_share_targets
                    (org_unit_code, year, revision, position, number, name_vi, value, unit_code, target)
                VALUES (\(org), \(year), \(revision), \(Int32(position)), \(target.number), \(target.nameVi),
                        \(target.value), \(target.unitCode), \(try target.serializedData()))
                """,
                logger: logger
            )
        }
        for (position, task) in share.tasks.enumerated() {
            try await connection.query(
                """
                INSERT INTO \(unescaped: table).directive_share_tasks
                    (org_unit_code, year, revision, position, task_key, section_number, block_number, lead_agency_codes,
                     due_date, text, task)
                VALUES (\(org), \(year), \(revision), \(Int32(position)), \(task.key), \(task.sectionNumber),
                        \(task.blockNumber), \(task.leadAgencyCodes), \(Self.isoDay(task.dueDate))::date, \(task.text),
                        \(try task.serializedData()))
                """,
                logger: logger
            )
        }
        for (position, agency) in share.agencies.enumerated() {
            try await connection.query(
                """
                INSERT INTO \(unescaped: table).directive_share_agencies
                    (org_unit_code, year, revision, position, code, name_vi, agency)
                VALUES (\(org), \(year), \(revision), \(Int32(position)), \(agency.code), \(agency.nameVi),
                        \(try agency.serializedData()))
                """,
                logger: logger
            )
        }
    }

    /// The latest year with a share of the directive of `orgUnitCode`, `nil` when there is none.
    public func latestYear(orgUnitCode: String, on connection: PostgresConnection, logger: Logger) async throws -> Int32? {
        let rows = try await connection.query(
            "SELECT max(year) FROM \(unescaped: schema.quoted).directive_shares WHERE org_unit_code = \(orgUnitCode)",
            logger: logger
        )
        var year: Int32?
        for try await value in rows.decode(Int32?.self) { year = value }
        return year
    }

    /// The latest year with a share of the directive of the first of `orgUnitCodes` that has one (an instance's own
    /// unit, then the unit above it), `nil` when none has.
    public func latestYear(orgUnitCodes: [String], on connection: PostgresConnection, logger: Logger) async throws -> Int32? {
        for code in orgUnitCodes {
            if let year = try await latestYear(orgUnitCode: code, on: connection, logger: logger) { return year }
        }
        return nil
    }

    /// The share of the latest revision of `year`'s directive of the first of `orgUnitCodes` that has one.
    public func currentShare(
        of department: Department, year: Int32, orgUnitCodes: [String], on connection: PostgresConnection, logger: Logger
    ) async throws -> Planmonitor_Department_V1_DirectiveShare? {
        for code in orgUnitCodes {
            if let revision = try await revisions(orgUnitCode: code, year: year, on: connection, logger: logger).last {
                return try await share(of: department, orgUnitCode: code, year: year, revision: revision, on: connection, logger: logger)
            }
        }
        return nil
    }

    /// The revisions received of one year's directive, oldest first.
    public func revisions(orgUnitCode: String, year: Int32, on connection: PostgresConnection, logger: Logger) async throws -> [Int32] {
        let rows = try await connection.query(
            """
            SELECT revision FROM \(unescaped: schema.quoted).directive_shares
            WHERE org_unit_code = \(orgUnitCode) AND year = \(year) ORDER BY revision
            """,
            logger: logger
        )
        var revisions: [Int32] = []
        for try await revision in rows.decode(Int32.self) { revisions.append(revision) }
        return revisions
    }

    /// The share of one revision for `department`, `nil` when it was not received.
    public func share(
        of department: Department, orgUnitCode: String, year: Int32, revision: Int32,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> Planmonitor_Department_V1_DirectiveShare? {
        let table = schema.quoted
        let header = try await connection.query(
            """
            SELECT directive_id, text_sha256, imported_at, received_at FROM \(unescaped: table).directive_shares
            WHERE org_unit_code = \(orgUnitCode) AND year = \(year) AND revision = \(revision)
            """,
            logger: logger
        )
        var found: Planmonitor_Department_V1_DirectiveShare?
        for try await (directiveID, sha256, importedAt, receivedAt) in header.decode((String, String, Date?, Date).self) {
            var share = Planmonitor_Department_V1_DirectiveShare()
            share.service = department.rawValue
            share.directiveID = directiveID
            share.orgUnitCode = orgUnitCode
            share.year = year
            share.revision = revision
            share.textSha256 = sha256
            if let importedAt { share.importedAt = Google_Protobuf_Timestamp(date: importedAt) }
            share.receivedAt = Google_Protobuf_Timestamp(date: receivedAt)
            found = share
        }
        guard var share = found else { return nil }
        share.targets = try await messages(from: "directive_share_targets", column: "target", orgUnitCode: orgUnitCode, year: year, revision: revision, on: connection, logger: logger)
        share.tasks = try await messages(from: "directive_share_tasks", column: "task", orgUnitCode: orgUnitCode, year: year, revision: revision, on: connection, logger: logger)
        share.agencies = try await messages(from: "directive_share_agencies", column: "agency", orgUnitCode: orgUnitCode, year: year, revision: revision, on: connection, logger: logger)
        return share
    }

    /// The protobuf messages kept in `column` of one of the share tables, in position order.
    private func messages<Message: SwiftProtobuf.Message>(
        from table: String, column: String, orgUnitCode: String, year: Int32, revision: Int32,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [Message] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: column) FROM \(unescaped: schema.quoted).\(unescaped: table)
            WHERE org_unit_code = \(orgUnitCode) AND year = \(year) AND revision = \(revision) ORDER BY position
            """,
            logger: logger
        )
        var messages: [Message] = []
        for try await bytes in rows.decode(Data.self) {
            messages.append(try Message(serializedBytes: bytes))
        }
        return messages
    }

    /// `yyyy-MM-dd` for a set date, `nil` for an unset one.
    private static func isoDay(_ date: Planmonitor_Common_V1_LocalDate) -> String? {
        guard date.year > 0 else { return nil }
        return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }
}
