import Foundation

/// The city-wide picture for one unit and month, as the HTTP API returns it (JSON) and the dashboard and briefing
/// show it. Every figure carries its provenance.
public struct Picture: Codable, Sendable, Equatable {
    /// "31-2018".
    var directiveID: String
    /// The directive revision judged against.
    var directiveRevision: Int32
    /// Year.
    var year: Int32
    /// Month judged, 1–12.
    var month: Int32
    /// GSO code of the unit ("31" = the city).
    var orgUnitCode: String
    /// Its Vietnamese name.
    var orgUnitName: String
    /// Every target and sub-target of the directive, in order.
    var targets: [TargetPicture]
    /// Tasks: progress by agency and the overdue ones.
    var tasks: TaskPicture
    /// Reporting compliance for the month.
    var compliance: CompliancePicture
    /// Infrastructure projects announced by the infrastructure service, with their warnings.
    var projects: [ProjectPicture]
    /// The units one can drill down to (the city and its districts).
    var units: [UnitName]
    /// True when any figure of the picture comes from demo data (its source says so).
    var containsDemoData: Bool
}

/// A unit's code and name.
struct UnitName: Codable, Sendable, Equatable {
    var code: String
    var name: String
}

/// One target (or sub-target) judged.
struct TargetPicture: Codable, Sendable, Equatable {
    /// "6", or "1.a" for a sub-target.
    var code: String
    /// Target number.
    var number: Int32
    /// Sub-target code, empty for the target itself.
    var subTargetCode: String
    /// Vietnamese name.
    var nameVi: String
    /// The plan as written: "tăng từ … trở lên 15 %", "24.725 tỷ đồng".
    var planText: String
    /// The plan's value (nil for a range).
    var planValue: Double?
    /// Unit code of the target.
    var unit: String
    /// Unit as written.
    var unitText: String
    /// cumulativeAmount, growth, level, changeInPoints, count.
    var basis: String
    /// The department service that reports it.
    var ownerService: String
    /// met, onTrack, atRisk, offTrack, missed, noData; noPlan for a district's figure of a city amount.
    var status: String
    /// The status in Vietnamese.
    var statusVi: String
    /// Why, in Vietnamese, naming the figures.
    var reasonVi: String
    /// Why, in English.
    var reasonEn: String
    /// The latest figure judged, with its provenance; nil without data.
    var latest: Figure?
    /// The figures by month (for the trend chart), oldest first.
    var series: [Figure]
    /// What the plan calls for by the latest month (for amounts: the target × share of year elapsed).
    var expectedByNow: Double?
    /// Latest ÷ expected.
    var progressRatio: Double?
    /// Year-end forecast, nil without data.
    var forecast: ForecastPicture?
}

/// One figure with where it came from.
struct Figure: Codable, Sendable, Equatable {
    /// Last month the figure covers.
    var month: Int32
    /// The value in the target's unit.
    var value: Double
    /// The value as Vietnamese writes it: "50,96".
    var valueText: String
    /// The period: "half-year:2018-H1", "cumulative:2018-01..06".
    var period: String
    /// reported, derived, published, or rolled-up.
    var origin: String
    /// True when published as an estimate.
    var estimate: Bool
    /// Where it was published, when known.
    var sourceURL: String
    /// The provenance: the messages it came in.
    var provenance: [Provenance]
}

/// The message a figure came in.
struct Provenance: Codable, Sendable, Equatable {
    /// The message id.
    var messageID: String
    /// The department service that published it.
    var service: String
    /// The agency the figure is from.
    var agencyCode: String
    /// The unit the figure is for (differs from the picture's unit in a roll-up).
    var orgUnitCode: String
    /// When the aggregator received the message.
    var receivedAt: Date
}

/// A year-end forecast.
struct ForecastPicture: Codable, Sendable, Equatable {
    /// seasonalProfile, linearTrend or latestLevel.
    var method: String
    /// The method in Vietnamese.
    var methodVi: String
    /// The projected year-end value.
    var yearEnd: Double
    /// Low end of the ~80 % interval.
    var low: Double
    /// High end.
    var high: Double
    /// Probability of meeting the target, 0–1.
    var probabilityOfMeeting: Double
}

/// Tasks of the directive as the agencies reported them.
struct TaskPicture: Codable, Sendable, Equatable {
    /// Tasks in the directive.
    var total: Int
    /// Tasks with a progress report up to the month.
    var reported: Int
    /// Reported done.
    var done: Int
    /// Reported blocked.
    var blocked: Int
    /// Tasks past their due date and not reported done, with the latest report about each.
    var overdue: [TaskItem]
    /// By lead agency: counts and the overdue ones.
    var byAgency: [AgencyTasks]
}

/// One task with its latest reported state.
struct TaskItem: Codable, Sendable, Equatable {
    var key: String
    var text: String
    var dueDate: String
    var leadAgencyCodes: [String]
    /// not_started, in_progress, done, blocked, not_reported.
    var status: String
    var statusVi: String
    var note: String
    /// The report it comes from, empty when none.
    var reportID: String
}

/// The tasks one agency leads.
struct AgencyTasks: Codable, Sendable, Equatable {
    var agencyCode: String
    var agencyName: String
    var total: Int
    var done: Int
    var blocked: Int
    var overdue: Int
}

/// Reporting compliance for one month: who reported by the deadline, who late, who not at all.
struct CompliancePicture: Codable, Sendable, Equatable {
    /// The deadline of the month's report, from the directive's reporting calendar ("2018-06-20T23:59:59+07:00"); empty
    /// when the calendar has no monthly report.
    var deadline: String
    /// Day of the month of the deadline (20).
    var deadlineDay: Int32
    /// One row per expected reporter, best first.
    var agencies: [AgencyCompliance]
    /// Counts.
    var onTime: Int
    var late: Int
    var missing: Int
    /// Codes of the agencies to remind (late or missing), in ranking order.
    var toRemind: [String]
}

/// One reporter's compliance.
struct AgencyCompliance: Codable, Sendable, Equatable {
    var agencyCode: String
    var agencyName: String
    /// on_time, late, missing, not_due.
    var status: String
    var statusVi: String
    /// When its first report for the month was received.
    var receivedAt: Date?
    /// Days late (0 when on time).
    var daysLate: Int
    /// Months of the year up to this one reported on time.
    var onTimeMonths: Int
    /// Rank by on-time months, then lateness (1 = best).
    var rank: Int
}

/// An infrastructure project as announced, with its warnings.
struct ProjectPicture: Codable, Sendable, Equatable {
    var recordID: String
    var title: String
    var status: String
    var warnings: [String]
}
