import Foundation

/// Reads one target line, "(n) …", into a ``Target``.
///
/// A line is split into clauses: an optional "Name:" list head, then the lead part and the "trong đó" (of which)
/// breakdowns, each cut at ";". Every clause must hold a number followed by a known unit; the words just before the
/// number give the comparator, the words around it the name.
struct TargetLineReader {
    let number: Int
    let category: TargetCategory?
    let line: SourceLine

    /// `body` is the line without "(n)".
    func read(body: String) throws(DirectiveParseError) -> Target {
        let body = body.trimmingCharacters(in: Self.clauseTrim)
        guard !body.isEmpty else {
            throw unreadable("(\(number)) has no text")
        }
        var listName: String?
        var rest = body
        if let colon = Self.listColon(in: body) {
            listName = String(body[..<colon]).trimmingCharacters(in: Self.clauseTrim)
            rest = String(body[body.index(after: colon)...])
        }
        let segments = Self.splitAtBreakdowns(rest).map { Self.splitTopLevel($0, at: ";") }
        let leadClauses = try segments[0].map { (text) throws(DirectiveParseError) in try readClause(text, context: listName) }
        guard !leadClauses.isEmpty else {
            throw unreadable("(\(number)) has no value before “trong đó”")
        }
        let leadName = leadClauses.count == 1 ? leadClauses[0].name : listName
        var breakdownClauses: [Clause] = []
        for text in segments.dropFirst().joined() {
            breakdownClauses.append(try readClause(text, context: leadName))
        }

        let name: String
        let measure: Measure?
        let parts: [Clause]
        if let listName {
            (name, measure, parts) = (listName, nil, leadClauses + breakdownClauses)
        } else if leadClauses.count == 1 {
            (name, measure, parts) = (leadClauses[0].name, leadClauses[0].measure, breakdownClauses)
        } else {
            (name, measure, parts) = (leadClauses.map(\.name).joined(separator: "; "), nil, leadClauses + breakdownClauses)
        }
        let subTargets = parts.enumerated().map { index, clause in
            SubTarget(id: "\(number).\(Self.letter(index))", name: clause.name, measure: clause.measure, sourceText: clause.sourceText)
        }
        return Target(
            number: number, category: category, name: name, measure: measure, subTargets: subTargets,
            sourceText: line.text, line: line.number)
    }

    // MARK: Clauses

    private struct Clause {
        let name: String
        let measure: Measure
        let sourceText: String
    }

    private func readClause(_ rawText: String, context: String?) throws(DirectiveParseError) -> Clause {
        let text = rawText.trimmingCharacters(in: Self.clauseTrim)
        guard !text.isEmpty else {
            throw unreadable("(\(number)) has an empty clause")
        }
        var unknownUnitAfter: (number: String, following: String)?
        for match in Self.quantity.matches(in: text) where Self.parenthesisDepth(in: text, before: match.range.lowerBound) == 0 {
            guard let unit = Self.unit(in: text, at: match.range.upperBound) else {
                if unknownUnitAfter == nil {
                    unknownUnitAfter = (match.matched, Self.followingWords(in: text, after: match.range.upperBound))
                }
                continue
            }
            return try clause(text, quantity: match, unit: unit, context: context)
        }
        guard let unknownUnitAfter else {
            throw unreadable("(\(number)) has no number in “\(text)”")
        }
        guard !unknownUnitAfter.following.isEmpty else {
            throw unreadable("(\(number)) has no unit after \(unknownUnitAfter.number)")
        }
        throw DirectiveParseError(.unknownUnit(unknownUnitAfter.following), line: line.number, text: line.text)
    }

    private func clause(
        _ text: String, quantity: PatternMatch, unit: (unit: MeasureUnit, end: String.Index), context: String?
    ) throws(DirectiveParseError) -> Clause {
        guard let low = quantity[1].flatMap(VietnameseNumber.decimal(from:)) else {
            throw unreadable("(\(number)) has an unreadable number “\(quantity.matched)”")
        }
        let value: TargetValue
        if let highText = quantity[2] {
            guard let high = VietnameseNumber.decimal(from: highText), high >= low else {
                throw unreadable("(\(number)) has an unreadable range “\(quantity.matched)”")
            }
            value = .range(low: low, high: high)
        } else {
            value = .exact(low)
        }

        var lead = String(text[..<quantity.range.lowerBound]).trimmingCharacters(in: .whitespaces)
        var trailing = String(text[unit.end...]).trimmingCharacters(in: .whitespaces)
        var comparator = TargetComparator.unqualified
        var comparatorText = ""
        var keptWords = ""
        for (pattern, candidate) in Self.comparators {
            guard let match = pattern.firstMatch(in: lead), let words = match.range(ofGroup: 1) else { continue }
            if candidate == .atLeast, lead[words].hasSuffix("từ") {
                guard let upward = Self.upwardMarker.firstMatch(in: trailing) else { continue }
                trailing = String(trailing[upward.range.upperBound...]).trimmingCharacters(in: .whitespaces)
                comparatorText = lead[words] + " … " + upward.matched
            } else {
                comparatorText = String(lead[words])
            }
            comparator = candidate
            keptWords = match[2] ?? ""
            lead = String(lead[..<words.lowerBound])
            break
        }

        if let filler = Self.leadingFiller.firstMatch(in: lead) {
            lead = String(lead[filler.range.upperBound...])
        }
        if let comparison = Self.comparisonYear.firstMatch(in: trailing) {
            trailing.removeSubrange(comparison.range)
        }
        let nameParts = [lead, keptWords, unit.unit.code.isCountedNoun ? unit.unit.text : "", trailing]
        let name = nameParts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            .trimmingCharacters(in: Self.clauseTrim)
        let basis = Self.basis(
            comparator: comparator, comparatorText: comparatorText, unit: unit.unit.code, clause: text,
            names: [name, context ?? ""])
        return Clause(
            name: name,
            measure: Measure(comparator: comparator, comparatorText: comparatorText, value: value, unit: unit.unit, basis: basis),
            sourceText: text)
    }

    private static func basis(
        comparator: TargetComparator, comparatorText: String, unit: UnitCode, clause: String, names: [String]
    ) -> MeasureBasis {
        let textKey = MatchingKey(comparatorText).string
        let isChange = comparator == .increase || comparator == .decrease || textKey.hasPrefix("tăng") || textKey.hasPrefix("giảm")
        let isRate = names.contains { name in
            let key = MatchingKey(name).string
            return key.hasPrefix("tỷ lệ") || key.hasPrefix("tỉ lệ")
        }
        switch unit {
        case .percent:
            guard isChange else { return .level }
            return isRate ? .changeInPercentagePoints : .growthOverPreviousYear
        case .communes:
            return .count
        case .criteria:
            return .level
        default:
            return MatchingKey(clause).containsWord(MatchingKey("bình quân")) ? .level : .cumulativeAmountForYear
        }
    }

    // MARK: Patterns and helpers

    private static let clauseTrim = CharacterSet.whitespaces.union(CharacterSet(charactersIn: ";.,:"))

    /// A number or a range "22 - 23", not glued to letters or other digits.
    private static let quantity = Pattern(
        #"(?<![\p{L}\p{N}.,/])("# + VietnameseNumber.pattern + #")(?:\s*[-–]\s*("# + VietnameseNumber.pattern
            + #"))?(?![\p{N}]|[.,]\p{N})"#)

    /// "trở lên" right after the unit, closing "từ … trở lên".
    private static let upwardMarker = Pattern(#"^trở\s+lên"#)

    /// "phấn đấu" (strive to) opening a clause: not part of the name.
    private static let leadingFiller = Pattern(#"^phấn\s+đấu\s+"#)

    /// "so với năm 2017" (compared with 2017): said by the basis, not part of the name.
    private static let comparisonYear = Pattern(#"(?:^|\s)so\s+với\s+(?:cùng\s+kỳ\s+)?năm\s+\d{4}"#)

    /// "trong đó" (of which), with the comma before and colon after.
    private static let breakdownMarker = Pattern(#"\s*,?\s*trong\s+đó\s*:?\s*"#)

    /// Comparator words at the end of the text before the number: group 1 is the words, group 2 words kept in the name.
    private static let comparators: [(Pattern, TargetComparator)] = {
        let direction = #"(?:(?:đạt|tăng|giảm)\s+)?"#
        return [
            (Pattern(#"(?:^|\s)((?:(?:tăng|giảm)\s+)?từ)$"#), .atLeast),
            (Pattern(#"(?:^|\s)("# + direction + #"(?:ít\s+nhất|tối\s+thiểu))$"#), .atLeast),
            (Pattern(#"(?:^|\s)("# + direction + #"khoảng)$"#), .about),
            (Pattern(#"(?:^|\s)(ở\s+mức)$"#), .at),
            (Pattern(#"(?:^|\s)("# + direction + #"trên)$"#), .moreThan),
            (Pattern(#"(?:^|\s)("# + direction + #"dưới)$"#), .lessThan),
            (Pattern(#"(?:^|\s)(tăng\s+thêm|có\s+thêm|thêm|tăng)$"#), .increase),
            (Pattern(#"(?:^|\s)(giảm)$"#), .decrease),
            (Pattern(#"(?:^|\s)(đạt)(\s+bình\s+quân)?$"#), .reach),
            (Pattern(#"(?:^|\s)(là)$"#), .unqualified),
        ]
    }()

    /// Unit spellings, longest first, with their codes.
    private static let unitSpellings: [(key: MatchingKey, code: UnitCode)] = UnitCode.allCases
        .flatMap { code in code.vietnameseSpellings.map { (MatchingKey($0), code) } }
        .sorted { $0.0.characters.count > $1.0.characters.count }

    /// The unit written at `index` (after optional spaces), and where it ends.
    private static func unit(in text: String, at index: String.Index) -> (unit: MeasureUnit, end: String.Index)? {
        let key = MatchingKey(text)
        let offset = text.distance(from: text.startIndex, to: index)
        guard var start = key.sourceOffsets.firstIndex(where: { $0 >= offset }) else { return nil }
        if key.characters[start] == " " {
            start += 1
        }
        for spelling in unitSpellings {
            let length = spelling.key.characters.count
            guard start + length <= key.characters.count,
                key.characters[start..<(start + length)].elementsEqual(spelling.key.characters),
                spelling.key.characters.last?.isLetter == false || key.isBoundary(before: start + length)
            else { continue }
            let unitStart = text.index(text.startIndex, offsetBy: key.sourceOffsets[start])
            let unitEnd = text.index(text.startIndex, offsetBy: key.sourceOffsets[start + length - 1] + 1)
            return (MeasureUnit(code: spelling.code, text: String(text[unitStart..<unitEnd])), unitEnd)
        }
        return nil
    }

    /// Up to two words after a number, for an unknown-unit message.
    private static func followingWords(in text: String, after index: String.Index) -> String {
        let words = text[index...].split(whereSeparator: { $0.isWhitespace }).prefix(2)
        var taken: [Substring] = []
        for word in words {
            let trimmed = word.prefix { !",;:.()".contains($0) }
            if !trimmed.isEmpty { taken.append(trimmed) }
            if trimmed.count < word.count { break }
        }
        return taken.joined(separator: " ")
    }

    /// The colon of a "Name: a; b" list: the first colon outside parentheses with no digit before it.
    private static func listColon(in text: String) -> String.Index? {
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case ":" where depth == 0: return index
            case let character where depth == 0 && character.isNumber: return nil
            default: break
            }
        }
        return nil
    }

    /// The text cut at each "trong đó".
    private static func splitAtBreakdowns(_ text: String) -> [String] {
        var parts: [String] = []
        var start = text.startIndex
        for match in breakdownMarker.matches(in: text) {
            parts.append(String(text[start..<match.range.lowerBound]))
            start = match.range.upperBound
        }
        parts.append(String(text[start...]))
        return parts
    }

    /// The text cut at `separator` outside parentheses, empty parts dropped.
    private static func splitTopLevel(_ text: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth = max(0, depth - 1) }
            if character == separator && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.filter { !$0.trimmingCharacters(in: clauseTrim).isEmpty }
    }

    private static func parenthesisDepth(in text: String, before index: String.Index) -> Int {
        text[..<index].reduce(0) { depth, character in
            character == "(" ? depth + 1 : character == ")" ? max(0, depth - 1) : depth
        }
    }

    /// "a" for the first part, "b" for the second …; past "z", the part's 1-based position.
    private static func letter(_ index: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return index < letters.count ? String(letters[index]) : String(index + 1)
    }

    private func unreadable(_ why: String) -> DirectiveParseError {
        DirectiveParseError(.unreadableTarget(why), line: line.number, text: line.text)
    }
}
