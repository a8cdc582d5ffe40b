import DepartmentCore
import Foundation
import PlanContracts

/// Serves `planmonitor.social.v1.SocialService` over the social records' ``RecordDesk``.
struct SocialServer: Planmonitor_Social_V1_SocialService.Handler {
    let desk: RecordDesk<SocialDomain>

    func putRecord(_ request: Planmonitor_Social_V1_PutSocialRecordRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_PutRecordResponse {
        try await desk.put(request.record, amend: request.amend, reason: request.reason, call: context)
    }

    func importRecordsCsv(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        try await desk.importCSV(request, call: context)
    }

    func listRecords(_ request: Planmonitor_Department_V1_ListRecordsRequest, context: RPCServerContext) async throws -> Planmonitor_Social_V1_ListSocialRecordsResponse {
        var response = Planmonitor_Social_V1_ListSocialRecordsResponse()
        response.records = try await desk.listed(request, as: Planmonitor_Social_V1_StoredSocialRecord.self)
        return response
    }

    func getRecordHistory(_ request: Planmonitor_Department_V1_GetRecordHistoryRequest, context: RPCServerContext) async throws -> Planmonitor_Social_V1_SocialRecordHistoryResponse {
        var response = Planmonitor_Social_V1_SocialRecordHistoryResponse()
        response.versions = try await desk.versions(of: request.recordID, as: Planmonitor_Social_V1_StoredSocialRecord.self)
        return response
    }

    func getYearToDate(_ request: Planmonitor_Department_V1_GetYearToDateRequest, context: RPCServerContext) async throws -> Planmonitor_Social_V1_SocialYearToDateResponse {
        let scope = desk.scope
        let unit = try desk.yearToDateUnit(request)
        let records = try await desk.currentRecords(years: [request.year])
        return SocialFigures(records: records, year: request.year, scope: scope).yearToDate(unit: unit, throughMonth: request.throughMonth)
    }
}

extension SocialFigures {
    /// The summary of `unit` (with its districts) from January through `requested` (0: the latest month with records).
    func yearToDate(unit: String, throughMonth requested: Int32) -> Planmonitor_Social_V1_SocialYearToDateResponse {
        let month = requested == 0 ? lastMonth(unit: unit) : requested
        var response = Planmonitor_Social_V1_SocialYearToDateResponse()
        response.orgUnitCode = unit
        response.year = year
        response.throughMonth = month
        response.jobsDomestic = jobsCreated(unit: unit, through: month, channel: .domestic).persons
        response.jobsLabourExport = jobsCreated(unit: unit, through: month, channel: .labourExport).persons
        (response.trainingEnrolled, response.trainingGraduated) = trainingTotals(unit: unit, through: month)
        response.assistanceBeneficiaries = assistanceBeneficiaries(unit: unit, through: month)
        for (group, _, _) in SocialMeasures.insuranceGroups {
            guard let participants = insuranceParticipants(group, unit: unit, through: month) else { continue }
            response.insurance.append(.with { $0.group = group; $0.participants = participants })
        }
        for definition in SocialMeasures.rates {
            guard let latest = latestRateMonth(definition.measure, unit: unit, through: month),
                  let fraction = rate(definition.measure, unit: unit, month: latest) else { continue }
            var summary = Planmonitor_Social_V1_RateSummary()
            summary.measure = definition.measure
            summary.targetNumber = definition.targetNumber
            summary.subTargetCode = definition.subTargetCode
            summary.month = latest
            summary.numerator = UnitCodes.decimalString(fraction.numerator, scale: 6)
            summary.denominator = UnitCodes.decimalString(fraction.denominator, scale: 6)
            summary.percent = UnitCodes.decimalString(fraction.percent, scale: 4)
            summary.districts = Int32(fraction.districts.count)
            if let since = rateSinceStartOfYear(definition.measure, unit: unit, month: latest) {
                summary.startOfYearPercent = UnitCodes.decimalString(since.start.percent, scale: 4)
                summary.changeInPoints = UnitCodes.decimalString(since.current.percent - since.start.percent, scale: 4)
            }
            response.rates.append(summary)
        }
        let state = newRural(unit: unit, through: month)
        response.newRural = .with {
            $0.communesAssessed = Int32(state.communesAssessed)
            $0.criteriaMet = Int32(state.criteriaMet)
            $0.averageCriteria = state.averageCriteria.map { UnitCodes.decimalString($0, scale: 2) } ?? ""
            $0.communesMeetingAll = Int32(state.communesMeetingAll)
            $0.communesNewlyMeetingAll = Int32(state.communesNewlyMeetingAll)
            $0.communesWithoutStartOfYear = Int32(state.communesWithoutStartOfYear)
        }
        return response
    }
}


extension Planmonitor_Social_V1_StoredSocialRecord: StoredRecordMessage {}
extension Planmonitor_Social_V1_SocialRecordChanged: StoredRecordMessage {}
