import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO

/// Serves `planmonitor.infrastructure.v1.InfrastructureService` over the infrastructure records' ``RecordDesk``, whose
/// every change also brings the early warnings in step (``ProjectWarningReview``, in the change's transaction).
struct InfrastructureServer: Planmonitor_Infrastructure_V1_InfrastructureService.Handler {
    /// The records.
    let desk: RecordDesk<InfrastructureDomain>
    /// The early warnings in force, for the register's listing.
    let warnings: ProjectWarningReview
    /// The service's database (for the latest directive year).
    let database: PostgresClient
    /// The service's schema.
    let schema: SchemaName
    /// Where seeding is logged.
    let logger: Logger

    func putRecord(_ request: Planmonitor_Infrastructure_V1_PutInfrastructureRecordRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_PutRecordResponse {
        try await desk.put(request.record, amend: request.amend, reason: request.reason, call: context)
    }

    func importRecordsCsv(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        try await desk.importCSV(request, call: context)
    }

    func listRecords(_ request: Planmonitor_Department_V1_ListRecordsRequest, context: RPCServerContext) async throws -> Planmonitor_Infrastructure_V1_ListInfrastructureRecordsResponse {
        var response = Planmonitor_Infrastructure_V1_ListInfrastructureRecordsResponse()
        response.records = try await desk.listed(request, as: Planmonitor_Infrastructure_V1_StoredInfrastructureRecord.self)
        return response
    }

    func getRecordHistory(_ request: Planmonitor_Department_V1_GetRecordHistoryRequest, context: RPCServerContext) async throws -> Planmonitor_Infrastructure_V1_InfrastructureRecordHistoryResponse {
        var response = Planmonitor_Infrastructure_V1_InfrastructureRecordHistoryResponse()
        response.versions = try await desk.versions(of: request.recordID, as: Planmonitor_Infrastructure_V1_StoredInfrastructureRecord.self)
        return response
    }

    func getYearToDate(_ request: Planmonitor_Department_V1_GetYearToDateRequest, context: RPCServerContext) async throws -> Planmonitor_Infrastructure_V1_PublicInvestmentYearToDateResponse {
        let scope = desk.scope
        let unit = try desk.yearToDateUnit(request) { unit in
            unit == scope.orgUnitCode ? nil : "the register is kept for \(scope.orgUnitCode) as a whole; '\(unit)' has no register of its own"
        }
        let register = try await register(year: request.year)
        let month = request.throughMonth == 0 ? (register.latestProgressMonth ?? 0) : request.throughMonth
        let investment = PublicInvestment(register: register)
        var response = Planmonitor_Infrastructure_V1_PublicInvestmentYearToDateResponse()
        response.orgUnitCode = unit
        response.year = request.year
        response.throughMonth = month
        response.city = investment.summary(through: month, owner: nil)
        response.byOwner = investment.owners.map { investment.summary(through: month, owner: $0) }
        return response
    }

    func listProjects(_ request: Planmonitor_Infrastructure_V1_ListProjectsRequest, context: RPCServerContext) async throws -> Planmonitor_Infrastructure_V1_ListProjectsResponse {
        let year = try await resolvedYear(request.year)
        let register = try await register(year: year)
        let activeByProject = Dictionary(grouping: try await warnings.activeWarnings(year: year), by: \.projectID)
        var response = Planmonitor_Infrastructure_V1_ListProjectsResponse()
        response.year = year
        for project in register.projects where request.ownerAgencyCode.isEmpty || project.ownerAgencyCode == request.ownerAgencyCode {
            var standing = Planmonitor_Infrastructure_V1_ProjectStanding()
            standing.project = project
            let progress = register.progress[project.recordID] ?? []
            if let latest = progress.last { standing.latestProgress = latest }
            if let latest = register.clearances[project.recordID]?.last { standing.latestSiteClearance = latest }
            standing.milestones = register.milestones[project.recordID] ?? []
            standing.contractChanges = register.contractChanges[project.recordID] ?? []
            let disbursed = register.disbursed(project.recordID, through: progress.last?.month ?? 0)
            standing.disbursed = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(disbursed, scale: 3), unit: .billionVnd)
            if let plan = ProjectRegister.capitalPlan(of: project) { standing.percentOfPlan = UnitCodes.decimalString(disbursed / plan * 100, scale: 2) }
            standing.warnings = activeByProject[project.recordID] ?? []
            response.projects.append(standing)
        }
        return response
    }

    func exportOc4ids(_ request: Planmonitor_Infrastructure_V1_ExportOc4idsRequest, context: RPCServerContext) async throws -> Planmonitor_Infrastructure_V1_ExportOc4idsResponse {
        let year = try await resolvedYear(request.year)
        let register = try await register(year: year)
        guard !register.projects.isEmpty else {
            throw RPCError(.failedPrecondition, "the \(year) register has no projects to export (seed it or add project records first)")
        }
        var response = Planmonitor_Infrastructure_V1_ExportOc4idsResponse()
        response.packageJson = try OC4IDSExport(register: register, orgUnitCode: desk.scope.orgUnitCode, publishedAt: context.receivedAt).json()
        response.projectCount = Int32(register.projects.count)
        return response
    }

    /// Stores the seed projects not yet registered, one `PutRecord` each (each with its own change, audit entry and
    /// event); a seed project already registered is left alone. Running it again stores nothing.
    func seedRegister(_ request: Planmonitor_Infrastructure_V1_SeedRegisterRequest, context: RPCServerContext) async throws -> Planmonitor_Infrastructure_V1_SeedRegisterResponse {
        let year = try await resolvedYear(request.year)
        let seed: ProjectSeed
        do {
            guard let bundled = try ProjectSeed.bundled(year: year) else {
                throw RPCError(.failedPrecondition, "the service has no seed register for \(year)")
            }
            seed = bundled
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.internal, "the \(year) seed register cannot be read: \(error)")
        }
        let projects: [Planmonitor_Infrastructure_V1_Project]
        do {
            projects = try seed.projects(orgUnitCode: desk.scope.orgUnitCode)
        } catch {
            throw RPCError(.internal, "the \(year) seed register is not usable: \(error)")
        }
        let stored = Dictionary(
            try await desk.currentRecords(years: [year]).compactMap { stored -> (String, Planmonitor_Infrastructure_V1_InfrastructureRecord)? in
                guard case .project = stored.record.record else { return nil }
                return (stored.change.recordID, stored.record)
            },
            uniquingKeysWith: { first, _ in first })
        var response = Planmonitor_Infrastructure_V1_SeedRegisterResponse()
        response.year = year
        for project in projects {
            let record = Planmonitor_Infrastructure_V1_InfrastructureRecord.with { $0.project = project }
            if let existing = stored[project.recordID] {
                if existing == record { response.unchangedIds.append(project.recordID) } else { response.keptIds.append(project.recordID) }
                continue
            }
            _ = try await desk.put(record, amend: false, reason: "", call: context)
            response.createdIds.append(project.recordID)
        }
        logger.info("seeded the project register", metadata: [
            "year": "\(year)", "created": "\(response.createdIds.count)", "unchanged": "\(response.unchangedIds.count)", "kept": "\(response.keptIds.count)",
        ])
        return response
    }

    // MARK: Shared steps

    /// The current register of `year`.
    private func register(year: Int32) async throws -> ProjectRegister {
        ProjectRegister(records: try await desk.currentRecords(years: [year]).map(\.record), year: year)
    }

    /// `year`, or the year of the latest directive the instance received when it is 0.
    private func resolvedYear(_ year: Int32) async throws -> Int32 {
        if year != 0 {
            var violations = FieldViolations()
            violations.requireYear(year, "year", expectedYear: nil)
            if let error = violations.error("the year is not valid") { throw error }
            return year
        }
        let scope = desk.scope
        let units = [scope.orgUnitCode] + (scope.parentCode.map { [$0] } ?? [])
        let latest = try await database.withConnection { connection in
            try await DirectiveShareStore(schema: schema).latestYear(orgUnitCodes: units, on: connection, logger: logger)
        }
        guard let latest else {
            throw RPCError(.failedPrecondition, "no directive has been received yet: give the year")
        }
        return latest
    }
}


extension Planmonitor_Infrastructure_V1_StoredInfrastructureRecord: StoredRecordMessage {}
extension Planmonitor_Infrastructure_V1_InfrastructureRecordChanged: StoredRecordMessage {}
