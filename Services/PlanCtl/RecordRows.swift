import DepartmentCore
import PlanContracts
import SwiftProtobuf

// Each department's records as the rows `planctl records list` and `history` print: the fields the columns show
// (id, unit, period) are taken out, the rest is compact protobuf JSON.

/// "tháng 6/2018".
private func monthLabel(year: Int32, month: Int32) -> String {
    periodLabel(PeriodText.month(year: year, month: month))
}

extension Planmonitor_Budget_V1_BudgetRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .line(let line):
            var otherFields = line
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year) = ("", "", 0)
            return try RecordRow(
                kind: "budget-line", recordID: line.recordID, orgUnitCode: line.orgUnitCode, period: "năm \(line.year)",
                otherFields: otherFields, change: change)
        case .execution(let execution):
            return try execution.row(kind: "budget-execution", change: change)
        case .arrears(let arrears):
            return try arrears.row(kind: "tax-arrears", change: change)
        case nil:
            return try RecordRow(kindless: self, change: change)
        }
    }
}

extension Planmonitor_Investment_V1_InvestmentRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .project(let project):
            var otherFields = project
            (otherFields.recordID, otherFields.orgUnitCode) = ("", "")
            otherFields.clearCertifiedOn()
            return try RecordRow(
                kind: "investment-project", recordID: project.recordID, orgUnitCode: project.orgUnitCode,
                period: "ngày \(dateLabel(project.certifiedOn))", otherFields: otherFields, change: change)
        case .adjustment(let adjustment):
            var otherFields = adjustment
            otherFields.recordID = ""
            otherFields.clearAdjustedOn()
            return try RecordRow(
                kind: "capital-adjustment", recordID: adjustment.recordID, orgUnitCode: "",
                period: "ngày \(dateLabel(adjustment.adjustedOn))", otherFields: otherFields, change: change)
        case .disbursement(let disbursement):
            return try disbursement.row(kind: "capital-disbursement", change: change)
        case .enterprises(let enterprises):
            return try enterprises.row(kind: "enterprise-registrations", change: change)
        case .statistic(let statistic):
            var otherFields = statistic
            (otherFields.recordID, otherFields.orgUnitCode) = ("", "")
            otherFields.clearPeriod()
            return try RecordRow(
                kind: "economic-statistic", recordID: statistic.recordID, orgUnitCode: statistic.orgUnitCode,
                period: periodLabel(statistic.period), otherFields: otherFields, change: change)
        case nil:
            return try RecordRow(kindless: self, change: change)
        }
    }
}

extension Planmonitor_Infrastructure_V1_InfrastructureRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .project(let project):
            var otherFields = project
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year) = ("", "", 0)
            return try RecordRow(
                kind: "project", recordID: project.recordID, orgUnitCode: project.orgUnitCode, period: "năm \(project.year)",
                otherFields: otherFields, change: change)
        case .milestone(let milestone):
            var otherFields = milestone
            (otherFields.recordID, otherFields.year) = ("", 0)
            otherFields.clearDueDate()
            return try RecordRow(
                kind: "milestone", recordID: milestone.recordID, orgUnitCode: "", period: "hạn \(dateLabel(milestone.dueDate))",
                otherFields: otherFields, change: change)
        case .contractChange(let contractChange):
            var otherFields = contractChange
            (otherFields.recordID, otherFields.year) = ("", 0)
            otherFields.clearChangedOn()
            return try RecordRow(
                kind: "contract-change", recordID: contractChange.recordID, orgUnitCode: "", period: "ngày \(dateLabel(contractChange.changedOn))",
                otherFields: otherFields, change: change)
        case .progress(let progress):
            return try progress.row(kind: "progress", change: change)
        case .siteClearance(let clearance):
            return try clearance.row(kind: "site-clearance", change: change)
        case nil:
            return try RecordRow(kindless: self, change: change)
        }
    }
}

extension Planmonitor_Social_V1_SocialRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .rate(let rate):
            return try rate.row(kind: "rate-observation", change: change)
        case .jobs(let jobs):
            return try jobs.row(kind: "jobs-created", change: change)
        case .training(let training):
            return try training.row(kind: "vocational-training", change: change)
        case .assistance(let assistance):
            return try assistance.row(kind: "social-assistance", change: change)
        case .insurance(let insurance):
            return try insurance.row(kind: "insurance-participants", change: change)
        case .newRural(let assessment):
            return try assessment.row(kind: "new-rural-assessment", change: change)
        case nil:
            return try RecordRow(kindless: self, change: change)
        }
    }
}

extension Planmonitor_Security_V1_SecurityRecord: DepartmentRecord {
    func row(change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        switch record {
        case .securityCase(let securityCase):
            var otherFields = securityCase
            (otherFields.recordID, otherFields.orgUnitCode) = ("", "")
            otherFields.clearOccurredOn()
            return try RecordRow(
                kind: "security-case", recordID: securityCase.recordID, orgUnitCode: securityCase.orgUnitCode,
                period: "ngày \(dateLabel(securityCase.occurredOn))", otherFields: otherFields, change: change)
        case .traffic(let traffic):
            return try traffic.row(kind: "traffic-accidents", change: change)
        case .fires(let fires):
            return try fires.row(kind: "fires-explosions", change: change)
        case .conscription(let conscription):
            var otherFields = conscription
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year) = ("", "", 0)
            return try RecordRow(
                kind: "conscription", recordID: conscription.recordID, orgUnitCode: conscription.orgUnitCode,
                period: "năm \(conscription.year)", otherFields: otherFields, change: change)
        case .drill(let drill):
            var otherFields = drill
            (otherFields.recordID, otherFields.orgUnitCode, otherFields.year, otherFields.plannedMonth) = ("", "", 0, 0)
            return try RecordRow(
                kind: "drill", recordID: drill.recordID, orgUnitCode: drill.orgUnitCode,
                period: "kế hoạch \(monthLabel(year: drill.year, month: drill.plannedMonth))", otherFields: otherFields, change: change)
        case nil:
            return try RecordRow(kindless: self, change: change)
        }
    }
}

/// A record of one unit and month: its id, unit and month have columns of their own.
protocol UnitMonthRecord: SwiftProtobuf.Message {
    var recordID: String { get set }
    var orgUnitCode: String { get set }
    var year: Int32 { get set }
    var month: Int32 { get set }
}

extension UnitMonthRecord {
    /// The record as a row of `kind`.
    func row(kind: String, change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        var otherFields = self
        (otherFields.recordID, otherFields.orgUnitCode, otherFields.year, otherFields.month) = ("", "", 0, 0)
        return try RecordRow(
            kind: kind, recordID: recordID, orgUnitCode: orgUnitCode, period: monthLabel(year: year, month: month),
            otherFields: otherFields, change: change)
    }
}

/// A monthly record of a project: its id and month have columns of their own (the project is in the other fields).
protocol ProjectMonthRecord: SwiftProtobuf.Message {
    var recordID: String { get set }
    var year: Int32 { get set }
    var month: Int32 { get set }
}

extension ProjectMonthRecord {
    /// The record as a row of `kind`.
    func row(kind: String, change: Planmonitor_Department_V1_RecordChange) throws -> RecordRow {
        var otherFields = self
        (otherFields.recordID, otherFields.year, otherFields.month) = ("", 0, 0)
        return try RecordRow(
            kind: kind, recordID: recordID, orgUnitCode: "", period: monthLabel(year: year, month: month), otherFields: otherFields, change: change)
    }
}

extension Planmonitor_Budget_V1_BudgetExecution: UnitMonthRecord {}
extension Planmonitor_Budget_V1_TaxArrears: UnitMonthRecord {}
extension Planmonitor_Investment_V1_EnterpriseRegistrations: UnitMonthRecord {}
extension Planmonitor_Social_V1_RateObservation: UnitMonthRecord {}
extension Planmonitor_Social_V1_JobsCreated: UnitMonthRecord {}
extension Planmonitor_Social_V1_VocationalTraining: UnitMonthRecord {}
extension Planmonitor_Social_V1_SocialAssistance: UnitMonthRecord {}
extension Planmonitor_Social_V1_InsuranceParticipants: UnitMonthRecord {}
extension Planmonitor_Social_V1_NewRuralAssessment: UnitMonthRecord {}
extension Planmonitor_Security_V1_TrafficAccidents: UnitMonthRecord {}
extension Planmonitor_Security_V1_FiresAndExplosions: UnitMonthRecord {}
extension Planmonitor_Investment_V1_CapitalDisbursement: ProjectMonthRecord {}
extension Planmonitor_Infrastructure_V1_ProgressReport: ProjectMonthRecord {}
extension Planmonitor_Infrastructure_V1_SiteClearance: ProjectMonthRecord {}
