/// One reported figure of the current year, covering the year up to and including `month`.
///
/// What `value` is depends on the target's `TargetBasis`: a year-to-date total or count, a year-to-date growth in
/// percent, or the level in that month.
public struct MonthlyPoint: Sendable, Hashable {
    /// The last month the figure covers, 1 (January) to 12 (December).
    public let month: Int
    /// The figure.
    public let value: Double

    /// A figure covering the year through `month`.
    public init(month: Int, value: Double) {
        self.month = month
        self.value = value
    }
}

/// How last year's total built up over the months: the share of the year's total reached by the end of each month.
///
/// With a profile, a year-to-date total is compared with the same share of the target (a year whose first half
/// brought 40% of the total expects 40% by June, not 50%), and forecast by dividing by that share.
public struct SeasonalProfile: Sendable, Equatable {
    /// The share of last year's total reached by the end of each month, January first; the last is exactly 1.
    public let cumulativeShares: [Double]

    /// A profile from last year's year-to-date totals, January to December.
    ///
    /// `nil` unless there are exactly 12 finite totals that never fall and January's is above zero
    /// (so every month's share is above zero and can be divided by).
    public init?(cumulativeTotals: [Double]) {
        guard cumulativeTotals.count == 12, cumulativeTotals.allSatisfy(\.isFinite),
            let january = cumulativeTotals.first, january > 0,
            zip(cumulativeTotals, cumulativeTotals.dropFirst()).allSatisfy({ $0 <= $1 })
        else { return nil }
        let yearTotal = cumulativeTotals[11]
        cumulativeShares = cumulativeTotals.map { $0 / yearTotal }
    }

    /// A profile from last year's amounts for each month, January to December.
    ///
    /// `nil` unless there are exactly 12 finite amounts, none negative, and January's is above zero.
    public init?(monthlyAmounts: [Double]) {
        var runningTotal = 0.0
        self.init(cumulativeTotals: monthlyAmounts.map { amount in
            runningTotal += amount
            return runningTotal
        })
    }

    /// The share of the year's total reached by the end of `month` (clamped to 1…12).
    public func share(throughMonth month: Int) -> Double {
        cumulativeShares[min(max(month, 1), 12) - 1]
    }
}
