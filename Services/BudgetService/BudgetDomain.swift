import DepartmentCore
import Foundation
import PlanContracts

/// The budget service's records: estimate lines, monthly execution, tax arrears; it derives target 6 (domestic
/// revenue, thu nội địa) from the revenue collected under "domestic".
struct BudgetDomain: RecordDomain {
    typealias Record = Planmonitor_Budget_V1_BudgetRecord
    typealias ChangedEvent = Planmonitor_Budget_V1_BudgetRecordChanged

    /// The directive's target number for domestic revenue.
    static let domesticRevenueTarget: Int32 = 6
    /// The agency whose collections make domestic revenue.
    static let revenueAgency = "tax-department"

    var department: Department { .budget }

    func placement(of record: Record) -> RecordPlacement? {
        switch record.record {
        case .line(let line):
            RecordPlacement(recordID: line.recordID, kind: "budget-line", orgUnitCode: line.orgUnitCode, year: line.year, month: 0)
        case .execution(let execution):
            RecordPlacement(recordID: execution.recordID, kind: "budget-execution", orgUnitCode: execution.orgUnitCode, year: execution.year, month: execution.month)
        case .arrears(let arrears):
            RecordPlacement(recordID: arrears.recordID, kind: "tax-arrears", orgUnitCode: arrears.orgUnitCode, year: arrears.year, month: arrears.month)
        case nil:
            nil
        }
    }

    // MARK: Validation

    func validate(_ record: Record, in context: RecordValidationContext<Record>) async throws -> FieldViolations {
        var violations = FieldViolations()
        switch record.record {
        case .line(let line):
            checkCommon(id: line.recordID, orgUnitCode: line.orgUnitCode, scope: context.scope, into: &violations)
            violations.requireYear(line.year, "year", expectedYear: context.directiveYear)
            if line.phase == .unspecified { violations.add("phase", "missing (approved, adjusted or executed)") }
            checkClassification(line.classificationCode, direction: line.direction, leafOnly: false, into: &violations)
            violations.requireMoney(line.amount, "amount", units: MoneyUnits.vnd)
            violations.limitText(line.note, "note")
        case .execution(let execution):
            checkCommon(id: execution.recordID, orgUnitCode: execution.orgUnitCode, scope: context.scope, into: &violations)
            violations.requireMonth(year: execution.year, month: execution.month, expectedYear: context.directiveYear, allowPreviousYear: true)
            checkClassification(execution.classificationCode, direction: execution.direction, leafOnly: true, into: &violations)
            violations.requireMoney(execution.amount, "amount", units: MoneyUnits.vnd)
            violations.limitText(execution.note, "note")
        case .arrears(let arrears):
            checkCommon(id: arrears.recordID, orgUnitCode: arrears.orgUnitCode, scope: context.scope, into: &violations)
            violations.requireMonth(year: arrears.year, month: arrears.month, expectedYear: context.directiveYear, allowPreviousYear: true)
            violations.requireMoney(arrears.stock, "stock", units: MoneyUnits.vnd)
            violations.requireMoney(arrears.recovered, "recovered", units: MoneyUnits.vnd)
            violations.limitText(arrears.note, "note")
        case nil:
            violations.add("record", "missing")
        }
        return violations
    }

    private func checkCommon(id: String, orgUnitCode: String, scope: OrgUnitScope, into violations: inout FieldViolations) {
        violations.requireText(id, "record_id", maxLength: 200)
        if !scope.contains(orgUnitCode) { violations.add("org_unit_code", scope.unknownUnitReason(orgUnitCode)) }
    }

    private func checkClassification(_ code: String, direction: Planmonitor_Budget_V1_BudgetDirection, leafOnly: Bool, into violations: inout FieldViolations) {
        guard !code.isEmpty else {
            violations.add("classification_code", "missing (one of \(BudgetClassification.all.map(\.code).joined(separator: ", ")))")
            return
        }
        guard let classification = BudgetClassification.named(code) else {
            violations.add("classification_code", "unknown code '\(code)' (one of \(BudgetClassification.all.map(\.code).joined(separator: ", ")))")
            return
        }
        if leafOnly && !classification.isLeaf {
            violations.add("classification_code", "'\(code)' is a total; record execution on its parts (\(BudgetClassification.leafCodes.filter { classification.covers($0) }.joined(separator: ", ")))")
        }
        if direction == .unspecified {
            violations.add("direction", "missing (revenue or expenditure)")
        } else if direction != classification.direction {
            violations.add("direction", "\(direction.code) does not match '\(code)', which is \(classification.direction.code)")
        }
    }

    // MARK: Derived figures

    func observations(from records: [StoredRecord<Record>], year: Int32, context: DerivationContext) -> [Planmonitor_Common_V1_Observation] {
        guard let unitCode = context.unitCode(target: Self.domesticRevenueTarget), UnitCodes.isKnown(unitCode) else { return [] }
        // Domestic revenue collected, by unit and month, in the target's unit.
        var monthly: [String: [Int32: Decimal]] = [:]
        var counts: [String: Int] = [:]
        for stored in records {
            guard case .execution(let execution) = stored.record.record, execution.year == year, execution.direction == .revenue,
                execution.classificationCode.hasPrefix("domestic"),
                let amount = MoneyUnits.amount(execution.amount, in: .vnd).flatMap({ UnitCodes.convert($0, from: "vnd", to: unitCode) })
            else { continue }
            for unit in context.scope.unitsIncluding(execution.orgUnitCode) {
                monthly[unit, default: [:]][execution.month, default: 0] += amount
                counts[unit, default: 0] += 1
            }
        }
        var observations: [Planmonitor_Common_V1_Observation] = []
        for (unit, months) in monthly.sorted(by: { $0.key < $1.key }) {
            guard let last = months.keys.max() else { continue }
            var total: Decimal = 0
            for month in Int32(1)...last {
                total += months[month] ?? 0
                var observation = Planmonitor_Common_V1_Observation()
                observation.targetNumber = Self.domesticRevenueTarget
                observation.orgUnitCode = unit
                observation.period = PeriodText.cumulative(year: year, through: month)
                observation.value = Planmonitor_Common_V1_Quantity(value: UnitCodes.decimalString(total, scale: 3), unit: unitCode)
                observation.origin = .derived
                observation.agencyCode = Self.revenueAgency
                observation.derivation = "tổng thu nội địa tháng 1–\(month)/\(year) từ các bản ghi thu ngân sách (\(counts[unit] ?? 0) bản ghi trong năm)"
                observations.append(observation)
            }
        }
        return observations
    }

    // MARK: CSV

    var kinds: [RecordKindLayout<Record>] { BudgetCSV.layouts }
}
