import DepartmentCore
import Foundation
import PlanAnalysis
import PlanContracts

/// Figures, days and months as Vietnamese reports write them, for the reasons of warnings and derivations.
enum VietnameseWording {
    /// `value` rounded to `scale` decimals, thousands grouped with "." and decimals after ",": 7300 → "7.300",
    /// 12.5 → "12,5", 24725.25 → "24.725,25".
    static func number(_ value: Decimal, scale: Int = 2) -> String {
        NumberStyle.vietnamese.format(exact: value, maximumFractionDigits: scale)
    }

    /// "tháng 6/2018".
    static func month(_ month: Int32, of year: Int32) -> String {
        "tháng \(month)/\(year)"
    }

    /// "28/04/2018".
    static func day(_ date: Planmonitor_Common_V1_LocalDate) -> String {
        String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
    }

    /// The last day of a month.
    static func lastDay(ofMonth month: Int32, of year: Int32) -> Planmonitor_Common_V1_LocalDate {
        LocalDay.make(year, month, LocalDay.daysInMonth(year: year, month: month))
    }

    /// Days from `start` to `end` (negative when `end` comes first).
    static func days(from start: Planmonitor_Common_V1_LocalDate, to end: Planmonitor_Common_V1_LocalDate) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        func date(_ day: Planmonitor_Common_V1_LocalDate) -> Date? {
            calendar.date(from: DateComponents(year: Int(day.year), month: Int(day.month), day: Int(day.day)))
        }
        guard let from = date(start), let to = date(end) else { return 0 }
        return calendar.dateComponents([.day], from: from, to: to).day ?? 0
    }
}
