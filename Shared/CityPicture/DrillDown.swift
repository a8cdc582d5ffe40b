import DepartmentCore
import DirectiveParser
import Foundation
import PlanAnalysis
import PlanContracts

/// A target opened up: its figure for the city and each district, the tasks of the agencies that own it, and the
/// records behind it (FDI → investment projects; domestic revenue → budget lines).
struct TargetDrillDown: Codable, Sendable, Equatable {
    var target: TargetPicture
    var districts: [DistrictTarget]
    var tasks: [TaskItem]
    var records: [RecordSummary]
}

/// A target for one district.
struct DistrictTarget: Codable, Sendable, Equatable {
    var code: String
    var name: String
    var target: TargetPicture
}

/// A department record behind a figure.
struct RecordSummary: Codable, Sendable, Equatable {
    var service: String
    var recordID: String
    var kind: String
    var orgUnitCode: String
    /// "Sở Tài chính: thu nội địa — thuế, phí và lệ phí, tháng 6/2018: 1.950 tỷ đồng".
    var summary: String
    /// The amount in the figure's unit, when it has one.
    var amount: Double?
    var version: Int32
    var provenance: Provenance
}

/// An agency: the tasks it leads, its reporting month by month, its reports.
struct AgencyView: Codable, Sendable, Equatable {
    var code: String
    var name: String
    var service: String
    var tasks: [TaskItem]
    var compliance: [AgencyMonth]
    var reports: [ReportSummary]
}

/// An agency's reporting for one month of the year.
struct AgencyMonth: Codable, Sendable, Equatable {
    var month: Int32
    /// on_time, late, missing, not_due.
    var status: String
    var statusVi: String
    /// When its first report for the month was received.
    var receivedAt: Date?
    /// Days late (0 when on time).
    var daysLate: Int
}

/// One report version as received.
struct ReportSummary: Codable, Sendable, Equatable {
    var reportID: String
    var version: Int32
    var month: Int32
    var receivedAt: Date
    var correctionReason: String
    var figures: Int
    var tasks: Int
}

extension PictureQueries {
    /// The drill-down of target `code` ("11", "1.a") for a month.
    func drillDown(target code: String, month text: String?) async throws -> TargetDrillDown {
        let (year, month) = try Self.parseMonth(text)
        let directive = try await directive(year: year)
        let builder = try await builder(directive: directive)
        let chosenMonth = month ?? Self.latestMonth(builder)
        guard let target = builder.target(code: code, orgUnitCode: orgUnitCode, month: chosenMonth) else {
            let codes = builder.targetLines.map(\.code).joined(separator: ", ")
            throw QueryError(status: 404, description: "the \(directive.year) directive has no target '\(code)' (targets: \(codes))")
        }
        let districts = scope.codes.dropFirst().compactMap { district in
            builder.target(code: code, orgUnitCode: district, month: chosenMonth).map {
                DistrictTarget(code: district, name: scope.names[district] ?? district, target: $0)
            }
        }
        let owners = Set(builder.agencies.agencies.filter { $0.service.rawValue == target.ownerService }.map(\.code))
        let tasks = builder.taskItems(month: chosenMonth, orgUnitCode: orgUnitCode).filter { !Set($0.leadAgencyCodes).isDisjoint(with: owners) }
        return TargetDrillDown(target: target, districts: districts, tasks: tasks, records: try await records(behind: target.number, year: directive.year, through: chosenMonth))
    }

    /// The department records behind a target from January through `month`: domestic revenue collected for domestic
    /// revenue (6), FDI projects certified and FDI capital adjustments for FDI (11).
    func records(behind target: Int32, year: Int32, through month: Int32) async throws -> [RecordSummary] {
        let store = ReadModelStore(schema: schema)
        var summaries: [RecordSummary] = []
        func money(_ amount: Decimal?, _ unit: String) -> String {
            amount.map { "\(NumberStyle.vietnamese.format(exact: $0)) \(unit)" } ?? "—"
        }
        if target == 6 {
            for (event, provenance) in try await store.records(Planmonitor_Budget_V1_BudgetRecordChanged.self, client: database, logger: logger) {
                guard case .execution(let execution) = event.record.record, execution.year == year, execution.month <= month,
                      execution.direction == .revenue, execution.classificationCode.hasPrefix("domestic") else { continue }
                let amount = MoneyUnits.amount(execution.amount, in: .billionVnd)
                summaries.append(RecordSummary(
                    service: "budget", recordID: event.change.recordID, kind: "budget-execution", orgUnitCode: execution.orgUnitCode,
                    summary: "\(execution.classificationCode), tháng \(execution.month)/\(execution.year): \(money(amount, "tỷ đồng"))",
                    amount: amount.map { NSDecimalNumber(decimal: $0).doubleValue }, version: event.change.version,
                    provenance: Provenance(messageID: provenance.messageID.uuidString.lowercased(), service: "budget", agencyCode: event.change.changedBy.agencyCode, orgUnitCode: execution.orgUnitCode, receivedAt: provenance.receivedAt)))
            }
        }
        if target == 11 {
            let investment = try await store.records(Planmonitor_Investment_V1_InvestmentRecordChanged.self, client: database, logger: logger)
            var projects: [String: Planmonitor_Investment_V1_InvestmentProject] = [:]
            for (event, _) in investment { if case .project(let project) = event.record.record { projects[project.recordID] = project } }
            for (event, provenance) in investment {
                let provenance = Provenance(messageID: provenance.messageID.uuidString.lowercased(), service: "investment", agencyCode: event.change.changedBy.agencyCode, orgUnitCode: "", receivedAt: provenance.receivedAt)
                switch event.record.record {
                case .project(let project) where project.kind == .fdi && project.certifiedOn.year == year && project.certifiedOn.month <= month:
                    let amount = MoneyUnits.amount(project.registeredCapital, in: .billionUsd)
                    var located = provenance
                    located.orgUnitCode = project.orgUnitCode
                    summaries.append(RecordSummary(
                        service: "investment", recordID: event.change.recordID, kind: "investment-project", orgUnitCode: project.orgUnitCode,
                        summary: "\(project.name) (\(project.investor), \(project.investorCountry)), cấp ngày \(LocalDay.iso(project.certifiedOn))\(project.status == .revoked ? ", đã thu hồi" : ""): \(money(amount, "tỷ USD"))",
                        amount: amount.map { NSDecimalNumber(decimal: $0).doubleValue }, version: event.change.version, provenance: located))
                case .adjustment(let adjustment) where adjustment.adjustedOn.year == year && adjustment.adjustedOn.month <= month:
                    guard let project = projects[adjustment.projectID], project.kind == .fdi else { continue }
                    let amount = MoneyUnits.amount(adjustment.amount, in: .billionUsd)
                    var located = provenance
                    located.orgUnitCode = project.orgUnitCode
                    summaries.append(RecordSummary(
                        service: "investment", recordID: event.change.recordID, kind: "capital-adjustment", orgUnitCode: project.orgUnitCode,
                        summary: "điều chỉnh vốn \(project.name), ngày \(LocalDay.iso(adjustment.adjustedOn)): \(money(amount, "tỷ USD"))",
                        amount: amount.map { NSDecimalNumber(decimal: $0).doubleValue }, version: event.change.version, provenance: located))
                default:
                    continue
                }
            }
        }
        return summaries
    }

    /// An agency's view for the year of a month.
    func agency(code: String, month text: String?) async throws -> AgencyView {
        let (year, month) = try Self.parseMonth(text)
        let directive = try await directive(year: year)
        let builder = try await builder(directive: directive)
        guard let agency = builder.agencies.agency(code: code) else {
            throw QueryError(status: 404, description: "unknown agency '\(code)'")
        }
        let chosenMonth = month ?? Self.latestMonth(builder)
        let judge = ComplianceJudge(directive: directive, reports: builder.reports, agencies: builder.agencies, scope: scope, now: builder.now)
        let compliance = (1...chosenMonth).map { month -> AgencyMonth in
            let state = judge.state(of: code, month: month)
            return AgencyMonth(month: month, status: state.status, statusVi: ComplianceJudge.statusVi(state.status), receivedAt: state.receivedAt, daysLate: state.daysLate)
        }
        let reports = builder.reports.filter { $0.agencyCode == code }.map {
            ReportSummary(reportID: $0.reportID, version: $0.version, month: $0.month, receivedAt: $0.receivedAt.date, correctionReason: $0.correctionReason, figures: $0.observations.count, tasks: $0.tasks.count)
        }
        return AgencyView(
            code: code, name: agency.nameVi, service: agency.service.rawValue,
            tasks: builder.taskItems(month: chosenMonth, orgUnitCode: orgUnitCode).filter { $0.leadAgencyCodes.contains(code) },
            compliance: compliance, reports: reports)
    }
}
