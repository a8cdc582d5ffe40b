/// Reads when a task is due from the time phrases in its text.
///
/// The first phrase in the text wins. Dates before the plan year ("có hiệu lực từ ngày 01/07/2017") refer to earlier
/// documents and are ignored; a phrase without a year means the plan year. No phrase: 31 December, flagged as defaulted.
struct TaskTimingReader {
    let year: Int

    func timing(of text: String) -> TaskTiming {
        var earliest: (offset: String.Index, timing: TaskTiming)?
        for rule in Self.rules {
            for match in rule.pattern.matches(in: text) {
                guard earliest.map({ match.range.lowerBound < $0.offset }) ?? true,
                    let (due, starts) = rule.read(match, year)
                else { continue }
                let phrase = match.matched.trimmingCharacters(in: .whitespaces)
                earliest = (
                    match.range.lowerBound,
                    TaskTiming(due: due, kind: rule.kind, isDefaulted: false, starts: starts, phrase: phrase)
                )
                break
            }
        }
        return earliest?.timing
            ?? TaskTiming(due: .lastDay(ofMonth: 12, year: year), kind: .endOfYear, isDefaulted: true, starts: nil, phrase: nil)
    }

    private struct Rule: Sendable {
        let pattern: Pattern
        let kind: DueDateKind
        /// The due day and start day a match stands for in a plan year, `nil` when the match is not a usable date.
        let read: @Sendable (PatternMatch, Int) -> (due: CalendarDay, starts: CalendarDay?)?
    }

    private static let rules: [Rule] = [
        Rule(pattern: Pattern(#"trước\s+ngày\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?"#), kind: .deadline) { match, year in
            day(match, year: year).map { ($0, nil) }
        },
        Rule(pattern: Pattern(#"từ\s+ngày\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?"#), kind: .startDate) { match, year in
            day(match, year: year).map { ($0, $0) }
        },
        Rule(pattern: Pattern(#"từ\s+đầu\s+năm\s+(\d{4})"#), kind: .startDate) { match, year in
            resolvedYear(written: match[1], planYear: year).flatMap { CalendarDay(year: $0, month: 1, day: 1) }.map { ($0, $0) }
        },
        Rule(pattern: Pattern(#"(?:trong\s+)?quý\s+(IV|III|II|I|[1-4])(?![\p{L}\p{N}])(?:\s*(?:/|năm)\s*(\d{4}))?"#), kind: .endOfQuarter) {
            match, year in
            let quarters = ["I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4]
            guard let quarter = match[1].flatMap({ quarters[$0.uppercased()] }),
                let phraseYear = resolvedYear(written: match[2], planYear: year)
            else { return nil }
            return (.lastDay(ofMonth: quarter * 3, year: phraseYear), nil)
        },
        Rule(pattern: Pattern(#"tháng\s+(\d{1,2})\s*(?:/|năm)\s*(\d{4})|trong\s+tháng\s+(\d{1,2})(?![\p{N}/])"#), kind: .endOfMonth) {
            match, year in
            guard let month = (match[1] ?? match[3]).flatMap({ Int($0) }), (1...12).contains(month),
                let phraseYear = resolvedYear(written: match[2], planYear: year)
            else { return nil }
            return (.lastDay(ofMonth: month, year: phraseYear), nil)
        },
        Rule(pattern: Pattern(#"(?:6|sáu)\s+tháng\s+đầu\s+năm(?:\s+(\d{4}))?"#), kind: .endOfHalfYear) { match, year in
            guard let phraseYear = resolvedYear(written: match[1], planYear: year) else { return nil }
            return (.lastDay(ofMonth: 6, year: phraseYear), nil)
        },
        Rule(pattern: Pattern(#"(?:(?:6|sáu)\s+tháng\s+cuối|đến\s+hết|trong|cuối)\s+năm(?:\s+(\d{4}))"#), kind: .endOfYear) {
            match, year in
            guard let phraseYear = resolvedYear(written: match[1], planYear: year) else { return nil }
            return (.lastDay(ofMonth: 12, year: phraseYear), nil)
        },
    ]

    /// The day of a "d/m[/yyyy]" match, in the plan year when no year is written.
    private static func day(_ match: PatternMatch, year: Int) -> CalendarDay? {
        guard let day = match[1].flatMap({ Int($0) }), let month = match[2].flatMap({ Int($0) }),
            let dayYear = resolvedYear(written: match[3], planYear: year)
        else { return nil }
        return CalendarDay(year: dayYear, month: month, day: day)
    }

    /// The year a phrase refers to: the written year when it is the plan year or later, the plan year when none is
    /// written, `nil` for an earlier year.
    private static func resolvedYear(written: String?, planYear: Int) -> Int? {
        guard let written else { return planYear }
        guard let value = Int(written), value >= planYear else { return nil }
        return value
    }
}
