/// A target with the points it is judged on: what the judgement, the forecast and the reason all read.
struct AssessedSeries {
    let spec: TargetSpec
    let requirement: Requirement
    /// The usable points in month order, one per month; never empty.
    let points: [MonthlyPoint]
    /// The last point: the month the target is judged at.
    let latest: MonthlyPoint
    /// Last year's profile, kept only for bases that accumulate.
    let profile: SeasonalProfile?

    /// The usable points of `points` up to `month`: months 1…12 with finite values; of two points for one month the
    /// later in the array wins. `nil` when none is left.
    init?(spec: TargetSpec, points: [MonthlyPoint], throughMonth month: Int, profile: SeasonalProfile?) {
        var valueByMonth: [Int: Double] = [:]
        for point in points where (1...month).contains(point.month) && point.value.isFinite {
            valueByMonth[point.month] = point.value
        }
        let usable = valueByMonth.sorted { $0.key < $1.key }.map { MonthlyPoint(month: $0.key, value: $0.value) }
        guard let latest = usable.last else { return nil }
        self.spec = spec
        self.requirement = Requirement(spec.comparator, value: spec.value)
        self.points = usable
        self.latest = latest
        self.profile = spec.basis.accumulates ? profile : nil
    }

    /// Whether the latest point covers the whole year.
    var isFinal: Bool { latest.month == 12 }

    /// Months left after the latest point.
    var monthsRemaining: Int { 12 - latest.month }

    /// The figure the requirement applies to: the change from the start-of-year level for `changeInPoints`, the value otherwise.
    func figure(_ value: Double) -> Double {
        spec.basis == .changeInPoints ? value - (spec.startOfYearLevel ?? 0) : value
    }

    /// The point value for a figure: the inverse of `figure(_:)`.
    func value(ofFigure figure: Double) -> Double {
        spec.basis == .changeInPoints ? figure + (spec.startOfYearLevel ?? 0) : figure
    }

    /// The figure of the latest point.
    var latestFigure: Double { figure(latest.value) }

    /// The share of the year done by the end of `month`: last year's share from the profile, otherwise month / 12.
    func share(throughMonth month: Int) -> Double {
        profile?.share(throughMonth: month) ?? Double(month) / 12
    }

    /// The share of the year done by the latest point.
    var latestShare: Double { share(throughMonth: latest.month) }

    /// The change per month between the last two points; `nil` with a single point.
    var latestMonthlyChange: Double? {
        guard points.count >= 2 else { return nil }
        let previous = points[points.count - 2]
        return (latest.value - previous.value) / Double(latest.month - previous.month)
    }
}
