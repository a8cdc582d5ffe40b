import DepartmentCore
import Foundation
import PlanContracts

/// When a project warrants an early warning; read from the environment (`PLANMONITOR_INFRA_*`).
struct WarningThresholds: Sendable, Equatable {
    /// Percentage points by which actual progress may trail the planned before BEHIND_SCHEDULE
    /// (`PLANMONITOR_INFRA_BEHIND_MARGIN`, default 10).
    var behindScheduleMargin: Decimal
    /// Months without any clearance progress before CLEARANCE_STALLED (`PLANMONITOR_INFRA_STALLED_MONTHS`, default 2).
    var stalledClearanceMonths: Int32
    /// SLOW_DISBURSEMENT when the share of the capital plan disbursed is below this factor times the share of the
    /// year elapsed (`PLANMONITOR_INFRA_SLOW_DISBURSEMENT_FACTOR`, default 0.5).
    var slowDisbursementFactor: Decimal

    /// 10 points, 2 months, 0.5.
    static let standard = WarningThresholds(behindScheduleMargin: 10, stalledClearanceMonths: 2, slowDisbursementFactor: Decimal(string: "0.5") ?? 0)

    /// The thresholds the variables set, the standard ones for those unset.
    static func fromEnvironment(_ environment: [String: String]) throws(InvalidThreshold) -> WarningThresholds {
        var thresholds = standard
        if let text = environment["PLANMONITOR_INFRA_BEHIND_MARGIN"], !text.isEmpty {
            guard let margin = DecimalString.decimal(text), margin >= 0, margin <= 100 else {
                throw InvalidThreshold(variable: "PLANMONITOR_INFRA_BEHIND_MARGIN", value: text, expected: "percentage points from 0 to 100, e.g. 10")
            }
            thresholds.behindScheduleMargin = margin
        }
        if let text = environment["PLANMONITOR_INFRA_STALLED_MONTHS"], !text.isEmpty {
            guard let months = Int32(text), (1...11).contains(months) else {
                throw InvalidThreshold(variable: "PLANMONITOR_INFRA_STALLED_MONTHS", value: text, expected: "a number of months from 1 to 11, e.g. 2")
            }
            thresholds.stalledClearanceMonths = months
        }
        if let text = environment["PLANMONITOR_INFRA_SLOW_DISBURSEMENT_FACTOR"], !text.isEmpty {
            guard let factor = DecimalString.decimal(text), factor > 0, factor <= 1 else {
                throw InvalidThreshold(variable: "PLANMONITOR_INFRA_SLOW_DISBURSEMENT_FACTOR", value: text, expected: "a factor above 0 and at most 1, e.g. 0.5")
            }
            thresholds.slowDisbursementFactor = factor
        }
        return thresholds
    }
}

/// A `PLANMONITOR_INFRA_*` variable with a value the service cannot use.
struct InvalidThreshold: Error, CustomStringConvertible {
    /// The variable.
    var variable: String
    /// Its value.
    var value: String
    /// What it should be.
    var expected: String

    var description: String { "\(variable)='\(value)' is not valid: expected \(expected)" }
}

/// What a warning is about: a project, a kind and — for a milestone — the milestone's code.
struct WarningKey: Hashable, Sendable {
    /// Id of the project.
    var projectID: String
    /// What is wrong.
    var kind: Planmonitor_Infrastructure_V1_WarningKind
    /// The milestone's code for MILESTONE_OVERDUE; empty otherwise.
    var subject: String

    /// The kind as the `project_warnings` table and the audit log write it.
    var kindCode: String { Self.code(of: kind) }

    /// "behind-schedule", or "milestone-overdue closure" with the milestone's code.
    var auditLabel: String { subject.isEmpty ? kindCode : "\(kindCode) \(subject)" }

    /// "behind-schedule", "milestone-overdue", "slow-disbursement", "clearance-stalled".
    static func code(of kind: Planmonitor_Infrastructure_V1_WarningKind) -> String {
        switch kind {
        case .behindSchedule: "behind-schedule"
        case .milestoneOverdue: "milestone-overdue"
        case .slowDisbursement: "slow-disbursement"
        case .clearanceStalled: "clearance-stalled"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }
}

/// How a condition stands for a project: whether it holds, the month of the figures, and why, in Vietnamese words.
struct WarningAssessment: Sendable, Equatable {
    /// True when the warning is due.
    var holds: Bool
    /// The month of the figures judged (0 when none applies).
    var month: Int32
    /// The reason, with the figures.
    var reason: String
}

/// The early-warning conditions, judged on a year's register:
///
/// - BEHIND_SCHEDULE — in the project's latest progress report, actual physical progress trails the planned by more
///   than ``WarningThresholds/behindScheduleMargin`` points.
/// - MILESTONE_OVERDUE — a milestone without `date_met` whose due date is before the last day of the register's
///   reporting month (the latest month of any progress or site-clearance report of the year): the register judges
///   time by what has been reported, so figures of a past year are judged as of their own months.
/// - SLOW_DISBURSEMENT — a project with a capital plan whose disbursement from January through its latest progress
///   month is below ``WarningThresholds/slowDisbursementFactor`` × that month's share of the year (0.5 × 6/12 = 25 %
///   at the end of June).
/// - CLEARANCE_STALLED — site clearance not finished (households or area still to clear or hand over) and its
///   cleared households, cleared area and handed-over area unchanged for ``WarningThresholds/stalledClearanceMonths``
///   months up to the latest report.
///
/// A cancelled project raises none.
struct WarningRules: Sendable {
    /// The thresholds.
    let thresholds: WarningThresholds

    /// The warnings whose conditions hold in `register`, with their assessments.
    func findings(in register: ProjectRegister) -> [WarningKey: WarningAssessment] {
        var findings: [WarningKey: WarningAssessment] = [:]
        for project in register.projects where project.status != .cancelled {
            var keys = [
                WarningKey(projectID: project.recordID, kind: .behindSchedule, subject: ""),
                WarningKey(projectID: project.recordID, kind: .slowDisbursement, subject: ""),
                WarningKey(projectID: project.recordID, kind: .clearanceStalled, subject: ""),
            ]
            keys += (register.milestones[project.recordID] ?? []).map {
                WarningKey(projectID: project.recordID, kind: .milestoneOverdue, subject: $0.code)
            }
            for key in keys {
                if let assessment = assess(key, project: project, in: register), assessment.holds { findings[key] = assessment }
            }
        }
        return findings
    }

    /// Why the warning `key` no longer holds in `register`.
    func clearing(_ key: WarningKey, in register: ProjectRegister) -> WarningAssessment {
        guard let project = register.project(key.projectID) else {
            return WarningAssessment(holds: false, month: 0, reason: "Dự án \(key.projectID) không còn trong danh mục năm \(register.year).")
        }
        if project.status == .cancelled {
            return WarningAssessment(holds: false, month: 0, reason: "Dự án \(project.title) đã dừng (trạng thái cancelled).")
        }
        if let assessment = assess(key, project: project, in: register) { return assessment }
        switch key.kind {
        case .milestoneOverdue:
            return WarningAssessment(holds: false, month: 0, reason: "Mốc \(key.subject) không còn trong danh sách mốc của dự án \(project.title).")
        case .slowDisbursement:
            return WarningAssessment(holds: false, month: 0, reason: "Dự án \(project.title) không còn kế hoạch vốn đầu tư công năm \(register.year).")
        case .behindSchedule, .clearanceStalled, .unspecified, .UNRECOGNIZED:
            return WarningAssessment(holds: false, month: 0, reason: "Không còn số liệu để đánh giá cảnh báo \(key.kindCode) của dự án \(project.title).")
        }
    }

    /// The assessment of `key` for `project`; `nil` when the figures to judge it are missing.
    private func assess(_ key: WarningKey, project: Planmonitor_Infrastructure_V1_Project, in register: ProjectRegister) -> WarningAssessment? {
        switch key.kind {
        case .behindSchedule:
            register.progress[project.recordID]?.last.flatMap { behindSchedule($0, year: register.year) }
        case .milestoneOverdue:
            register.milestones[project.recordID]?.first { $0.code == key.subject }.flatMap { milestone in
                register.reportingMonth.map { milestoneOverdue(milestone, asOf: $0, year: register.year) }
            }
        case .slowDisbursement:
            slowDisbursement(project, in: register)
        case .clearanceStalled:
            clearanceStalled(register.clearances[project.recordID] ?? [], year: register.year)
        case .unspecified, .UNRECOGNIZED:
            nil
        }
    }

    private func behindSchedule(_ report: Planmonitor_Infrastructure_V1_ProgressReport, year: Int32) -> WarningAssessment? {
        guard let planned = DecimalString.decimal(report.plannedPercent), let actual = DecimalString.decimal(report.actualPercent) else { return nil }
        let gap = planned - actual
        let margin = thresholds.behindScheduleMargin
        let figures = "Tiến độ thực tế hết \(VietnameseWording.month(report.month, of: year)) đạt \(VietnameseWording.number(actual))% so với kế hoạch \(VietnameseWording.number(planned))%"
        let reason: String
        if gap > margin {
            reason = "\(figures), chậm \(VietnameseWording.number(gap)) điểm phần trăm, quá ngưỡng cảnh báo \(VietnameseWording.number(margin)) điểm."
        } else if gap > 0 {
            reason = "\(figures), chậm \(VietnameseWording.number(gap)) điểm phần trăm, trong ngưỡng \(VietnameseWording.number(margin)) điểm."
        } else {
            reason = "\(figures), không chậm so với kế hoạch."
        }
        return WarningAssessment(holds: gap > margin, month: report.month, reason: reason)
    }

    private func milestoneOverdue(_ milestone: Planmonitor_Infrastructure_V1_Milestone, asOf month: Int32, year: Int32) -> WarningAssessment {
        let asOf = VietnameseWording.lastDay(ofMonth: month, of: year)
        let named = "Mốc “\(milestone.title)” đến hạn ngày \(VietnameseWording.day(milestone.dueDate))"
        if milestone.hasDateMet {
            return WarningAssessment(holds: false, month: month, reason: "\(named) đã đạt ngày \(VietnameseWording.day(milestone.dateMet)).")
        }
        guard LocalDay.precedes(milestone.dueDate, asOf) else {
            return WarningAssessment(holds: false, month: month, reason: "\(named), chưa quá hạn tính đến hết \(VietnameseWording.month(month, of: year)).")
        }
        let late = VietnameseWording.days(from: milestone.dueDate, to: asOf)
        return WarningAssessment(holds: true, month: month, reason: "\(named), đến hết \(VietnameseWording.month(month, of: year)) chưa đạt (quá hạn \(late) ngày).")
    }

    private func slowDisbursement(_ project: Planmonitor_Infrastructure_V1_Project, in register: ProjectRegister) -> WarningAssessment? {
        guard let plan = ProjectRegister.capitalPlan(of: project), let month = register.progress[project.recordID]?.last?.month else { return nil }
        let disbursed = register.disbursed(project.recordID, through: month)
        let percent = disbursed / plan * 100
        let elapsed = Decimal(Int(month)) / 12 * 100
        let floor = thresholds.slowDisbursementFactor * elapsed
        let figures = "Giải ngân đến hết \(VietnameseWording.month(month, of: register.year)) được \(VietnameseWording.number(disbursed, scale: 3)) tỷ đồng, "
            + "bằng \(VietnameseWording.number(percent))% kế hoạch vốn năm \(VietnameseWording.number(plan, scale: 3)) tỷ đồng"
        let pace = "\(VietnameseWording.number(floor))% (\(VietnameseWording.number(thresholds.slowDisbursementFactor, scale: 4)) × \(VietnameseWording.number(elapsed))% thời gian của năm đã qua)"
        let holds = percent < floor
        return WarningAssessment(holds: holds, month: month, reason: holds ? "\(figures), dưới mức \(pace)." : "\(figures), đạt mức tối thiểu \(pace).")
    }

    private func clearanceStalled(_ reports: [Planmonitor_Infrastructure_V1_SiteClearance], year: Int32) -> WarningAssessment? {
        guard let latest = reports.last else { return nil }
        func figures(_ report: Planmonitor_Infrastructure_V1_SiteClearance) -> [Decimal] {
            [Decimal(Int(report.householdsCleared)), DecimalString.decimal(report.areaClearedHa) ?? 0, DecimalString.decimal(report.areaHandedOverHa) ?? 0]
        }
        let current = figures(latest)
        var since = latest.month
        for report in reports.reversed() {
            guard figures(report) == current else { break }
            since = report.month
        }
        let toClear = DecimalString.decimal(latest.areaToClearHa) ?? 0
        let handedOver = DecimalString.decimal(latest.areaHandedOverHa) ?? 0
        let state = "đã giải phóng \(VietnameseWording.number(Decimal(Int(latest.householdsCleared))))/\(VietnameseWording.number(Decimal(Int(latest.householdsToClear)))) hộ, \(VietnameseWording.number(current[1], scale: 4))/\(VietnameseWording.number(toClear, scale: 4)) ha, "
            + "đã bàn giao \(VietnameseWording.number(handedOver, scale: 4)) ha"
        let finished = latest.householdsCleared >= latest.householdsToClear && handedOver >= toClear
        if finished {
            return WarningAssessment(holds: false, month: latest.month, reason: "Giải phóng mặt bằng đã xong hết \(VietnameseWording.month(latest.month, of: year)): \(state).")
        }
        let still = latest.month - since
        if still >= thresholds.stalledClearanceMonths {
            let obstacles = latest.obstacles.isEmpty ? "" : " Vướng mắc: \(latest.obstacles)"
            return WarningAssessment(
                holds: true, month: latest.month,
                reason: "Giải phóng mặt bằng không tiến triển \(still) tháng, từ \(VietnameseWording.month(since, of: year)) đến hết \(VietnameseWording.month(latest.month, of: year)) "
                    + "(ngưỡng cảnh báo \(thresholds.stalledClearanceMonths) tháng): \(state).\(obstacles)")
        }
        let progress = still == 0 ? "có tiến triển trong \(VietnameseWording.month(latest.month, of: year))" : "không tiến triển \(still) tháng, trong ngưỡng \(thresholds.stalledClearanceMonths) tháng"
        return WarningAssessment(holds: false, month: latest.month, reason: "Giải phóng mặt bằng \(progress): \(state).")
    }
}
