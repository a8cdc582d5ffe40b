import Foundation
import PlanContracts

/// Collects what is wrong with a request, field by field, so that one reply names every problem.
public struct FieldViolations: Sendable {
    /// The violations so far, in the order found.
    public private(set) var all: [RPCError.FieldViolation] = []

    /// An empty list.
    public init() {}

    /// True when nothing was found wrong.
    public var isEmpty: Bool { all.isEmpty }

    /// Records that `field` is invalid because of `reason`.
    public mutating func add(_ field: String, _ reason: String) {
        all.append(RPCError.FieldViolation(field: field, reason: reason))
    }

    /// Adds `other`'s violations with their fields under `prefix` ("observations[2]" + "value" → "observations[2].value").
    public mutating func add(contentsOf other: FieldViolations, under prefix: String) {
        for violation in other.all {
            add(prefix.isEmpty ? violation.field : "\(prefix).\(violation.field)", violation.reason)
        }
    }

    /// Requires `text` to be non-empty.
    public mutating func requireText(_ text: String, _ field: String, maxLength: Int = 500) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add(field, "missing")
        } else if text.count > maxLength {
            add(field, "too long: \(text.count) characters, at most \(maxLength)")
        }
    }

    /// Checks an optional free text's length.
    public mutating func limitText(_ text: String, _ field: String, maxLength: Int = 2_000) {
        if text.count > maxLength { add(field, "too long: \(text.count) characters, at most \(maxLength)") }
    }

    /// Requires a month 1–12 of `year`, and `year` to be `expectedYear` when one is given.
    public mutating func requireMonth(
        year: Int32, month: Int32, yearField: String = "year", monthField: String = "month", expectedYear: Int32?, allowPreviousYear: Bool = false
    ) {
        requireYear(year, yearField, expectedYear: expectedYear, allowPreviousYear: allowPreviousYear)
        if !(1...12).contains(month) { add(monthField, "\(month) is not a month (1–12)") }
    }

    /// Requires `year` to be `expectedYear` (the directive's year) when one is given, and plausible otherwise.
    public mutating func requireYear(_ year: Int32, _ field: String, expectedYear: Int32?, allowPreviousYear: Bool = false) {
        if let expectedYear {
            let allowed = allowPreviousYear ? [expectedYear - 1, expectedYear] : [expectedYear]
            if !allowed.contains(year) {
                let years = allowed.map(String.init).joined(separator: " or ")
                add(field, "\(year) is outside the directive's year (\(years))")
            }
        } else if !(2000...2100).contains(year) {
            add(field, "\(year) is not a plausible year")
        }
    }

    /// Requires `date` to be a real calendar day; returns it as `DateComponents`-free (year, month, day) when it is.
    @discardableResult
    public mutating func requireDay(_ date: Planmonitor_Common_V1_LocalDate, _ field: String) -> Planmonitor_Common_V1_LocalDate? {
        guard date.year > 0 || date.month > 0 || date.day > 0 else {
            add(field, "missing")
            return nil
        }
        guard LocalDay.isValid(date) else {
            add(field, "\(LocalDay.iso(date)) is not a calendar day")
            return nil
        }
        return date
    }

    /// Requires a decimal string, not negative unless `allowNegative`; returns its value.
    @discardableResult
    public mutating func requireDecimal(_ text: String, _ field: String, allowNegative: Bool = false, allowZero: Bool = true) -> Decimal? {
        guard !text.isEmpty else {
            add(field, "missing")
            return nil
        }
        guard let value = DecimalString.decimal(text) else {
            add(field, "not a decimal number: \"\(text)\" (write digits with a '.' for decimals, e.g. 24725 or 16.03)")
            return nil
        }
        if !allowNegative && value < 0 { add(field, "\(text) is negative") }
        if !allowZero && value == 0 { add(field, "must not be zero") }
        return value
    }

    /// Requires an amount of money in one of `units`; returns its amount in `target` scale when convertible.
    @discardableResult
    public mutating func requireMoney(
        _ money: Planmonitor_Common_V1_Money, _ field: String, units: Set<Planmonitor_Common_V1_MoneyUnit>,
        allowNegative: Bool = false, allowZero: Bool = true
    ) -> Decimal? {
        let amount = requireDecimal(money.amount, "\(field).amount", allowNegative: allowNegative, allowZero: allowZero)
        guard units.contains(money.unit) else {
            let accepted = units.map(MoneyUnits.code).sorted().joined(separator: ", ")
            add("\(field).unit", money.unit == .unspecified ? "missing (one of \(accepted))" : "\(MoneyUnits.code(money.unit)) does not fit here (one of \(accepted))")
            return nil
        }
        return amount
    }

    /// The violations as an `INVALID_ARGUMENT` error, `nil` when there are none.
    public func error(_ summary: String) -> RPCError? {
        guard !all.isEmpty else { return nil }
        let count = all.count == 1 ? "1 problem" : "\(all.count) problems"
        guard all.count > Self.maximumListed else { return RPCError(.invalidArgument, "\(summary): \(count)", fieldViolations: all) }
        let more = RPCError.FieldViolation(
            field: "", reason: "and \(all.count - Self.maximumListed) more problems not listed; correct these and send it again")
        return RPCError(.invalidArgument, "\(summary): \(count)", fieldViolations: Array(all.prefix(Self.maximumListed)) + [more])
    }

    /// The most violations a reply lists: a file of garbage must not make a reply larger than the broker carries.
    public static let maximumListed = 1_000
}

/// Calendar checks for `LocalDate`.
public enum LocalDay {
    /// True when `date` is a real day of the Gregorian calendar.
    public static func isValid(_ date: Planmonitor_Common_V1_LocalDate) -> Bool {
        guard (1...9999).contains(date.year), (1...12).contains(date.month), date.day >= 1 else { return false }
        return date.day <= daysInMonth(year: date.year, month: date.month)
    }

    /// The number of days of a month.
    public static func daysInMonth(year: Int32, month: Int32) -> Int32 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "2018-04-28".
    public static func iso(_ date: Planmonitor_Common_V1_LocalDate) -> String {
        String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
    }

    /// Orders two days.
    public static func precedes(_ lhs: Planmonitor_Common_V1_LocalDate, _ rhs: Planmonitor_Common_V1_LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Makes a day.
    public static func make(_ year: Int32, _ month: Int32, _ day: Int32) -> Planmonitor_Common_V1_LocalDate {
        var date = Planmonitor_Common_V1_LocalDate()
        date.year = year
        date.month = month
        date.day = day
        return date
    }
}
