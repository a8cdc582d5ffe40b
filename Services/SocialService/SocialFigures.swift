import DepartmentCore
import Foundation
import PlanContracts

/// A rate of a unit as the sum of its districts' numerators over the sum of their denominators — never an average of
/// the districts' percentages, which would weigh a district of 50,000 people like one of 500,000.
struct RateFraction: Equatable {
    /// Σ numerators.
    var numerator: Decimal = 0
    /// Σ denominators.
    var denominator: Decimal = 0
    /// The districts summed, in code order.
    var districts: [String] = []

    /// numerator / denominator × 100 (0 for an empty fraction).
    var percent: Decimal { denominator > 0 ? numerator / denominator * 100 : 0 }

    /// Adds a district's fraction.
    mutating func add(numerator: Decimal, denominator: Decimal, district: String) {
        self.numerator += numerator
        self.denominator += denominator
        districts.append(district)
        districts.sort()
    }
}

/// A unit's new rural development at the end of a month, from the latest assessment of each of its communes.
struct NewRuralState: Equatable {
    /// Communes with an assessment up to the month (the start-of-year one included).
    var communesAssessed = 0
    /// Criteria met, summed over the communes' latest assessments.
    var criteriaMet = 0
    /// Communes whose latest assessment meets all 19 criteria.
    var communesMeetingAll = 0
    /// Of those, communes whose start-of-year assessment did not: they reached all 19 this year.
    var communesNewlyMeetingAll = 0
    /// Communes meeting all 19 without a start-of-year assessment: whether they are new is unknown, so they are not
    /// counted as new.
    var communesWithoutStartOfYear = 0

    /// criteriaMet / communesAssessed, `nil` without communes.
    var averageCriteria: Decimal? {
        communesAssessed > 0 ? Decimal(criteriaMet) / Decimal(communesAssessed) : nil
    }
}

/// The figures of one year's social records for the units of an instance: rates as fractions, jobs and training
/// totals, stocks at a month, new rural development. Both the derived observations and GetYearToDate read them.
///
/// A record counts for its district and for the instance's unit above it (``OrgUnitScope/unitsIncluding(_:)``).
/// Where a figure is a stock — a rate, the assistance beneficiaries, the insurance participants of a group, a
/// commune's assessment — one record gives it for a district (or commune) and month; when two do, the one changed last
/// counts.
struct SocialFigures {
    /// The units the instance serves.
    let scope: OrgUnitScope
    /// The year.
    let year: Int32
    private let rates: [Planmonitor_Social_V1_RateObservation]
    private let jobs: [Planmonitor_Social_V1_JobsCreated]
    private let training: [Planmonitor_Social_V1_VocationalTraining]
    private let assistance: [Planmonitor_Social_V1_SocialAssistance]
    private let insurance: [Planmonitor_Social_V1_InsuranceParticipants]
    private let assessments: [Planmonitor_Social_V1_NewRuralAssessment]

    /// The figures of `records` (current versions) of `year`.
    init(records: [StoredRecord<Planmonitor_Social_V1_SocialRecord>], year: Int32, scope: OrgUnitScope) {
        self.scope = scope
        self.year = year
        let ofYear = records.filter { $0.placement.year == year }
            .sorted { ($0.change.changedBy.at.date, $0.placement.recordID) < ($1.change.changedBy.at.date, $1.placement.recordID) }
        var rates: [String: Planmonitor_Social_V1_RateObservation] = [:]
        var jobs: [Planmonitor_Social_V1_JobsCreated] = []
        var training: [Planmonitor_Social_V1_VocationalTraining] = []
        var assistance: [String: Planmonitor_Social_V1_SocialAssistance] = [:]
        var insurance: [String: Planmonitor_Social_V1_InsuranceParticipants] = [:]
        var assessments: [String: Planmonitor_Social_V1_NewRuralAssessment] = [:]
        // Oldest change first, so that a later record of the same stock replaces an earlier one.
        for stored in ofYear {
            switch stored.record.record {
            case .rate(let rate): rates["\(rate.measure.rawValue)/\(rate.orgUnitCode)/\(rate.month)"] = rate
            case .jobs(let record): jobs.append(record)
            case .training(let record): training.append(record)
            case .assistance(let record): assistance["\(record.orgUnitCode)/\(record.month)"] = record
            case .insurance(let record): insurance["\(record.group.rawValue)/\(record.orgUnitCode)/\(record.month)"] = record
            case .newRural(let record): assessments["\(record.communeCode)/\(record.month)"] = record
            case nil: break
            }
        }
        self.rates = rates.values.sorted { ($0.orgUnitCode, $0.month) < ($1.orgUnitCode, $1.month) }
        self.jobs = jobs
        self.training = training
        self.assistance = Array(assistance.values)
        self.insurance = Array(insurance.values)
        self.assessments = assessments.values.sorted { ($0.communeCode, $0.month) < ($1.communeCode, $1.month) }
    }



    // MARK: Rates

    /// The months 1–12 with records of `measure`, in order.
    func rateMonths(_ measure: Planmonitor_Social_V1_RateMeasure) -> [Int32] {
        Set(rates.filter { $0.measure == measure && $0.month > 0 }.map(\.month)).sorted()
    }

    /// The districts with a record of `measure` for `month`.
    func rateDistricts(_ measure: Planmonitor_Social_V1_RateMeasure, month: Int32) -> [String] {
        rates.filter { $0.measure == measure && $0.month == month }.map(\.orgUnitCode)
    }

    /// `unit`'s rate of `measure` at `month` (0: the start of the year), over its districts recorded then or, when
    /// `districts` is given, over those of them only; `nil` when none is recorded.
    func rate(_ measure: Planmonitor_Social_V1_RateMeasure, unit: String, month: Int32, districts: Set<String>? = nil) -> RateFraction? {
        var fraction = RateFraction()
        for rate in rates where rate.measure == measure && rate.month == month && scope.includes(rate.orgUnitCode, in: unit) {
            if let districts, !districts.contains(rate.orgUnitCode) { continue }
            guard let numerator = DecimalString.decimal(rate.numerator), let denominator = DecimalString.decimal(rate.denominator) else { continue }
            fraction.add(numerator: numerator, denominator: denominator, district: rate.orgUnitCode)
        }
        return fraction.districts.isEmpty ? nil : fraction
    }

    /// `unit`'s rate of `measure` at the start of the year and at `month`, both over the districts recorded at both
    /// (so that the change compares like with like); `nil` when no district has both.
    func rateSinceStartOfYear(_ measure: Planmonitor_Social_V1_RateMeasure, unit: String, month: Int32) -> (start: RateFraction, current: RateFraction)? {
        guard month > 0, let current = rate(measure, unit: unit, month: month), let start = rate(measure, unit: unit, month: 0) else { return nil }
        let common = Set(current.districts).intersection(start.districts)
        guard let startOverCommon = rate(measure, unit: unit, month: 0, districts: common),
              let currentOverCommon = rate(measure, unit: unit, month: month, districts: common)
        else { return nil }
        return (startOverCommon, currentOverCommon)
    }

    /// The latest month ≤ `month` with a record of `measure` counting for `unit`.
    func latestRateMonth(_ measure: Planmonitor_Social_V1_RateMeasure, unit: String, through month: Int32) -> Int32? {
        rates.filter { $0.measure == measure && $0.month > 0 && $0.month <= month && scope.includes($0.orgUnitCode, in: unit) }.map(\.month).max()
    }

    // MARK: Flows and stocks

    /// The districts with jobs records.
    var jobDistricts: Set<String> { Set(jobs.map(\.orgUnitCode)) }

    /// The last month with jobs records counting for `unit`.
    func lastJobsMonth(unit: String) -> Int32? {
        jobs.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month).max()
    }

    /// Jobs created for `unit` from January through `month`, of `channel` or of every channel; with the number of
    /// records summed.
    func jobsCreated(unit: String, through month: Int32, channel: Planmonitor_Social_V1_JobChannel? = nil) -> (persons: Int64, records: Int) {
        let counted = jobs.filter { $0.month <= month && scope.includes($0.orgUnitCode, in: unit) && (channel == nil || $0.channel == channel) }
        return (counted.map(\.persons).reduce(0, +), counted.count)
    }

    /// Vocational-training enrolments and graduates for `unit` from January through `month`.
    func trainingTotals(unit: String, through month: Int32) -> (enrolled: Int64, graduated: Int64) {
        let counted = training.filter { $0.month <= month && scope.includes($0.orgUnitCode, in: unit) }
        return (counted.map(\.enrolled).reduce(0, +), counted.map(\.graduated).reduce(0, +))
    }

    /// Social-assistance beneficiaries of `unit`: each district's latest month up to `month`, summed.
    func assistanceBeneficiaries(unit: String, through month: Int32) -> Int64 {
        latestByKey(assistance.filter { $0.month <= month && scope.includes($0.orgUnitCode, in: unit) }, key: \.orgUnitCode, month: \.month)
            .map(\.beneficiaries).reduce(0, +)
    }

    /// Health-insurance participants of `group` in `unit`: each district's latest month up to `month`, summed; `nil`
    /// when the group has no record.
    func insuranceParticipants(_ group: Planmonitor_Social_V1_InsuranceGroup, unit: String, through month: Int32) -> Int64? {
        let latest = latestByKey(insurance.filter { $0.group == group && $0.month <= month && scope.includes($0.orgUnitCode, in: unit) }, key: \.orgUnitCode, month: \.month)
        return latest.isEmpty ? nil : latest.map(\.participants).reduce(0, +)
    }

    /// The last month of any record counting for `unit`, 0 when there is none.
    func lastMonth(unit: String) -> Int32 {
        let months = rates.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + jobs.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + training.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + assistance.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + insurance.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + assessments.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
        return months.max() ?? 0
    }

    /// Of `items`, the one with the latest month for each key.
    private func latestByKey<Item>(_ items: [Item], key: (Item) -> String, month: (Item) -> Int32) -> [Item] {
        var latest: [String: Item] = [:]
        for item in items where latest[key(item)].map({ month($0) < month(item) }) ?? true {
            latest[key(item)] = item
        }
        return Array(latest.values)
    }

    // MARK: New rural development

    /// The months 1–12 with assessments, in order.
    var assessmentMonths: [Int32] { Set(assessments.map(\.month).filter { $0 > 0 }).sorted() }

    /// The districts with assessments.
    var assessedDistricts: Set<String> { Set(assessments.map(\.orgUnitCode)) }

    /// `unit`'s new rural development at the end of `month`: each of its communes as its latest assessment up to then
    /// says, and whether it reached all 19 criteria since its start-of-year assessment.
    func newRural(unit: String, through month: Int32) -> NewRuralState {
        var start: [String: Planmonitor_Social_V1_NewRuralAssessment] = [:]
        var latest: [String: Planmonitor_Social_V1_NewRuralAssessment] = [:]
        for assessment in assessments where assessment.month <= month && scope.includes(assessment.orgUnitCode, in: unit) {
            if assessment.month == 0 { start[assessment.communeCode] = assessment }
            if latest[assessment.communeCode].map({ $0.month < assessment.month }) ?? true { latest[assessment.communeCode] = assessment }
        }
        var state = NewRuralState()
        for (commune, assessment) in latest {
            state.communesAssessed += 1
            state.criteriaMet += assessment.criteriaMet.count
            guard assessment.criteriaMet.count == SocialDomain.newRuralCriteriaCount else { continue }
            state.communesMeetingAll += 1
            if let baseline = start[commune] {
                if baseline.criteriaMet.count < SocialDomain.newRuralCriteriaCount { state.communesNewlyMeetingAll += 1 }
            } else {
                state.communesWithoutStartOfYear += 1
            }
        }
        return state
    }
}
