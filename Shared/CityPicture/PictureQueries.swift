import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO

/// Reads the directive and the read models and builds pictures: what the HTTP API, the dashboard and the briefing
/// show.
public struct PictureQueries: Sendable {
    let database: PostgresClient
    let schema: SchemaName
    /// The aggregator's own unit, whose directive it imports (the city).
    let orgUnitCode: String
    let logger: Logger
    /// The latest revision of a year's directive (of the latest year when nil); nil when none was imported.
    let loadDirective: @Sendable (Int32?) async throws -> Planmonitor_Directive_V1_Directive?
    /// The clock: compliance calls a report missing only once its deadline has passed.
    var now: @Sendable () -> Date = { Date() }

    /// Queries over the read models in `schema`, with the directive from `loadDirective`.
    public init(
        database: PostgresClient, schema: SchemaName, orgUnitCode: String, logger: Logger,
        loadDirective: @escaping @Sendable (Int32?) async throws -> Planmonitor_Directive_V1_Directive?
    ) {
        self.database = database
        self.schema = schema
        self.orgUnitCode = orgUnitCode
        self.scope = OrgUnitScope(orgUnitCode: orgUnitCode)
        self.logger = logger
        self.loadDirective = loadDirective
    }

    private var store: ReadModelStore { ReadModelStore(schema: schema) }
    /// The aggregator's unit and the units below it.
    let scope: OrgUnitScope

    /// A question the read models cannot answer as asked.
    struct QueryError: Error, CustomStringConvertible {
        /// 400 or 404.
        var status: Int
        var description: String
    }

    /// The latest directive of `year` (the latest year when nil).
    func directive(year: Int32?) async throws -> Planmonitor_Directive_V1_Directive {
        guard let found = try await loadDirective(year) else {
            throw QueryError(status: 404, description: year.map { "no directive of \($0) has been imported" } ?? "no directive has been imported yet")
        }
        return found
    }

    /// The inputs of a picture for the directive's year.
    func builder(directive: Planmonitor_Directive_V1_Directive) async throws -> PictureBuilder {
        let observations = try await store.observations(years: [directive.year - 1, directive.year], orgUnitCodes: scope.codes, client: database, logger: logger)
        let reports = try await store.reports(year: directive.year, client: database, logger: logger)
        var builder = PictureBuilder(directive: directive, observations: observations, reports: reports, now: now(), scope: scope)
        builder.projects = try await projects()
        return builder
    }

    /// The infrastructure projects announced, with the warnings in force, projects with warnings first.
    func projects() async throws -> [ProjectPicture] {
        let warnings = Dictionary(grouping: try await store.warnings(client: database, logger: logger), by: \.projectID)
        var projects: [ProjectPicture] = []
        for (event, _) in try await store.records(Planmonitor_Infrastructure_V1_InfrastructureRecordChanged.self, client: database, logger: logger) {
            guard case .project(let project) = event.record.record else { continue }
            projects.append(ProjectPicture(
                recordID: project.recordID, title: project.title, status: Self.statusVi(project.status),
                warnings: (warnings[project.recordID] ?? []).map(\.reason)))
        }
        return projects.sorted { ($0.warnings.isEmpty ? 1 : 0, $0.title) < ($1.warnings.isEmpty ? 1 : 0, $1.title) }
    }

    static func statusVi(_ status: Planmonitor_Infrastructure_V1_ProjectStatus) -> String {
        switch status {
        case .identification: "Xác định dự án"
        case .preparation: "Chuẩn bị đầu tư"
        case .implementation: "Đang thực hiện"
        case .completion: "Hoàn thành"
        case .cancelled: "Dừng, hủy"
        case .unspecified, .UNRECOGNIZED: "Chưa rõ"
        }
    }

    /// The picture of `orgUnitCode` for a month ("2018-06"); the latest month with a figure or report when nil.
    func picture(month text: String?, orgUnitCode unit: String?) async throws -> Picture {
        let (builder, code, month) = try await prepare(month: text, orgUnitCode: unit)
        return builder.picture(orgUnitCode: code, month: month)
    }

    /// The briefing of `orgUnitCode` for a month, with last month's picture (from the same read) for what changed.
    func briefing(month text: String?, orgUnitCode unit: String?) async throws -> Briefing {
        let (builder, code, month) = try await prepare(month: text, orgUnitCode: unit)
        return Briefing(
            picture: builder.picture(orgUnitCode: code, month: month),
            previous: month > 1 ? builder.picture(orgUnitCode: code, month: month - 1) : nil)
    }

    /// The reporting compliance of `orgUnitCode` for a month ("2018-06"): judged from the directive and the reports
    /// alone; without a month, from the picture of the latest month with a figure or a report.
    func compliance(month text: String?, orgUnitCode unit: String?) async throws -> CompliancePicture {
        let (year, month) = try Self.parseMonth(text)
        guard let month else { return try await picture(month: text, orgUnitCode: unit).compliance }
        let code = try checkedUnit(unit)
        let directive = try await directive(year: year)
        let reports = try await store.reports(year: directive.year, client: database, logger: logger)
        return ComplianceJudge(directive: directive, reports: reports, agencies: .default, scope: scope, now: now())
            .compliance(month: month, orgUnitCode: code)
    }

    /// The builder over the read models for a month's year, the unit (checked) and the month (the latest with data when nil).
    private func prepare(month text: String?, orgUnitCode unit: String?) async throws -> (PictureBuilder, String, Int32) {
        let (year, month) = try Self.parseMonth(text)
        let code = try checkedUnit(unit)
        let builder = try await builder(directive: try await directive(year: year))
        return (builder, code, month ?? Self.latestMonth(builder))
    }

    /// `unit`, or the aggregator's own unit when nil; 404 when it is neither that unit nor one below it.
    private func checkedUnit(_ unit: String?) throws -> String {
        let code = unit ?? orgUnitCode
        guard scope.contains(code) else {
            throw QueryError(status: 404, description: "unknown unit '\(code)' (\(scope.unknownUnitReason(code)))")
        }
        return code
    }

    /// The latest month with a figure or a report, January when there is none.
    static func latestMonth(_ builder: PictureBuilder) -> Int32 {
        let figures = builder.observations.filter { PeriodText.year($0.observation.period) == builder.directive.year }.map { PeriodText.lastMonth($0.observation.period) }
        let reports = builder.reports.map(\.month)
        return max(1, (figures + reports).max() ?? 1)
    }

    /// "2018-06" → (2018, 6); nil → (nil, nil).
    static func parseMonth(_ text: String?) throws -> (year: Int32?, month: Int32?) {
        guard let text, !text.isEmpty else { return (nil, nil) }
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int32(parts[0]), let month = Int32(parts[1]), (2000...2100).contains(year), (1...12).contains(month) else {
            throw QueryError(status: 400, description: "month '\(text)' is not a month like 2018-06")
        }
        return (year, month)
    }
}
