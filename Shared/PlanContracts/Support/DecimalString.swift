import Foundation

/// The decimal-string convention of PlanMonitor's contracts: figures travel as
/// `-?[0-9]+(\.[0-9]+)?` strings ("24725", "3.96", "-0.65"), never as floating point.
/// See docs/contracts.md.
public enum DecimalString {
    /// True if `text` is a decimal string: optional "-", ASCII digits, optionally "." and
    /// ASCII digits. No "+", exponent, grouping separators, spaces, or empty string.
    public static func isValid(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        let integer = scalars.prefix { isDigit($0) }
        guard !integer.isEmpty else { return false }
        var rest = scalars.dropFirst(integer.count)
        if rest.isEmpty { return true }
        guard rest.first == "." else { return false }
        rest = rest.dropFirst()
        return !rest.isEmpty && rest.allSatisfy(isDigit)
    }

    /// The exact value of a decimal string; `nil` if `text` does not follow the convention.
    public static func decimal(_ text: String) -> Decimal? {
        guard isValid(text) else { return nil }
        return Decimal(string: text, locale: posix)
    }

    /// The decimal string of `value` ("24725", "3.96", "-0.65"); `nil` for NaN.
    public static func string(_ value: Decimal) -> String? {
        guard !value.isNaN else { return nil }
        let text = value.description
        return isValid(text) ? text : nil
    }

    private static let posix = Locale(identifier: "en_US_POSIX")

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}

extension Planmonitor_Common_V1_Money {
    /// Makes an amount: `Money(amount: "24725", unit: .billionVnd)`.
    public init(amount: String, unit: Planmonitor_Common_V1_MoneyUnit) {
        self.init()
        self.amount = amount
        self.unit = unit
    }

    /// The amount as an exact decimal; `nil` if `amount` is not a decimal string.
    public var amountDecimal: Decimal? { DecimalString.decimal(amount) }
}

extension Planmonitor_Common_V1_Quantity {
    /// Makes a quantity: `Quantity(value: "3.96", unit: "percent")`.
    public init(value: String, unit: String) {
        self.init()
        self.value = value
        self.unit = unit
    }

    /// The value as an exact decimal; `nil` if `value` is not a decimal string.
    public var valueDecimal: Decimal? { DecimalString.decimal(value) }
}
