/// One end of what a target asks of its year-end figure: a floor or a ceiling.
struct Bound {
    /// Whether the figure must stay above (a floor) or below (a ceiling).
    enum Side {
        case lower
        case upper
    }

    let side: Side
    /// The value as the target writes it, signed as the figure is: `decreaseBy 0.65` is a ceiling at −0.65.
    let nominal: Double
    /// The value the figure is tested against: `nominal` widened by the tolerance of `about` and `at`.
    let limit: Double
    /// Whether the figure may not equal the limit (`moreThan`, `lessThan`).
    let isStrict: Bool

    init(_ side: Side, nominal: Double, limit: Double? = nil, isStrict: Bool = false) {
        self.side = side
        self.nominal = nominal
        self.limit = limit ?? nominal
        self.isStrict = isStrict
    }

    /// Whether `figure` is on the right side of the limit. Figures within a billionth of the limit count as equal to
    /// it, so that a poverty rate from 2.5 to 1.85 meets "down 0.65" although 1.85 − 2.5 is −0.6499999999999999 in binary.
    func isSatisfied(by figure: Double) -> Bool {
        let slack = 1e-9 * max(1, abs(limit))
        switch side {
        case .lower: return isStrict ? figure > limit + slack : figure >= limit - slack
        case .upper: return isStrict ? figure < limit - slack : figure <= limit + slack
        }
    }

    /// How far `figure` lies on the wrong side of the limit; 0 on the right side.
    func shortfall(of figure: Double) -> Double {
        switch side {
        case .lower: max(0, limit - figure)
        case .upper: max(0, figure - limit)
        }
    }
}

/// The floor and ceiling a target sets on its year-end figure.
struct Requirement {
    /// The tolerance of `about` and `at`, as a share of the value.
    static let tolerance = 0.02

    let lower: Bound?
    let upper: Bound?

    init(_ comparator: TargetComparator, value: Double?) {
        let value = value ?? 0
        let tolerance = Self.tolerance * abs(value)
        switch comparator {
        case .atLeast, .reach, .increaseBy:
            (lower, upper) = (Bound(.lower, nominal: value), nil)
        case .moreThan:
            (lower, upper) = (Bound(.lower, nominal: value, isStrict: true), nil)
        case .about:
            (lower, upper) = (Bound(.lower, nominal: value, limit: value - tolerance), nil)
        case .at:
            (lower, upper) = (nil, Bound(.upper, nominal: value, limit: value + tolerance))
        case .lessThan:
            (lower, upper) = (nil, Bound(.upper, nominal: value, isStrict: true))
        case .decreaseBy:
            (lower, upper) = (nil, Bound(.upper, nominal: -value))
        case .range(let low, let high):
            (lower, upper) = (Bound(.lower, nominal: low), Bound(.upper, nominal: high))
        }
    }

    /// The floor, then the ceiling.
    var bounds: [Bound] { [lower, upper].compactMap { $0 } }

    /// Whether the target is a range with both ends.
    var isRange: Bool { lower != nil && upper != nil }

    func isSatisfied(by figure: Double) -> Bool {
        bounds.allSatisfy { $0.isSatisfied(by: figure) }
    }
}
