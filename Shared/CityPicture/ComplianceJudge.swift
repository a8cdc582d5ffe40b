import DepartmentCore
import DirectiveParser
import Foundation
import PlanContracts

/// Judges reporting compliance against the directive's reporting calendar: a monthly report is on time when the
/// department service received its first version by the deadline day of the month at 23:59:59 Asia/Ho_Chi_Minh,
/// late by whole days after that, missing when none was received and the deadline has passed, not due before.
struct ComplianceJudge {
    var directive: Planmonitor_Directive_V1_Directive
    var reports: [Planmonitor_Department_V1_MonthlyReport]
    var agencies: AgencyRegistry
    /// The aggregator's unit and the units below it.
    var scope: OrgUnitScope
    var now: Date

    /// Vietnam's time zone.
    static let timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// The day of the month the monthly report is due, from the directive; nil when the calendar has none.
    var deadlineDay: Int32? {
        directive.reportingCalendar.first { $0.kind == .monthly && $0.day > 0 }?.day
    }

    /// The last instant a month's report is on time.
    func deadline(month: Int32) -> Date? {
        guard let day = deadlineDay else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.timeZone
        let lastDay = LocalDay.daysInMonth(year: directive.year, month: month)
        return calendar.date(from: DateComponents(year: Int(directive.year), month: Int(month), day: Int(min(day, lastDay)), hour: 23, minute: 59, second: 59))
    }

    /// Who is expected to report: for the aggregator's own unit, the city agencies the department services represent
    /// and the People's Committees of the districts below it; for a district, that district's committee.
    func expectedReporters(orgUnitCode: String) -> [Agency] {
        let departments = Set(Department.allCases.map(\.rawValue))
        if orgUnitCode != scope.orgUnitCode {
            return agencies.agencies.filter { $0.kind == .districtCommittee && $0.code == "district-\(orgUnitCode)-pc" }
        }
        let districtCommittees = Set(scope.codes.dropFirst().map { "district-\($0)-pc" })
        return agencies.agencies.filter { departments.contains($0.service.rawValue) || districtCommittees.contains($0.code) }
    }

    /// Compliance of every expected reporter for `month`, ranked.
    func compliance(month: Int32, orgUnitCode: String) -> CompliancePicture {
        guard let deadline = deadline(month: month), let day = deadlineDay else {
            return CompliancePicture(deadline: "", deadlineDay: 0, agencies: [], onTime: 0, late: 0, missing: 0, toRemind: [])
        }
        let reporters = expectedReporters(orgUnitCode: orgUnitCode)
        var rows: [AgencyCompliance] = []
        for agency in reporters {
            let status = state(of: agency.code, month: month)
            let onTimeMonths = (1...month).filter { state(of: agency.code, month: $0).status == "on_time" }.count
            rows.append(AgencyCompliance(
                agencyCode: agency.code, agencyName: agency.nameVi, status: status.status, statusVi: Self.statusVi(status.status),
                receivedAt: status.receivedAt, daysLate: status.daysLate, onTimeMonths: onTimeMonths, rank: 0))
        }
        let order = ["on_time": 0, "late": 1, "not_due": 2, "missing": 3]
        rows.sort {
            if $0.onTimeMonths != $1.onTimeMonths { return $0.onTimeMonths > $1.onTimeMonths }
            if order[$0.status] != order[$1.status] { return order[$0.status, default: 9] < order[$1.status, default: 9] }
            if $0.daysLate != $1.daysLate { return $0.daysLate < $1.daysLate }
            return $0.agencyCode < $1.agencyCode
        }
        for index in rows.indices { rows[index].rank = index + 1 }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = Self.timeZone
        return CompliancePicture(
            deadline: formatter.string(from: deadline), deadlineDay: day, agencies: rows,
            onTime: rows.filter { $0.status == "on_time" }.count, late: rows.filter { $0.status == "late" }.count,
            missing: rows.filter { $0.status == "missing" }.count,
            toRemind: rows.filter { $0.status == "late" || $0.status == "missing" }.map(\.agencyCode))
    }

    /// One agency's state for one month.
    func state(of agencyCode: String, month: Int32) -> (status: String, receivedAt: Date?, daysLate: Int) {
        guard let deadline = deadline(month: month) else { return ("not_due", nil, 0) }
        let first = reports.filter { $0.agencyCode == agencyCode && $0.year == directive.year && $0.month == month }
            .map(\.receivedAt.date).min()
        guard let first else { return (now > deadline ? "missing" : "not_due", nil, 0) }
        if first <= deadline { return ("on_time", first, 0) }
        let days = Int((first.timeIntervalSince(deadline) / 86_400).rounded(.up))
        return ("late", first, max(1, days))
    }

    static func statusVi(_ status: String) -> String {
        switch status {
        case "on_time": "Đúng hạn"
        case "late": "Muộn"
        case "missing": "Chưa gửi"
        default: "Chưa đến hạn"
        }
    }
}
