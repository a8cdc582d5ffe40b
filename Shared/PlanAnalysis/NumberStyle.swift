import Foundation

/// How numbers are written in the assessment sentences.
public enum NumberStyle: Sendable {
    /// Vietnamese: "." groups thousands and "," marks decimals: 24725 → "24.725", 16.03 → "16,03".
    case vietnamese
    /// English: "," groups thousands and "." marks decimals: 24725 → "24,725", 16.03 → "16.03".
    case english

    /// Writes `value` rounded to at most `maximumFractionDigits` decimals, with no trailing zeros.
    ///
    /// In `.vietnamese`: 0.5 → "0,5", −1234.5 → "-1.234,5", 50.0 → "50". A value that rounds to zero is written "0",
    /// never "-0". Infinities and NaN are written as Swift writes them ("inf", "nan").
    public func format(_ value: Double, maximumFractionDigits: Int = 2) -> String {
        guard value.isFinite else { return "\(value)" }
        return written(magnitude: String(format: "%.\(max(0, maximumFractionDigits))f", abs(value)), negative: value < 0)
    }

    /// Writes an exact `value` rounded (half away from zero) to at most `maximumFractionDigits` decimals, with no
    /// trailing zeros: in `.vietnamese` 7300 → "7.300", 24725.255 → "24.725,26" with 2 decimals.
    public func format(exact value: Decimal, maximumFractionDigits: Int = 2) -> String {
        var source = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &source, max(0, maximumFractionDigits), .plain)
        return written(magnitude: "\(rounded.magnitude)", negative: rounded < 0)
    }

    /// The plain digits of a magnitude ("1234.50") with the sign, the grouping and the decimal separator of the style.
    private func written(magnitude: String, negative: Bool) -> String {
        let parts = magnitude.split(separator: ".", maxSplits: 1)
        let integerDigits = String(parts[0])
        var fractionDigits = parts.count > 1 ? String(parts[1]) : ""
        while fractionDigits.hasSuffix("0") { fractionDigits.removeLast() }
        let isZero = fractionDigits.isEmpty && integerDigits.allSatisfy { $0 == "0" }
        let sign = negative && !isZero ? "-" : ""
        let fraction = fractionDigits.isEmpty ? "" : decimalSeparator + fractionDigits
        return sign + grouped(integerDigits) + fraction
    }

    private var groupingSeparator: String {
        switch self {
        case .vietnamese: "."
        case .english: ","
        }
    }

    private var decimalSeparator: String {
        switch self {
        case .vietnamese: ","
        case .english: "."
        }
    }

    /// The digits with the grouping separator before every third digit from the right: "24725" → "24.725".
    private func grouped(_ digits: String) -> String {
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return groups.joined(separator: groupingSeparator)
    }
}
