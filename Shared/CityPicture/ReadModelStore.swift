import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// The aggregator's read models of the departments' events, in its own schema.
///
/// - `event_log` — every event applied, in the order received, with its message id, type, routing key, publisher and
///   receipt time: the read models can be rebuilt from it (``rebuild(using:logger:)``).
/// - `rm_observations` — the current figure of each (service, origin, agency, target, sub-target, indicator, unit, org
///   unit, period), with the id, publisher and receipt time of the message it came in (its provenance).
/// - `rm_reports` — every version of every monthly report, with its receipt time.
/// - `rm_records` — the latest version of each department record announced (budget lines, investment projects,
///   infrastructure projects…), for drill-down.
/// - `rm_project_warnings` — the infrastructure warnings in force (raised and not yet cleared).
public struct ReadModelStore: Sendable {
    /// The aggregator's schema.
    public let schema: SchemaName

    /// The read models of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// The tables, applied after the directive's.
    public static let migrations: [Migration] = [
        Migration(id: "aggregator-0002-read-models", statements: [
            """
            CREATE TABLE {schema}.event_log (
                sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id UUID NOT NULL UNIQUE,
                message_type TEXT NOT NULL,
                routing_key TEXT NOT NULL,
                publisher TEXT NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                body BYTEA NOT NULL
            )
            """,
            """
            CREATE TABLE {schema}.rm_observations (
                service TEXT NOT NULL,
                origin TEXT NOT NULL,
                agency_code TEXT NOT NULL,
                target_number INTEGER NOT NULL,
                sub_target_code TEXT NOT NULL,
                indicator TEXT NOT NULL,
                unit TEXT NOT NULL,
                org_unit_code TEXT NOT NULL,
                period_key TEXT NOT NULL,
                year INTEGER NOT NULL,
                observation BYTEA NOT NULL,
                message_id UUID NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (service, origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key)
            )
            """,
            "CREATE INDEX rm_observations_by_year_unit ON {schema}.rm_observations (year, org_unit_code)",
            """
            CREATE TABLE {schema}.rm_reports (
                report_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                service TEXT NOT NULL,
                org_unit_code TEXT NOT NULL,
                agency_code TEXT NOT NULL,
                year INTEGER NOT NULL,
                month INTEGER NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                report BYTEA NOT NULL,
                message_id UUID NOT NULL,
                PRIMARY KEY (report_id, version)
            )
            """,
            """
            CREATE TABLE {schema}.rm_records (
                service TEXT NOT NULL,
                record_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                message_type TEXT NOT NULL,
                record BYTEA NOT NULL,
                message_id UUID NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (service, record_id)
            )
            """,
            """
            CREATE TABLE {schema}.rm_project_warnings (
                project_id TEXT NOT NULL,
                kind INTEGER NOT NULL,
                subject TEXT NOT NULL,
                warning BYTEA NOT NULL,
                message_id UUID NOT NULL,
                received_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (project_id, kind, subject)
            )
            """,
        ]),
    ]

    /// Where an applied event came from.
    public struct Provenance: Sendable {
        /// The message id.
        public var messageID: UUID
        /// The service that published it.
        public var publisher: String
        /// When the aggregator received it.
        public var receivedAt: Date

        /// Makes a provenance.
        public init(messageID: UUID, publisher: String, receivedAt: Date) {
            self.messageID = messageID
            self.publisher = publisher
            self.receivedAt = receivedAt
        }
    }

    // MARK: Applying events

    /// Appends an event to the log (in the caller's transaction); false when it was logged already.
    public func log(messageID: UUID, messageType: String, routingKey: String, publisher: String, receivedAt: Date, body: Data, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).event_log (message_id, message_type, routing_key, publisher, received_at, body)
            VALUES (\(messageID), \(messageType), \(routingKey), \(publisher), \(receivedAt), \(body))
            ON CONFLICT (message_id) DO NOTHING RETURNING sequence
            """,
            logger: logger
        )
        var inserted = false
        for try await _ in rows.decode(Int64.self) { inserted = true }
        return inserted
    }

    /// Applies `ObservationsRecorded`: each figure replaces the one of the same key unless that one is newer; each
    /// withdrawn figure is forgotten. One statement for the withdrawals and one for the figures, whatever their
    /// number; a key the event gives twice keeps its last figure, as applying them one by one would.
    public func apply(_ event: Planmonitor_Department_V1_ObservationsRecorded, provenance: Provenance, on connection: PostgresConnection, logger: Logger) async throws {
        if !event.withdrawn.isEmpty {
            let keys = event.withdrawn.map(ObservationKey.init)
            try await connection.query(
                """
                DELETE FROM \(unescaped: schema.quoted).rm_observations AS o
                USING UNNEST(\(keys.map(\.origin)), \(keys.map(\.agencyCode)), \(keys.map(\.targetNumber)), \(keys.map(\.subTargetCode)),
                             \(keys.map(\.indicator)), \(keys.map(\.unit)), \(keys.map(\.orgUnitCode)), \(keys.map(\.periodKey)))
                    AS w(origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key)
                WHERE o.service = \(event.service) AND o.origin = w.origin AND o.agency_code = w.agency_code
                  AND o.target_number = w.target_number AND o.sub_target_code = w.sub_target_code AND o.indicator = w.indicator
                  AND o.unit = w.unit AND o.org_unit_code = w.org_unit_code AND o.period_key = w.period_key
                  AND o.received_at <= \(provenance.receivedAt)
                """,
                logger: logger
            )
        }
        guard !event.observations.isEmpty else { return }
        var latest: [ObservationKey: Int] = [:]
        for (index, observation) in event.observations.enumerated() { latest[ObservationKey(observation)] = index }
        let figures = latest.sorted { $0.value < $1.value }.map { (key: $0.key, observation: event.observations[$0.value]) }
        let keys = figures.map(\.key)
        let bodies = try figures.map { ByteBuffer(bytes: try $0.observation.serializedData()) }
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).rm_observations
                (service, origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key, year,
                 observation, message_id, received_at)
            SELECT \(event.service), f.origin, f.agency_code, f.target_number, f.sub_target_code, f.indicator, f.unit, f.org_unit_code,
                   f.period_key, f.year, f.observation, \(provenance.messageID), \(provenance.receivedAt)
            FROM UNNEST(\(keys.map(\.origin)), \(keys.map(\.agencyCode)), \(keys.map(\.targetNumber)), \(keys.map(\.subTargetCode)),
                        \(keys.map(\.indicator)), \(keys.map(\.unit)), \(keys.map(\.orgUnitCode)), \(keys.map(\.periodKey)),
                        \(keys.map(\.year)), \(bodies))
                AS f(origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key, year, observation)
            ON CONFLICT (service, origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key)
            DO UPDATE SET observation = EXCLUDED.observation, message_id = EXCLUDED.message_id, received_at = EXCLUDED.received_at
            WHERE \(unescaped: schema.quoted).rm_observations.received_at <= EXCLUDED.received_at
            """,
            logger: logger
        )
    }

    /// Applies `MonthlyReportSubmitted`: the version is kept beside the others.
    func apply(_ event: Planmonitor_Department_V1_MonthlyReportSubmitted, provenance: Provenance, on connection: PostgresConnection, logger: Logger) async throws {
        let report = event.report
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).rm_reports
                (report_id, version, service, org_unit_code, agency_code, year, month, received_at, report, message_id)
            VALUES (\(report.reportID), \(report.version), \(report.service), \(report.orgUnitCode), \(report.agencyCode), \(report.year),
                    \(report.month), \(report.receivedAt.date), \(try report.serializedData()), \(provenance.messageID))
            ON CONFLICT (report_id, version) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Applies a record-changed event: the record replaces an older version.
    func applyRecord(service: String, recordID: String, version: Int32, message: some SwiftProtobuf.Message, provenance: Provenance, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).rm_records (service, record_id, version, message_type, record, message_id, received_at)
            VALUES (\(service), \(recordID), \(version), \(type(of: message).protoMessageName), \(try message.serializedData()),
                    \(provenance.messageID), \(provenance.receivedAt))
            ON CONFLICT (service, record_id) DO UPDATE SET version = EXCLUDED.version, record = EXCLUDED.record,
                message_type = EXCLUDED.message_type, message_id = EXCLUDED.message_id, received_at = EXCLUDED.received_at
            WHERE \(unescaped: schema.quoted).rm_records.version < EXCLUDED.version
            """,
            logger: logger
        )
    }

    /// Applies `ProjectWarningRaised`: the warning is in force (its latest wording replaces an older one).
    func apply(_ event: Planmonitor_Infrastructure_V1_ProjectWarningRaised, provenance: Provenance, on connection: PostgresConnection, logger: Logger) async throws {
        let warning = event.warning
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).rm_project_warnings (project_id, kind, subject, warning, message_id, received_at)
            VALUES (\(warning.projectID), \(Int32(warning.kind.rawValue)), \(warning.subject), \(try warning.serializedData()), \(provenance.messageID), \(provenance.receivedAt))
            ON CONFLICT (project_id, kind, subject) DO UPDATE SET warning = EXCLUDED.warning, message_id = EXCLUDED.message_id, received_at = EXCLUDED.received_at
            """,
            logger: logger)
    }

    /// Applies `ProjectWarningCleared`: the warning is no longer in force.
    func apply(_ event: Planmonitor_Infrastructure_V1_ProjectWarningCleared, provenance: Provenance, on connection: PostgresConnection, logger: Logger) async throws {
        let warning = event.warning
        try await connection.query(
            """
            DELETE FROM \(unescaped: schema.quoted).rm_project_warnings
            WHERE project_id = \(warning.projectID) AND kind = \(Int32(warning.kind.rawValue)) AND subject = \(warning.subject)
            """,
            logger: logger)
    }

    // MARK: Reading

    /// The warnings in force.
    func warnings(client: PostgresClient, logger: Logger) async throws -> [Planmonitor_Infrastructure_V1_ProjectWarning] {
        let rows = try await client.query(
            "SELECT warning FROM \(unescaped: schema.quoted).rm_project_warnings ORDER BY project_id, kind, subject", logger: logger)
        var warnings: [Planmonitor_Infrastructure_V1_ProjectWarning] = []
        for try await bytes in rows.decode(Data.self) { warnings.append(try Planmonitor_Infrastructure_V1_ProjectWarning(serializedBytes: bytes)) }
        return warnings
    }

    /// A figure with its provenance.
    public struct StoredObservation: Sendable {
        /// The department service that reported it.
        public var service: String
        /// The figure.
        public var observation: Planmonitor_Common_V1_Observation
        /// The message it came in.
        public var provenance: Provenance

        /// Makes a stored figure.
        public init(service: String, observation: Planmonitor_Common_V1_Observation, provenance: Provenance) {
            self.service = service
            self.observation = observation
            self.provenance = provenance
        }
    }

    /// The current figures of `years` for `orgUnitCodes` (every unit when nil).
    public func observations(years: [Int32], orgUnitCodes: [String]? = nil, client: PostgresClient, logger: Logger) async throws -> [StoredObservation] {
        let rows = try await client.query(
            """
            SELECT service, observation, message_id, received_at FROM \(unescaped: schema.quoted).rm_observations
            WHERE year = ANY(\(years)) AND (\(orgUnitCodes)::text[] IS NULL OR org_unit_code = ANY(\(orgUnitCodes)))
            ORDER BY target_number, sub_target_code, org_unit_code, period_key, received_at
            """,
            logger: logger
        )
        var result: [StoredObservation] = []
        for try await (service, bytes, messageID, receivedAt) in rows.decode((String, Data, UUID, Date).self) {
            result.append(StoredObservation(
                service: service, observation: try Planmonitor_Common_V1_Observation(serializedBytes: bytes),
                provenance: Provenance(messageID: messageID, publisher: service, receivedAt: receivedAt)))
        }
        return result
    }

    /// Every report version of `year`, in the order received.
    func reports(year: Int32, client: PostgresClient, logger: Logger) async throws -> [Planmonitor_Department_V1_MonthlyReport] {
        let rows = try await client.query(
            "SELECT report FROM \(unescaped: schema.quoted).rm_reports WHERE year = \(year) ORDER BY received_at, report_id, version",
            logger: logger
        )
        var result: [Planmonitor_Department_V1_MonthlyReport] = []
        for try await bytes in rows.decode(Data.self) {
            result.append(try Planmonitor_Department_V1_MonthlyReport(serializedBytes: bytes))
        }
        return result
    }

    /// The records of one message type (e.g. `planmonitor.budget.v1.BudgetRecordChanged`), decoded.
    func records<Event: SwiftProtobuf.Message & Sendable>(_ type: Event.Type, client: PostgresClient, logger: Logger) async throws -> [(event: Event, provenance: Provenance)] {
        let rows = try await client.query(
            """
            SELECT service, record, message_id, received_at FROM \(unescaped: schema.quoted).rm_records
            WHERE message_type = \(Event.protoMessageName) ORDER BY record_id
            """,
            logger: logger
        )
        var result: [(Event, Provenance)] = []
        for try await (service, bytes, messageID, receivedAt) in rows.decode((String, Data, UUID, Date).self) {
            result.append((try Event(serializedBytes: bytes), Provenance(messageID: messageID, publisher: service, receivedAt: receivedAt)))
        }
        return result
    }

    /// Counts of the read models, for the rebuild's answer and tests.
    func counts(on connection: PostgresConnection, logger: Logger) async throws -> (observations: Int64, reports: Int64, records: Int64) {
        let rows = try await connection.query(
            """
            SELECT (SELECT count(*) FROM \(unescaped: schema.quoted).rm_observations),
                   (SELECT count(*) FROM \(unescaped: schema.quoted).rm_reports),
                   (SELECT count(*) FROM \(unescaped: schema.quoted).rm_records)
            """,
            logger: logger
        )
        var counts: (Int64, Int64, Int64) = (0, 0, 0)
        for try await row in rows.decode((Int64, Int64, Int64).self) { counts = row }
        return counts
    }

    /// Empties the read models (not the event log), in the caller's transaction.
    func truncateReadModels(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            TRUNCATE \(unescaped: schema.quoted).rm_observations, \(unescaped: schema.quoted).rm_reports, \(unescaped: schema.quoted).rm_records,
                     \(unescaped: schema.quoted).rm_project_warnings
            """,
            logger: logger)
    }

    /// The logged events in the order received.
    func loggedEvents(on connection: PostgresConnection, logger: Logger) async throws -> [(messageID: UUID, messageType: String, publisher: String, receivedAt: Date, body: Data)] {
        let rows = try await connection.query(
            "SELECT message_id, message_type, publisher, received_at, body FROM \(unescaped: schema.quoted).event_log ORDER BY sequence",
            logger: logger)
        var events: [(UUID, String, String, Date, Data)] = []
        for try await row in rows.decode((UUID, String, String, Date, Data).self) { events.append(row) }
        return events
    }
}
