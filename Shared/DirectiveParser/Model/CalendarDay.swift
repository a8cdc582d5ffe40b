/// A day in the proleptic Gregorian calendar, without a time or a time zone.
///
/// Directives give deadlines as days ("trước ngày 15/01/2018"), so the model keeps them as days.
/// Encoded in JSON as an ISO 8601 date string, `"2018-01-15"`.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, e.g. 2018.
    public let year: Int
    /// The month, 1 through 12.
    public let month: Int
    /// The day of the month, 1 through 28–31.
    public let day: Int

    /// Creates a day, or returns `nil` when the month or day does not exist (31/02, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Self.numberOfDays(inMonth: month, year: year) else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The last day of a month, e.g. 2018-06-30 for June 2018. `month` must be 1 through 12.
    public static func lastDay(ofMonth month: Int, year: Int) -> CalendarDay {
        precondition((1...12).contains(month), "month \(month) is not 1 through 12")
        return CalendarDay(uncheckedYear: year, month: month, day: numberOfDays(inMonth: month, year: year))
    }

    /// The number of days in a month of a year, taking leap years into account.
    public static func numberOfDays(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// The ISO 8601 form, `yyyy-MM-dd`.
    public var description: String {
        func padded(_ value: Int, to width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, to: 4))-\(padded(month, to: 2))-\(padded(day, to: 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let day = CalendarDay(year: parts[0], month: parts[1], day: parts[2]) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "“\(text)” is not an ISO 8601 date (yyyy-MM-dd)")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}
