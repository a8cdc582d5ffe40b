import Foundation

/// Why a clerk's value cannot be read, phrased to follow the quoted value: `"12,345,67" is ambiguous: …`.
public struct CSVValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The value as given.
    public let value: String
    /// Why it cannot be read: "is empty", "is not a number", …
    public let reason: String

    /// An error for `value`.
    public init(value: String, reason: String) {
        self.value = value
        self.reason = reason
    }

    /// `"-12" is negative`.
    public var description: String {
        "\"\(value)\" \(reason)"
    }
}

/// Readers of the values clerks type into spreadsheets. Each trims surrounding whitespace, normalises to NFC,
/// and throws `CSVValueError` for an empty value or one it cannot read. Use them with `CSVRow.parse(_:as:)`.
public enum CSVValue {
    /// A number in English or Vietnamese writing, as a decimal string of PlanMonitor's contracts
    /// (`-?[0-9]+(\.[0-9]+)?`): no grouping, "." as the decimal mark, no leading zeros, the decimals as written.
    ///
    /// Accepted: an optional leading "-", then ASCII digits with optional thousands separators and at most one
    /// decimal mark.
    /// - When both "." and "," appear, the one appearing last, once, is the decimal mark and the other groups
    ///   thousands: "24,725.5" and "24.725,5" are both "24725.5".
    /// - When only one of them appears, and more than once, it groups thousands: "1.234.567", "1,234,567".
    /// - When only one of them appears, once, it groups thousands if it is followed by exactly three digits and
    ///   preceded by one to three digits not starting with 0 ("24.725" and "24,725" are "24725"); otherwise it is
    ///   the decimal mark ("16,03" is "16.03", "3.96" is "3.96", "0.125" is "0.125", "1234,567" is
    ///   "1234.567"). A fraction of exactly three decimals therefore needs a fourth: "1,1250".
    /// - Spaces (also no-break spaces) only group thousands: "1 234,5" is "1234.5".
    /// - Thousands separators must separate groups of exactly three digits after a first group of one to three.
    ///
    /// Refused with a reason: "1.234,5.6" (marks mixed), "12,345,67" (groups not of three), "1 234.567,8"
    /// (two kinds of thousands separators), and anything else, like "+1", ".5", "1e3" or "12 %".
    public static func decimal(_ text: String) throws(CSVValueError) -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw CSVValueError(value: text, reason: "is empty") }
        var body = Substring(value).unicodeScalars[...]
        let isNegative = body.first == "-"
        if isNegative { body = body.dropFirst() }

        var groups: [String] = [""]
        var separators: [Character] = []
        for scalar in body {
            if isDigit(scalar) {
                groups[groups.count - 1].unicodeScalars.append(scalar)
            } else if scalar == "." || scalar == "," {
                separators.append(Character(scalar))
                groups.append("")
            } else if scalar == " " || scalar == "\u{A0}" || scalar == "\u{202F}" {
                separators.append(" ")
                groups.append("")
            } else {
                throw CSVValueError(value: text, reason: "is not a number")
            }
        }
        guard !groups.contains(where: \.isEmpty) else {
            throw CSVValueError(value: text, reason: "is not a number")
        }

        let decimalMark: Character?
        if let last = separators.last, last != " " {
            let others = separators.dropLast()
            if others.contains(last) {
                guard others.allSatisfy({ $0 == last }) else {
                    throw CSVValueError(
                        value: text,
                        reason: "is ambiguous: \".\" and \",\" are mixed (write e.g. 1234.5 or 1.234,5)"
                    )
                }
                decimalMark = nil
            } else if others.isEmpty {
                decimalMark = isThousandsGrouping(groups) ? nil : last
            } else {
                decimalMark = last
            }
        } else {
            decimalMark = nil
        }
        let integerGroups = decimalMark == nil ? groups[...] : groups.dropLast()
        let groupSeparators = decimalMark == nil ? separators[...] : separators.dropLast()
        guard Set(groupSeparators).count <= 1 else {
            throw CSVValueError(value: text, reason: "is ambiguous: it uses more than one kind of thousands separator")
        }
        guard integerGroups.count == 1 || isThousandsGrouping(integerGroups) else {
            throw CSVValueError(
                value: text,
                reason: "is ambiguous: thousands separators must separate groups of three digits"
            )
        }

        var integer = Substring(integerGroups.joined()).drop { $0 == "0" }
        if integer.isEmpty { integer = "0" }
        let fraction = decimalMark == nil ? "" : "." + groups[groups.count - 1]
        let isZero = integer == "0" && fraction.allSatisfy { $0 == "0" || $0 == "." }
        return (isNegative && !isZero ? "-" : "") + integer + fraction
    }

    /// A whole number, written as `decimal(_:)` accepts but without decimals: "24725", "24.725", "-3", "1 200".
    public static func integer(_ text: String) throws(CSVValueError) -> Int {
        let canonical = try decimal(text)
        guard !canonical.contains(".") else {
            throw CSVValueError(value: text, reason: "is not a whole number")
        }
        guard let integer = Int(canonical) else {
            throw CSVValueError(value: text, reason: "is too large")
        }
        return integer
    }

    /// A month of a year. Accepted, case-insensitively: "2018-06" or "2018-6" (year first, with "-");
    /// "06/2018" or "6/2018" (month first, with "/"); and the latter after "T" or "tháng": "T6/2018",
    /// "T06/2018", "Tháng 6/2018". The year has four digits, the month one or two and is 1–12.
    public static func month(_ text: String) throws(CSVValueError) -> (year: Int, month: Int) {
        var value = Substring(normalised(text))
        guard !value.isEmpty else { throw CSVValueError(value: text, reason: "is empty") }
        var hasMonthWord = false
        if let word = ["tháng", "t"].first(where: { value.hasPrefix($0) }) {
            value = value.dropFirst(word.count).drop { $0 == " " }
            hasMonthWord = true
        }
        let yearFirst = value.split(separator: "-", omittingEmptySubsequences: false)
        let monthFirst = value.split(separator: "/", omittingEmptySubsequences: false)
        let parts: (year: Int, month: Int)
        if !hasMonthWord, yearFirst.count == 2, let year = number(yearFirst[0], digits: 4...4),
           let month = number(yearFirst[1], digits: 1...2) {
            parts = (year, month)
        } else if monthFirst.count == 2, let month = number(monthFirst[0], digits: 1...2),
                  let year = number(monthFirst[1], digits: 4...4) {
            parts = (year, month)
        } else {
            throw CSVValueError(value: text, reason: "is not a month (write 2018-06, 06/2018 or T6/2018)")
        }
        guard (1...12).contains(parts.month) else {
            throw CSVValueError(value: text, reason: "is not a month: there is no month \(parts.month)")
        }
        return parts
    }

    /// A day of the Gregorian calendar. Accepted: "2018-04-28" (year first, with "-") and "28/04/2018" (day
    /// first, with "/" — never month first), with one- or two-digit days and months and a four-digit year. The
    /// day must exist: "29/02/2018" is refused, "29/02/2020" accepted.
    public static func date(_ text: String) throws(CSVValueError) -> (year: Int, month: Int, day: Int) {
        let value = normalised(text)
        guard !value.isEmpty else { throw CSVValueError(value: text, reason: "is empty") }
        let yearFirst = value.split(separator: "-", omittingEmptySubsequences: false)
        let dayFirst = value.split(separator: "/", omittingEmptySubsequences: false)
        let parts: (year: Int, month: Int, day: Int)
        if yearFirst.count == 3, let year = number(yearFirst[0], digits: 4...4),
           let month = number(yearFirst[1], digits: 1...2), let day = number(yearFirst[2], digits: 1...2) {
            parts = (year, month, day)
        } else if dayFirst.count == 3, let day = number(dayFirst[0], digits: 1...2),
                  let month = number(dayFirst[1], digits: 1...2), let year = number(dayFirst[2], digits: 4...4) {
            parts = (year, month, day)
        } else {
            throw CSVValueError(value: text, reason: "is not a date (write 2018-04-28 or 28/04/2018)")
        }
        guard (1...12).contains(parts.month) else {
            throw CSVValueError(value: text, reason: "is not a date: there is no month \(parts.month)")
        }
        let dayCount = daysIn(month: parts.month, year: parts.year)
        guard (1...dayCount).contains(parts.day) else {
            throw CSVValueError(
                value: text,
                reason: "is not a date: month \(parts.month) of \(parts.year) has \(dayCount) days"
            )
        }
        return parts
    }

    /// A yes-or-no answer, case-insensitively.
    /// - Yes: "yes", "y", "true", "1", "x" (a ticked cell), "có", "đúng", and — for estimate flags — "ước" and
    ///   "ước tính" (estimated).
    /// - No: "no", "n", "false", "0", "không", "sai".
    ///
    /// Diacritics count: "khong" is refused. An empty cell is refused too; for a tick column where empty means
    /// no, use `CSVRow.parseIfPresent(_:as:)` and `?? false`.
    public static func boolean(_ text: String) throws(CSVValueError) -> Bool {
        let value = normalised(text)
        guard !value.isEmpty else { throw CSVValueError(value: text, reason: "is empty") }
        if ["yes", "y", "true", "1", "x", "có", "đúng", "ước", "ước tính"].contains(value) { return true }
        if ["no", "n", "false", "0", "không", "sai"].contains(value) { return false }
        throw CSVValueError(
            value: text,
            reason: "is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"
        )
    }

    /// Trimmed, lowercase, NFC, with whitespace runs collapsed to one space.
    private static func normalised(_ text: String) -> String {
        text.lowercased().precomposedStringWithCanonicalMapping
            .split(whereSeparator: \.isWhitespace)
            .joined(separator: " ")
    }

    /// The value of `text` if it is a run of ASCII digits whose length is in `digits`.
    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard digits.contains(trimmed.unicodeScalars.count), trimmed.unicodeScalars.allSatisfy(isDigit) else {
            return nil
        }
        return Int(trimmed)
    }

    /// Whether `groups` are digits grouped by thousands: a first group of one to three digits not starting
    /// with 0, then groups of exactly three.
    private static func isThousandsGrouping(_ groups: some Collection<String>) -> Bool {
        guard groups.count > 1, let first = groups.first, (1...3).contains(first.count), !first.hasPrefix("0") else {
            return false
        }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
