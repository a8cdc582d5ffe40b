import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// Serves `planmonitor.department.v1.MonthlyReportService` for a department: reports are stored as versions (a later
/// submission for the same unit, agency and month is a correction, never an overwrite), their figures go to the
/// observation store, and `MonthlyReportSubmitted` and `ObservationsRecorded` go out through the outbox in the same
/// transaction.
public struct MonthlyReportDesk: Planmonitor_Department_V1_MonthlyReportService.Handler {
    /// The department.
    public let department: Department
    /// The units the instance serves.
    public let scope: OrgUnitScope
    private let validator: MonthlyReportValidator
    private let database: PostgresClient
    private let schema: SchemaName
    private let outbox: Outbox
    private let events: EventFactory
    private let logger: Logger
    /// Demo deployments only: whether a caller may give a report's receipt time (see ``demoReceiptTimeKey``).
    private let acceptsDemoReceiptTimes: Bool

    /// Call metadata naming the receipt time of a generated demo report (ISO 8601), honoured only when the service
    /// runs with `PLANMONITOR_DEMO_RECEIPT_TIMES=on`, so that a demo year has plausible reporting dates. Never set that
    /// in production: receipt times are the service's own.
    public static let demoReceiptTimeKey = "demo-received-at"
    /// The environment variable that lets ``demoReceiptTimeKey`` through.
    public static let demoReceiptTimesVariable = "PLANMONITOR_DEMO_RECEIPT_TIMES"

    /// A desk over the service's database and outbox.
    public init(
        department: Department, scope: OrgUnitScope, database: PostgresClient, schema: SchemaName, outbox: Outbox, events: EventFactory,
        logger: Logger, acceptsDemoReceiptTimes: Bool = false
    ) {
        self.department = department
        self.scope = scope
        validator = MonthlyReportValidator(department: department, scope: scope)
        self.database = database
        self.schema = schema
        self.outbox = outbox
        self.events = events
        self.logger = logger
        self.acceptsDemoReceiptTimes = acceptsDemoReceiptTimes
    }

    private var shareUnits: [String] { [scope.orgUnitCode] + (scope.parentCode.map { [$0] } ?? []) }

    public func submitMonthlyReport(
        _ request: Planmonitor_Department_V1_SubmitMonthlyReportRequest, context call: RPCServerContext
    ) async throws -> Planmonitor_Department_V1_SubmitMonthlyReportResponse {
        let input = try Self.normalized(request.report)
        var call = call
        if let given = call.metadata[Self.demoReceiptTimeKey] {
            guard acceptsDemoReceiptTimes else {
                throw RPCError(.permissionDenied, "a receipt time given by the caller is accepted only by demo deployments (\(Self.demoReceiptTimesVariable)=on)")
            }
            guard let date = ISO8601DateFormatter().date(from: given) else {
                throw RPCError(.invalidArgument, "the demo receipt time is not an ISO 8601 time", fieldViolations: [.init(field: "metadata.\(Self.demoReceiptTimeKey)", reason: "not ISO 8601: \(given)")])
            }
            call.receivedAt = date
        }
        let submitter = Planmonitor_Common_V1_AuditMetadata(call: call)
        let (department, schema, shareUnits, validator, outbox, events, logger) = (department, schema, shareUnits, validator, outbox, events, logger)
        return try await database.planTransaction(logger: logger) { connection in
            let shares = DirectiveShareStore(schema: schema)
            guard input.year > 0 else {
                throw RPCError(.invalidArgument, "the monthly report is not valid: 1 problem", fieldViolations: [.init(field: "report.year", reason: "missing")])
            }
            guard let share = try await shares.currentShare(of: department, year: input.year, orgUnitCodes: shareUnits, on: connection, logger: logger) else {
                let latest = try await shares.latestYear(orgUnitCodes: shareUnits, on: connection, logger: logger)
                if let latest {
                    throw RPCError(.invalidArgument, "the monthly report is not valid: 1 problem", fieldViolations: [
                        .init(field: "report.year", reason: "\(input.year) is outside the directive's year (\(latest))"),
                    ])
                }
                throw RPCError(.failedPrecondition, "\(department) has received no directive for \(input.year) yet: import it first (planctl directive import)")
            }
            var report = try validator.validated(input, share: share).get()
            report.service = department.rawValue
            report.reportID = "\(department.rawValue)/\(report.orgUnitCode)/\(report.agencyCode)/\(String(format: "%04d-%02d", report.year, report.month))"
            let reports = MonthlyReportStore(schema: schema)
            try await reports.lock(report.reportID, on: connection, logger: logger)
            let previous = try await reports.latestVersion(report.reportID, on: connection, logger: logger)
            if previous > 0 && report.correctionReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw RPCError(.invalidArgument, "the monthly report is not valid: 1 problem", fieldViolations: [
                    .init(field: "report.correction_reason", reason: "missing: version \(previous) was already received, so this is a correction and needs a reason"),
                ])
            }
            report.version = previous + 1
            report.submittedBy = submitter
            report.receivedAt = Google_Protobuf_Timestamp(date: call.receivedAt)
            for index in report.observations.indices {
                report.observations[index].id = UUID().uuidString.lowercased()
                report.observations[index].observedAt = report.receivedAt
            }
            try await reports.insert(report, on: connection, logger: logger)
            let correction = previous > 0
            try await AuditLog(schema: schema).append(
                action: correction ? "report.corrected" : "report.submitted", subject: report.reportID,
                detail: "version \(report.version): \(report.observations.count) figures, \(report.tasks.count) tasks\(correction ? "; reason: \(report.correctionReason)" : "")",
                by: submitter, on: connection, logger: logger)
            var submitted = Planmonitor_Department_V1_MonthlyReportSubmitted()
            submitted.report = report
            submitted.previousVersion = previous
            try await outbox.enqueue(try events.event(submitted, name: "report-submitted", orgUnit: report.orgUnitCode), on: connection, logger: logger)
            let store = ObservationStore(schema: schema)
            let changed = try await store.record(report.observations, on: connection, logger: logger)
            // A correction that no longer gives a figure of the previous version withdraws it.
            var withdrawn: [Planmonitor_Common_V1_Observation] = []
            if previous > 0, let before = try await reports.versions(report.reportID, on: connection, logger: logger).last(where: { $0.version == previous }) {
                let kept = Set(report.observations.map(ObservationKey.init))
                withdrawn = before.observations.filter { !kept.contains(ObservationKey($0)) }
                try await store.remove(withdrawn, on: connection, logger: logger)
            }
            if !changed.isEmpty || !withdrawn.isEmpty {
                var recorded = Planmonitor_Department_V1_ObservationsRecorded()
                recorded.service = department.rawValue
                recorded.observations = changed
                recorded.withdrawn = withdrawn
                recorded.recordedBy = submitter
                recorded.cause = "báo cáo tháng \(report.month)/\(report.year) của \(report.agencyCode) (lần \(report.version))"
                try await outbox.enqueue(try events.event(recorded, name: "observations-recorded", orgUnit: report.orgUnitCode), on: connection, logger: logger)
            }
            logger.info("received a monthly report", metadata: [
                "report": "\(report.reportID)", "version": "\(report.version)", "figures": "\(report.observations.count)",
                "changedFigures": "\(changed.count)", "user": "\(submitter.user)",
            ])
            var response = Planmonitor_Department_V1_SubmitMonthlyReportResponse()
            response.report = report
            response.correction = correction
            return response
        }
    }

    public func getMonthlyReport(
        _ request: Planmonitor_Department_V1_GetMonthlyReportRequest, context: RPCServerContext
    ) async throws -> Planmonitor_Department_V1_GetMonthlyReportResponse {
        var violations = FieldViolations()
        if request.orgUnitCode.isEmpty || !scope.contains(request.orgUnitCode) { violations.add("org_unit_code", scope.unknownUnitReason(request.orgUnitCode)) }
        if request.agencyCode.isEmpty { violations.add("agency_code", "missing") }
        violations.requireMonth(year: request.year, month: request.month, expectedYear: nil)
        if request.version < 0 { violations.add("version", "\(request.version) is negative (0 means the latest)") }
        if let error = violations.error("the report query is not valid") { throw error }
        let reportID = "\(department.rawValue)/\(request.orgUnitCode)/\(request.agencyCode)/\(String(format: "%04d-%02d", request.year, request.month))"
        let versions = try await database.withConnection { [schema, logger] connection in
            try await MonthlyReportStore(schema: schema).versions(reportID, on: connection, logger: logger)
        }
        guard let latest = versions.last else { throw RPCError(.notFound, "no monthly report \(reportID) has been received") }
        let wanted = request.version == 0 ? latest.version : request.version
        guard let report = versions.first(where: { $0.version == wanted }) else {
            throw RPCError(.notFound, "report \(reportID) has no version \(wanted) (versions 1–\(latest.version))")
        }
        var response = Planmonitor_Department_V1_GetMonthlyReportResponse()
        response.report = report
        response.versions = versions.map { report in
            var version = Planmonitor_Department_V1_ReportVersion()
            version.version = report.version
            version.receivedAt = report.receivedAt
            version.submittedBy = report.submittedBy
            version.correctionReason = report.correctionReason
            return version
        }
        return response
    }

    public func listObservations(
        _ request: Planmonitor_Department_V1_ListObservationsRequest, context: RPCServerContext
    ) async throws -> Planmonitor_Department_V1_ListObservationsResponse {
        var violations = FieldViolations()
        violations.requireYear(request.year, "year", expectedYear: nil)
        if request.targetNumber < 0 { violations.add("target_number", "\(request.targetNumber) is negative (0 means every target)") }
        if !request.orgUnitCode.isEmpty, !scope.contains(request.orgUnitCode) { violations.add("org_unit_code", scope.unknownUnitReason(request.orgUnitCode)) }
        if let error = violations.error("the observation query is not valid") { throw error }
        var response = Planmonitor_Department_V1_ListObservationsResponse()
        response.observations = try await ObservationStore(schema: schema).list(
            year: request.year, targetNumber: request.targetNumber == 0 ? nil : request.targetNumber,
            orgUnitCode: request.orgUnitCode.isEmpty ? nil : request.orgUnitCode, client: database, logger: logger)
        return response
    }

    /// `report` with every string in NFC.
    static func normalized(_ report: Planmonitor_Department_V1_MonthlyReport) throws -> Planmonitor_Department_V1_MonthlyReport {
        let json = try report.jsonString()
        let normalized = json.precomposedStringWithCanonicalMapping
        return normalized == json ? report : try Planmonitor_Department_V1_MonthlyReport(jsonString: normalized)
    }
}

/// Every version of every monthly report in a department's `monthly_reports` table.
public struct MonthlyReportStore: Sendable {
    /// The department's schema.
    public let schema: SchemaName

    /// The store of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// Serialises submissions of one report for the transaction.
    public func lock(_ reportID: String, on connection: PostgresConnection, logger: Logger) async throws {
        let key = "\(schema.rawValue):report:\(reportID)"
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: logger)
    }

    /// The latest version stored, 0 when none.
    public func latestVersion(_ reportID: String, on connection: PostgresConnection, logger: Logger) async throws -> Int32 {
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0) FROM \(unescaped: schema.quoted).monthly_reports WHERE report_id = \(reportID)", logger: logger)
        var version: Int32 = 0
        for try await value in rows.decode(Int32.self) { version = value }
        return version
    }

    /// Stores a version.
    public func insert(_ report: Planmonitor_Department_V1_MonthlyReport, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).monthly_reports (report_id, version, org_unit_code, agency_code, year, month, received_at, report)
            VALUES (\(report.reportID), \(report.version), \(report.orgUnitCode), \(report.agencyCode), \(report.year), \(report.month),
                    \(report.receivedAt.date), \(try report.serializedData()))
            """,
            logger: logger
        )
    }

    /// Every version, oldest first.
    public func versions(_ reportID: String, on connection: PostgresConnection, logger: Logger) async throws -> [Planmonitor_Department_V1_MonthlyReport] {
        let rows = try await connection.query(
            "SELECT report FROM \(unescaped: schema.quoted).monthly_reports WHERE report_id = \(reportID) ORDER BY version", logger: logger)
        var reports: [Planmonitor_Department_V1_MonthlyReport] = []
        for try await bytes in rows.decode(Data.self) {
            reports.append(try Planmonitor_Department_V1_MonthlyReport(serializedBytes: bytes))
        }
        return reports
    }
}
