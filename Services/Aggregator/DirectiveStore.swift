import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// The aggregator's directive revisions, table `directives` of its schema: one row per (org unit, year, revision)
/// with the NFC text, its SHA-256, the parser's JSON, the published `planmonitor.directive.v1.Directive`, the
/// changes from the previous revision and who imported it. Revisions are never changed or deleted.
struct DirectiveStore: Sendable {
    /// The aggregator's schema.
    let schema: SchemaName

    static let migrations: [Migration] = [
        Migration(id: "aggregator-0001-directives", statements: [
            """
            CREATE TABLE {schema}.directives (
                org_unit_code TEXT NOT NULL,
                year INTEGER NOT NULL CHECK (year > 0),
                revision INTEGER NOT NULL CHECK (revision > 0),
                directive_id TEXT NOT NULL,
                text_sha256 TEXT NOT NULL,
                text TEXT NOT NULL,
                parsed JSON NOT NULL,
                directive BYTEA NOT NULL,
                previous_revision INTEGER NOT NULL,
                changes TEXT[] NOT NULL,
                warnings TEXT[] NOT NULL,
                file_name TEXT NOT NULL,
                imported_at TIMESTAMPTZ NOT NULL,
                imported_by_user TEXT NOT NULL,
                imported_by_agency TEXT NOT NULL,
                broker_user TEXT NOT NULL,
                request_id TEXT NOT NULL,
                event_message_id UUID NOT NULL,
                PRIMARY KEY (org_unit_code, year, revision)
            )
            """,
            "CREATE INDEX directives_sha256_idx ON {schema}.directives (org_unit_code, year, text_sha256)",
        ]),
    ]

    /// A new revision to store.
    struct NewRevision {
        var directive: Planmonitor_Directive_V1_Directive
        var text: String
        var parsedJSON: String
        var previousRevision: Int32
        var changes: [String]
        var warnings: [String]
        var fileName: String
        var brokerUser: String
        var eventMessageID: UUID
    }

    /// The latest stored revision of a year's directive: its number, text hash and the parser's JSON.
    struct LatestRevision {
        var revision: Int32
        var textSHA256: String
        var parsedJSON: String
    }

    /// Serializes imports of one year's directive until the caller's transaction ends.
    func lockImports(orgUnitCode: String, year: Int32, on connection: PostgresConnection, logger: Logger) async throws {
        let name = "planmonitor:\(schema.rawValue):directive-import:\(orgUnitCode):\(year)"
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))", logger: logger)
    }

    /// The lower-case hex SHA-256 of the UTF-8 bytes of `text`, computed by PostgreSQL.
    func sha256(of text: String, on connection: PostgresConnection, logger: Logger) async throws -> String {
        let rows = try await connection.query("SELECT encode(sha256(convert_to(\(text), 'UTF8')), 'hex')", logger: logger)
        var digest: String?
        for try await value in rows.decode(String.self) { digest = value }
        guard let digest else { throw DirectiveStoreError(reason: "PostgreSQL returned no SHA-256") }
        return digest
    }

    func latestRevision(orgUnitCode: String, year: Int32, on connection: PostgresConnection, logger: Logger) async throws -> LatestRevision? {
        let rows = try await connection.query(
            """
            SELECT revision, text_sha256, parsed::text FROM \(unescaped: schema.quoted).directives
            WHERE org_unit_code = \(orgUnitCode) AND year = \(year) ORDER BY revision DESC LIMIT 1
            """,
            logger: logger
        )
        var latest: LatestRevision?
        for try await (revision, sha256, json) in rows.decode((Int32, String, String).self) {
            latest = LatestRevision(revision: revision, textSHA256: sha256, parsedJSON: json)
        }
        return latest
    }

    /// Inserts a revision in the caller's transaction; a revision number already taken violates the primary key.
    func insert(_ new: NewRevision, on connection: PostgresConnection, logger: Logger) async throws {
        let directive = new.directive
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).directives
                (org_unit_code, year, revision, directive_id, text_sha256, text, parsed, directive, previous_revision,
                 changes, warnings, file_name, imported_at, imported_by_user, imported_by_agency, broker_user, request_id,
                 event_message_id)
            VALUES (\(directive.orgUnitCode), \(directive.year), \(directive.revision), \(directive.id),
                    \(directive.textSha256), \(new.text), \(new.parsedJSON)::json, \(try directive.serializedData()),
                    \(new.previousRevision), \(new.changes), \(new.warnings), \(new.fileName), \(directive.importedAt.date),
                    \(directive.importedBy.user), \(directive.importedBy.agencyCode), \(new.brokerUser),
                    \(directive.importedBy.requestID), \(new.eventMessageID))
            """,
            logger: logger
        )
    }

    /// The latest year with a stored directive of `orgUnitCode`.
    func latestYear(orgUnitCode: String, on connection: PostgresConnection, logger: Logger) async throws -> Int32? {
        let rows = try await connection.query(
            "SELECT max(year) FROM \(unescaped: schema.quoted).directives WHERE org_unit_code = \(orgUnitCode)",
            logger: logger
        )
        var year: Int32?
        for try await value in rows.decode(Int32?.self) { year = value }
        return year
    }

    /// One revision (the latest when `revision` is 0): the published message and the parser's JSON.
    /// The latest revision of `year`'s directive (of the latest year when nil), in one query and without the parser's
    /// JSON: what every picture, dashboard page and briefing reads.
    func latestDirective(orgUnitCode: String, year: Int32?, on connection: PostgresConnection, logger: Logger) async throws -> Planmonitor_Directive_V1_Directive? {
        let rows = try await connection.query(
            """
            SELECT directive FROM \(unescaped: schema.quoted).directives
            WHERE org_unit_code = \(orgUnitCode) AND (\(year)::integer IS NULL OR year = \(year))
            ORDER BY year DESC, revision DESC LIMIT 1
            """,
            logger: logger
        )
        for try await bytes in rows.decode(Data.self) { return try Planmonitor_Directive_V1_Directive(serializedBytes: bytes) }
        return nil
    }

    func revision(
        orgUnitCode: String, year: Int32, revision: Int32, on connection: PostgresConnection, logger: Logger
    ) async throws -> (directive: Planmonitor_Directive_V1_Directive, parsedJSON: String)? {
        let rows = try await connection.query(
            """
            SELECT directive, parsed::text FROM \(unescaped: schema.quoted).directives
            WHERE org_unit_code = \(orgUnitCode) AND year = \(year) AND (revision = \(revision) OR \(revision) = 0)
            ORDER BY revision DESC LIMIT 1
            """,
            logger: logger
        )
        var found: (Data, String)?
        for try await row in rows.decode((Data, String).self) { found = row }
        guard let (bytes, json) = found else { return nil }
        return (try Planmonitor_Directive_V1_Directive(serializedBytes: bytes), json)
    }

    /// The stored revisions of a year's directive, oldest first.
    func revisions(orgUnitCode: String, year: Int32, on connection: PostgresConnection, logger: Logger) async throws -> [Planmonitor_Directive_V1_DirectiveRevision] {
        let rows = try await connection.query(
            """
            SELECT directive_id, revision, text_sha256, file_name, imported_at, imported_by_user, imported_by_agency,
                   request_id, changes
            FROM \(unescaped: schema.quoted).directives
            WHERE org_unit_code = \(orgUnitCode) AND year = \(year) ORDER BY revision
            """,
            logger: logger
        )
        var revisions: [Planmonitor_Directive_V1_DirectiveRevision] = []
        for try await (id, revision, sha256, fileName, importedAt, user, agency, requestID, changes)
            in rows.decode((String, Int32, String, String, Date, String, String, String, [String]).self)
        {
            var summary = Planmonitor_Directive_V1_DirectiveRevision()
            summary.directiveID = id
            summary.revision = revision
            summary.year = year
            summary.textSha256 = sha256
            summary.fileName = fileName
            summary.importedAt = Google_Protobuf_Timestamp(date: importedAt)
            summary.importedBy.user = user
            summary.importedBy.agencyCode = agency
            summary.importedBy.at = Google_Protobuf_Timestamp(date: importedAt)
            summary.importedBy.requestID = requestID
            summary.changes = changes
            revisions.append(summary)
        }
        return revisions
    }
}

/// The directive table answered something the store cannot use.
struct DirectiveStoreError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "directive store: \(reason)" }
}
