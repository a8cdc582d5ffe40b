import Foundation

/// A form of Vietnamese text for comparing names written in different ways.
///
/// Folds case (unless asked not to), the old and new placement of the tone mark on "oa", "oe" and "uy"
/// ("Uỷ"/"Ủy", "hoá"/"hóa"), dashes, and runs of white space into one space. ``sourceOffsets`` maps each key
/// character back to the source character it stands for. Keys compare by their characters only.
struct MatchingKey: Equatable {
    let characters: [Character]
    /// The same characters as a string, for fast searching.
    let string: String
    /// For each key character, the offset (in characters) of the source character it stands for.
    let sourceOffsets: [Int]

    init(_ text: some StringProtocol, foldingCase: Bool = true) {
        var folded: [Character] = []
        var offsets: [Int] = []
        for (offset, character) in text.precomposedStringWithCanonicalMapping.enumerated() {
            let replacement: Character
            if character.isWhitespace {
                guard folded.last != " " else { continue }
                replacement = " "
            } else if character == "–" || character == "—" {
                replacement = "-"
            } else if foldingCase {
                let lower = character.lowercased()
                replacement = lower.count == 1 ? Character(lower) : character
            } else {
                replacement = character
            }
            folded.append(replacement)
            offsets.append(offset)
        }
        for index in folded.indices.dropFirst() {
            if let moved = Self.newStyleTonePlacement(folded[index - 1], folded[index]) {
                folded[index - 1] = moved.0
                folded[index] = moved.1
            }
        }
        characters = folded
        string = String(folded)
        sourceOffsets = offsets
    }

    static func == (lhs: MatchingKey, rhs: MatchingKey) -> Bool {
        lhs.characters == rhs.characters
    }

    /// The source offset of key character `index`; the source length when `index` is the end of the key.
    func sourceOffset(ofKeyIndex index: Int, sourceLength: Int) -> Int {
        index < sourceOffsets.count ? sourceOffsets[index] : sourceLength
    }

    /// Whether the key holds `phrase` at `position`, not glued to a letter or digit on either side.
    func hasWord(_ phrase: MatchingKey, at position: Int) -> Bool {
        let end = position + phrase.characters.count
        guard end <= characters.count, characters[position..<end].elementsEqual(phrase.characters) else {
            return false
        }
        return isBoundary(before: position) && isBoundary(before: end)
    }

    /// Whether `position` is not inside a word: the characters on both sides are not both letters or digits.
    func isBoundary(before position: Int) -> Bool {
        guard position > 0, position < characters.count else { return true }
        return !(Self.isWordCharacter(characters[position - 1]) && Self.isWordCharacter(characters[position]))
    }

    /// Whether the key contains `phrase` as a whole word or phrase anywhere.
    func containsWord(_ phrase: MatchingKey) -> Bool {
        firstOffset(ofWord: phrase) != nil
    }

    /// Where `phrase` first occurs as a whole word or phrase.
    func firstOffset(ofWord phrase: MatchingKey) -> Int? {
        guard !phrase.string.isEmpty else { return nil }
        var searchStart = string.startIndex
        while let found = string.range(of: phrase.string, options: .literal, range: searchStart..<string.endIndex) {
            let offset = string.distance(from: string.startIndex, to: found.lowerBound)
            if isBoundary(before: offset), isBoundary(before: offset + phrase.characters.count) {
                return offset
            }
            searchStart = string.index(after: found.lowerBound)
        }
        return nil
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// "oà" → "òa", "oé" → "óe", "uỷ" → "ủy": the tone mark moved to the first vowel, in both cases.
    private static func newStyleTonePlacement(_ first: Character, _ second: Character) -> (Character, Character)? {
        guard let moves = toneMoves[first], let tone = moves.firstIndex(where: { $0.toned == second }) else { return nil }
        return (moves[tone].marked, moves[tone].plain)
    }

    /// For each vowel that can come first, the old-style pairs it forms: toned second vowel → marked first vowel + plain second.
    private static let toneMoves: [Character: [(toned: Character, marked: Character, plain: Character)]] = {
        let marks: [(vowel: Character, marked: [Character])] = [
            ("o", ["ò", "ó", "ỏ", "õ", "ọ"]), ("u", ["ù", "ú", "ủ", "ũ", "ụ"]),
            ("O", ["Ò", "Ó", "Ỏ", "Õ", "Ọ"]), ("U", ["Ù", "Ú", "Ủ", "Ũ", "Ụ"]),
        ]
        let followers: [Character: [(plain: Character, toned: [Character])]] = [
            "o": [("a", ["à", "á", "ả", "ã", "ạ"]), ("e", ["è", "é", "ẻ", "ẽ", "ẹ"])],
            "u": [("y", ["ỳ", "ý", "ỷ", "ỹ", "ỵ"])],
        ]
        var table: [Character: [(toned: Character, marked: Character, plain: Character)]] = [:]
        for (vowel, marked) in marks {
            for follower in followers[Character(vowel.lowercased())] ?? [] {
                for (tone, toned) in follower.toned.enumerated() {
                    table[vowel, default: []].append((toned, marked[tone], follower.plain))
                }
            }
        }
        return table
    }()
}

/// A compiled regular expression (ICU syntax) with results as Swift strings.
struct Pattern: Sendable {
    private let expression: NSRegularExpression

    /// Compiles a pattern written in this module; a bad pattern is a programming error.
    init(_ pattern: String, caseInsensitive: Bool = true) {
        do {
            expression = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            preconditionFailure("invalid pattern \(pattern): \(error)")
        }
    }

    func firstMatch(in text: String) -> PatternMatch? {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).map { PatternMatch(result: $0, text: text) }
    }

    func matches(in text: String) -> [PatternMatch] {
        expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { PatternMatch(result: $0, text: text) }
    }
}

/// One match of a ``Pattern``.
struct PatternMatch {
    /// The whole match.
    let range: Range<String.Index>
    private let groups: [Range<String.Index>?]
    private let text: String

    fileprivate init(result: NSTextCheckingResult, text: String) {
        self.text = text
        range = Range(result.range, in: text)!
        groups = (0..<result.numberOfRanges).map { Range(result.range(at: $0), in: text) }
    }

    /// The whole matched text.
    var matched: String { String(text[range]) }

    /// The text of capture group `index`, `nil` when the group did not take part or the pattern has no such group.
    subscript(index: Int) -> String? {
        range(ofGroup: index).map { String(text[$0]) }
    }

    /// The range of capture group `index`, `nil` when the group did not take part or the pattern has no such group.
    func range(ofGroup index: Int) -> Range<String.Index>? {
        groups.indices.contains(index) ? groups[index] : nil
    }
}
