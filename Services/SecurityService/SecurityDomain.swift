import DepartmentCore
import Foundation
import PlanContracts

/// The kinds of security record, as ImportRecordsCsv and ListRecords name them.
enum SecurityRecordKind: String {
    /// One public-order, crime, drug or smuggling case: case-level, sensitive.
    case securityCase = "security-case"
    /// A district's traffic accidents in a month.
    case traffic = "traffic-accidents"
    /// A district's fires and explosions in a month.
    case fires = "fires-explosions"
    /// A district's conscription quota and deliveries for the year.
    case conscription = "conscription"
    /// A drill planned for the year, and when it was held.
    case drill = "drill"
}

/// The security service's records: cases, traffic accidents, fires and explosions, conscription and drills, kept by
/// district (and commune) and month.
///
/// The records stay inside the service. Their change event is an aggregate (`SecurityAggregatesChanged`: district,
/// month, kind, action) and their derived observations are counts and rates by district and month
/// (``SecurityFigures``); no validation message quotes a record's free text.
struct SecurityDomain: RecordDomain {
    typealias Record = Planmonitor_Security_V1_SecurityRecord
    typealias ChangedEvent = Planmonitor_Security_V1_SecurityAggregatesChanged

    /// Longest case description, in characters.
    static let maxDescriptionLength = 4_000
    /// Longest record id, in characters.
    static let maxRecordIDLength = 100

    /// The communes, wards and townships cases and drills name.
    let communes: CommuneCatalog

    var department: Department { .security }

    var kinds: [RecordKindLayout<Record>] { SecurityCSV.layouts }

    func placement(of record: Record) -> RecordPlacement? {
        switch record.record {
        case .securityCase(let securityCase):
            RecordPlacement(recordID: securityCase.recordID, kind: SecurityRecordKind.securityCase.rawValue, orgUnitCode: securityCase.orgUnitCode,
                            year: securityCase.occurredOn.year, month: securityCase.occurredOn.month)
        case .traffic(let traffic):
            RecordPlacement(recordID: traffic.recordID, kind: SecurityRecordKind.traffic.rawValue, orgUnitCode: traffic.orgUnitCode, year: traffic.year, month: traffic.month)
        case .fires(let fires):
            RecordPlacement(recordID: fires.recordID, kind: SecurityRecordKind.fires.rawValue, orgUnitCode: fires.orgUnitCode, year: fires.year, month: fires.month)
        case .conscription(let conscription):
            RecordPlacement(recordID: conscription.recordID, kind: SecurityRecordKind.conscription.rawValue, orgUnitCode: conscription.orgUnitCode,
                            year: conscription.year, month: 0)
        case .drill(let drill):
            RecordPlacement(recordID: drill.recordID, kind: SecurityRecordKind.drill.rawValue, orgUnitCode: drill.orgUnitCode, year: drill.year, month: drill.plannedMonth)
        case nil:
            nil
        }
    }

    /// The aggregate event: which district, month and kind of record changed, and how — no id, no field of the record.
    /// Only kind, unit and month: a case's id never leaves the service, not even in the `cause` of a figure or a log line.
    func publicName(of placement: RecordPlacement) -> String {
        "\(placement.kind) \(placement.orgUnitCode) \(placement.year)-\(placement.month)"
    }

    /// An imported file's name may name the people of its cases: it stays in the service's audit log only.
    func publicName(ofImport fileName: String) -> String { "(tệp của cơ quan an ninh)" }

    func changedEvent(_ record: Record, change: Planmonitor_Department_V1_RecordChange) -> ChangedEvent {
        var event = ChangedEvent()
        if let placement = placement(of: record) {
            event.orgUnitCode = placement.orgUnitCode
            event.year = placement.year
            event.month = placement.month
            event.recordKind = placement.kind
        }
        event.action = change.action
        return event
    }

    // MARK: Validation

    func validate(_ record: Record, in context: RecordValidationContext<Record>) async throws -> FieldViolations {
        var violations = FieldViolations()
        switch record.record {
        case .securityCase(let securityCase):
            checkID(securityCase.recordID, into: &violations)
            let districtKnown = checkDistrict(securityCase.orgUnitCode, context: context, into: &violations)
            if districtKnown, !securityCase.communeCode.isEmpty,
               let reason = communes.misplacement(of: securityCase.communeCode, inDistrict: securityCase.orgUnitCode) {
                violations.add("commune_code", reason)
            }
            if let day = violations.requireDay(securityCase.occurredOn, "occurred_on") {
                violations.requireYear(day.year, "occurred_on", expectedYear: context.directiveYear, allowPreviousYear: true)
            }
            if securityCase.category == .unspecified { violations.add("category", "missing (\(SecurityVocabulary.categoryCodes))") }
            if securityCase.suspects < 0 { violations.add("suspects", "\(securityCase.suspects) is negative") }
            violations.requireText(securityCase.description_p, "description", maxLength: Self.maxDescriptionLength)
        case .traffic(let traffic):
            checkID(traffic.recordID, into: &violations)
            checkDistrict(traffic.orgUnitCode, context: context, into: &violations)
            violations.requireMonth(year: traffic.year, month: traffic.month, expectedYear: context.directiveYear, allowPreviousYear: true)
            checkVictims(cases: traffic.cases, deaths: traffic.deaths, injuries: traffic.injuries, event: "accident", into: &violations)
            violations.limitText(traffic.note, "note")
        case .fires(let fires):
            checkID(fires.recordID, into: &violations)
            checkDistrict(fires.orgUnitCode, context: context, into: &violations)
            violations.requireMonth(year: fires.year, month: fires.month, expectedYear: context.directiveYear, allowPreviousYear: true)
            checkVictims(cases: fires.cases, deaths: fires.deaths, injuries: fires.injuries, event: "fire or explosion", into: &violations)
            if let damage = violations.requireMoney(fires.damage, "damage", units: MoneyUnits.vnd), damage > 0, fires.cases == 0 {
                violations.add("damage", "\(fires.damage.amount) \(MoneyUnits.code(fires.damage.unit)) of damage reported for a month with no fire or explosion (cases is 0)")
            }
            violations.limitText(fires.note, "note")
        case .conscription(let conscription):
            checkID(conscription.recordID, into: &violations)
            checkDistrict(conscription.orgUnitCode, context: context, into: &violations)
            violations.requireYear(conscription.year, "year", expectedYear: context.directiveYear, allowPreviousYear: true)
            if conscription.quota <= 0 { violations.add("quota", "\(conscription.quota) is not a quota (above zero)") }
            if conscription.delivered < 0 { violations.add("delivered", "\(conscription.delivered) is negative") }
            violations.limitText(conscription.note, "note")
        case .drill(let drill):
            checkID(drill.recordID, into: &violations)
            let districtKnown = checkDistrict(drill.orgUnitCode, context: context, into: &violations)
            violations.requireMonth(year: drill.year, month: drill.plannedMonth, monthField: "planned_month", expectedYear: context.directiveYear, allowPreviousYear: true)
            switch drill.kind {
            case .combatDefence:
                if districtKnown, let reason = communes.misplacement(of: drill.communeCode, inDistrict: drill.orgUnitCode) {
                    violations.add("commune_code", reason)
                }
            case .areaDefence, .disasterResponse:
                if !drill.communeCode.isEmpty { violations.add("commune_code", "a district drill names no commune (only combat-defence drills are held by communes)") }
            case .unspecified, .UNRECOGNIZED:
                violations.add("kind", "missing (\(SecurityVocabulary.drillKindCodes))")
            }
            if drill.hasHeldOn, let day = violations.requireDay(drill.heldOn, "held_on"), day.year != drill.year {
                violations.add("held_on", "\(LocalDay.iso(day)) is outside the plan's year \(drill.year)")
            }
            violations.limitText(drill.note, "note")
        case nil:
            violations.add("record", "missing")
        }
        return violations
    }

    /// Requires an id of letters, digits, ".", "_" and "-": an id travels in audit entries and replies, so it must not
    /// carry a name or a description.
    private func checkID(_ id: String, into violations: inout FieldViolations) {
        if id.isEmpty {
            violations.add("record_id", "missing")
        } else if id.count > Self.maxRecordIDLength || !id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)) }) {
            violations.add("record_id", "must be at most \(Self.maxRecordIDLength) letters, digits, '.', '_' or '-' (an id names no person or place)")
        }
    }

    /// Requires a district records are kept for; true when it is one.
    @discardableResult
    private func checkDistrict(_ code: String, context: RecordValidationContext<Record>, into violations: inout FieldViolations) -> Bool {
        guard let reason = context.scope.recordingUnitReason(code) else { return true }
        violations.add("org_unit_code", reason)
        return false
    }

    /// Requires counts that are not negative, and no victims in a month without an accident (or fire).
    private func checkVictims(cases: Int32, deaths: Int32, injuries: Int32, event: String, into violations: inout FieldViolations) {
        for (field, count) in [("cases", cases), ("deaths", deaths), ("injuries", injuries)] where count < 0 {
            violations.add(field, "\(count) is negative")
        }
        guard cases == 0 else { return }
        if deaths > 0 { violations.add("deaths", "\(deaths) reported for a month with no \(event) (cases is 0)") }
        if injuries > 0 { violations.add("injuries", "\(injuries) reported for a month with no \(event) (cases is 0)") }
    }

    // MARK: Derivations

    func observations(from records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        SecurityFigures(records: records, year: year, scope: context.scope, communes: communes).observations()
    }
}
