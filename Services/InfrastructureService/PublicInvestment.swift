import DepartmentCore
import DirectiveParser
import Foundation
import PlanContracts

/// The year's public-investment disbursement (giải ngân vốn đầu tư công) against the capital plan, from the register:
/// the projects with a capital plan for the year, the capital their progress reports say was disbursed from January
/// through a month, and the share of the plan that makes — for the whole register and for each owner agency.
struct PublicInvestment: Sendable {
    /// The indicator of the city-wide figure; an owner's figure adds " - <owner code>".
    static let indicator = "Giải ngân vốn đầu tư công"
    /// The agency the city-wide figure is attributed to (public investment is the Department of Planning and
    /// Investment's); an owner's figure is attributed to the owner.
    static let planningAgency = "dept-planning-investment"

    /// The year's register.
    let register: ProjectRegister

    /// Capital plan and disbursement of a set of projects through a month.
    struct Totals: Sendable, Equatable {
        /// Projects with a capital plan.
        var projectCount: Int
        /// Their capital plans, billion VND.
        var plan: Decimal
        /// Disbursed from January through the month, billion VND.
        var disbursed: Decimal

        /// Disbursed as a percentage of the plan; `nil` without a plan.
        var percentOfPlan: Decimal? { plan > 0 ? disbursed / plan * 100 : nil }
    }

    /// The projects with a capital plan for the year, of one owner or all.
    private func plannedProjects(owner: String?) -> [Planmonitor_Infrastructure_V1_Project] {
        register.projects.filter { ProjectRegister.capitalPlan(of: $0) != nil && (owner == nil || $0.ownerAgencyCode == owner) }
    }

    /// The owners with a capital plan for the year, by code.
    var owners: [String] {
        Array(Set(plannedProjects(owner: nil).map(\.ownerAgencyCode))).sorted()
    }

    /// The totals of `owner`'s projects (all projects when `nil`) through `month`.
    func totals(through month: Int32, owner: String? = nil) -> Totals {
        let projects = plannedProjects(owner: owner)
        return Totals(
            projectCount: projects.count,
            plan: projects.compactMap(ProjectRegister.capitalPlan(of:)).reduce(0, +),
            disbursed: projects.map { register.disbursed($0.recordID, through: month) }.reduce(0, +)
        )
    }

    /// The figures of each month from January through the latest month with a progress report: the whole register
    /// (agency ``planningAgency``) and each owner (indicator with the owner's code, agency the owner), as percentages
    /// of the capital plan, year to date; none when no project has a capital plan.
    func observations(orgUnitCode: String) -> [Planmonitor_Common_V1_Observation] {
        guard let last = register.latestProgressMonth, !plannedProjects(owner: nil).isEmpty else { return [] }
        var observations: [Planmonitor_Common_V1_Observation] = []
        for month in Int32(1)...last {
            observations.append(observation(totals(through: month), owner: nil, month: month, orgUnitCode: orgUnitCode))
            for owner in owners {
                observations.append(observation(totals(through: month, owner: owner), owner: owner, month: month, orgUnitCode: orgUnitCode))
            }
        }
        return observations
    }

    private func observation(_ totals: Totals, owner: String?, month: Int32, orgUnitCode: String) -> Planmonitor_Common_V1_Observation {
        let year = register.year
        var observation = Planmonitor_Common_V1_Observation()
        observation.indicator = owner.map { "\(Self.indicator) - \($0)" } ?? Self.indicator
        observation.orgUnitCode = orgUnitCode
        observation.period = PeriodText.cumulative(year: year, through: month)
        observation.value = Planmonitor_Common_V1_Quantity(value: UnitCodes.decimalString(totals.percentOfPlan ?? 0, scale: 2), unit: "percent")
        observation.numerator = UnitCodes.decimalString(totals.disbursed, scale: 3)
        observation.denominator = UnitCodes.decimalString(totals.plan, scale: 3)
        observation.origin = .derived
        observation.agencyCode = owner ?? Self.planningAgency
        let whose = owner.map { " do \($0) làm chủ đầu tư" } ?? ""
        observation.derivation = "giải ngân vốn đầu tư công tháng 1–\(month)/\(year): \(VietnameseWording.number(totals.disbursed, scale: 3)) tỷ đồng "
            + "trên kế hoạch vốn năm \(VietnameseWording.number(totals.plan, scale: 3)) tỷ đồng của \(totals.projectCount) dự án\(whose)"
        return observation
    }

    /// The totals through `month` as the contract's summary, for the whole register or `owner`.
    func summary(through month: Int32, owner: String?) -> Planmonitor_Infrastructure_V1_DisbursementSummary {
        let totals = totals(through: month, owner: owner)
        var summary = Planmonitor_Infrastructure_V1_DisbursementSummary()
        summary.ownerAgencyCode = owner ?? ""
        summary.ownerNameVi = owner.map(Self.agencyName) ?? "Toàn thành phố"
        summary.projectCount = Int32(totals.projectCount)
        summary.capitalPlan = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(totals.plan, scale: 3), unit: .billionVnd)
        summary.disbursed = Planmonitor_Common_V1_Money(amount: UnitCodes.decimalString(totals.disbursed, scale: 3), unit: .billionVnd)
        if let percent = totals.percentOfPlan { summary.percentOfPlan = UnitCodes.decimalString(percent, scale: 2) }
        return summary
    }

    /// The Vietnamese name of an agency of the directive's registry; the code when the registry lacks it.
    static func agencyName(_ code: String) -> String {
        AgencyRegistry.default.agencies.first { $0.code == code }?.nameVi ?? code
    }
}
