import DepartmentCore
import Foundation
import PlanContracts

/// The figures the investment records determine.
///
/// - Target 11 (FDI attracted), for each unit and each month from January to the latest month with FDI activity: the
///   registered capital of the FDI projects certified in the year through that month plus the adjustments of FDI
///   projects made through it, in the target's unit — also of projects certified in earlier years, whose records the
///   derivation is given (``referencedRecordIDs(in:)``). A revocation does not take a project's capital out of the
///   figure: the capital was attracted when the certificate was issued.
/// - Figures tied to no target (target 0, unit "count"): certificates revoked in the year through each month (among
///   the projects certified the same year), enterprises newly registered through each month, and the enterprises
///   active at the end of each month the register counted them.
/// - Published statistics that are a target's own measure (``IndicatorCatalogue``), in the target's unit.
///
/// Sums by unit count a record for its own unit and, when that unit is below the instance's, for the instance's unit
/// too; a published statistic is a figure of its own unit only.
extension InvestmentDomain {
    /// The indicator of the certificates revoked.
    static let revokedIndicator = "Dự án bị thu hồi giấy chứng nhận"
    /// The indicator of the enterprises newly registered.
    static let registeredIndicator = "Doanh nghiệp đăng ký mới"
    /// The indicator of the enterprises active at a month's end.
    static let activeIndicator = "Doanh nghiệp đang hoạt động"
    /// The unit code of the counts.
    static let countUnit = "count"

    func observations(from records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        observations(from: records, referenced: [:], year: year, context: context)
    }

    /// The projects the year's capital adjustments and disbursements name.
    func referencedRecordIDs(in records: [Record]) -> Set<String> {
        Set(records.compactMap { record in
            switch record.record {
            case .adjustment(let adjustment): adjustment.projectID
            case .disbursement(let disbursement): disbursement.projectID
            default: nil
            }
        })
    }

    func observations(
        from records: [StoredRecord<Record>], referenced: [String: Record], year: Int32, context: DerivationContext
    ) -> [Planmonitor_Common_V1_Observation] {
        let current = records.map(\.record)
        let projects = Self.projectsByID(current)
        let earlierProjects = Self.projectsByID(Array(referenced.values))
        return fdiAttracted(current, projects: projects.merging(earlierProjects) { own, _ in own }, year: year, context: context)
            + revocations(Array(projects.values), year: year, context: context)
            + enterpriseFigures(current, year: year, context: context)
            + publishedFigures(records, year: year, context: context)
    }

    func note(about record: Record, context: DerivationContext) -> String? {
        guard case .statistic(let statistic) = record.record, case .kept(let reason)? = StatisticReading(statistic, context: context) else { return nil }
        return reason
    }

    /// The projects among `records`, by id.
    static func projectsByID(_ records: [Record]) -> [String: Planmonitor_Investment_V1_InvestmentProject] {
        var projects: [String: Planmonitor_Investment_V1_InvestmentProject] = [:]
        for record in records {
            if case .project(let project) = record.record { projects[project.recordID] = project }
        }
        return projects
    }

    // MARK: Derived figures

    /// A contribution to FDI attracted: a new project's capital or an adjustment, in the target's unit.
    private struct FDIContribution {
        var month: Int32
        var amount: Decimal
        var isNewProject: Bool
    }

    private func fdiAttracted(
        _ records: [Record], projects: [String: Planmonitor_Investment_V1_InvestmentProject], year: Int32, context: DerivationContext
    ) -> [Planmonitor_Common_V1_Observation] {
        guard let unitCode = context.unitCode(target: Self.fdiTarget), UnitCodes.convert(1, from: "usd", to: unitCode) != nil else { return [] }
        func inTargetUnit(_ money: Planmonitor_Common_V1_Money) -> Decimal? {
            MoneyUnits.amount(money, in: .usd).flatMap { UnitCodes.convert($0, from: "usd", to: unitCode) }
        }
        var contributions: [String: [FDIContribution]] = [:]
        for project in projects.values where project.kind == .fdi && project.certifiedOn.year == year {
            guard let amount = inTargetUnit(project.registeredCapital) else { continue }
            for unit in context.scope.unitsIncluding(project.orgUnitCode) {
                contributions[unit, default: []].append(FDIContribution(month: project.certifiedOn.month, amount: amount, isNewProject: true))
            }
        }
        for record in records {
            guard case .adjustment(let adjustment) = record.record, adjustment.adjustedOn.year == year,
                  let project = projects[adjustment.projectID], project.kind == .fdi, let amount = inTargetUnit(adjustment.amount)
            else { continue }
            for unit in context.scope.unitsIncluding(project.orgUnitCode) {
                contributions[unit, default: []].append(FDIContribution(month: adjustment.adjustedOn.month, amount: amount, isNewProject: false))
            }
        }
        return Self.throughEachMonth(contributions, month: \.month) { unit, month, through in
            let newProjects = through.filter(\.isNewProject).count
            return Self.derived(
                target: Self.fdiTarget, indicator: "", orgUnitCode: unit, period: PeriodText.cumulative(year: year, through: month),
                value: Planmonitor_Common_V1_Quantity(value: UnitCodes.decimalString(through.map(\.amount).reduce(0, +), scale: 6), unit: unitCode),
                derivation: "vốn cấp mới \(newProjects) dự án + vốn điều chỉnh \(through.count - newProjects) lượt, tháng 1–\(month)/\(year)")
        }
    }

    private func revocations(_ projects: [Planmonitor_Investment_V1_InvestmentProject], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        var revokedMonths: [String: [Int32]] = [:]
        for project in projects where project.status == .revoked && project.revokedOn.year == year {
            for unit in context.scope.unitsIncluding(project.orgUnitCode) { revokedMonths[unit, default: []].append(project.revokedOn.month) }
        }
        return Self.throughEachMonth(revokedMonths, month: { $0 }) { unit, month, through in
            Self.derived(
                target: 0, indicator: Self.revokedIndicator, orgUnitCode: unit, period: PeriodText.cumulative(year: year, through: month),
                value: Planmonitor_Common_V1_Quantity(value: "\(through.count)", unit: Self.countUnit),
                derivation: "số dự án cấp giấy chứng nhận năm \(year) bị thu hồi trong tháng 1–\(month)/\(year)")
        }
    }

    private func enterpriseFigures(_ records: [Record], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        var registrations: [String: [Planmonitor_Investment_V1_EnterpriseRegistrations]] = [:]
        for record in records {
            guard case .enterprises(let enterprises) = record.record, enterprises.year == year else { continue }
            for unit in context.scope.unitsIncluding(enterprises.orgUnitCode) { registrations[unit, default: []].append(enterprises) }
        }
        var observations = Self.throughEachMonth(registrations, month: \.month) { unit, month, through in
            Self.derived(
                target: 0, indicator: Self.registeredIndicator, orgUnitCode: unit, period: PeriodText.cumulative(year: year, through: month),
                value: Planmonitor_Common_V1_Quantity(value: "\(through.map { Int($0.registered) }.reduce(0, +))", unit: Self.countUnit),
                derivation: "doanh nghiệp đăng ký mới tháng 1–\(month)/\(year), cộng \(through.count) bản ghi đăng ký doanh nghiệp")
        }
        for (unit, unitRegistrations) in registrations.sorted(by: { $0.key < $1.key }) {
            let counted = unitRegistrations.filter { $0.activeAtMonthEnd >= 0 }
            for month in Set(counted.map(\.month)).sorted() {
                let ofMonth = counted.filter { $0.month == month }
                observations.append(Self.derived(
                    target: 0, indicator: Self.activeIndicator, orgUnitCode: unit, period: PeriodText.month(year: year, month: month),
                    value: Planmonitor_Common_V1_Quantity(value: "\(ofMonth.map { Int($0.activeAtMonthEnd) }.reduce(0, +))", unit: Self.countUnit),
                    derivation: "doanh nghiệp đang hoạt động cuối tháng \(month)/\(year), cộng \(ofMonth.count) bản ghi đăng ký doanh nghiệp"))
            }
        }
        return observations
    }

    /// For each unit (in code order) and each month from January to the unit's latest month among `entries`, the
    /// observation `make` builds from the entries of January through that month.
    private static func throughEachMonth<Entry>(
        _ entries: [String: [Entry]], month: (Entry) -> Int32,
        _ make: (_ unit: String, _ month: Int32, _ through: [Entry]) -> Planmonitor_Common_V1_Observation
    ) -> [Planmonitor_Common_V1_Observation] {
        var observations: [Planmonitor_Common_V1_Observation] = []
        for (unit, unitEntries) in entries.sorted(by: { $0.key < $1.key }) {
            guard let last = unitEntries.map(month).max(), last >= 1 else { continue }
            for current in Int32(1)...last {
                observations.append(make(unit, current, unitEntries.filter { month($0) <= current }))
            }
        }
        return observations
    }

    /// A figure derived from the records.
    private static func derived(
        target: Int32, indicator: String, orgUnitCode: String, period: Planmonitor_Common_V1_Period,
        value: Planmonitor_Common_V1_Quantity, derivation: String
    ) -> Planmonitor_Common_V1_Observation {
        var observation = Planmonitor_Common_V1_Observation()
        observation.targetNumber = target
        observation.indicator = indicator
        observation.orgUnitCode = orgUnitCode
        observation.period = period
        observation.value = value
        observation.origin = .derived
        observation.agencyCode = agencyCode
        observation.derivation = derivation
        return observation
    }

    // MARK: Published statistics

    /// The published statistics of `year` that are a target's measure, one per observation key: when two sources
    /// publish the same figure, an official result wins over an estimate, then the record with the smaller id.
    private func publishedFigures(_ records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        var chosen: [ObservationKey: (observation: Planmonitor_Common_V1_Observation, recordID: String)] = [:]
        for stored in records {
            guard case .statistic(let statistic) = stored.record.record, PeriodText.year(statistic.period) == year,
                  case .measure(let measure, let unitCode, let value)? = StatisticReading(statistic, context: context)
            else { continue }
            var observation = Planmonitor_Common_V1_Observation()
            observation.targetNumber = statistic.targetNumber
            observation.subTargetCode = measure.subTargetCode
            observation.indicator = measure.indicator
            observation.orgUnitCode = statistic.orgUnitCode
            observation.period = statistic.period
            observation.value = Planmonitor_Common_V1_Quantity(value: UnitCodes.decimalString(value, scale: 6), unit: unitCode)
            observation.estimate = statistic.estimate
            observation.source = statistic.source
            observation.origin = .published
            observation.agencyCode = Self.agencyCode
            observation.derivation = "công bố: \"\(statistic.indicator)\" \(statistic.value.value) \(Self.writtenUnit(statistic.value.unit)) (bản ghi \(statistic.recordID))"
            let key = ObservationKey(observation)
            if let other = chosen[key] {
                let replaces = other.observation.estimate != observation.estimate ? !observation.estimate : statistic.recordID < other.recordID
                guard replaces else { continue }
            }
            chosen[key] = (observation, statistic.recordID)
        }
        return chosen.values.sorted { $0.recordID < $1.recordID }.map(\.observation)
    }

    /// A statistic's unit as the publisher wrote it ("% of plan" for "text:% of plan", the code otherwise).
    static func writtenUnit(_ unit: String) -> String {
        unit.hasPrefix(textUnitPrefix) ? String(unit.dropFirst(textUnitPrefix.count)) : unit
    }
}

/// What a published statistic is to the service's targets: the measure of one, in the target's unit, or a figure
/// kept as a statistic, with the reason in Vietnamese and English.
enum StatisticReading {
    /// The statistic is `measure`, worth `value` in the target's unit `unitCode`.
    case measure(IndicatorMeasure, unitCode: String, value: Decimal)
    /// The statistic yields no observation, because of `reason`.
    case kept(reason: String)

    /// Reads `statistic` against the share of the directive in `context` and the ``IndicatorCatalogue``; `nil` for a
    /// figure tied to no target (target 0), which is a statistic and nothing more.
    init?(_ statistic: Planmonitor_Investment_V1_EconomicStatistic, context: DerivationContext) {
        let number = statistic.targetNumber
        guard number != 0 else { return nil }
        let kept = "kept as a statistic"
        guard !statistic.plan else {
            self = .kept(reason: "số kế hoạch, không phải số thực hiện / a planned figure; \(kept)")
            return
        }
        guard let share = context.share else {
            self = .kept(reason: "chưa nhận chỉ thị của năm / the directive's targets have not been received; \(kept)")
            return
        }
        guard share.targets.contains(where: { $0.number == number }) else {
            self = .kept(reason: "chỉ tiêu \(number) do dịch vụ khác theo dõi / target \(number) is reported by another service, not investment; \(kept)")
            return
        }
        let indicator = statistic.indicator
        guard let measure = IndicatorCatalogue.measure(targetNumber: number, subTargetCode: statistic.subTargetCode, indicator: indicator) else {
            let unit = context.unitCode(target: number, subTarget: statistic.subTargetCode) ?? "no unit"
            self = .kept(reason: "'\(indicator)' không phải thước đo của chỉ tiêu \(number) / is not the measure of target \(number) (\(unit)); \(kept)")
            return
        }
        guard measure.accepts(statistic.period) else {
            let shape = PeriodShape(statistic.period)
            let accepted = (measure.periods ?? []).sorted { $0.rawValue < $1.rawValue }.map(\.wordsEn)
            let acceptedText = accepted.dropLast().joined(separator: ", ") + (accepted.count > 1 ? " or " : "") + (accepted.last ?? "")
            self = .kept(reason: "'\(indicator)' \(shape?.wordsVi ?? "không rõ kỳ") không phải thước đo của chỉ tiêu \(number) / "
                + "for \(shape?.wordsEn ?? "no period") is not the measure of target \(number) (only \(acceptedText)); \(kept)")
            return
        }
        let target = measure.subTargetCode.isEmpty ? "\(number)" : measure.subTargetCode
        guard let unitCode = context.unitCode(target: number, subTarget: measure.subTargetCode) else {
            self = .kept(reason: "chỉ tiêu \(target) không có đơn vị trong chỉ thị / target \(target) has no unit in the directive; \(kept)")
            return
        }
        guard let value = statistic.value.valueDecimal, let converted = UnitCodes.convert(value, from: statistic.value.unit, to: unitCode) else {
            let written = InvestmentDomain.writtenUnit(statistic.value.unit)
            self = .kept(reason: "'\(indicator)' tính bằng \(written), không đổi được sang \(unitCode) / in \(written) does not convert to target \(target)'s unit \(unitCode); \(kept)")
            return
        }
        self = .measure(measure, unitCode: unitCode, value: converted)
    }
}
