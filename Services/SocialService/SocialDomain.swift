import DepartmentCore
import Foundation
import PlanContracts

/// The kinds of social record, as ImportRecordsCsv and ListRecords name them.
enum SocialRecordKind: String {
    /// A rate of a district as a fraction (``Planmonitor_Social_V1_RateObservation``).
    case rate = "rate-observation"
    /// Jobs created in a month by one channel.
    case jobs = "jobs-created"
    /// Vocational-training enrolments and graduates in a month.
    case training = "vocational-training"
    /// Social-assistance beneficiaries at the end of a month.
    case assistance = "social-assistance"
    /// Health-insurance participants of one group at the end of a month.
    case insurance = "insurance-participants"
    /// A commune's new-rural criteria met, assessed for a month.
    case newRural = "new-rural-assessment"
}

/// The social programmes service's records: rates as fractions, jobs, vocational training, social assistance,
/// insurance participants by group, and communes' new-rural assessments, kept by district (and commune) and month.
/// It derives every target the social service reports — (10), (12)–(18) — from them (``SocialFigures``).
struct SocialDomain: RecordDomain {
    typealias Record = Planmonitor_Social_V1_SocialRecord
    typealias ChangedEvent = Planmonitor_Social_V1_SocialRecordChanged

    /// The number of national new-rural criteria (Bộ tiêu chí quốc gia về xã nông thôn mới 2016–2020).
    static let newRuralCriteriaCount: Int32 = 19

    /// The communes the new-rural assessments name.
    let communes: CommuneCatalog

    var department: Department { .social }

    var kinds: [RecordKindLayout<Record>] { SocialCSV.layouts }

    func placement(of record: Record) -> RecordPlacement? {
        switch record.record {
        case .rate(let rate):
            RecordPlacement(recordID: rate.recordID, kind: SocialRecordKind.rate.rawValue, orgUnitCode: rate.orgUnitCode, year: rate.year, month: rate.month)
        case .jobs(let jobs):
            RecordPlacement(recordID: jobs.recordID, kind: SocialRecordKind.jobs.rawValue, orgUnitCode: jobs.orgUnitCode, year: jobs.year, month: jobs.month)
        case .training(let training):
            RecordPlacement(recordID: training.recordID, kind: SocialRecordKind.training.rawValue, orgUnitCode: training.orgUnitCode, year: training.year, month: training.month)
        case .assistance(let assistance):
            RecordPlacement(recordID: assistance.recordID, kind: SocialRecordKind.assistance.rawValue, orgUnitCode: assistance.orgUnitCode, year: assistance.year, month: assistance.month)
        case .insurance(let insurance):
            RecordPlacement(recordID: insurance.recordID, kind: SocialRecordKind.insurance.rawValue, orgUnitCode: insurance.orgUnitCode, year: insurance.year, month: insurance.month)
        case .newRural(let assessment):
            RecordPlacement(recordID: assessment.recordID, kind: SocialRecordKind.newRural.rawValue, orgUnitCode: assessment.orgUnitCode, year: assessment.year, month: assessment.month)
        case nil:
            nil
        }
    }

    // MARK: Validation

    func validate(_ record: Record, in context: RecordValidationContext<Record>) async throws -> FieldViolations {
        var violations = FieldViolations()
        switch record.record {
        case .rate(let rate):
            checkPlace(id: rate.recordID, orgUnitCode: rate.orgUnitCode, year: rate.year, month: rate.month, allowStartOfYear: true, context: context, into: &violations)
            if rate.measure == .unspecified { violations.add("measure", "missing (\(SocialMeasures.codes))") }
            let numerator = violations.requireDecimal(rate.numerator, "numerator")
            let denominator = violations.requireDecimal(rate.denominator, "denominator", allowZero: false)
            if let numerator, let denominator, denominator > 0, numerator > denominator {
                violations.add("numerator", "\(rate.numerator) is larger than its denominator \(rate.denominator): a rate is a part of its whole (at most 100 %)")
            }
            violations.limitText(rate.note, "note")
        case .jobs(let jobs):
            checkPlace(id: jobs.recordID, orgUnitCode: jobs.orgUnitCode, year: jobs.year, month: jobs.month, allowStartOfYear: false, context: context, into: &violations)
            if jobs.channel == .unspecified { violations.add("channel", "missing (domestic or labour-export)") }
            checkCount(jobs.persons, "persons", into: &violations)
            violations.limitText(jobs.note, "note")
        case .training(let training):
            checkPlace(id: training.recordID, orgUnitCode: training.orgUnitCode, year: training.year, month: training.month, allowStartOfYear: false, context: context, into: &violations)
            checkCount(training.enrolled, "enrolled", into: &violations)
            checkCount(training.graduated, "graduated", into: &violations)
            violations.limitText(training.note, "note")
        case .assistance(let assistance):
            checkPlace(id: assistance.recordID, orgUnitCode: assistance.orgUnitCode, year: assistance.year, month: assistance.month, allowStartOfYear: false, context: context, into: &violations)
            checkCount(assistance.beneficiaries, "beneficiaries", into: &violations)
            violations.limitText(assistance.note, "note")
        case .insurance(let insurance):
            checkPlace(id: insurance.recordID, orgUnitCode: insurance.orgUnitCode, year: insurance.year, month: insurance.month, allowStartOfYear: false, context: context, into: &violations)
            if insurance.group == .unspecified { violations.add("group", "missing (\(SocialMeasures.insuranceGroupCodes))") }
            checkCount(insurance.participants, "participants", into: &violations)
            violations.limitText(insurance.note, "note")
        case .newRural(let assessment):
            checkPlace(id: assessment.recordID, orgUnitCode: assessment.orgUnitCode, year: assessment.year, month: assessment.month, allowStartOfYear: true, context: context, into: &violations)
            if context.scope.recordingUnitReason(assessment.orgUnitCode) == nil,
               let reason = communes.misplacement(of: assessment.communeCode, inDistrict: assessment.orgUnitCode, kinds: [.commune]) {
                violations.add("commune_code", reason)
            }
            var seen: Set<Int32> = []
            for criterion in assessment.criteriaMet {
                if !(1...Self.newRuralCriteriaCount).contains(criterion) {
                    violations.add("criteria_met", "\(criterion) is not a criterion (1–\(Self.newRuralCriteriaCount))")
                } else if !seen.insert(criterion).inserted {
                    violations.add("criteria_met", "criterion \(criterion) is listed twice")
                }
            }
            violations.limitText(assessment.note, "note")
        case nil:
            violations.add("record", "missing")
        }
        return violations
    }

    /// Checks the id, the district (a unit records are kept for), the year (the directive's) and the month (1–12, or
    /// 0 for the start of the year when `allowStartOfYear`).
    private func checkPlace(
        id: String, orgUnitCode: String, year: Int32, month: Int32, allowStartOfYear: Bool,
        context: RecordValidationContext<Record>, into violations: inout FieldViolations
    ) {
        violations.requireText(id, "record_id", maxLength: 200)
        if let reason = context.scope.recordingUnitReason(orgUnitCode) { violations.add("org_unit_code", reason) }
        violations.requireYear(year, "year", expectedYear: context.directiveYear)
        let months: ClosedRange<Int32> = allowStartOfYear ? 0...12 : 1...12
        if !months.contains(month) {
            violations.add("month", allowStartOfYear ? "\(month) is not a month (1–12, or 0 for the start of the year)" : "\(month) is not a month (1–12)")
        }
    }

    private func checkCount(_ count: Int64, _ field: String, into violations: inout FieldViolations) {
        if count < 0 { violations.add(field, "\(count) is negative") }
        if count > Self.maximumCount { violations.add(field, "\(count) is more people than Việt Nam has (at most \(Self.maximumCount))") }
    }

    /// The largest count of people a record may give: more than the country's population is a typing error, and the
    /// year's sums must stay far from overflowing.
    static let maximumCount: Int64 = 100_000_000

    // MARK: Derivations

    func observations(from records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        SocialFigures(records: records, year: year, scope: context.scope).observations(context: context)
    }
}
