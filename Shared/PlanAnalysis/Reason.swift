/// The reason for a verdict in Vietnamese and English sentences that name the figures.
struct Reason {
    let vietnamese: String
    let english: String

    /// The reason when no point has been reported up to `month`.
    static func noData(throughMonth month: Int) -> Reason {
        Reason(
            vietnamese: "Chưa có số liệu đến tháng \(month).",
            english: "No figures reported up to month \(month).")
    }

    private init(vietnamese: String, english: String) {
        self.vietnamese = vietnamese
        self.english = english
    }

    /// The reason for `verdict`: what the latest point says, then how it compares with the target.
    init(_ verdict: Verdict, _ series: AssessedSeries) {
        let writer = ReasonWriter(series: series)
        self.init(
            vietnamese: writer.observationVi() + writer.findingVi(verdict),
            english: writer.observationEn() + writer.findingEn(verdict))
    }
}

/// Writes the parts of a reason for one series.
private struct ReasonWriter {
    let series: AssessedSeries

    private var spec: TargetSpec { series.spec }
    private var latest: MonthlyPoint { series.latest }
    private var figure: Double { series.latestFigure }

    // MARK: What the latest point says

    func observationVi() -> String {
        let month = latest.month
        switch spec.basis {
        case .cumulativeAmount, .count:
            return (series.isFinal ? "Cả năm" : "Lũy kế \(month) tháng") + " đạt \(amount(latest.value, .vietnamese))"
        case .growth:
            let direction = latest.value < 0 ? "giảm" : "tăng"
            return (series.isFinal ? "Cả năm" : "Lũy kế \(month) tháng")
                + " \(direction) \(amount(abs(latest.value), .vietnamese)) so với cùng kỳ"
        case .level:
            return "Tháng \(month) ở mức \(amount(latest.value, .vietnamese))"
        case .changeInPoints:
            let movement =
                figure == 0 ? "không đổi" : "\(figure < 0 ? "giảm" : "tăng") \(points(abs(figure), .vietnamese))"
            return "Tháng \(month) ở mức \(amount(latest.value, .vietnamese)), \(movement) so với đầu năm "
                + "(\(amount(spec.startOfYearLevel ?? 0, .vietnamese)))"
        }
    }

    func observationEn() -> String {
        let month = latest.month
        let months = month == 1 ? "1 month" : "\(month) months"
        switch spec.basis {
        case .cumulativeAmount, .count:
            return (series.isFinal ? "The full-year total" : "The year-to-date total for \(months)")
                + " is \(amount(latest.value, .english))"
        case .growth:
            return (series.isFinal ? "Full-year growth" : "Year-to-date growth for \(months)")
                + " is \(amount(latest.value, .english)) over the same period last year"
        case .level:
            return "In month \(month) the level is \(amount(latest.value, .english))"
        case .changeInPoints:
            let movement =
                figure == 0 ? "unchanged from" : "\(figure < 0 ? "down" : "up") \(points(abs(figure), .english)) from"
            return "In month \(month) the level is \(amount(latest.value, .english)), \(movement) "
                + "\(amount(spec.startOfYearLevel ?? 0, .english)) at the start of the year"
        }
    }

    // MARK: How it compares with the target

    func findingVi(_ verdict: Verdict) -> String {
        let bound = verdict.bound
        let target = requirement(.vietnamese)
        switch verdict.finding {
        case .floorReached:
            return planShareVi(bound) + ": đã đạt chỉ tiêu (\(target))."
        case .yearEnd:
            return planShareVi(bound) + (verdict.status == .met ? ": đạt" : ": không đạt") + " chỉ tiêu (\(target))."
        case .ceilingPassed:
            return ": đã vượt mức \(amount(bound.nominal, .vietnamese)) của chỉ tiêu (\(target)), không thể đạt."
        case .paced(let expected) where spec.basis.accumulates:
            let schedule = series.profile == nil ? "theo tiến độ" : "theo tiến độ năm trước"
            let share = percent(series.latestShare, .vietnamese)
            let expectedText = amount(expected, .vietnamese)
            return bound.side == .lower
                ? planShareVi(bound) + "; \(schedule) cần \(share) (\(expectedText))."
                : ceilingShareVi(bound) + "; \(schedule) không quá \(share) (\(expectedText))."
        case .paced(let expected):
            let movement = expected < 0 ? "giảm" : "tăng"
            return "; chỉ tiêu cả năm \(target), theo tiến độ đến tháng \(latest.month) cần \(movement) "
                + "\(points(abs(expected), .vietnamese)) (mức \(amount(series.value(ofFigure: expected), .vietnamese)))."
        case .compared:
            if bound.isSatisfied(by: figure) { return "; chỉ tiêu \(target): đang đạt." }
            let gap = bound.shortfall(of: figure)
            if gap == 0 { return "; chỉ tiêu \(target): mới bằng mức chỉ tiêu, chưa đạt." }
            return "; chỉ tiêu \(target): \(bound.side == .lower ? "còn thiếu" : "vượt") \(points(gap, .vietnamese))."
        case .trend(let projected):
            let now = "; chỉ tiêu \(target): " + (bound.isSatisfied(by: figure) ? "đang đạt" : "chưa đạt")
            guard let projected else { return now + "." }
            return now + "; theo xu hướng tháng gần nhất, tháng 12 sẽ ở mức \(amount(projected, .vietnamese)) "
                + (bound.isSatisfied(by: projected) ? "(đạt)." : "(không đạt).")
        case .insideLimit:
            return "; chỉ tiêu \(target): chưa vượt giới hạn."
        case .pastLimit:
            return "; chỉ tiêu \(target): đang vượt giới hạn."
        }
    }

    func findingEn(_ verdict: Verdict) -> String {
        let bound = verdict.bound
        let target = requirement(.english)
        switch verdict.finding {
        case .floorReached:
            return planShareEn(bound) + ": the target (\(target)) is already met."
        case .yearEnd:
            return planShareEn(bound) + ": the target (\(target)) " + (verdict.status == .met ? "is met." : "was not met.")
        case .ceilingPassed:
            return ": already above the \(amount(bound.nominal, .english)) set by the target (\(target)), "
                + "so it can no longer be met."
        case .paced(let expected) where spec.basis.accumulates:
            let schedule = series.profile == nil ? "the schedule" : "last year's pace"
            let share = percent(series.latestShare, .english)
            let expectedText = amount(expected, .english)
            return bound.side == .lower
                ? planShareEn(bound) + "; \(schedule) calls for \(share) (\(expectedText))."
                : ceilingShareEn(bound) + "; \(schedule) allows \(share) (\(expectedText))."
        case .paced(let expected):
            let movement = expected < 0 ? "a decrease" : "an increase"
            return "; the annual target is \(target), and by month \(latest.month) the schedule calls for \(movement) of "
                + "\(points(abs(expected), .english)) (a level of \(amount(series.value(ofFigure: expected), .english)))."
        case .compared:
            if bound.isSatisfied(by: figure) { return "; the target is \(target): met so far." }
            let gap = bound.shortfall(of: figure)
            if gap == 0 { return "; the target is \(target): level with it, not past it." }
            return "; the target is \(target): \(bound.side == .lower ? "short" : "over") by \(points(gap, .english))."
        case .trend(let projected):
            let now = "; the target is \(target): " + (bound.isSatisfied(by: figure) ? "met so far" : "not met yet")
            guard let projected else { return now + "." }
            return now + "; at the latest monthly change the level would be \(amount(projected, .english)) in December "
                + (bound.isSatisfied(by: projected) ? "(meeting it)." : "(missing it).")
        case .insideLimit:
            return "; the target is \(target): within its limit so far."
        case .pastLimit:
            return "; the target is \(target): currently past its limit."
        }
    }

    /// ", bằng 47,6% kế hoạch năm" for a total against its floor; empty otherwise.
    private func planShareVi(_ bound: Bound) -> String {
        guard spec.basis.accumulates, bound.side == .lower, bound.nominal != 0 else { return "" }
        return ", bằng \(percent(figure / bound.nominal, .vietnamese)) kế hoạch năm"
    }

    /// ", 47.6% of the annual plan" for a total against its floor; empty otherwise.
    private func planShareEn(_ bound: Bound) -> String {
        guard spec.basis.accumulates, bound.side == .lower, bound.nominal != 0 else { return "" }
        return ", \(percent(figure / bound.nominal, .english)) of the annual plan"
    }

    /// ", bằng 54% mức trần cả năm (dưới 1.000 tỷ đồng)" for a total against its ceiling.
    private func ceilingShareVi(_ bound: Bound) -> String {
        let share = bound.nominal == 0 ? ", so với" : ", bằng \(percent(figure / bound.nominal, .vietnamese))"
        return share + " mức trần cả năm (\(requirement(.vietnamese)))"
    }

    /// ", 54% of the annual ceiling (less than 1,000 tỷ đồng)" for a total against its ceiling.
    private func ceilingShareEn(_ bound: Bound) -> String {
        let share = bound.nominal == 0 ? ", against" : ", \(percent(figure / bound.nominal, .english)) of"
        return share + " the annual ceiling (\(requirement(.english)))"
    }

    // MARK: Numbers

    /// What the target asks, as written: "từ 15% trở lên", "at least 15%".
    private func requirement(_ style: NumberStyle) -> String {
        let value = amount(spec.value ?? 0, style)
        let vietnamese = style == .vietnamese
        switch spec.comparator {
        case .atLeast: return vietnamese ? "từ \(value) trở lên" : "at least \(value)"
        case .reach: return vietnamese ? "đạt \(value)" : value
        case .about: return vietnamese ? "khoảng \(value)" : "about \(value)"
        case .at: return vietnamese ? "ở mức \(value)" : "at \(value)"
        case .increaseBy: return vietnamese ? "tăng \(value)" : "an increase of \(value)"
        case .decreaseBy: return vietnamese ? "giảm \(value)" : "a decrease of \(value)"
        case .moreThan: return vietnamese ? "trên \(value)" : "more than \(value)"
        case .lessThan: return vietnamese ? "dưới \(value)" : "less than \(value)"
        case .range(let low, let high):
            return vietnamese
                ? "từ \(amount(low, style)) đến \(amount(high, style))" : "from \(amount(low, style)) to \(amount(high, style))"
        }
    }

    /// A number with the target's unit: "50,96 triệu tấn", "16,03%".
    private func amount(_ value: Double, _ style: NumberStyle) -> String {
        let number = style.format(value)
        if spec.unit.isEmpty { return number }
        return spec.unit.hasPrefix("%") ? number + spec.unit : number + " " + spec.unit
    }

    /// A difference between two figures: in percentage points for a unit of "%", in the unit otherwise.
    private func points(_ difference: Double, _ style: NumberStyle) -> String {
        guard spec.unit == "%" else { return amount(difference, style) }
        let number = style.format(difference)
        switch style {
        case .vietnamese: return "\(number) điểm phần trăm"
        case .english: return number == "1" ? "1 percentage point" : "\(number) percentage points"
        }
    }

    /// A share as a percentage with one decimal: 0.476 → "47,6%".
    private func percent(_ share: Double, _ style: NumberStyle) -> String {
        style.format(share * 100, maximumFractionDigits: 1) + "%"
    }
}
