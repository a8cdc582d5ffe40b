import Foundation

/// Numbers written the Vietnamese way: "." groups thousands, "," marks decimals ("82.100" = 82100, "7,5" = 7.5).
public enum VietnameseNumber {
    /// The ICU pattern of one number: grouped thousands with optional decimals, or plain digits with optional decimals.
    static let pattern = #"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"#

    private static let wholeNumber = Pattern("^(?:\(pattern))$")

    /// Reads a number written the Vietnamese way; `nil` when it is not one.
    public static func decimal(from text: String) -> Decimal? {
        guard wholeNumber.firstMatch(in: text) != nil else { return nil }
        let plain = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        return Decimal(string: plain, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Writes a number the Vietnamese way: `82100` → "82.100", `2.75` → "2,75".
    public static func format(_ value: Decimal) -> String {
        let plain = NSDecimalNumber(decimal: value).stringValue
        let isNegative = plain.hasPrefix("-")
        let unsigned = isNegative ? String(plain.dropFirst()) : plain
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        var integerDigits = Array(parts[0])
        var grouped = ""
        while integerDigits.count > 3 {
            grouped = "." + String(integerDigits.suffix(3)) + grouped
            integerDigits.removeLast(3)
        }
        grouped = String(integerDigits) + grouped
        let fraction = parts.count > 1 ? "," + parts[1] : ""
        return (isNegative ? "-" : "") + grouped + fraction
    }
}
