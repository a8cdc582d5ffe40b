import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// Keeps the early warnings of the register in step with its records, in the `project_warnings` table: a row exists
/// exactly while its condition holds (``WarningRules``).
///
/// A review runs in the transaction of every change of records (the record desk's follow-up), holding the year's
/// record lock, so that a change and the warnings it raises or clears are stored and announced together or not at
/// all: it judges the year's register, inserts the warnings whose conditions began to hold and deletes those whose
/// conditions ended, and enqueues `ProjectWarningRaised` / `ProjectWarningCleared` for exactly those differences,
/// with an audit entry each. A warning whose condition still holds raises nothing again (its row's reason and month
/// follow the figures). Because a review only compares the records with the table, running it again changes nothing;
/// the service also reviews every year at start, for thresholds changed since the last change.
struct ProjectWarningReview: Sendable {
    /// The `project_warnings` table, applied after the department tables.
    static let migrations: [Migration] = [
        Migration(id: "infrastructure-0001-project-warnings", statements: [
            """
            CREATE TABLE {schema}.project_warnings (
                project_id TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('behind-schedule', 'milestone-overdue', 'slow-disbursement', 'clearance-stalled')),
                subject TEXT NOT NULL,
                year INTEGER NOT NULL,
                month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
                reason TEXT NOT NULL,
                raised_at TIMESTAMPTZ NOT NULL,
                warning BYTEA NOT NULL,
                PRIMARY KEY (project_id, kind, subject)
            )
            """,
            "CREATE INDEX project_warnings_by_year ON {schema}.project_warnings (year)",
        ]),
    ]

    /// The conditions.
    let rules: WarningRules
    /// The unit the instance serves: the org unit of the events.
    let instanceUnitCode: String
    /// The service's database.
    let database: PostgresClient
    /// The service's schema.
    let schema: SchemaName
    /// Where the warning events are enqueued.
    let outbox: Outbox
    /// Makes the events of the service's domain.
    let events: EventFactory
    /// Where the reviews are logged.
    let logger: Logger

    /// Reviews the warnings of `years` in the caller's transaction (a change of records).
    func review(years: [Int32], actor: Planmonitor_Common_V1_AuditMetadata, cause: String, on connection: PostgresConnection) async throws {
        for year in years.sorted() {
            try await review(year: year, actor: actor, cause: cause, on: connection)
        }
    }

    /// Reviews the warnings of every year with records or warnings.
    func reviewAllYears(actor: Planmonitor_Common_V1_AuditMetadata, cause: String) async throws {
        let rows = try await database.query(
            """
            SELECT year FROM \(unescaped: schema.quoted).records UNION SELECT year FROM \(unescaped: schema.quoted).project_warnings ORDER BY year
            """,
            logger: logger)
        var years: [Int32] = []
        for try await year in rows.decode(Int32.self) { years.append(year) }
        try await review(years: years, actor: actor, cause: cause)
    }

    /// Reviews the warnings of `years`, one transaction each.
    private func review(years: [Int32], actor: Planmonitor_Common_V1_AuditMetadata, cause: String) async throws {
        for year in years {
            try await database.planTransaction(logger: logger) { connection in
                try await review(year: year, actor: actor, cause: cause, on: connection)
            }
        }
    }

    private func review(year: Int32, actor: Planmonitor_Common_V1_AuditMetadata, cause: String, on connection: PostgresConnection) async throws {
        let records = RecordStore<Planmonitor_Infrastructure_V1_InfrastructureRecord>(schema: schema)
        try await records.lockYear(year, on: connection, logger: logger)
        let register = ProjectRegister(records: try await records.currentRecords(years: [year], on: connection, logger: logger).map(\.record), year: year)
        let findings = rules.findings(in: register)
        let stored = try await warnings(year: year, on: connection)
        var (raised, cleared) = (0, 0)
        for (key, warning) in stored.sorted(by: { Self.order($0.key, $1.key) }) {
            if let finding = findings[key] {
                // The warning in force follows the figures and the project's title and owner.
                var current = warning
                current.reason = finding.reason
                current.month = finding.month
                if let project = register.project(key.projectID) {
                    current.projectTitle = project.title
                    current.ownerAgencyCode = project.ownerAgencyCode
                }
                if current != warning { try await save(current, key: key, on: connection) }
                continue
            }
            let clearing = rules.clearing(key, in: register)
            try await connection.query(
                """
                DELETE FROM \(unescaped: schema.quoted).project_warnings
                WHERE project_id = \(key.projectID) AND kind = \(key.kindCode) AND subject = \(key.subject)
                """,
                logger: logger)
            var event = Planmonitor_Infrastructure_V1_ProjectWarningCleared()
            event.warning = warning
            event.clearedMonth = clearing.month
            event.reason = clearing.reason
            event.clearedBy = actor
            try await outbox.enqueue(try events.event(event, name: "project-warning-cleared", orgUnit: instanceUnitCode), on: connection, logger: logger)
            try await AuditLog(schema: schema).append(
                action: "warning.cleared", subject: key.projectID, detail: "\(key.auditLabel): \(clearing.reason) (\(cause))",
                by: actor, on: connection, logger: logger)
            cleared += 1
        }
        for (key, finding) in findings.sorted(by: { Self.order($0.key, $1.key) }) where stored[key] == nil {
            guard let project = register.project(key.projectID) else { continue }
            var warning = Planmonitor_Infrastructure_V1_ProjectWarning()
            warning.projectID = project.recordID
            warning.projectTitle = project.title
            warning.ownerAgencyCode = project.ownerAgencyCode
            warning.kind = key.kind
            warning.subject = key.subject
            warning.year = year
            warning.month = finding.month
            warning.reason = finding.reason
            warning.raisedAt = actor.at
            try await save(warning, key: key, on: connection)
            var event = Planmonitor_Infrastructure_V1_ProjectWarningRaised()
            event.warning = warning
            event.raisedBy = actor
            try await outbox.enqueue(try events.event(event, name: "project-warning-raised", orgUnit: instanceUnitCode), on: connection, logger: logger)
            try await AuditLog(schema: schema).append(
                action: "warning.raised", subject: key.projectID, detail: "\(key.auditLabel): \(finding.reason) (\(cause))",
                by: actor, on: connection, logger: logger)
            raised += 1
        }
        if raised + cleared > 0 {
            logger.info("reviewed the project warnings", metadata: [
                "year": "\(year)", "raised": "\(raised)", "cleared": "\(cleared)", "cause": "\(cause)",
            ])
        }
    }

    /// The warnings in force for `year`, by project, kind and subject.
    func activeWarnings(year: Int32) async throws -> [Planmonitor_Infrastructure_V1_ProjectWarning] {
        try await database.withConnection { connection in
            try await warnings(year: year, on: connection)
        }.sorted { Self.order($0.key, $1.key) }.map(\.value)
    }

    private func warnings(year: Int32, on connection: PostgresConnection) async throws -> [WarningKey: Planmonitor_Infrastructure_V1_ProjectWarning] {
        let rows = try await connection.query(
            "SELECT warning FROM \(unescaped: schema.quoted).project_warnings WHERE year = \(year)",
            logger: logger)
        var warnings: [WarningKey: Planmonitor_Infrastructure_V1_ProjectWarning] = [:]
        for try await bytes in rows.decode(Data.self) {
            let warning = try Planmonitor_Infrastructure_V1_ProjectWarning(serializedBytes: bytes)
            warnings[WarningKey(projectID: warning.projectID, kind: warning.kind, subject: warning.subject)] = warning
        }
        return warnings
    }

    private func save(_ warning: Planmonitor_Infrastructure_V1_ProjectWarning, key: WarningKey, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).project_warnings (project_id, kind, subject, year, month, reason, raised_at, warning)
            VALUES (\(key.projectID), \(key.kindCode), \(key.subject), \(warning.year), \(warning.month), \(warning.reason),
                    \(warning.raisedAt.date), \(try warning.serializedData()))
            ON CONFLICT (project_id, kind, subject)
            DO UPDATE SET month = EXCLUDED.month, reason = EXCLUDED.reason, warning = EXCLUDED.warning
            """,
            logger: logger)
    }

    /// Project, then kind, then subject.
    private static func order(_ lhs: WarningKey, _ rhs: WarningKey) -> Bool {
        (lhs.projectID, lhs.kind.rawValue, lhs.subject) < (rhs.projectID, rhs.kind.rawValue, rhs.subject)
    }
}
