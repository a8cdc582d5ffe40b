import DirectiveParser
import Foundation
import PlanContracts

/// Checks a monthly report against the department's share of the directive and fills in what the service sets:
/// observation origin, agency, ids of none; values computed from numerator and denominator when only those are given;
/// units converted to the target's when they measure the same thing in another scale.
public struct MonthlyReportValidator: Sendable {
    /// The department receiving the report.
    public let department: Department
    /// The units the instance serves.
    public let scope: OrgUnitScope
    /// The agencies, to check the reporting agency.
    public let agencies: AgencyRegistry

    /// Makes a validator.
    public init(department: Department, scope: OrgUnitScope, agencies: AgencyRegistry = .default) {
        self.department = department
        self.scope = scope
        self.agencies = agencies
    }

    /// Longest note, highlight or correction reason, in characters.
    public static let maxTextLength = 2_000
    /// Most highlights in one report.
    public static let maxHighlights = 50
    /// Most figures, and most task progress entries, in one report.
    public static let maxEntries = 1_000

    /// The report as it will be stored (before the service's own fields are set), or the violations.
    public func validated(_ input: Planmonitor_Department_V1_MonthlyReport, share: Planmonitor_Department_V1_DirectiveShare) -> Result<Planmonitor_Department_V1_MonthlyReport, RPCError> {
        var report = input
        var violations = FieldViolations()
        if !scope.contains(report.orgUnitCode) { violations.add("report.org_unit_code", scope.unknownUnitReason(report.orgUnitCode)) }
        checkAgency(report.agencyCode, orgUnitCode: report.orgUnitCode, into: &violations)
        violations.requireMonth(year: report.year, month: report.month, yearField: "report.year", monthField: "report.month", expectedYear: share.year)
        if report.observations.count > Self.maxEntries || report.tasks.count > Self.maxEntries {
            violations.add(report.observations.count > Self.maxEntries ? "report.observations" : "report.tasks",
                           "\(max(report.observations.count, report.tasks.count)) entries, at most \(Self.maxEntries) in one report")
            return .failure(violations.error("the monthly report is not valid")!)
        }
        var seen: [String: Int] = [:]
        for index in report.observations.indices {
            let field = "report.observations[\(index)]"
            check(&report.observations[index], report: report, share: share, field: field, into: &violations)
            let observation = report.observations[index]
            let key = "\(observation.targetNumber)/\(observation.subTargetCode)/\(observation.indicator)/\(PeriodText.key(observation.period))"
            if let first = seen[key] {
                violations.add(field, "repeats the figure of observations[\(first)] (same target, sub-target, indicator and period)")
            } else {
                seen[key] = index
            }
        }
        let tasks = Dictionary(share.tasks.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var seenTasks: Set<String> = []
        for (index, progress) in report.tasks.enumerated() {
            let field = "report.tasks[\(index)]"
            if progress.taskKey.isEmpty {
                violations.add("\(field).task_key", "missing")
            } else if tasks[progress.taskKey] == nil {
                violations.add("\(field).task_key", "task \(progress.taskKey) is not among the \(share.tasks.count) tasks \(department) follows in the \(share.year) directive")
            } else if !seenTasks.insert(progress.taskKey).inserted {
                violations.add("\(field).task_key", "task \(progress.taskKey) is reported twice")
            }
            switch progress.status {
            case .notStarted, .inProgress, .done: break
            case .blocked:
                if progress.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { violations.add("\(field).note", "missing: a blocked task needs a note saying what blocks it") }
            case .unspecified, .UNRECOGNIZED: violations.add("\(field).status", "missing (not started, in progress, done or blocked)")
            }
            violations.limitText(progress.note, "\(field).note", maxLength: Self.maxTextLength)
        }
        if report.highlights.count > Self.maxHighlights { violations.add("report.highlights", "\(report.highlights.count) highlights, at most \(Self.maxHighlights)") }
        for (index, highlight) in report.highlights.enumerated() {
            violations.limitText(highlight, "report.highlights[\(index)]", maxLength: Self.maxTextLength)
        }
        violations.limitText(report.correctionReason, "report.correction_reason", maxLength: Self.maxTextLength)
        if let error = violations.error("the monthly report is not valid") { return .failure(error) }
        return .success(report)
    }

    private func checkAgency(_ code: String, orgUnitCode: String, into violations: inout FieldViolations) {
        guard !code.isEmpty else {
            violations.add("report.agency_code", "missing")
            return
        }
        guard let agency = agencies.agency(code: code) else {
            violations.add("report.agency_code", "unknown agency '\(code)'")
            return
        }
        let ownDistrictCommittee = agency.kind == .districtCommittee && code == "district-\(orgUnitCode)-pc"
        let reportsHere = MonitoringService(rawValue: department.rawValue).map(agency.reports(to:)) ?? false
        if !reportsHere && !ownDistrictCommittee {
            violations.add("report.agency_code", "\(agency.nameVi) (\(code)) reports to the \(agency.service.rawValue) service, not to \(department)")
        }
    }

    /// Checks one observation and completes it.
    private func check(
        _ observation: inout Planmonitor_Common_V1_Observation, report: Planmonitor_Department_V1_MonthlyReport,
        share: Planmonitor_Department_V1_DirectiveShare, field: String, into violations: inout FieldViolations
    ) {
        observation.origin = .reported
        observation.agencyCode = report.agencyCode
        observation.derivation = ""
        if observation.orgUnitCode.isEmpty { observation.orgUnitCode = report.orgUnitCode }
        if observation.orgUnitCode != report.orgUnitCode {
            violations.add("\(field).org_unit_code", "\(observation.orgUnitCode) differs from the report's unit \(report.orgUnitCode)")
        }
        // The target (or sub-target) and its unit.
        guard let target = share.targets.first(where: { $0.number == observation.targetNumber }) else {
            let numbers = share.targets.map { String($0.number) }.joined(separator: ", ")
            violations.add("\(field).target_number", "target \(observation.targetNumber) is not reported by \(department) (its targets: \(numbers))")
            return
        }
        var unitCode = target.unitCode
        var basis = target.basis
        if !observation.subTargetCode.isEmpty {
            guard let sub = target.subTargets.first(where: { $0.code == observation.subTargetCode }) else {
                let codes = target.subTargets.map(\.code).joined(separator: ", ")
                violations.add("\(field).sub_target_code", "target \(target.number) has no sub-target \(observation.subTargetCode)\(codes.isEmpty ? "" : " (its sub-targets: \(codes))")")
                return
            }
            unitCode = sub.unitCode
            basis = sub.basis
        } else if target.value.isEmpty && target.low.isEmpty && !target.subTargets.isEmpty {
            let codes = target.subTargets.map(\.code).joined(separator: ", ")
            violations.add("\(field).sub_target_code", "missing: target \(target.number) is reported by its sub-targets (\(codes))")
            return
        }
        // The period: within the report's year, ending no later than the report's month.
        let periodYear = PeriodText.year(observation.period)
        if observation.period.kind == nil {
            observation.period = basis == .level ? PeriodText.month(year: report.year, month: report.month) : PeriodText.cumulative(year: report.year, through: report.month)
        } else if periodYear != report.year {
            violations.add("\(field).period", "\(PeriodText.key(observation.period)) is outside the report's year \(report.year)")
        } else if PeriodText.lastMonth(observation.period) > report.month {
            violations.add("\(field).period", "\(PeriodText.key(observation.period)) ends after the report's month \(report.month)")
        }
        // Numerator and denominator.
        var fraction: (numerator: Decimal, denominator: Decimal)?
        if !observation.numerator.isEmpty || !observation.denominator.isEmpty {
            let numerator = violations.requireDecimal(observation.numerator, "\(field).numerator")
            let denominator = violations.requireDecimal(observation.denominator, "\(field).denominator", allowZero: false)
            if let numerator, let denominator, denominator > 0 {
                if numerator > denominator {
                    violations.add("\(field).numerator", "\(observation.numerator) is larger than its denominator \(observation.denominator)")
                } else {
                    fraction = (numerator, denominator)
                }
            }
        }
        // The value and its unit.
        if observation.value.unit.isEmpty { observation.value.unit = unitCode }
        if observation.value.value.isEmpty, let fraction, unitCode == "percent" {
            observation.value.value = UnitCodes.decimalString(fraction.numerator / fraction.denominator * 100, scale: 4)
        }
        guard let value = violations.requireDecimal(observation.value.value, "\(field).value.value", allowNegative: true) else { return }
        let given = UnitCodes.canonical(observation.value.unit) ?? observation.value.unit
        guard let converted = UnitCodes.convert(value, from: given, to: unitCode) else {
            violations.add("\(field).value.unit", "\(observation.value.unit) does not match target \(target.number)\(observation.subTargetCode.isEmpty ? "" : " (\(observation.subTargetCode))")'s unit \(unitCode)")
            return
        }
        if given != unitCode {
            observation.value.unit = unitCode
            observation.value.value = UnitCodes.decimalString(converted, scale: 6)
        }
        switch basis {
        case .cumulativeAmount, .count:
            if converted < 0 { violations.add("\(field).value.value", "\(observation.value.value) is negative: a year-to-date amount cannot be") }
        case .level:
            if unitCode == "percent", !(0...100).contains(converted) {
                violations.add("\(field).value.value", "\(observation.value.value) % is outside 0–100 %")
            } else if converted < 0 {
                violations.add("\(field).value.value", "\(observation.value.value) is negative")
            }
        case .growthOverPreviousYear, .changeInPoints, .unspecified, .UNRECOGNIZED:
            break
        }
        if let fraction, unitCode == "percent" {
            let computed = fraction.numerator / fraction.denominator * 100
            let gap = computed - converted
            if abs(NSDecimalNumber(decimal: gap).doubleValue) > 0.05 {
                violations.add("\(field).value.value", "\(observation.value.value) % disagrees with numerator/denominator = \(UnitCodes.decimalString(computed, scale: 2)) %")
            }
        }
        violations.limitText(observation.indicator, "\(field).indicator", maxLength: 300)
    }
}
