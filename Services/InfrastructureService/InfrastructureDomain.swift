import DepartmentCore
import DirectiveParser
import Foundation
import PlanContracts

/// The infrastructure service's records: the register of key works (projects), their milestones, contract changes,
/// monthly progress and site clearance. It derives the year's public-investment disbursement against the capital plan
/// (``PublicInvestment``), city-wide and by owner agency.
///
/// Milestones, contract changes, progress and site clearance name their project but no unit: they are placed under
/// the instance's own unit, in the project's plan year.
struct InfrastructureDomain: RecordDomain {
    typealias Record = Planmonitor_Infrastructure_V1_InfrastructureRecord
    typealias ChangedEvent = Planmonitor_Infrastructure_V1_InfrastructureRecordChanged

    /// The unit the instance serves: where records without a unit of their own are placed.
    let instanceUnitCode: String
    /// Where a project's task key is looked up when the service's share of the directive does not hold it.
    let tasks: DirectiveTaskDirectory
    /// The record kinds with their CSV layouts.
    let kinds: [RecordKindLayout<Record>]

    /// The domain of an instance serving `instanceUnitCode`.
    init(instanceUnitCode: String, tasks: DirectiveTaskDirectory) {
        self.instanceUnitCode = instanceUnitCode
        self.tasks = tasks
        kinds = InfrastructureCSV.layouts(defaultOrgUnitCode: instanceUnitCode)
    }

    var department: Department { .infrastructure }

    func placement(of record: Record) -> RecordPlacement? {
        switch record.record {
        case .project(let project):
            RecordPlacement(recordID: project.recordID, kind: InfrastructureRecordKind.project.rawValue, orgUnitCode: project.orgUnitCode, year: project.year, month: 0)
        case .milestone(let milestone):
            RecordPlacement(recordID: milestone.recordID, kind: InfrastructureRecordKind.milestone.rawValue, orgUnitCode: instanceUnitCode, year: milestone.year, month: 0)
        case .contractChange(let change):
            RecordPlacement(recordID: change.recordID, kind: InfrastructureRecordKind.contractChange.rawValue, orgUnitCode: instanceUnitCode, year: change.year, month: 0)
        case .progress(let progress):
            RecordPlacement(recordID: progress.recordID, kind: InfrastructureRecordKind.progress.rawValue, orgUnitCode: instanceUnitCode, year: progress.year, month: progress.month)
        case .siteClearance(let clearance):
            RecordPlacement(recordID: clearance.recordID, kind: InfrastructureRecordKind.siteClearance.rawValue, orgUnitCode: instanceUnitCode, year: clearance.year, month: clearance.month)
        case nil:
            nil
        }
    }

    func observations(from records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        PublicInvestment(register: ProjectRegister(records: records.map(\.record), year: year))
            .observations(orgUnitCode: instanceUnitCode)
    }

    // MARK: Validation

    func validate(_ record: Record, in context: RecordValidationContext<Record>) async throws -> FieldViolations {
        var violations = FieldViolations()
        switch record.record {
        case .project(let project):
            try await checkProject(project, in: context, into: &violations)
        case .milestone(let milestone):
            violations.requireText(milestone.recordID, "record_id", maxLength: 200)
            let project = try await referencedProject(milestone.projectID, year: milestone.year, in: context, into: &violations)
            violations.requireText(milestone.code, "code", maxLength: 100)
            violations.requireText(milestone.title, "title")
            violations.requireDay(milestone.dueDate, "due_date")
            if milestone.hasDateMet, let met = violations.requireDay(milestone.dateMet, "date_met"),
               let project, project.hasPeriodStart, LocalDay.isValid(project.periodStart), LocalDay.precedes(met, project.periodStart) {
                violations.add("date_met", "met on \(LocalDay.iso(met)), before project \(project.recordID) existed: it began on \(LocalDay.iso(project.periodStart)) (its period_start)")
            }
            violations.limitText(milestone.sourceURL, "source_url")
            violations.limitText(milestone.note, "note")
        case .contractChange(let change):
            violations.requireText(change.recordID, "record_id", maxLength: 200)
            let project = try await referencedProject(change.projectID, year: change.year, in: context, into: &violations)
            violations.requireText(change.contractTitle, "contract_title")
            if let changed = violations.requireDay(change.changedOn, "changed_on"), let project, project.hasPeriodStart,
               LocalDay.isValid(project.periodStart), LocalDay.precedes(changed, project.periodStart) {
                violations.add("changed_on", "\(LocalDay.iso(changed)) is before project \(project.recordID) began on \(LocalDay.iso(project.periodStart)) (its period_start)")
            }
            checkContractChange(change, into: &violations)
            violations.requireText(change.reason, "reason", maxLength: 2_000)
        case .progress(let progress):
            violations.requireText(progress.recordID, "record_id", maxLength: 200)
            _ = try await referencedProject(progress.projectID, year: progress.year, in: context, into: &violations)
            if !(1...12).contains(progress.month) { violations.add("month", "\(progress.month) is not a month (1–12)") }
            Self.requirePercent(progress.plannedPercent, "planned_percent", into: &violations)
            Self.requirePercent(progress.actualPercent, "actual_percent", into: &violations)
            violations.requireMoney(progress.disbursed, "disbursed", units: MoneyUnits.vnd)
            violations.limitText(progress.note, "note")
        case .siteClearance(let clearance):
            violations.requireText(clearance.recordID, "record_id", maxLength: 200)
            _ = try await referencedProject(clearance.projectID, year: clearance.year, in: context, into: &violations)
            if !(1...12).contains(clearance.month) { violations.add("month", "\(clearance.month) is not a month (1–12)") }
            checkClearance(clearance, into: &violations)
        case nil:
            violations.add("record", "missing")
        }
        return violations
    }

    private func checkProject(_ project: Planmonitor_Infrastructure_V1_Project, in context: RecordValidationContext<Record>, into violations: inout FieldViolations) async throws {
        violations.requireText(project.recordID, "record_id", maxLength: 200)
        if !project.recordID.isEmpty && !Self.isProjectID(project.recordID) {
            violations.add("record_id", "'\(project.recordID)' is not an id of lower-case letters and digits joined by '-' (e.g. bach-dang-bridge)")
        }
        if !context.scope.contains(project.orgUnitCode) { violations.add("org_unit_code", context.scope.unknownUnitReason(project.orgUnitCode)) }
        violations.requireYear(project.year, "year", expectedYear: context.directiveYear)
        violations.requireText(project.title, "title")
        violations.limitText(project.description_p, "description")
        if project.sectors.isEmpty {
            violations.add("sectors", "missing: at least one OC4IDS sector (\(OC4IDSCodelists.sectors.joined(separator: ", ")))")
        }
        for (index, sector) in project.sectors.enumerated() where !OC4IDSCodelists.sectors.contains(sector) {
            violations.add("sectors[\(index)]", "'\(sector)' is not an OC4IDS sector (\(OC4IDSCodelists.sectors.joined(separator: ", ")))")
        }
        if Set(project.sectors).count != project.sectors.count { violations.add("sectors", "a sector is listed twice") }
        if project.ownerAgencyCode.isEmpty {
            violations.add("owner_agency_code", "missing (a code of the directive's agency registry, e.g. dept-transport)")
        } else if !AgencyRegistry.default.agencies.contains(where: { $0.code == project.ownerAgencyCode }) {
            violations.add("owner_agency_code", "unknown agency '\(project.ownerAgencyCode)' (a code of the directive's agency registry, e.g. dept-transport, dept-construction)")
        }
        let districts = DistrictCatalog.default
        for (index, code) in project.districtCodes.enumerated() where districts.district(code: code) == nil {
            violations.add("district_codes[\(index)]", "unknown district '\(code)' (a GSO code of the city's districts: \(districts.districts.map(\.code).joined(separator: ", ")))")
        }
        if Set(project.districtCodes).count != project.districtCodes.count { violations.add("district_codes", "a district is listed twice") }
        for (index, source) in project.fundingSources.enumerated() {
            switch source {
            case .publicBudget, .odaWorldBank, .odaJica, .pppBot, .private: break
            case .unspecified, .UNRECOGNIZED:
                violations.add("funding_sources[\(index)]", "not a funding source (PUBLIC_BUDGET, ODA_WORLD_BANK, ODA_JICA, PPP_BOT or PRIVATE)")
            }
        }
        if Set(project.fundingSources).count != project.fundingSources.count { violations.add("funding_sources", "a source is listed twice") }
        if project.hasTotalInvestment { violations.requireMoney(project.totalInvestment, "total_investment", units: MoneyUnits.vnd, allowZero: false) }
        if project.hasCapitalPlan { violations.requireMoney(project.capitalPlan, "capital_plan", units: MoneyUnits.vnd) }
        switch project.status {
        case .identification, .preparation, .implementation, .completion, .cancelled: break
        case .unspecified: violations.add("status", "missing (IDENTIFICATION, PREPARATION, IMPLEMENTATION, COMPLETION or CANCELLED)")
        case .UNRECOGNIZED(let value): violations.add("status", "\(value) is not a status (IDENTIFICATION, PREPARATION, IMPLEMENTATION, COMPLETION or CANCELLED)")
        }
        let start = project.hasPeriodStart ? violations.requireDay(project.periodStart, "period_start") : nil
        let end = project.hasPeriodEnd ? violations.requireDay(project.periodEnd, "period_end") : nil
        if let start, let end, LocalDay.precedes(end, start) {
            violations.add("period_end", "\(LocalDay.iso(end)) is before period_start \(LocalDay.iso(start))")
        }
        violations.limitText(project.note, "note")
        try await checkTask(of: project, in: context, into: &violations)
    }

    /// The task must be one of the directive's; a key project must be named by it.
    private func checkTask(of project: Planmonitor_Infrastructure_V1_Project, in context: RecordValidationContext<Record>, into violations: inout FieldViolations) async throws {
        if !project.keyProjectCode.isEmpty && !KeyProjectCatalog.default.projects.contains(where: { $0.code == project.keyProjectCode }) {
            violations.add("key_project_code", "unknown key project '\(project.keyProjectCode)' (a code of the directive parser's key-projects.json)")
        }
        guard !project.taskKey.isEmpty else {
            violations.add("task_key", "missing: the key of the directive task that names the project (e.g. 2018-IV.1.3)")
            return
        }
        let orgUnitCode = context.share?.orgUnitCode ?? instanceUnitCode
        let task: Planmonitor_Directive_V1_Task
        if let held = context.share?.tasks.first(where: { $0.key == project.taskKey }) {
            task = held
        } else {
            switch try await tasks.task(project.taskKey, orgUnitCode: orgUnitCode, year: project.year, knownRevision: context.share?.revision ?? 0) {
            case .found(let found):
                task = found
            case .notFound(let revision):
                violations.add("task_key", "there is no task \(project.taskKey) in the \(project.year) directive of \(orgUnitCode) (revision \(revision))")
                return
            case .noDirective:
                violations.add("task_key", "the \(project.year) directive of \(orgUnitCode) has not been imported: task \(project.taskKey) cannot be checked")
                return
            }
        }
        if !project.keyProjectCode.isEmpty && !task.keyProjectCodes.contains(project.keyProjectCode) {
            let named = task.keyProjectCodes.isEmpty ? "none" : task.keyProjectCodes.joined(separator: ", ")
            violations.add("key_project_code", "task \(task.key) does not name key project \(project.keyProjectCode) (it names: \(named))")
        }
    }

    private func checkContractChange(_ change: Planmonitor_Infrastructure_V1_ContractChange, into violations: inout FieldViolations) {
        switch (change.hasOldValue, change.hasNewValue) {
        case (true, true):
            violations.requireMoney(change.oldValue, "old_value", units: MoneyUnits.vnd)
            violations.requireMoney(change.newValue, "new_value", units: MoneyUnits.vnd)
        case (true, false): violations.add("new_value", "missing: old_value is set; a value change needs both")
        case (false, true): violations.add("old_value", "missing: new_value is set; a value change needs both")
        case (false, false): break
        }
        switch (change.hasOldEndDate, change.hasNewEndDate) {
        case (true, true):
            violations.requireDay(change.oldEndDate, "old_end_date")
            violations.requireDay(change.newEndDate, "new_end_date")
        case (true, false): violations.add("new_end_date", "missing: old_end_date is set; an end-date change needs both")
        case (false, true): violations.add("old_end_date", "missing: new_end_date is set; an end-date change needs both")
        case (false, false):
            if !change.hasOldValue && !change.hasNewValue {
                violations.add("new_value", "missing: a contract change changes the value (old_value, new_value), the end date (old_end_date, new_end_date) or both")
            }
        }
    }

    private func checkClearance(_ clearance: Planmonitor_Infrastructure_V1_SiteClearance, into violations: inout FieldViolations) {
        if clearance.householdsToClear < 0 { violations.add("households_to_clear", "\(clearance.householdsToClear) is negative") }
        if clearance.householdsCleared < 0 { violations.add("households_cleared", "\(clearance.householdsCleared) is negative") }
        if clearance.householdsCleared > clearance.householdsToClear && clearance.householdsToClear >= 0 {
            violations.add("households_cleared", "\(clearance.householdsCleared) households cleared is more than the \(clearance.householdsToClear) to clear (households_to_clear)")
        }
        let toClear = violations.requireDecimal(clearance.areaToClearHa, "area_to_clear_ha")
        let cleared = violations.requireDecimal(clearance.areaClearedHa, "area_cleared_ha")
        let handedOver = violations.requireDecimal(clearance.areaHandedOverHa, "area_handed_over_ha")
        if let toClear, let cleared, cleared > toClear {
            violations.add("area_cleared_ha", "\(clearance.areaClearedHa) ha cleared is more than the \(clearance.areaToClearHa) ha to clear (area_to_clear_ha)")
        }
        if let cleared, let handedOver, handedOver > cleared {
            violations.add("area_handed_over_ha", "\(clearance.areaHandedOverHa) ha handed over is more than the \(clearance.areaClearedHa) ha cleared (area_cleared_ha)")
        }
        violations.limitText(clearance.obstacles, "obstacles")
    }

    /// The project `projectID` names, when it exists and is of `year`; adds the violation otherwise.
    private func referencedProject(
        _ projectID: String, year: Int32, in context: RecordValidationContext<Record>, into violations: inout FieldViolations
    ) async throws -> Planmonitor_Infrastructure_V1_Project? {
        guard !projectID.isEmpty else {
            violations.add("project_id", "missing")
            return nil
        }
        guard let found = try await context.lookup(projectID) else {
            violations.add("project_id", "unknown project \(projectID) (register it with a project record first)")
            return nil
        }
        guard case .project(let project) = found.record else {
            violations.add("project_id", "\(projectID) is not a project")
            return nil
        }
        if year != project.year {
            violations.add("year", "\(year) is not the plan year of project \(projectID) (\(project.year))")
        }
        return project
    }

    /// Requires a percentage 0–100 as a decimal string.
    private static func requirePercent(_ text: String, _ field: String, into violations: inout FieldViolations) {
        guard let value = violations.requireDecimal(text, field) else { return }
        if value > 100 { violations.add(field, "\(text) % is above 100 %") }
    }

    /// True for lower-case ASCII letters and digits in words joined by single '-'.
    static func isProjectID(_ text: String) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }
}

/// The record kinds of the infrastructure service, as `ImportRecordsCsv` and `ListRecords` name them.
enum InfrastructureRecordKind: String, Sendable {
    /// A project of the register.
    case project
    /// A milestone of a project.
    case milestone
    /// A change to one of a project's contracts.
    case contractChange = "contract-change"
    /// A project's progress at the end of a month.
    case progress
    /// A project's site clearance at the end of a month.
    case siteClearance = "site-clearance"
}
