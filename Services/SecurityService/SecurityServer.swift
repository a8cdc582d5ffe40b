import DepartmentCore
import Foundation
import PlanContracts

/// Serves `planmonitor.security.v1.SecurityService` over the security records' ``RecordDesk``: the records to callers
/// with the security role (``SecurityAccess``), their aggregates to anyone.
struct SecurityServer: Planmonitor_Security_V1_SecurityService.Handler {
    let desk: RecordDesk<SecurityDomain>
    let access: SecurityAccess

    func putRecord(_ request: Planmonitor_Security_V1_PutSecurityRecordRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_PutRecordResponse {
        try access.requireSecurityRole(context, for: "writing a security record")
        return try await desk.put(request.record, amend: request.amend, reason: request.reason, call: context)
    }

    func importRecordsCsv(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        try access.requireSecurityRole(context, for: "importing security records")
        return try await desk.importCSV(request, call: context)
    }

    func listRecords(_ request: Planmonitor_Department_V1_ListRecordsRequest, context: RPCServerContext) async throws -> Planmonitor_Security_V1_ListSecurityRecordsResponse {
        try access.requireSecurityRole(context, for: "listing security records (case-level data)")
        var response = Planmonitor_Security_V1_ListSecurityRecordsResponse()
        response.records = try await desk.listed(request, as: Planmonitor_Security_V1_StoredSecurityRecord.self)
        return response
    }

    func getRecordHistory(_ request: Planmonitor_Department_V1_GetRecordHistoryRequest, context: RPCServerContext) async throws -> Planmonitor_Security_V1_SecurityRecordHistoryResponse {
        try access.requireSecurityRole(context, for: "reading a security record's history (case-level data)")
        var response = Planmonitor_Security_V1_SecurityRecordHistoryResponse()
        response.versions = try await desk.versions(of: request.recordID, as: Planmonitor_Security_V1_StoredSecurityRecord.self)
        return response
    }

    func getYearToDate(_ request: Planmonitor_Department_V1_GetYearToDateRequest, context: RPCServerContext) async throws -> Planmonitor_Security_V1_SecurityYearToDateResponse {
        let scope = desk.scope
        let unit = try desk.yearToDateUnit(request)
        let records = try await desk.currentRecords(years: [request.year - 1, request.year])
        let communes = desk.domain.communes
        let thisYear = SecurityFigures(records: records, year: request.year, scope: scope, communes: communes)
        let lastYear = SecurityFigures(records: records, year: request.year - 1, scope: scope, communes: communes)
        return SecurityYearToDate(thisYear: thisYear, lastYear: lastYear).summary(unit: unit, throughMonth: request.throughMonth)
    }
}

/// A year's aggregates from January through a month, against the same months of the year before.
struct SecurityYearToDate {
    /// The year asked for.
    var thisYear: SecurityFigures
    /// The year before.
    var lastYear: SecurityFigures

    /// The summary of `unit` (with its districts) through `requested` (0: the latest month with records).
    func summary(unit: String, throughMonth requested: Int32) -> Planmonitor_Security_V1_SecurityYearToDateResponse {
        let month = requested == 0 ? thisYear.lastMonth(unit: unit) : requested
        let months: ClosedRange<Int32> = 1...max(month, 1)
        var response = Planmonitor_Security_V1_SecurityYearToDateResponse()
        response.orgUnitCode = unit
        response.year = thisYear.year
        response.throughMonth = month
        guard month > 0 else { return response }
        let casesKeptLastYear = lastYear.hasCases(unit: unit, months: months)
        for (category, _, _) in SecurityVocabulary.categories {
            let now = thisYear.caseCount(category, unit: unit, months: months)
            let before = lastYear.caseCount(category, unit: unit, months: months)
            response.cases.append(.with { $0.category = category; $0.cases = Self.yearOnYear(now, before, hasLastYear: casesKeptLastYear) })
        }
        let traffic = thisYear.trafficAccidents(unit: unit, months: months)
        let trafficBefore = lastYear.trafficAccidents(unit: unit, months: months)
        let hasTrafficBefore = trafficBefore.records > 0
        response.trafficCases = Self.yearOnYear(traffic.cases, trafficBefore.cases, hasLastYear: hasTrafficBefore)
        response.trafficDeaths = Self.yearOnYear(traffic.deaths, trafficBefore.deaths, hasLastYear: hasTrafficBefore)
        response.trafficInjuries = Self.yearOnYear(traffic.injuries, trafficBefore.injuries, hasLastYear: hasTrafficBefore)
        response.trafficFellOnAllThree = hasTrafficBefore && [response.trafficCases, response.trafficDeaths, response.trafficInjuries].allSatisfy { $0.change < 0 }
        let fires = thisYear.firesAndExplosions(unit: unit, months: months)
        let firesBefore = lastYear.firesAndExplosions(unit: unit, months: months)
        let hasFiresBefore = firesBefore.records > 0
        response.fireCases = Self.yearOnYear(fires.cases, firesBefore.cases, hasLastYear: hasFiresBefore)
        response.fireDeaths = Self.yearOnYear(fires.deaths, firesBefore.deaths, hasLastYear: hasFiresBefore)
        response.fireInjuries = Self.yearOnYear(fires.injuries, firesBefore.injuries, hasLastYear: hasFiresBefore)
        response.fireDamage = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(fires.damageBillionVND, scale: 3), unit: .billionVnd)
        if let (quota, delivered) = thisYear.conscription(unit: unit) {
            response.conscriptionQuota = Int32(clamping: quota)
            response.conscriptionDelivered = Int32(clamping: delivered)
            if quota > 0 { response.conscriptionPercent = Self.percent(delivered, of: quota) }
        }
        for (kind, _, _) in SecurityVocabulary.drillKinds {
            let (planned, held) = thisYear.drills(kind, unit: unit, heldThrough: month)
            guard planned > 0 else { continue }
            response.drills.append(.with {
                $0.kind = kind
                $0.planned = Int32(clamping: planned)
                $0.held = Int32(clamping: held)
                $0.percent = Self.percent(held, of: planned)
            })
        }
        let (drilled, communes) = thisYear.communesDrilled(unit: unit, heldThrough: month)
        response.communesDrilled = Int32(clamping: drilled)
        response.communes = Int32(clamping: communes)
        if communes > 0 { response.communesDrilledPercent = Self.percent(drilled, of: communes) }
        return response
    }

    /// A count against the same period of last year.
    static func yearOnYear(_ now: Int64, _ before: Int64, hasLastYear: Bool) -> Planmonitor_Security_V1_YearOnYear {
        var figure = Planmonitor_Security_V1_YearOnYear()
        figure.thisYear = now
        figure.lastYearRecorded = hasLastYear
        guard hasLastYear else { return figure }
        figure.samePeriodLastYear = before
        figure.change = now - before
        if before > 0 { figure.percentChange = UnitCodes.decimalString(Decimal(now - before) / Decimal(before) * 100, scale: 2) }
        return figure
    }

    /// part / whole × 100 with at most two decimals.
    static func percent(_ part: Int64, of whole: Int64) -> String {
        UnitCodes.decimalString(Decimal(part) / Decimal(whole) * 100, scale: 2)
    }
}


extension Planmonitor_Security_V1_StoredSecurityRecord: StoredRecordMessage {}
