import DepartmentCore
import Foundation
import PlanContracts

/// Serves `planmonitor.investment.v1.InvestmentService` over the investment records' ``RecordDesk``.
struct InvestmentServer: Planmonitor_Investment_V1_InvestmentService.Handler {
    let desk: RecordDesk<InvestmentDomain>

    func putRecord(_ request: Planmonitor_Investment_V1_PutInvestmentRecordRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_PutRecordResponse {
        try await desk.put(request.record, amend: request.amend, reason: request.reason, call: context)
    }

    func importRecordsCsv(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        try await desk.importCSV(request, call: context)
    }

    func listRecords(_ request: Planmonitor_Department_V1_ListRecordsRequest, context: RPCServerContext) async throws -> Planmonitor_Investment_V1_ListInvestmentRecordsResponse {
        var response = Planmonitor_Investment_V1_ListInvestmentRecordsResponse()
        response.records = try await desk.listed(request, as: Planmonitor_Investment_V1_StoredInvestmentRecord.self)
        return response
    }

    func getRecordHistory(_ request: Planmonitor_Department_V1_GetRecordHistoryRequest, context: RPCServerContext) async throws -> Planmonitor_Investment_V1_InvestmentRecordHistoryResponse {
        var response = Planmonitor_Investment_V1_InvestmentRecordHistoryResponse()
        response.versions = try await desk.versions(of: request.recordID, as: Planmonitor_Investment_V1_StoredInvestmentRecord.self)
        return response
    }

    /// The totals from the records of the year and the year before, and the projects of the year's adjustments and
    /// disbursements certified earlier still.
    func getYearToDate(_ request: Planmonitor_Department_V1_GetYearToDateRequest, context: RPCServerContext) async throws -> Planmonitor_Investment_V1_InvestmentYearToDateResponse {
        let scope = desk.scope
        let unit = try desk.yearToDateUnit(request)
        let records = try await desk.currentRecords(years: [request.year - 1, request.year]).map(\.record)
        var projects = InvestmentDomain.projectsByID(records)
        let referenced = desk.domain.referencedRecordIDs(in: records)
        for (projectID, stored) in try await desk.currentRecords(ids: referenced.subtracting(projects.keys).sorted()) {
            if case .project(let project)? = stored.record.record { projects[projectID] = project }
        }
        return InvestmentYearToDate(records: records, projects: projects, scope: scope)
            .summary(orgUnitCode: unit, year: request.year, throughMonth: request.throughMonth)
    }
}

/// FDI attracted, projects certified and revoked, capital disbursed and enterprises, year to date, from the current
/// investment records.
struct InvestmentYearToDate {
    /// The current records.
    var records: [Planmonitor_Investment_V1_InvestmentRecord]
    /// The projects the records and their adjustments and disbursements name, by id.
    var projects: [String: Planmonitor_Investment_V1_InvestmentProject]
    /// The units the instance serves.
    var scope: OrgUnitScope

    /// The summary of `orgUnitCode` (with the units below it when it is the instance's own). An adjustment or
    /// disbursement counts for the unit of its project; revocations count among the projects at hand (certified in
    /// the year or the year before, or named by the year's adjustments and disbursements).
    func summary(orgUnitCode: String, year: Int32, throughMonth requested: Int32) -> Planmonitor_Investment_V1_InvestmentYearToDateResponse {
        func included(_ code: String) -> Bool { scope.includes(code, in: orgUnitCode) }
        func project(_ id: String) -> Planmonitor_Investment_V1_InvestmentProject? { projects[id].flatMap { included($0.orgUnitCode) ? $0 : nil } }
        let certified = projects.values.filter { $0.certifiedOn.year == year && included($0.orgUnitCode) }
        let revoked = projects.values.filter { $0.status == .revoked && $0.revokedOn.year == year && included($0.orgUnitCode) }
        var adjustments: [(adjustment: Planmonitor_Investment_V1_CapitalAdjustment, project: Planmonitor_Investment_V1_InvestmentProject)] = []
        var disbursements: [(disbursement: Planmonitor_Investment_V1_CapitalDisbursement, project: Planmonitor_Investment_V1_InvestmentProject)] = []
        var enterprises: [Planmonitor_Investment_V1_EnterpriseRegistrations] = []
        for record in records {
            switch record.record {
            case .adjustment(let adjustment) where adjustment.adjustedOn.year == year:
                if let project = project(adjustment.projectID) { adjustments.append((adjustment, project)) }
            case .disbursement(let disbursement) where disbursement.year == year:
                if let project = project(disbursement.projectID) { disbursements.append((disbursement, project)) }
            case .enterprises(let registrations) where registrations.year == year && included(registrations.orgUnitCode):
                enterprises.append(registrations)
            default:
                break
            }
        }
        let activeMonths = certified.map(\.certifiedOn.month) + revoked.map(\.revokedOn.month) + adjustments.map(\.adjustment.adjustedOn.month)
            + disbursements.map(\.disbursement.month) + enterprises.map(\.month)
        let month = requested == 0 ? activeMonths.max() ?? 0 : requested

        func billionUSD(_ money: Planmonitor_Common_V1_Money) -> Decimal { MoneyUnits.amount(money, in: .billionUsd) ?? 0 }
        func billionVND(_ money: Planmonitor_Common_V1_Money) -> Decimal { MoneyUnits.amount(money, in: .billionVnd) ?? 0 }
        let newFDI = certified.filter { $0.kind == .fdi && $0.certifiedOn.month <= month }
        let fdiNew = newFDI.map { billionUSD($0.registeredCapital) }.reduce(0, +)
        let fdiAdditional = adjustments.filter { $0.project.kind == .fdi && $0.adjustment.adjustedOn.month <= month }
            .map { billionUSD($0.adjustment.amount) }.reduce(0, +)
        let domesticNew = certified.filter { $0.kind != .fdi && $0.certifiedOn.month <= month }.map { billionVND($0.registeredCapital) }.reduce(0, +)
        let domesticAdditional = adjustments.filter { $0.project.kind != .fdi && $0.adjustment.adjustedOn.month <= month }
            .map { billionVND($0.adjustment.amount) }.reduce(0, +)
        let fdiDisbursed = disbursements.filter { $0.project.kind == .fdi && $0.disbursement.month <= month }
            .map { billionUSD($0.disbursement.amount) }.reduce(0, +)
        let enterprisesToDate = enterprises.filter { $0.month <= month }
        let countedMonth = enterprisesToDate.filter { $0.activeAtMonthEnd >= 0 }.map(\.month).max()

        var response = Planmonitor_Investment_V1_InvestmentYearToDateResponse()
        response.orgUnitCode = orgUnitCode
        response.year = year
        response.throughMonth = month
        response.fdiAttracted = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(fdiNew + fdiAdditional, scale: 6), unit: .billionUsd)
        response.fdiNewCapital = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(fdiNew, scale: 6), unit: .billionUsd)
        response.fdiAdditionalCapital = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(fdiAdditional, scale: 6), unit: .billionUsd)
        response.fdiProjectsCertified = Int32(newFDI.count)
        response.domesticRegistered = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(domesticNew + domesticAdditional, scale: 3), unit: .billionVnd)
        response.projectsRevoked = Int32(revoked.filter { $0.revokedOn.month <= month }.count)
        response.fdiDisbursed = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(fdiDisbursed, scale: 6), unit: .billionUsd)
        response.enterprisesRegistered = enterprisesToDate.map(\.registered).reduce(0, +)
        response.enterprisesDissolved = enterprisesToDate.map(\.dissolved).reduce(0, +)
        response.enterprisesActive = countedMonth.map { latest in
            enterprisesToDate.filter { $0.month == latest && $0.activeAtMonthEnd >= 0 }.map(\.activeAtMonthEnd).reduce(0, +)
        } ?? -1
        return response
    }
}


extension Planmonitor_Investment_V1_StoredInvestmentRecord: StoredRecordMessage {}
extension Planmonitor_Investment_V1_InvestmentRecordChanged: StoredRecordMessage {}
