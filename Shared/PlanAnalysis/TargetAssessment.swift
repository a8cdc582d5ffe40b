/// The judgement of one plan target for one org unit at one month: a status with its reason, the schedule figures
/// and a year-end forecast.
///
/// The target is judged at the month of the latest usable point up to `asOfMonth`, so a figure that lags by a month is
/// compared with what the plan calls for by the month it covers. "Year end" below means that point is December's.
/// Each end of the target (its floor, its ceiling, or both for a range) gets a verdict and the worse one counts
/// (met < on track < at risk < off track < missed). The figure judged is the point's value, except for
/// `TargetBasis.changeInPoints`, where it is the change from the start-of-year level (negative for a decrease).
/// `about` and `at` carry a tolerance of 2% of the value (see `TargetComparator`).
///
/// - Totals and counts (`cumulativeAmount`, `count`). The share of the year done, s, is last year's share by the same
///   month when a `SeasonalProfile` is given, otherwise month / 12; the schedule is target × s.
///   - Floor: met as soon as the total reaches it (even mid-year); at year end otherwise missed. Before that,
///     progress = total / schedule: ≥ 0.97 on track, ≥ 0.85 at risk, below off track.
///   - Ceiling (`at`, `lessThan`): missed as soon as the total passes it (a total cannot come back down); met at
///     year end otherwise. Before that, total / schedule ≤ 1.03 on track, ≤ 1.15 at risk, above off track.
///   - Range: the low end is a floor and the high end a ceiling, each as above.
/// - Growth (`growth`): year end: met or missed. Before it, the year-to-date growth against the target: satisfied on
///   track, short by no more than 1 point at risk, further off track. A ceiling (`decreaseBy`, `lessThan`, `at`) is
///   judged the same way from the other side; a range as both ends.
/// - Levels (`level`): year end: met or missed. Before it, the latest level is tested now and as projected to December
///   at the monthly change between the last two points: both satisfied on track, only one at risk (met now but
///   drifting out, or not met but heading in), neither off track; with one point, satisfied on track, else off track.
///   A range: inside on track, outside by no more than 1 point (of the unit) at risk, further off track.
/// - Changes in points (`changeInPoints`): year end: met or missed. Before it, the change so far against the full target
///   change pro-rated linearly (target × month / 12; rates such as poverty move gradually and have no seasonal
///   profile): ≥ 0.97 of it on track, ≥ 0.85 at risk, below off track. It is never met before year end, as a rate can
///   move back. An end the change starts inside of (e.g. "rise by less than 0.5") is a limit: inside on track, past it at risk.
///
/// `expectedByNow` and `progressRatio` follow the same rules: for totals the floor (or ceiling) × s; for a change
/// in points the start-of-year level plus the pro-rated change; for growth and levels the target itself (none for a range).
public struct TargetAssessment: Sendable, Equatable {
    /// The verdict.
    public let status: TargetStatus
    /// The point the target was judged at; `nil` when there is none.
    public let latest: MonthlyPoint?
    /// What the plan calls for by the month of `latest`, on the scale of the points: for a total, the target × the
    /// share of the year done; for a change in points, the level it should have come to; for growth and levels, the
    /// target value; `nil` for a range on growth or a level, and with no data.
    public let expectedByNow: Double?
    /// The latest figure over the expected one (for a change in points, change so far over change expected):
    /// 0.952 means 95.2% of the schedule. For a ceiling, above 1 is ahead of the allowed pace. `nil` when
    /// `expectedByNow` is `nil` or the expected figure is zero.
    public let progressRatio: Double?
    /// Why, in Vietnamese, naming the figures, e.g. "Lũy kế 6 tháng đạt 50,96 triệu tấn, bằng 47,6% kế hoạch năm;
    /// theo tiến độ cần 50% (53,5 triệu tấn)."
    public let reasonVi: String
    /// Why, in English, naming the figures.
    public let reasonEn: String
    /// The year-end forecast; `nil` with no data.
    public let forecast: Forecast?

    /// Judges `spec` on `points` as of `asOfMonth`.
    ///
    /// - Parameters:
    ///   - spec: The target.
    ///   - points: The figures reported for the current year, in any order. Points after `asOfMonth`, with a month
    ///     outside 1…12 or a value that is not finite are ignored; of two points for one month the later in the array counts.
    ///   - asOfMonth: The month being judged, 1…12 (clamped).
    ///   - previousYearProfile: How last year's total built up; used only for totals and counts.
    public init(spec: TargetSpec, points: [MonthlyPoint], asOfMonth: Int, previousYearProfile: SeasonalProfile? = nil) {
        let throughMonth = min(max(asOfMonth, 1), 12)
        guard
            let series = AssessedSeries(
                spec: spec, points: points, throughMonth: throughMonth, profile: previousYearProfile)
        else {
            let reason = Reason.noData(throughMonth: throughMonth)
            status = .noData
            latest = nil
            expectedByNow = nil
            progressRatio = nil
            reasonVi = reason.vietnamese
            reasonEn = reason.english
            forecast = nil
            return
        }
        let judgement = Judgement(series)
        let reason = Reason(judgement.decisive, series)
        status = judgement.decisive.status
        latest = series.latest
        expectedByNow = judgement.expectedByNow
        progressRatio = judgement.progressRatio
        reasonVi = reason.vietnamese
        reasonEn = reason.english
        forecast = Forecast(series, status: status)
    }
}
