import DepartmentCore
import Foundation
import PlanContracts

/// Serves `planmonitor.budget.v1.BudgetService` over the budget records' ``RecordDesk``.
struct BudgetServer: Planmonitor_Budget_V1_BudgetService.Handler {
    let desk: RecordDesk<BudgetDomain>

    func putRecord(_ request: Planmonitor_Budget_V1_PutBudgetRecordRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_PutRecordResponse {
        try await desk.put(request.record, amend: request.amend, reason: request.reason, call: context)
    }

    func importRecordsCsv(_ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, context: RPCServerContext) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        try await desk.importCSV(request, call: context)
    }

    func listRecords(_ request: Planmonitor_Department_V1_ListRecordsRequest, context: RPCServerContext) async throws -> Planmonitor_Budget_V1_ListBudgetRecordsResponse {
        var response = Planmonitor_Budget_V1_ListBudgetRecordsResponse()
        response.records = try await desk.listed(request, as: Planmonitor_Budget_V1_StoredBudgetRecord.self)
        return response
    }

    func getRecordHistory(_ request: Planmonitor_Department_V1_GetRecordHistoryRequest, context: RPCServerContext) async throws -> Planmonitor_Budget_V1_BudgetRecordHistoryResponse {
        var response = Planmonitor_Budget_V1_BudgetRecordHistoryResponse()
        response.versions = try await desk.versions(of: request.recordID, as: Planmonitor_Budget_V1_StoredBudgetRecord.self)
        return response
    }

    func getYearToDate(_ request: Planmonitor_Department_V1_GetYearToDateRequest, context: RPCServerContext) async throws -> Planmonitor_Budget_V1_BudgetYearToDateResponse {
        let scope = desk.scope
        let unit = try desk.yearToDateUnit(request)
        let records = try await desk.currentRecords(years: [request.year - 1, request.year])
        return BudgetYearToDate(records: records.map(\.record), scope: scope).summary(orgUnitCode: unit, year: request.year, throughMonth: request.throughMonth)
    }
}

/// Execution against the estimate, year to date, from the current budget records.
struct BudgetYearToDate {
    var records: [Planmonitor_Budget_V1_BudgetRecord]
    var scope: OrgUnitScope

    /// The summary of `orgUnitCode` (with the units below it when it is the instance's own).
    func summary(orgUnitCode: String, year: Int32, throughMonth requested: Int32) -> Planmonitor_Budget_V1_BudgetYearToDateResponse {
        func included(_ code: String) -> Bool { scope.includes(code, in: orgUnitCode) }
        let executions = records.compactMap { record -> Planmonitor_Budget_V1_BudgetExecution? in
            guard case .execution(let execution) = record.record, included(execution.orgUnitCode) else { return nil }
            return execution
        }
        let latestMonth = executions.filter { $0.year == year }.map(\.month).max() ?? 0
        let month = requested == 0 ? latestMonth : requested
        func billions(_ money: Planmonitor_Common_V1_Money) -> Decimal { MoneyUnits.amount(money, in: .billionVnd) ?? 0 }
        func executed(_ classification: BudgetClassification, year: Int32) -> Decimal {
            executions.filter { $0.year == year && $0.month <= month && classification.covers($0.classificationCode) }.map { billions($0.amount) }.reduce(0, +)
        }
        let lines = records.compactMap { record -> Planmonitor_Budget_V1_BudgetLine? in
            guard case .line(let line) = record.record, line.year == year, included(line.orgUnitCode), line.phase != .executed else { return nil }
            return line
        }
        /// The estimate in force for a code: adjusted lines if any, else approved; a parent without lines sums its children.
        func estimate(_ classification: BudgetClassification) -> Decimal? {
            let own = lines.filter { $0.classificationCode == classification.code }
            let adjusted = own.filter { $0.phase == .adjusted }
            let chosen = adjusted.isEmpty ? own : adjusted
            if !chosen.isEmpty { return chosen.map { billions($0.amount) }.reduce(0, +) }
            let children = BudgetClassification.all.filter { $0.parentCode == classification.code }.compactMap(estimate)
            return children.isEmpty ? nil : children.reduce(0, +)
        }
        let hasLastYear = executions.contains { $0.year == year - 1 }
        var response = Planmonitor_Budget_V1_BudgetYearToDateResponse()
        response.orgUnitCode = orgUnitCode
        response.year = year
        response.throughMonth = month
        for classification in BudgetClassification.all {
            let done = executed(classification, year: year)
            let plan = estimate(classification)
            guard plan != nil || done != 0 else { continue }
            var line = Planmonitor_Budget_V1_BudgetExecutionSummary()
            line.direction = classification.direction
            line.classificationCode = classification.code
            line.nameVi = classification.nameVi
            line.executed = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(done, scale: 3), unit: .billionVnd)
            if let plan {
                line.estimate = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(plan, scale: 3), unit: .billionVnd)
                if plan > 0 { line.percentOfEstimate = UnitCodes.decimalString(done / plan * 100, scale: 2) }
            }
            if hasLastYear {
                let before = executed(classification, year: year - 1)
                line.samePeriodLastYear = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(before, scale: 3), unit: .billionVnd)
                if before > 0 { line.percentOfLastYear = UnitCodes.decimalString(done / before * 100, scale: 2) }
            }
            response.lines.append(line)
        }
        var stock: Decimal = 0
        var recovered: Decimal = 0
        var latestStockMonth: [String: Int32] = [:]
        for record in records {
            guard case .arrears(let arrears) = record.record, arrears.year == year, arrears.month <= month, included(arrears.orgUnitCode) else { continue }
            recovered += billions(arrears.recovered)
            latestStockMonth[arrears.orgUnitCode] = max(latestStockMonth[arrears.orgUnitCode] ?? 0, arrears.month)
        }
        for record in records {
            guard case .arrears(let arrears) = record.record, arrears.year == year, latestStockMonth[arrears.orgUnitCode] == arrears.month, included(arrears.orgUnitCode) else { continue }
            stock += billions(arrears.stock)
        }
        response.arrearsStock = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(stock, scale: 3), unit: .billionVnd)
        response.arrearsRecovered = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(recovered, scale: 3), unit: .billionVnd)
        return response
    }
}


extension Planmonitor_Budget_V1_StoredBudgetRecord: StoredRecordMessage {}
extension Planmonitor_Budget_V1_BudgetRecordChanged: StoredRecordMessage {}
