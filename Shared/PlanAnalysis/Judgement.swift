/// What decided the verdict on one end of the requirement; the reason sentence is written from it.
enum Finding {
    /// A total or count has reached its floor: met, at any month.
    case floorReached
    /// The year-end figure against the end: met or missed.
    case yearEnd
    /// A total has passed its ceiling and cannot come back down: missed.
    case ceilingPassed
    /// The figure against the end pro-rated by the share of the year done (`expected`, in figure terms).
    case paced(expected: Double)
    /// The figure against the end itself, with a margin of 1 for at risk.
    case compared
    /// A level against the end now and in December at its latest monthly change (`projected`; `nil` with one point).
    case trend(projected: Double?)
    /// A change in points is inside an end it starts inside of and must not cross.
    case insideLimit
    /// A change in points is past an end it must not cross.
    case pastLimit
}

/// The verdict on one end of the requirement.
struct Verdict {
    let status: TargetStatus
    let bound: Bound
    let finding: Finding
}

/// The verdict on a target at its latest point, with the schedule figures. The rules are in `TargetAssessment`'s documentation.
struct Judgement {
    /// Within this share of the schedule (or of a ceiling's schedule) a paced figure is on track.
    static let onTrackAllowance = 0.03
    /// Within this share of the schedule a paced figure is at risk; beyond it, off track.
    static let atRiskAllowance = 0.15
    /// A growth rate or a level outside a range by no more than this (in the figure's unit) is at risk.
    static let atRiskMargin = 1.0

    /// The verdict of the worse end; the floor's on a tie.
    let decisive: Verdict
    /// What the plan calls for by the latest point, on the scale of the points.
    let expectedByNow: Double?
    /// The latest figure over `expectedByNow`, both in figure terms.
    let progressRatio: Double?

    init(_ series: AssessedSeries) {
        let verdicts = series.requirement.bounds.map { Self.verdict(on: $0, series) }
        decisive = verdicts.dropFirst().reduce(verdicts[0]) { worst, next in
            next.status.severity > worst.status.severity ? next : worst
        }
        (expectedByNow, progressRatio) = Self.schedule(series)
    }

    private static func verdict(on bound: Bound, _ series: AssessedSeries) -> Verdict {
        switch series.spec.basis {
        case .cumulativeAmount, .count: accumulatingVerdict(on: bound, series)
        case .changeInPoints: changeVerdict(on: bound, series)
        case .growth: comparedVerdict(on: bound, series)
        case .level: series.requirement.isRange ? comparedVerdict(on: bound, series) : trendVerdict(on: bound, series)
        }
    }

    /// Totals and counts: a floor reached is met at once and a ceiling passed is missed at once; otherwise the year
    /// end decides, and before it the pace. The ends of a range are judged as a floor and a ceiling.
    private static func accumulatingVerdict(on bound: Bound, _ series: AssessedSeries) -> Verdict {
        let figure = series.latestFigure
        switch bound.side {
        case .lower:
            if bound.isSatisfied(by: figure) { return Verdict(status: .met, bound: bound, finding: .floorReached) }
            if series.isFinal { return Verdict(status: .missed, bound: bound, finding: .yearEnd) }
        case .upper:
            if !bound.isSatisfied(by: figure) { return Verdict(status: .missed, bound: bound, finding: .ceilingPassed) }
            if series.isFinal { return Verdict(status: .met, bound: bound, finding: .yearEnd) }
        }
        return pacedVerdict(on: bound, figure: figure, share: series.latestShare)
    }

    /// Changes in points: the year end decides. Before it, an end the change starts outside of (the goal: a decrease
    /// or an increase to make) is paced linearly; an end it starts inside of is a limit: inside on track, past it at risk.
    private static func changeVerdict(on bound: Bound, _ series: AssessedSeries) -> Verdict {
        let figure = series.latestFigure
        if series.isFinal { return yearEndVerdict(on: bound, figure: figure) }
        guard bound.isSatisfied(by: 0) else { return pacedVerdict(on: bound, figure: figure, share: series.latestShare) }
        return bound.isSatisfied(by: figure)
            ? Verdict(status: .onTrack, bound: bound, finding: .insideLimit)
            : Verdict(status: .atRisk, bound: bound, finding: .pastLimit)
    }

    /// Growth, and a level's range: the year end decides. Before it, satisfied is on track, outside by no more than
    /// `atRiskMargin` at risk, further off track.
    private static func comparedVerdict(on bound: Bound, _ series: AssessedSeries) -> Verdict {
        let figure = series.latestFigure
        if series.isFinal { return yearEndVerdict(on: bound, figure: figure) }
        let status: TargetStatus =
            if bound.isSatisfied(by: figure) { .onTrack }
            else if bound.shortfall(of: figure) <= atRiskMargin { .atRisk }
            else { .offTrack }
        return Verdict(status: status, bound: bound, finding: .compared)
    }

    /// A level with one end: the year end decides. Before it, the level is tested now and as projected to December at
    /// the monthly change between the last two points: both satisfied on track, one of them at risk, neither off track.
    private static func trendVerdict(on bound: Bound, _ series: AssessedSeries) -> Verdict {
        let figure = series.latestFigure
        if series.isFinal { return yearEndVerdict(on: bound, figure: figure) }
        let projected = series.latestMonthlyChange.map { figure + $0 * Double(series.monthsRemaining) }
        let satisfiedNow = bound.isSatisfied(by: figure)
        let satisfiedInDecember = projected.map(bound.isSatisfied(by:)) ?? satisfiedNow
        let status: TargetStatus =
            switch (satisfiedNow, satisfiedInDecember) {
            case (true, true): .onTrack
            case (false, false): .offTrack
            default: .atRisk
            }
        return Verdict(status: status, bound: bound, finding: .trend(projected: projected))
    }

    private static func yearEndVerdict(on bound: Bound, figure: Double) -> Verdict {
        Verdict(status: bound.isSatisfied(by: figure) ? .met : .missed, bound: bound, finding: .yearEnd)
    }

    /// The figure against the end pro-rated by `share`: behind (or, for a ceiling, ahead of) the schedule by no more
    /// than `onTrackAllowance` of it is on track, by no more than `atRiskAllowance` at risk, further off track.
    private static func pacedVerdict(on bound: Bound, figure: Double, share: Double) -> Verdict {
        let expected = bound.nominal * share
        let behindSchedule = bound.side == .lower ? expected - figure : figure - expected
        let status: TargetStatus =
            if behindSchedule <= onTrackAllowance * abs(expected) { .onTrack }
            else if behindSchedule <= atRiskAllowance * abs(expected) { .atRisk }
            else { .offTrack }
        return Verdict(status: status, bound: bound, finding: .paced(expected: expected))
    }

    /// What the plan calls for by now and the progress against it: the floor (or ceiling) pro-rated for totals,
    /// the goal end pro-rated linearly for a change in points, the value itself for growth and levels (none for a range).
    private static func schedule(_ series: AssessedSeries) -> (expected: Double?, ratio: Double?) {
        let expectedFigure: Double
        switch series.spec.basis {
        case .cumulativeAmount, .count:
            expectedFigure = series.requirement.bounds[0].nominal * series.latestShare
        case .changeInPoints:
            guard let goal = series.requirement.bounds.first(where: { !$0.isSatisfied(by: 0) }) else { return (nil, nil) }
            expectedFigure = goal.nominal * series.latestShare
        case .growth, .level:
            guard !series.requirement.isRange else { return (nil, nil) }
            expectedFigure = series.requirement.bounds[0].nominal
        }
        let ratio = expectedFigure == 0 ? nil : series.latestFigure / expectedFigure
        return (series.value(ofFigure: expectedFigure), ratio)
    }
}
