import DepartmentCore
import Foundation
import PlanContracts

/// The current records of one plan year arranged by project: what the disbursement figures, the early warnings, the
/// register listing and the OC4IDS export read.
struct ProjectRegister: Sendable {
    /// The plan year.
    let year: Int32
    /// The projects of the year, by id.
    let projects: [Planmonitor_Infrastructure_V1_Project]
    /// Each project's progress reports, by month.
    let progress: [String: [Planmonitor_Infrastructure_V1_ProgressReport]]
    /// Each project's site-clearance figures, by month.
    let clearances: [String: [Planmonitor_Infrastructure_V1_SiteClearance]]
    /// Each project's milestones, by due date and code.
    let milestones: [String: [Planmonitor_Infrastructure_V1_Milestone]]
    /// Each project's contract changes, by day.
    let contractChanges: [String: [Planmonitor_Infrastructure_V1_ContractChange]]
    /// The month the register stands at: the latest month of any progress or site-clearance report of the year;
    /// `nil` before the first report. Milestones are overdue when their due date is before its last day.
    let reportingMonth: Int32?

    /// The register of `year` from the current versions of records (those of other years are left out).
    init(records: [Planmonitor_Infrastructure_V1_InfrastructureRecord], year: Int32) {
        self.year = year
        var projects: [Planmonitor_Infrastructure_V1_Project] = []
        var progress: [String: [Planmonitor_Infrastructure_V1_ProgressReport]] = [:]
        var clearances: [String: [Planmonitor_Infrastructure_V1_SiteClearance]] = [:]
        var milestones: [String: [Planmonitor_Infrastructure_V1_Milestone]] = [:]
        var contractChanges: [String: [Planmonitor_Infrastructure_V1_ContractChange]] = [:]
        for record in records {
            switch record.record {
            case .project(let project) where project.year == year:
                projects.append(project)
            case .milestone(let milestone) where milestone.year == year:
                milestones[milestone.projectID, default: []].append(milestone)
            case .contractChange(let change) where change.year == year:
                contractChanges[change.projectID, default: []].append(change)
            case .progress(let report) where report.year == year:
                progress[report.projectID, default: []].append(report)
            case .siteClearance(let clearance) where clearance.year == year:
                clearances[clearance.projectID, default: []].append(clearance)
            default:
                continue
            }
        }
        reportingMonth = (progress.values.flatMap { $0.map(\.month) } + clearances.values.flatMap { $0.map(\.month) }).max()
        self.projects = projects.sorted { $0.recordID < $1.recordID }
        self.progress = progress.mapValues { $0.sorted { ($0.month, $0.recordID) < ($1.month, $1.recordID) } }
        self.clearances = clearances.mapValues { $0.sorted { ($0.month, $0.recordID) < ($1.month, $1.recordID) } }
        self.milestones = milestones.mapValues {
            $0.sorted { LocalDay.precedes($0.dueDate, $1.dueDate) || ($0.dueDate == $1.dueDate && $0.code < $1.code) }
        }
        self.contractChanges = contractChanges.mapValues {
            $0.sorted { LocalDay.precedes($0.changedOn, $1.changedOn) || ($0.changedOn == $1.changedOn && $0.recordID < $1.recordID) }
        }
    }

    /// The project with `id`, `nil` when the year has none.
    func project(_ id: String) -> Planmonitor_Infrastructure_V1_Project? {
        projects.first { $0.recordID == id }
    }


    /// The latest month with a progress report of any project; `nil` when there is none.
    var latestProgressMonth: Int32? {
        progress.values.compactMap { $0.last?.month }.max()
    }

    /// Capital a project disbursed from January through `month`, in billion VND.
    func disbursed(_ projectID: String, through month: Int32) -> Decimal {
        (progress[projectID] ?? []).filter { $0.month <= month }
            .map { MoneyUnits.amount($0.disbursed, in: .billionVnd) ?? 0 }
            .reduce(0, +)
    }

    /// A project's capital plan for the year in billion VND; `nil` when it has none (unset or zero).
    static func capitalPlan(of project: Planmonitor_Infrastructure_V1_Project) -> Decimal? {
        guard project.hasCapitalPlan, let plan = MoneyUnits.amount(project.capitalPlan, in: .billionVnd), plan > 0 else { return nil }
        return plan
    }
}
