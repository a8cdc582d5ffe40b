import DepartmentCore
import Foundation
import PlanContracts

/// Accidents (or fires) with their victims, summed over districts and months.
struct Casualties: Equatable {
    /// Accidents, or fires and explosions.
    var cases: Int64 = 0
    /// People killed.
    var deaths: Int64 = 0
    /// People injured.
    var injuries: Int64 = 0
    /// Estimated damage in billion VND (fires only).
    var damageBillionVND: Decimal = 0
    /// The district-month records summed.
    var records = 0
}

/// The aggregates of one year's security records for the units of an instance: counts by district and month, victims,
/// conscription and drill completion. They are all that leaves the service: the derived observations and
/// GetYearToDate read them, and none carries a case's id, commune, day, suspects or description.
///
/// A record counts for its district and for the instance's unit above it. A district's traffic accidents (or fires)
/// of a month and its conscription are one figure: when two records give it, the one changed last counts.
struct SecurityFigures {
    /// The units the instance serves.
    let scope: OrgUnitScope
    /// The year.
    let year: Int32
    /// The communes, wards and townships of the districts.
    let communes: CommuneCatalog
    private let cases: [Planmonitor_Security_V1_SecurityCase]
    private let traffic: [Planmonitor_Security_V1_TrafficAccidents]
    private let fires: [Planmonitor_Security_V1_FiresAndExplosions]
    private let conscription: [Planmonitor_Security_V1_Conscription]
    private let drills: [Planmonitor_Security_V1_Drill]

    /// The aggregates of `records` (current versions) of `year`.
    init(records: [StoredRecord<Planmonitor_Security_V1_SecurityRecord>], year: Int32, scope: OrgUnitScope, communes: CommuneCatalog) {
        self.scope = scope
        self.year = year
        self.communes = communes
        var cases: [Planmonitor_Security_V1_SecurityCase] = []
        var traffic: [String: Planmonitor_Security_V1_TrafficAccidents] = [:]
        var fires: [String: Planmonitor_Security_V1_FiresAndExplosions] = [:]
        var conscription: [String: Planmonitor_Security_V1_Conscription] = [:]
        var drills: [Planmonitor_Security_V1_Drill] = []
        // Oldest change first, so that a later record of the same district and month replaces an earlier one.
        let ofYear = records.filter { $0.placement.year == year }
            .sorted { ($0.change.changedBy.at.date, $0.placement.recordID) < ($1.change.changedBy.at.date, $1.placement.recordID) }
        for stored in ofYear {
            switch stored.record.record {
            case .securityCase(let record): cases.append(record)
            case .traffic(let record): traffic["\(record.orgUnitCode)/\(record.month)"] = record
            case .fires(let record): fires["\(record.orgUnitCode)/\(record.month)"] = record
            case .conscription(let record): conscription[record.orgUnitCode] = record
            case .drill(let record): drills.append(record)
            case nil: break
            }
        }
        self.cases = cases
        self.traffic = Array(traffic.values)
        self.fires = Array(fires.values)
        self.conscription = Array(conscription.values)
        self.drills = drills
    }



    // MARK: Aggregates

    /// Cases of `category` counting for `unit` in `months`.
    func caseCount(_ category: Planmonitor_Security_V1_CaseCategory, unit: String, months: ClosedRange<Int32>) -> Int64 {
        Int64(cases.filter { $0.category == category && months.contains($0.occurredOn.month) && scope.includes($0.orgUnitCode, in: unit) }.count)
    }

    /// Traffic accidents counting for `unit` in `months`.
    func trafficAccidents(unit: String, months: ClosedRange<Int32>) -> Casualties {
        var total = Casualties()
        for record in traffic where months.contains(record.month) && scope.includes(record.orgUnitCode, in: unit) {
            total.cases += Int64(record.cases)
            total.deaths += Int64(record.deaths)
            total.injuries += Int64(record.injuries)
            total.records += 1
        }
        return total
    }

    /// Fires and explosions counting for `unit` in `months`.
    func firesAndExplosions(unit: String, months: ClosedRange<Int32>) -> Casualties {
        var total = Casualties()
        for record in fires where months.contains(record.month) && scope.includes(record.orgUnitCode, in: unit) {
            total.cases += Int64(record.cases)
            total.deaths += Int64(record.deaths)
            total.injuries += Int64(record.injuries)
            total.damageBillionVND += MoneyUnits.amount(record.damage, in: .billionVnd) ?? 0
            total.records += 1
        }
        return total
    }

    /// The conscription quota and deliveries of `unit`'s districts; `nil` when none has a record.
    func conscription(unit: String) -> (quota: Int64, delivered: Int64)? {
        let counted = conscription.filter { scope.includes($0.orgUnitCode, in: unit) }
        guard !counted.isEmpty else { return nil }
        return (counted.map { Int64($0.quota) }.reduce(0, +), counted.map { Int64($0.delivered) }.reduce(0, +))
    }

    /// Drills of `kind` planned for the year in `unit`, and of those the drills held by the end of `month`.
    func drills(_ kind: Planmonitor_Security_V1_DrillKind, unit: String, heldThrough month: Int32) -> (planned: Int64, held: Int64) {
        let planned = drills.filter { $0.kind == kind && scope.includes($0.orgUnitCode, in: unit) }
        return (Int64(planned.count), Int64(planned.filter { isHeld($0, through: month) }.count))
    }

    /// The communes, wards and townships of `unit` that held a combat-defence drill by the end of `month`, and how many
    /// `unit` has (GSO list).
    func communesDrilled(unit: String, heldThrough month: Int32) -> (drilled: Int64, communes: Int64) {
        let drilled = Set(drills.filter { $0.kind == .combatDefence && isHeld($0, through: month) && scope.includes($0.orgUnitCode, in: unit) }.map(\.communeCode))
        let all = scope.recordingUnits.filter { scope.includes($0, in: unit) }.flatMap { communes.communes(inDistrict: $0) }
        return (Int64(drilled.count), Int64(all.count))
    }

    /// The last month of anything that happened counting for `unit` — a case, a month of accidents or fires, a drill
    /// held (not one only planned) — 0 when nothing did.
    func lastMonth(unit: String) -> Int32 {
        let months = cases.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.occurredOn.month)
            + traffic.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + fires.filter { scope.includes($0.orgUnitCode, in: unit) }.map(\.month)
            + drills.filter { $0.hasHeldOn && scope.includes($0.orgUnitCode, in: unit) }.map(\.heldOn.month)
        return months.max() ?? 0
    }

    /// True when a case of any category counting for `unit` lies in `months`: the case register was kept then, so a
    /// category without cases had none (accidents and fires are kept, and judged, on their own).
    func hasCases(unit: String, months: ClosedRange<Int32>) -> Bool {
        cases.contains { months.contains($0.occurredOn.month) && scope.includes($0.orgUnitCode, in: unit) }
    }

    private func isHeld(_ drill: Planmonitor_Security_V1_Drill, through month: Int32) -> Bool {
        drill.hasHeldOn && drill.heldOn.month <= month
    }

    // MARK: Observations

    /// The aggregate observations (tied to no target of the directive: target 0), for each district with records and
    /// the instance's unit above them:
    ///
    /// - cases of every category, by month from January to the latest month with a case ("số vụ ma túy"), zeros
    ///   included, so that a case amended into another category or month leaves no count behind in its old one;
    /// - traffic accidents and fires: cases, deaths, injuries (and damage) of each month recorded;
    /// - the year's conscription delivered against the quota, and drill completion by kind (held / planned), as rates
    ///   with numerator and denominator; the share of communes, wards and townships that held a combat-defence drill.
    func observations() -> [Planmonitor_Common_V1_Observation] {
        caseObservations() + casualtyObservations() + conscriptionObservations() + drillObservations()
    }

    private func caseObservations() -> [Planmonitor_Common_V1_Observation] {
        guard let last = cases.map(\.occurredOn.month).max() else { return [] }
        var observations: [Planmonitor_Common_V1_Observation] = []
        for unit in scope.units(above: cases.map(\.orgUnitCode)) {
            for (category, _, nameVi) in SecurityVocabulary.categories {
                for month in Int32(1)...last {
                    let count = caseCount(category, unit: unit, months: month...month)
                    observations.append(makeObservation(
                        indicator: "số vụ \(nameVi)", unit: unit, period: PeriodText.month(year: year, month: month),
                        value: UnitCodes.decimalString(Decimal(count), scale: 0), unitCode: "count", agency: SecurityVocabulary.policeAgency,
                        derivation: "số vụ \(nameVi) tháng \(month)/\(year): \(count) vụ"))
                }
            }
        }
        return observations
    }

    private func casualtyObservations() -> [Planmonitor_Common_V1_Observation] {
        var observations: [Planmonitor_Common_V1_Observation] = []
        for month in Set(traffic.map(\.month)).sorted() {
            for unit in scope.units(above: traffic.filter { $0.month == month }.map(\.orgUnitCode)) {
                let total = trafficAccidents(unit: unit, months: month...month)
                observations += casualtyObservations(total, label: "tai nạn giao thông", unit: unit, month: month, agency: SecurityVocabulary.policeAgency)
            }
        }
        for month in Set(fires.map(\.month)).sorted() {
            for unit in scope.units(above: fires.filter { $0.month == month }.map(\.orgUnitCode)) {
                let total = firesAndExplosions(unit: unit, months: month...month)
                observations += casualtyObservations(total, label: "cháy, nổ", unit: unit, month: month, agency: SecurityVocabulary.firePoliceAgency)
                observations.append(makeObservation(
                    indicator: "cháy, nổ: thiệt hại ước tính", unit: unit, period: PeriodText.month(year: year, month: month),
                    value: UnitCodes.decimalString(total.damageBillionVND, scale: 3), unitCode: "billion_vnd", agency: SecurityVocabulary.firePoliceAgency,
                    derivation: "thiệt hại do cháy, nổ tháng \(month)/\(year), tổng của \(total.records) bản ghi quận, huyện"))
            }
        }
        return observations
    }

    private func casualtyObservations(_ total: Casualties, label: String, unit: String, month: Int32, agency: String) -> [Planmonitor_Common_V1_Observation] {
        [("số vụ", total.cases, "count"), ("số người chết", total.deaths, "persons"), ("số người bị thương", total.injuries, "persons")].map { measure, value, unitCode in
            makeObservation(
                indicator: "\(label): \(measure)", unit: unit, period: PeriodText.month(year: year, month: month),
                value: String(value), unitCode: unitCode, agency: agency,
                derivation: "\(label) tháng \(month)/\(year): \(measure), tổng của \(total.records) bản ghi quận, huyện")
        }
    }

    private func conscriptionObservations() -> [Planmonitor_Common_V1_Observation] {
        scope.units(above: conscription.map(\.orgUnitCode)).compactMap { unit in
            guard let (quota, delivered) = conscription(unit: unit), quota > 0 else { return nil }
            return rateObservation(
                indicator: "giao quân: tỷ lệ hoàn thành chỉ tiêu", unit: unit, numerator: delivered, denominator: quota,
                agency: SecurityVocabulary.militaryAgency, derivation: "giao quân năm \(year): \(delivered) công dân / chỉ tiêu \(quota)")
        }
    }

    private func drillObservations() -> [Planmonitor_Common_V1_Observation] {
        var observations: [Planmonitor_Common_V1_Observation] = []
        for (kind, _, nameVi) in SecurityVocabulary.drillKinds {
            let ofKind = drills.filter { $0.kind == kind }
            for unit in scope.units(above: ofKind.map(\.orgUnitCode)) {
                let (planned, held) = drills(kind, unit: unit, heldThrough: 12)
                observations.append(rateObservation(
                    indicator: "\(nameVi): tỷ lệ hoàn thành", unit: unit, numerator: held, denominator: planned,
                    agency: SecurityVocabulary.militaryAgency, derivation: "\(nameVi) năm \(year): \(held) đã tổ chức / \(planned) theo kế hoạch"))
                guard kind == .combatDefence else { continue }
                let (drilled, all) = communesDrilled(unit: unit, heldThrough: 12)
                guard all > 0 else { continue }
                observations.append(rateObservation(
                    indicator: "\(nameVi): tỷ lệ xã, phường, thị trấn đã diễn tập", unit: unit, numerator: drilled, denominator: all,
                    agency: SecurityVocabulary.militaryAgency,
                    derivation: "\(drilled) xã, phường, thị trấn đã diễn tập chiến đấu phòng thủ / \(all) xã, phường, thị trấn (danh mục GSO)"))
            }
        }
        return observations
    }

    private func rateObservation(indicator: String, unit: String, numerator: Int64, denominator: Int64, agency: String, derivation: String) -> Planmonitor_Common_V1_Observation {
        var period = Planmonitor_Common_V1_Period()
        period.year = .with { $0.year = year }
        var observation = makeObservation(
            indicator: indicator, unit: unit, period: period,
            value: UnitCodes.decimalString(Decimal(numerator) / Decimal(denominator) * 100, scale: 2), unitCode: "percent", agency: agency, derivation: derivation)
        observation.numerator = String(numerator)
        observation.denominator = String(denominator)
        return observation
    }

    private func makeObservation(
        indicator: String, unit: String, period: Planmonitor_Common_V1_Period, value: String, unitCode: String, agency: String, derivation: String
    ) -> Planmonitor_Common_V1_Observation {
        var observation = Planmonitor_Common_V1_Observation()
        observation.indicator = indicator
        observation.orgUnitCode = unit
        observation.period = period
        observation.value = Planmonitor_Common_V1_Quantity(value: value, unit: unitCode)
        observation.origin = .derived
        observation.agencyCode = agency
        observation.derivation = derivation
        return observation
    }
}
