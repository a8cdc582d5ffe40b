import Foundation

/// What a target's figure measures. It decides what the reported points mean and how they are judged and forecast.
public enum TargetBasis: String, Sendable, CaseIterable {
    /// An amount that accumulates over the year: revenue, investment, visitors, cargo.
    /// Each point is the year-to-date total.
    case cumulativeAmount
    /// Growth over the previous year, in percent. Each point is the year-to-date growth:
    /// January to the point's month against the same months of last year.
    case growth
    /// A rate or level: insurance coverage, unemployment, income per head. Each point is the level in that month.
    case level
    /// A rate to move by a number of points from its start-of-year level, e.g. the poverty rate down 0.65.
    /// Each point is the level in that month; the figure judged is its change from `TargetSpec.startOfYearLevel`.
    case changeInPoints
    /// A count reached by year end, e.g. communes newly meeting the rural criteria.
    /// Each point is the year-to-date count; judged and forecast like `cumulativeAmount`.
    case count

    /// Whether the figure is a year-to-date total that only grows over the year.
    var accumulates: Bool {
        switch self {
        case .cumulativeAmount, .count: true
        case .growth, .level, .changeInPoints: false
        }
    }
}

/// How the year-end figure must compare with the target's value.
///
/// Each comparator sets a lower end (floor), an upper end (ceiling) or both on the figure the target is judged on
/// (for `TargetBasis.changeInPoints`, the signed change from the start-of-year level):
/// - `atLeast`, `reach`, `increaseBy`: figure ≥ value.
/// - `moreThan`: figure > value.
/// - `about`: figure ≥ value − 2% of |value|. Going over is never a shortfall: plan figures written "khoảng" are floors with a margin.
/// - `at`: figure ≤ value + 2% of |value|. "Ở mức 3,96%" (unemployment) means keep it at or below about 3.96.
/// - `lessThan`: figure < value.
/// - `decreaseBy`: figure ≤ −value (growth down 5%, or a rate down 0.65 points).
/// - `range`: low ≤ figure ≤ high.
public enum TargetComparator: Sendable, Hashable {
    /// "Từ … trở lên", "ít nhất": at least the value.
    case atLeast
    /// "Đạt": reach the value (at least it).
    case reach
    /// "Khoảng": about the value; at least the value less a 2% tolerance.
    case about
    /// "Ở mức": at the value; at most the value plus a 2% tolerance.
    case at
    /// "Tăng", "thêm": increase by the value (the value is the size of the increase).
    case increaseBy
    /// "Giảm": decrease by the value (the value is the size of the decrease, written positive).
    case decreaseBy
    /// "Trên": more than the value.
    case moreThan
    /// "Dưới": less than the value.
    case lessThan
    /// "Low – high": between the two, ends included. `TargetSpec.value` is not used.
    case range(low: Double, high: Double)
}

/// One plan target as the analysis needs it: what is measured, how it is compared, the value and unit.
public struct TargetSpec: Sendable, Equatable {
    /// What the reported figure measures.
    public let basis: TargetBasis
    /// How the year-end figure must compare with `value`.
    public let comparator: TargetComparator
    /// The target value as written, e.g. `107` for "107 triệu tấn" or `0.65` for "giảm 0,65%"; `nil` for a range.
    public let value: Double?
    /// The unit as written, e.g. "triệu tấn" or "%"; used in the reason sentences of both languages.
    public let unit: String
    /// The level at the end of the previous year, from which a `changeInPoints` target is measured; ignored for other bases.
    public let startOfYearLevel: Double?

    /// Checks that the target can be judged.
    ///
    /// - Throws: `TargetSpecError` when a value is missing or not finite, a range is empty, an increase or decrease is
    ///   negative, a `changeInPoints` target has no start-of-year level, or the comparator does not apply to the basis
    ///   (`decreaseBy` on a total or count; `increaseBy` or `decreaseBy` on a level, which is a `changeInPoints` target).
    public init(
        basis: TargetBasis, comparator: TargetComparator, value: Double?, unit: String, startOfYearLevel: Double? = nil
    ) throws(TargetSpecError) {
        switch comparator {
        case .range(let low, let high):
            guard low.isFinite, high.isFinite else { throw .notFinite }
            guard low <= high else { throw .emptyRange(low: low, high: high) }
        case .increaseBy, .decreaseBy:
            guard let value else { throw .missingValue }
            guard value.isFinite else { throw .notFinite }
            guard value >= 0 else { throw .negativeChange(value) }
        case .atLeast, .reach, .about, .at, .moreThan, .lessThan:
            guard let value else { throw .missingValue }
            guard value.isFinite else { throw .notFinite }
        }
        switch (basis, comparator) {
        case (.cumulativeAmount, .decreaseBy), (.count, .decreaseBy), (.level, .increaseBy), (.level, .decreaseBy):
            throw .comparatorNotApplicable(comparator, basis)
        default:
            break
        }
        if basis == .changeInPoints {
            guard let startOfYearLevel else { throw .missingStartOfYearLevel }
            guard startOfYearLevel.isFinite else { throw .notFinite }
        }
        self.basis = basis
        self.comparator = comparator
        self.value = value
        self.unit = unit
        self.startOfYearLevel = startOfYearLevel
    }
}

/// Why a `TargetSpec` cannot be judged.
public enum TargetSpecError: Error, Sendable, Equatable {
    /// The comparator needs a value and `value` is `nil`.
    case missingValue
    /// A value, range end or start-of-year level is infinite or not a number.
    case notFinite
    /// The range's low end is above its high end.
    case emptyRange(low: Double, high: Double)
    /// An `increaseBy` or `decreaseBy` value is negative; write the size of the change and choose the comparator for its direction.
    case negativeChange(Double)
    /// A `changeInPoints` target has no `startOfYearLevel` to measure the change from.
    case missingStartOfYearLevel
    /// The comparator has no meaning for the basis.
    case comparatorNotApplicable(TargetComparator, TargetBasis)
}
