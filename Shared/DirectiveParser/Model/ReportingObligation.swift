/// A reporting deadline of Part Two ("Phần thứ hai – Tổ chức thực hiện"), e.g. monthly reports by the 20th.
public struct ReportingObligation: Sendable, Codable, Equatable {
    /// What is to be delivered.
    public let kind: ReportKind
    /// Whether the deadline is once, every month or every quarter.
    public let recurrence: ReportRecurrence
    /// The day of the month of the deadline (20 for "vào ngày 20 hàng tháng").
    public let dayOfMonth: Int
    /// The deadline, for a one-off obligation ("trước ngày 20/11/2018"); `nil` when recurring.
    public let date: CalendarDay?
    /// Who reports: the agencies and groups that are the subject of the item.
    public let reporters: [AgencyReference]
    /// Who receives, in order of mention after "gửi"/"báo cáo" (the first receives directly).
    public let recipients: [AgencyReference]
    /// The item's number as written, `"2.e"` for sub-item e) of item 2, `"5"` for item 5.
    public let item: String
    /// The item's text as written.
    public let text: String
    /// The 1-based line number.
    public let line: Int

    /// The deadlines within a year: one for a one-off obligation in that year, twelve for monthly, four for quarterly
    /// (the last month of each quarter).
    public func deadlines(inYear year: Int) -> [CalendarDay] {
        let months: [Int] =
            switch recurrence {
            case .once: date.map { $0.year == year ? [$0.month] : [] } ?? []
            case .monthly: Array(1...12)
            case .quarterly: [3, 6, 9, 12]
            }
        return months.map { month in
            CalendarDay(year: year, month: month, day: dayOfMonth) ?? .lastDay(ofMonth: month, year: year)
        }
    }
}

/// The deliverables of the reporting calendar.
public enum ReportKind: String, Sendable, Codable, CaseIterable {
    /// Each agency's action plan implementing the directive ("kế hoạch, chương trình hành động").
    case actionPlan
    /// The monthly progress report ("báo cáo … hàng tháng").
    case monthlyReport
    /// The quarterly progress report ("hàng quý … tháng cuối quý").
    case quarterlyReport
    /// The year-end review of the directive ("tổng kết, đánh giá").
    case yearEndReview
    /// The draft of next year's directive ("xây dựng Chỉ thị … năm tiếp theo").
    case nextDirectiveDraft
}

/// How often a reporting deadline recurs.
public enum ReportRecurrence: String, Sendable, Codable {
    /// Once, on ``ReportingObligation/date``.
    case once
    /// Every month, on ``ReportingObligation/dayOfMonth``.
    case monthly
    /// Every quarter, on ``ReportingObligation/dayOfMonth`` of the quarter's last month.
    case quarterly
}
