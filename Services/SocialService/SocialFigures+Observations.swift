import DepartmentCore
import Foundation
import PlanContracts

extension SocialFigures {
    /// The observations of every target the social service reports, for each district with records and for the
    /// instance's unit above them. A target is derived when the directive's share measures it in the unit the records
    /// count in (percent, person times, criteria, communes); one the share lacks or measures otherwise is skipped.
    ///
    /// - (12), (13.b), (13.c), (14), (16), (17.a), (17.b), (18): the rate at each month with records, as a percentage
    ///   with its numerator and denominator (Σ over the districts);
    /// - (15): the poverty rate at each month, and its change in percentage points from the start of the year
    ///   (indicator ``povertyChangeIndicator``), over the districts recorded at both;
    /// - (13.a): jobs created from January through each month, in total and by channel (indicators);
    /// - (10.a): the average criteria met per commune at each month with assessments; (10.b): the communes that
    ///   reached all 19 criteria since the start of the year, January through the month; and the share of communes
    ///   meeting all 19 (indicator ``communesMeetingAllIndicator``).
    func observations(context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        var observations: [Planmonitor_Common_V1_Observation] = []
        for definition in SocialMeasures.rates {
            guard context.unitCode(target: definition.targetNumber, subTarget: definition.subTargetCode) == "percent" else { continue }
            observations += rateObservations(definition)
        }
        if context.unitCode(target: SocialMeasures.jobsTarget, subTarget: "13.a") == "person_times" {
            observations += jobObservations()
        }
        observations += newRuralObservations(context: context)
        return observations
    }

    /// The indicator of target (15)'s change from the start of the year, in percentage points.
    static let povertyChangeIndicator = "thay đổi so với đầu năm"
    /// The indicator of target (10)'s share of communes meeting all 19 criteria.
    static let communesMeetingAllIndicator = "tỷ lệ xã đạt đủ 19 tiêu chí"

    // MARK: Rates

    private func rateObservations(_ definition: RateMeasureDefinition) -> [Planmonitor_Common_V1_Observation] {
        var observations: [Planmonitor_Common_V1_Observation] = []
        for month in rateMonths(definition.measure) {
            for unit in scope.units(above: rateDistricts(definition.measure, month: month)) {
                guard let fraction = rate(definition.measure, unit: unit, month: month) else { continue }
                var observation = makeObservation(
                    target: definition.targetNumber, subTarget: definition.subTargetCode, unit: unit, period: PeriodText.month(year: year, month: month),
                    value: RoundedValue(fraction.percent, scale: 4, unit: "percent"), agency: definition.agencyCode,
                    derivation: "\(definition.nameVi) \(monthText(month)) = tổng \(definition.numeratorVi) / tổng \(definition.denominatorVi) "
                        + "của \(districtsText(fraction.districts)) (\(decimalText(fraction.numerator)) / \(decimalText(fraction.denominator))), không lấy trung bình các tỷ lệ")
                observation.numerator = decimalText(fraction.numerator)
                observation.denominator = decimalText(fraction.denominator)
                observations.append(observation)
                guard definition.targetNumber == SocialMeasures.povertyTarget, let since = rateSinceStartOfYear(definition.measure, unit: unit, month: month) else { continue }
                let change = since.current.percent - since.start.percent
                var changeObservation = makeObservation(
                    target: definition.targetNumber, subTarget: "", unit: unit, period: PeriodText.month(year: year, month: month),
                    value: RoundedValue(change, scale: 4, unit: "percentage_points"), agency: definition.agencyCode,
                    derivation: "\(definition.nameVi) \(monthText(month)) \(percentText(since.current.percent)) − đầu năm \(percentText(since.start.percent)) "
                        + "trên cùng \(districtsText(since.current.districts))")
                changeObservation.indicator = Self.povertyChangeIndicator
                observations.append(changeObservation)
            }
        }
        return observations
    }

    // MARK: Jobs

    private func jobObservations() -> [Planmonitor_Common_V1_Observation] {
        var observations: [Planmonitor_Common_V1_Observation] = []
        for unit in scope.units(above: jobDistricts) {
            guard let last = lastJobsMonth(unit: unit) else { continue }
            for month in Int32(1)...last {
                let total = jobsCreated(unit: unit, through: month)
                var parts: [String] = []
                for channel in SocialMeasures.jobChannels {
                    let persons = jobsCreated(unit: unit, through: month, channel: channel.channel).persons
                    parts.append("\(persons) \(channel.nameVi)")
                    var byChannel = makeObservation(
                        target: SocialMeasures.jobsTarget, subTarget: "13.a", unit: unit, period: PeriodText.cumulative(year: year, through: month),
                        value: RoundedValue(Decimal(persons), scale: 0, unit: "person_times"), agency: SocialMeasures.labourAgency,
                        derivation: "lượt người được giải quyết việc làm \(channel.nameVi) \(cumulativeText(month))")
                    byChannel.indicator = channel.nameVi
                    observations.append(byChannel)
                }
                observations.append(makeObservation(
                    target: SocialMeasures.jobsTarget, subTarget: "13.a", unit: unit, period: PeriodText.cumulative(year: year, through: month),
                    value: RoundedValue(Decimal(total.persons), scale: 0, unit: "person_times"), agency: SocialMeasures.labourAgency,
                    derivation: "lượt người được giải quyết việc làm \(cumulativeText(month)): \(parts.joined(separator: " + ")) (\(total.records) bản ghi)"))
            }
        }
        return observations
    }

    // MARK: New rural development

    private func newRuralObservations(context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        let target = SocialMeasures.newRuralTarget
        let derivesAverage = context.unitCode(target: target, subTarget: "10.a") == "criteria"
        let derivesNewlyMeetingAll = context.unitCode(target: target, subTarget: "10.b") == "communes"
        guard derivesAverage || derivesNewlyMeetingAll, let first = assessmentMonths.first, let last = assessmentMonths.last else { return [] }
        let agency = SocialMeasures.agricultureAgency
        var observations: [Planmonitor_Common_V1_Observation] = []
        for unit in scope.units(above: assessedDistricts) {
            for month in first...last {
                let state = newRural(unit: unit, through: month)
                guard let average = state.averageCriteria else { continue }
                if derivesAverage {
                    var observation = makeObservation(
                        target: target, subTarget: "10.a", unit: unit, period: PeriodText.month(year: year, month: month),
                        value: RoundedValue(average, scale: 2, unit: "criteria"), agency: agency,
                        derivation: "bình quân tiêu chí nông thôn mới \(monthText(month)) = \(state.criteriaMet) tiêu chí đạt / "
                            + "\(state.communesAssessed) xã đã đánh giá (đánh giá gần nhất của mỗi xã)")
                    observation.numerator = String(state.criteriaMet)
                    observation.denominator = String(state.communesAssessed)
                    observations.append(observation)
                }
                if derivesNewlyMeetingAll {
                    let unknown = state.communesWithoutStartOfYear == 0 ? ""
                        : "; \(state.communesWithoutStartOfYear) xã đạt đủ 19 tiêu chí chưa có đánh giá đầu năm, không tính"
                    observations.append(makeObservation(
                        target: target, subTarget: "10.b", unit: unit, period: PeriodText.cumulative(year: year, through: month),
                        value: RoundedValue(Decimal(state.communesNewlyMeetingAll), scale: 0, unit: "communes"), agency: agency,
                        derivation: "xã đạt đủ 19 tiêu chí trong năm \(cumulativeText(month)), so với đánh giá đầu năm: "
                            + "\(state.communesNewlyMeetingAll) xã\(unknown)"))
                }
                var share = makeObservation(
                    target: target, subTarget: "", unit: unit, period: PeriodText.month(year: year, month: month),
                    value: RoundedValue(Decimal(state.communesMeetingAll) / Decimal(state.communesAssessed) * 100, scale: 4, unit: "percent"), agency: agency,
                    derivation: "\(Self.communesMeetingAllIndicator) \(monthText(month)) = \(state.communesMeetingAll) xã đạt đủ / \(state.communesAssessed) xã đã đánh giá")
                share.indicator = Self.communesMeetingAllIndicator
                share.numerator = String(state.communesMeetingAll)
                share.denominator = String(state.communesAssessed)
                observations.append(share)
            }
        }
        return observations
    }

    // MARK: Wording

    /// A value with its unit, rounded to `scale` decimals.
    struct RoundedValue {
        var value: Decimal
        var scale: Int
        var unit: String

        init(_ value: Decimal, scale: Int, unit: String) {
            self.value = value
            self.scale = scale
            self.unit = unit
        }
    }

    private func makeObservation(
        target: Int32, subTarget: String, unit: String, period: Planmonitor_Common_V1_Period, value: RoundedValue, agency: String, derivation: String
    ) -> Planmonitor_Common_V1_Observation {
        var observation = Planmonitor_Common_V1_Observation()
        observation.targetNumber = target
        observation.subTargetCode = subTarget
        observation.orgUnitCode = unit
        observation.period = period
        observation.value = Planmonitor_Common_V1_Quantity(value: UnitCodes.decimalString(value.value, scale: value.scale), unit: value.unit)
        observation.origin = .derived
        observation.agencyCode = agency
        observation.derivation = derivation
        return observation
    }

    private func monthText(_ month: Int32) -> String { "tháng \(month)/\(year)" }
    private func cumulativeText(_ month: Int32) -> String { "tháng 1–\(month)/\(year)" }
    private func decimalText(_ value: Decimal) -> String { UnitCodes.decimalString(value, scale: 6) }
    private func percentText(_ value: Decimal) -> String { "\(UnitCodes.decimalString(value, scale: 4)) %" }

    /// "2 quận, huyện (305, 315)".
    private func districtsText(_ districts: [String]) -> String {
        "\(districts.count) quận, huyện (\(districts.joined(separator: ", ")))"
    }
}
