import Foundation
import PlanContracts

/// Money units as the unit codes of `docs/contracts.md`, and conversions between scales of one currency.
public enum MoneyUnits {
    /// The VND scales.
    public static let vnd: Set<Planmonitor_Common_V1_MoneyUnit> = [.vnd, .millionVnd, .billionVnd]
    /// The USD scales.
    public static let usd: Set<Planmonitor_Common_V1_MoneyUnit> = [.usd, .millionUsd, .billionUsd]

    /// "billion_vnd" for `.billionVnd`.
    public static func code(_ unit: Planmonitor_Common_V1_MoneyUnit) -> String {
        switch unit {
        case .vnd: "vnd"
        case .millionVnd: "million_vnd"
        case .billionVnd: "billion_vnd"
        case .usd: "usd"
        case .millionUsd: "million_usd"
        case .billionUsd: "billion_usd"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }

    /// The unit of a code ("billion_vnd", also "tỷ đồng", "bn VND", "mn USD" as clerks and publishers write them).
    public static func unit(_ text: String) -> Planmonitor_Common_V1_MoneyUnit? {
        guard let code = UnitCodes.canonical(text) else { return nil }
        return [Planmonitor_Common_V1_MoneyUnit.vnd, .millionVnd, .billionVnd, .usd, .millionUsd, .billionUsd].first { self.code($0) == code }
    }

    /// `money` in `unit` when both are the same currency; `nil` otherwise or when the amount is not a decimal string.
    public static func amount(_ money: Planmonitor_Common_V1_Money, in unit: Planmonitor_Common_V1_MoneyUnit) -> Decimal? {
        guard let amount = money.amountDecimal else { return nil }
        return UnitCodes.convert(amount, from: code(money.unit), to: code(unit))
    }
}

/// Unit codes (`Quantity.unit`, `Target.unit_code`) and the conversions between them.
public enum UnitCodes {
    /// Scale of each convertible unit within its dimension: (dimension, factor to the base unit).
    private static let scales: [String: (dimension: String, factor: Decimal)] = [
        "vnd": ("vnd", 1), "million_vnd": ("vnd", 1_000_000), "billion_vnd": ("vnd", 1_000_000_000),
        "usd": ("usd", 1), "million_usd": ("usd", 1_000_000), "billion_usd": ("usd", 1_000_000_000),
        "visitors": ("visitors", 1), "million_visitors": ("visitors", 1_000_000),
        "tonnes": ("tonnes", 1), "million_tonnes": ("tonnes", 1_000_000),
        "percent": ("percent", 1), "percentage_points": ("percentage_points", 1),
        "person_times": ("person_times", 1), "criteria": ("criteria", 1), "communes": ("communes", 1),
        "count": ("count", 1), "projects": ("projects", 1), "enterprises": ("enterprises", 1),
        "households": ("households", 1), "persons": ("persons", 1),
    ]

    /// How units are written in files and by publishers, folded to lower case → unit code.
    private static let spellings: [String: String] = [
        "%": "percent", "phần trăm": "percent",
        "điểm %": "percentage_points", "điểm phần trăm": "percentage_points", "points": "percentage_points",
        "đồng": "vnd", "triệu đồng": "million_vnd", "tỷ đồng": "billion_vnd",
        "bn vnd": "billion_vnd", "billion vnd": "billion_vnd", "mn vnd": "million_vnd", "million vnd": "million_vnd",
        "usd": "usd", "mn usd": "million_usd", "million usd": "million_usd", "triệu usd": "million_usd",
        "bn usd": "billion_usd", "billion usd": "billion_usd", "tỷ usd": "billion_usd",
        "mt": "million_tonnes", "million tonnes": "million_tonnes", "triệu tấn": "million_tonnes", "tấn": "tonnes", "tonnes": "tonnes",
        "visitors": "visitors", "lượt khách": "visitors", "million visitors": "million_visitors", "triệu lượt khách": "million_visitors",
        "lượt người": "person_times", "tiêu chí": "criteria", "xã": "communes",
        "projects": "projects", "dự án": "projects", "doanh nghiệp": "enterprises", "hộ": "households", "người": "persons",
    ]

    /// The unit code of `text`: a code itself ("million_usd") or a spelling ("mn USD", "triệu tấn"); `nil` when unknown.
    public static func canonical(_ text: String) -> String? {
        let folded = text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces).lowercased()
        if scales[folded] != nil { return folded }
        return spellings[folded]
    }

    /// True when `code` is a known unit code.
    public static func isKnown(_ code: String) -> Bool { scales[code] != nil }

    /// `value` in `from` expressed in `to`; `nil` when the two measure different things.
    public static func convert(_ value: Decimal, from: String, to: String) -> Decimal? {
        if from == to { return value }
        guard let source = scales[from], let target = scales[to], source.dimension == target.dimension else { return nil }
        return value * source.factor / target.factor
    }

    /// The decimal string of `value` rounded to at most `scale` decimals, without trailing zeros ("0.91909", "50.96").
    public static func decimalString(_ value: Decimal, scale: Int = 6) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, scale, .plain)
        return DecimalString.string(rounded) ?? "0"
    }
}
