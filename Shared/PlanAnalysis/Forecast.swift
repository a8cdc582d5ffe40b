/// How a forecast's year-end figure was made.
public enum ForecastMethod: String, Sendable, CaseIterable {
    /// A total or count divided by the share of last year's total reached by the same month.
    case seasonalProfile
    /// A total or count divided by month / 12 (its average monthly pace continued to December), or a level moved on
    /// to December by its average monthly change between the first and the latest point.
    case linearTrend
    /// The latest figure carried to December: a level (or a change in points) with a single point, or a year-to-date
    /// growth rate, which is an average of the months so far and is assumed to hold for the rest of the year.
    case latestLevel
}

/// A year-end forecast of a target's figure, with an 80% interval and the probability of meeting the target.
///
/// All numbers are on the scale of the points (for `TargetBasis.changeInPoints`, the level, not the change).
///
/// Rules, with n the number of points, m the latest month, s the share of the year done by month m
/// (last year's share with a `SeasonalProfile`, otherwise m / 12) and the half-width that of the 80% interval:
/// - Totals and counts: every point projects a year total, value / share of its month; the forecast is the latest
///   projection. The projections' spread measures how uncertain the pace is: half-width for the pace = 1.2816 × their
///   standard deviation, at least 10% of the forecast (n ≥ 2), or 25% of the forecast (n = 1). Only the rest of the year
///   is uncertain, so the half-width is (1 − s) × that. The low end is never below the total already counted.
/// - Growth: the forecast is the latest year-to-date growth; half-width = (1 − m/12) × 1.2816 × the standard deviation
///   of the reported growth rates, at least 1 point (n ≥ 2), or (1 − m/12) × max(25% of the growth, 1 point) (n = 1).
/// - Levels and changes in points: with n ≥ 2 the latest level plus the average monthly change (first to latest point)
///   times the months left; with n = 1 the latest level. The level may wobble each month by 1.2816 × the standard
///   deviation of the monthly changes, at least 0.5% of the level (n ≥ 3), or by 1% of the level (n ≤ 2);
///   over the months left the half-width is that wobble × √(12 − m).
/// - The probability of meeting treats the year-end figure as normal, centred on the forecast with standard deviation
///   half-width / 1.2816, and takes the mass inside the target's floor and ceiling; it is exactly 1 for a target
///   already met and 0 for one already missed. With a zero half-width (the year is complete) it is 1 or 0.
public struct Forecast: Sendable, Equatable {
    /// How `yearEnd` was made.
    public let method: ForecastMethod
    /// The expected figure in December.
    public let yearEnd: Double
    /// The low end of the 80% interval.
    public let low: Double
    /// The high end of the 80% interval.
    public let high: Double
    /// The probability, 0…1, that the year-end figure meets the target.
    public let probabilityOfMeeting: Double

    /// A forecast with the given figures, e.g. for tests of code that reads assessments.
    public init(method: ForecastMethod, yearEnd: Double, low: Double, high: Double, probabilityOfMeeting: Double) {
        self.method = method
        self.yearEnd = yearEnd
        self.low = low
        self.high = high
        self.probabilityOfMeeting = probabilityOfMeeting
    }

    /// The forecast for `series`, whose target has been judged `status`.
    init(_ series: AssessedSeries, status: TargetStatus) {
        let (method, yearEnd, halfWidth) =
            switch series.spec.basis {
            case .cumulativeAmount, .count: Self.totalEstimate(series)
            case .growth: Self.growthEstimate(series)
            case .level, .changeInPoints: Self.levelEstimate(series)
            }
        let low = yearEnd - halfWidth
        let probability: Double =
            switch status {
            case .met: 1
            case .missed: 0
            default: Self.probability(
                    ofMeeting: series.requirement, figure: series.figure(yearEnd), standardDeviation: halfWidth / Statistics.z80)
            }
        self.init(
            method: method, yearEnd: yearEnd, low: series.spec.basis.accumulates ? max(low, series.latest.value) : low,
            high: yearEnd + halfWidth, probabilityOfMeeting: probability)
    }

    private typealias Estimate = (method: ForecastMethod, yearEnd: Double, halfWidth: Double)

    private static func totalEstimate(_ series: AssessedSeries) -> Estimate {
        let projections = series.points.map { $0.value / series.share(throughMonth: $0.month) }
        let yearEnd = projections[projections.count - 1]
        let paceHalfWidth =
            projections.count >= 2
            ? max(Statistics.z80 * Statistics.standardDeviation(projections), 0.10 * abs(yearEnd))
            : 0.25 * abs(yearEnd)
        return (series.profile == nil ? .linearTrend : .seasonalProfile, yearEnd, (1 - series.latestShare) * paceHalfWidth)
    }

    private static func growthEstimate(_ series: AssessedSeries) -> Estimate {
        let yearEnd = series.latest.value
        let paceHalfWidth =
            series.points.count >= 2
            ? max(Statistics.z80 * Statistics.standardDeviation(series.points.map(\.value)), 1)
            : max(0.25 * abs(yearEnd), 1)
        return (.latestLevel, yearEnd, (1 - series.latestShare) * paceHalfWidth)
    }

    private static func levelEstimate(_ series: AssessedSeries) -> Estimate {
        let latest = series.latest
        let monthlyChanges = zip(series.points, series.points.dropFirst()).map { earlier, later in
            (later.value - earlier.value) / Double(later.month - earlier.month)
        }
        let monthlyHalfWidth =
            monthlyChanges.count >= 2
            ? max(Statistics.z80 * Statistics.standardDeviation(monthlyChanges), 0.005 * abs(latest.value))
            : 0.01 * abs(latest.value)
        let halfWidth = monthlyHalfWidth * Double(series.monthsRemaining).squareRoot()
        guard let first = series.points.first, first.month < latest.month else {
            return (.latestLevel, latest.value, halfWidth)
        }
        let averageMonthlyChange = (latest.value - first.value) / Double(latest.month - first.month)
        return (.linearTrend, latest.value + averageMonthlyChange * Double(series.monthsRemaining), halfWidth)
    }

    /// The normal probability mass of the year-end figure inside the requirement's floor and ceiling.
    private static func probability(ofMeeting requirement: Requirement, figure: Double, standardDeviation: Double) -> Double {
        guard standardDeviation > 0 else { return requirement.isSatisfied(by: figure) ? 1 : 0 }
        func below(_ bound: Bound?, otherwise: Double) -> Double {
            bound.map { Statistics.normalCumulative(($0.limit - figure) / standardDeviation) } ?? otherwise
        }
        return max(0, below(requirement.upper, otherwise: 1) - below(requirement.lower, otherwise: 0))
    }
}
