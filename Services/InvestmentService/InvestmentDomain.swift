import DepartmentCore
import Foundation
import PlanContracts

/// The investment service's records: investment projects with their certificates, capital adjustments and
/// disbursements, enterprise registrations, and statistics published by the statistics office and others. It derives
/// target 11 (FDI attracted) and a few figures tied to no target from the records, and turns a published statistic
/// into an observation of its target when the statistic is the target's own measure (``IndicatorCatalogue``).
///
/// Adjustments and disbursements name their project but no unit: they are placed under the instance's own unit (so
/// they are listed with it, or by year and kind) and count, in the derivations, for the unit of their project.
struct InvestmentDomain: RecordDomain {
    typealias Record = Planmonitor_Investment_V1_InvestmentRecord
    typealias ChangedEvent = Planmonitor_Investment_V1_InvestmentRecordChanged

    /// The directive's target number for FDI attracted.
    static let fdiTarget: Int32 = 11
    /// The earliest certification year a project may have: Việt Nam's first foreign-investment law took effect in 1988.
    static let firstCertificationYear: Int32 = 1988
    /// The agency whose records and publications the figures come from (Sở Kế hoạch và Đầu tư).
    static let agencyCode = "dept-planning-investment"
    /// The highest target number of the directive.
    static let lastTargetNumber: Int32 = 18

    /// The unit the instance serves: where adjustments and disbursements are placed, and the unit of a statistic row
    /// that names none.
    let instanceUnitCode: String
    /// The record kinds with their CSV layouts (a statistic row without a unit is for `instanceUnitCode`).
    let kinds: [RecordKindLayout<Record>]

    /// The domain of an instance serving `instanceUnitCode`.
    init(instanceUnitCode: String) {
        self.instanceUnitCode = instanceUnitCode
        kinds = InvestmentCSV.layouts(defaultOrgUnitCode: instanceUnitCode)
    }

    var department: Department { .investment }

    func placement(of record: Record) -> RecordPlacement? {
        switch record.record {
        case .project(let project):
            RecordPlacement(recordID: project.recordID, kind: InvestmentRecordKind.project.rawValue, orgUnitCode: project.orgUnitCode,
                            year: project.certifiedOn.year, month: project.certifiedOn.month)
        case .adjustment(let adjustment):
            RecordPlacement(recordID: adjustment.recordID, kind: InvestmentRecordKind.adjustment.rawValue, orgUnitCode: instanceUnitCode,
                            year: adjustment.adjustedOn.year, month: adjustment.adjustedOn.month)
        case .disbursement(let disbursement):
            RecordPlacement(recordID: disbursement.recordID, kind: InvestmentRecordKind.disbursement.rawValue, orgUnitCode: instanceUnitCode,
                            year: disbursement.year, month: disbursement.month)
        case .enterprises(let enterprises):
            RecordPlacement(recordID: enterprises.recordID, kind: InvestmentRecordKind.enterprises.rawValue, orgUnitCode: enterprises.orgUnitCode,
                            year: enterprises.year, month: enterprises.month)
        case .statistic(let statistic):
            RecordPlacement(recordID: statistic.recordID, kind: InvestmentRecordKind.statistic.rawValue, orgUnitCode: statistic.orgUnitCode,
                            year: PeriodText.year(statistic.period), month: PeriodShape(statistic.period) == .year ? 0 : PeriodText.lastMonth(statistic.period))
        case nil:
            nil
        }
    }

    // MARK: Validation

    func validate(_ record: Record, in context: RecordValidationContext<Record>) async throws -> FieldViolations {
        var violations = FieldViolations()
        switch record.record {
        case .project(let project):
            checkProject(project, in: context, into: &violations)
        case .adjustment(let adjustment):
            violations.requireText(adjustment.recordID, "record_id", maxLength: 200)
            let project = try await referencedProject(adjustment.projectID, in: context, into: &violations)
            if let adjusted = violations.requireDay(adjustment.adjustedOn, "adjusted_on") {
                violations.requireYear(adjusted.year, "adjusted_on", expectedYear: context.directiveYear)
                if let project, LocalDay.isValid(project.certifiedOn), LocalDay.precedes(adjusted, project.certifiedOn) {
                    violations.add("adjusted_on", "\(LocalDay.iso(adjusted)) is before project \(project.recordID)'s certification on \(LocalDay.iso(project.certifiedOn))")
                }
            }
            violations.requireMoney(adjustment.amount, "amount", units: Self.currencyUnits(of: project), allowNegative: true, allowZero: false)
            violations.limitText(adjustment.note, "note")
        case .disbursement(let disbursement):
            violations.requireText(disbursement.recordID, "record_id", maxLength: 200)
            let project = try await referencedProject(disbursement.projectID, in: context, into: &violations)
            violations.requireMonth(year: disbursement.year, month: disbursement.month, expectedYear: context.directiveYear, allowPreviousYear: true)
            violations.requireMoney(disbursement.amount, "amount", units: Self.currencyUnits(of: project))
        case .enterprises(let enterprises):
            checkCommon(id: enterprises.recordID, orgUnitCode: enterprises.orgUnitCode, scope: context.scope, into: &violations)
            violations.requireMonth(year: enterprises.year, month: enterprises.month, expectedYear: context.directiveYear, allowPreviousYear: true)
            if enterprises.registered < 0 { violations.add("registered", "\(enterprises.registered) is negative") }
            if enterprises.dissolved < 0 { violations.add("dissolved", "\(enterprises.dissolved) is negative") }
            if enterprises.activeAtMonthEnd < -1 {
                violations.add("active_at_month_end", "\(enterprises.activeAtMonthEnd) is negative (-1 when the register did not count them)")
            }
        case .statistic(let statistic):
            checkStatistic(statistic, in: context, into: &violations)
        case nil:
            violations.add("record", "missing")
        }
        return violations
    }

    private func checkCommon(id: String, orgUnitCode: String, scope: OrgUnitScope, into violations: inout FieldViolations) {
        violations.requireText(id, "record_id", maxLength: 200)
        if !scope.contains(orgUnitCode) { violations.add("org_unit_code", scope.unknownUnitReason(orgUnitCode)) }
    }

    private func checkProject(_ project: Planmonitor_Investment_V1_InvestmentProject, in context: RecordValidationContext<Record>, into violations: inout FieldViolations) {
        checkCommon(id: project.recordID, orgUnitCode: project.orgUnitCode, scope: context.scope, into: &violations)
        switch project.kind {
        case .fdi, .domestic, .ppp: break
        case .unspecified: violations.add("kind", "missing (FDI, DOMESTIC or PPP)")
        case .UNRECOGNIZED(let value): violations.add("kind", "\(value) is not a kind of project (FDI, DOMESTIC or PPP)")
        }
        violations.requireText(project.name, "name")
        violations.requireText(project.investor, "investor")
        if project.kind == .fdi && project.investorCountry.isEmpty {
            violations.add("investor_country", "missing: an FDI project needs the investor's country (ISO 3166-1 alpha-2, e.g. JP)")
        } else if !project.investorCountry.isEmpty && !Self.isCountryCode(project.investorCountry) {
            violations.add("investor_country", "'\(project.investorCountry)' is not a two-letter country code (A–Z, e.g. JP, KR)")
        }
        violations.requireMoney(project.registeredCapital, "registered_capital", units: project.kind == .fdi ? MoneyUnits.usd : MoneyUnits.vnd, allowZero: false)
        let certified = violations.requireDay(project.certifiedOn, "certified_on")
        // A project certified in an earlier year is registered too, for its capital adjustments and disbursements
        // of this year; an amendment that keeps the certification day (a revocation years later) is not checked again.
        let keepsCertificationDay = context.previous.map { $0.project.certifiedOn == project.certifiedOn } ?? false
        if let certified, !keepsCertificationDay {
            if let directiveYear = context.directiveYear {
                if !(Self.firstCertificationYear...directiveYear).contains(certified.year) {
                    violations.add("certified_on", "\(certified.year) is not a year from \(Self.firstCertificationYear) (the first foreign-investment law) to the directive's year \(directiveYear)")
                }
            } else {
                violations.requireYear(certified.year, "certified_on", expectedYear: nil)
            }
        }
        switch project.status {
        case .revoked:
            guard project.hasRevokedOn, project.revokedOn != Planmonitor_Common_V1_LocalDate() else {
                violations.add("revoked_on", "missing: a revoked certificate needs the day it was revoked")
                break
            }
            if let revoked = violations.requireDay(project.revokedOn, "revoked_on"), let certified, LocalDay.precedes(revoked, certified) {
                violations.add("revoked_on", "\(LocalDay.iso(revoked)) is before certified_on \(LocalDay.iso(certified))")
            }
        case .active, .unspecified:
            if project.hasRevokedOn {
                violations.add("revoked_on", "set, but the certificate stands (status ACTIVE): set status REVOKED or leave revoked_on out")
            }
        case .UNRECOGNIZED(let value):
            violations.add("status", "\(value) is not a certificate status (ACTIVE or REVOKED)")
        }
        if project.status == .revoked {
            violations.requireText(project.revocationReason, "revocation_reason")
        } else {
            violations.limitText(project.revocationReason, "revocation_reason")
        }
        violations.limitText(project.sector, "sector", maxLength: 500)
        violations.limitText(project.zone, "zone", maxLength: 500)
        violations.limitText(project.certificateNumber, "certificate_number", maxLength: 200)
        violations.limitText(project.note, "note")
    }

    /// The project `projectID` names, when it exists; adds the violation when it does not.
    private func referencedProject(
        _ projectID: String, in context: RecordValidationContext<Record>, into violations: inout FieldViolations
    ) async throws -> Planmonitor_Investment_V1_InvestmentProject? {
        guard !projectID.isEmpty else {
            violations.add("project_id", "missing")
            return nil
        }
        guard let found = try await context.lookup(projectID) else {
            violations.add("project_id", "there is no project \(projectID) (create the investment-project record first)")
            return nil
        }
        guard case .project(let project) = found.record else {
            violations.add("project_id", "\(projectID) is not an investment project")
            return nil
        }
        return project
    }

    private func checkStatistic(_ statistic: Planmonitor_Investment_V1_EconomicStatistic, in context: RecordValidationContext<Record>, into violations: inout FieldViolations) {
        checkCommon(id: statistic.recordID, orgUnitCode: statistic.orgUnitCode, scope: context.scope, into: &violations)
        let number = statistic.targetNumber
        let shareTarget = context.share?.targets.first { $0.number == number }
        if number != 0, !(1...Self.lastTargetNumber).contains(number), shareTarget == nil {
            violations.add("target_number", "\(number) is not a target of the directive (1–\(Self.lastTargetNumber), or 0 for a figure tied to none)")
        }
        let subTarget = statistic.subTargetCode
        if !subTarget.isEmpty {
            if number == 0 {
                violations.add("sub_target_code", "'\(subTarget)' is set, but the figure is tied to no target")
            } else if !subTarget.hasPrefix("\(number).") || subTarget.count <= "\(number).".count {
                violations.add("sub_target_code", "'\(subTarget)' is not a part of target \(number) (write \(number).a, \(number).b, …)")
            } else if let shareTarget, !shareTarget.subTargets.contains(where: { $0.code == subTarget }) {
                let parts = shareTarget.subTargets.map(\.code)
                violations.add("sub_target_code", "target \(number) has no part '\(subTarget)'" + (parts.isEmpty ? "" : " (its parts: \(parts.joined(separator: ", ")))"))
            }
        }
        violations.requireText(statistic.indicator, "indicator")
        if checkPeriod(statistic.period, "period", into: &violations) {
            violations.requireYear(PeriodText.year(statistic.period), "period", expectedYear: context.directiveYear, allowPreviousYear: true)
        }
        violations.requireDecimal(statistic.value.value, "value.value", allowNegative: true)
        let unit = statistic.value.unit
        if unit.isEmpty {
            violations.add("value.unit", "missing")
        } else if !UnitCodes.isKnown(unit) && !(unit.hasPrefix(Self.textUnitPrefix) && unit.count > Self.textUnitPrefix.count) {
            violations.add("value.unit", "unknown unit code '\(unit)' (a unit code such as percent, billion_vnd, million_tonnes, or \(Self.textUnitPrefix)<unit as written> for a unit no target uses)")
        }
        violations.limitText(statistic.source.url, "source.url")
        violations.limitText(statistic.source.publisher, "source.publisher", maxLength: 500)
        violations.limitText(statistic.source.note, "source.note")
    }

    /// Checks that `period` is set and its numbers and exact days are real; true when it is usable.
    private func checkPeriod(_ period: Planmonitor_Common_V1_Period, _ field: String, into violations: inout FieldViolations) -> Bool {
        var valid = true
        func require(_ condition: Bool, _ subfield: String, _ reason: String) {
            if !condition {
                violations.add("\(field).\(subfield)", reason)
                valid = false
            }
        }
        switch period.kind {
        case nil:
            violations.add(field, "missing (a month, quarter, half-year, year, January through a month, or a day)")
            return false
        case .month(let month): require((1...12).contains(month.month), "month.month", "\(month.month) is not a month (1–12)")
        case .quarter(let quarter): require((1...4).contains(quarter.quarter), "quarter.quarter", "\(quarter.quarter) is not a quarter (1–4)")
        case .halfYear(let half): require((1...2).contains(half.half), "half_year.half", "\(half.half) is not a half-year (1 or 2)")
        case .cumulative(let cumulative): require((1...12).contains(cumulative.throughMonth), "cumulative.through_month", "\(cumulative.throughMonth) is not a month (1–12)")
        case .year: break
        case .day(let day): valid = violations.requireDay(day.date, "\(field).day.date") != nil
        }
        if period.hasDateFrom || period.hasDateTo {
            let from = violations.requireDay(period.dateFrom, "\(field).date_from")
            let to = violations.requireDay(period.dateTo, "\(field).date_to")
            if let from, let to, LocalDay.precedes(to, from) {
                violations.add("\(field).date_to", "\(LocalDay.iso(to)) is before date_from \(LocalDay.iso(from))")
                valid = false
            }
            if from == nil || to == nil { valid = false }
        }
        return valid
    }

    /// The prefix of a statistic's unit that no unit code covers: "text:" followed by the unit as the file wrote it.
    static let textUnitPrefix = "text:"

    /// The money units of `project`'s currency (USD for FDI, VND otherwise); both when the project is unknown.
    static func currencyUnits(of project: Planmonitor_Investment_V1_InvestmentProject?) -> Set<Planmonitor_Common_V1_MoneyUnit> {
        guard let project else { return MoneyUnits.usd.union(MoneyUnits.vnd) }
        return project.kind == .fdi ? MoneyUnits.usd : MoneyUnits.vnd
    }

    /// True for two letters A–Z.
    private static func isCountryCode(_ text: String) -> Bool {
        text.unicodeScalars.count == 2 && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
    }
}

/// The record kinds of the investment service, as `ImportRecordsCsv` and `ListRecords` name them.
enum InvestmentRecordKind: String, Sendable {
    /// An investment project with its certificate.
    case project = "investment-project"
    /// A change of a project's registered capital.
    case adjustment = "capital-adjustment"
    /// Capital a project disbursed in a month.
    case disbursement = "capital-disbursement"
    /// Enterprises registered and dissolved in a unit in a month.
    case enterprises = "enterprise-registrations"
    /// A published figure.
    case statistic = "economic-statistic"
}
