import Foundation

/// Reads the text of a People's Committee's annual directive (Vietnamese, UTF-8) into a ``Directive``.
///
/// The text is expected in the shape these directives share: optional issuer lines, "CHỈ THỊ", the title with
/// "NĂM yyyy", a preamble with the theme and the numbered targets "(1)"…"(n)" under lettered group headings,
/// "Phần thứ nhất" with Roman-numbered sections, numbered lead-agency blocks and "- " tasks, then "Phần thứ hai"
/// with the reporting arrangements, up to "Nơi nhận".
///
/// Counting rules: every "N. …" line inside a section is one block, whatever the number of agencies it names; every
/// "- " line is one task; a line without a dash inside a block is one paragraph task. Lines before "Phần thứ nhất"
/// other than targets, and lines from "Nơi nhận" on, are not tasks.
public struct DirectiveTextParser: Sendable {
    /// Resolves the agency names of block headings; an unknown name is an error.
    public let agencies: AgencyRegistry
    /// The districts looked for in task texts.
    public let districts: DistrictCatalog
    /// The key projects looked for in task texts.
    public let keyProjects: KeyProjectCatalog

    /// Creates a parser over reference data, by default the data bundled with this module.
    public init(
        agencies: AgencyRegistry = .default, districts: DistrictCatalog = .default, keyProjects: KeyProjectCatalog = .default
    ) {
        self.agencies = agencies
        self.districts = districts
        self.keyProjects = keyProjects
    }

    /// Parses directive bytes: strict UTF-8 (a byte order mark is dropped), any line ending, normalised to NFC.
    public func parse(_ data: Data) throws(DirectiveParseError) -> Directive {
        try parse(text: SourceText.decode(data))
    }

    /// Parses directive text; it is normalised to NFC first, so composed and decomposed input give the same result.
    public func parse(text: String) throws(DirectiveParseError) -> Directive {
        let lines = SourceText.lines(of: text.precomposedStringWithCanonicalMapping)
        let outline = try DocumentOutline(lines: lines)
        let title = try readTitle(outline.titleLines, heading: outline.heading)
        let targets = try readTargets(outline.preamble)
        let partOne = try readPartOne(outline.partOne, year: title.year)
        let calendar = ReportingCalendarReader(agencies: agencies).obligations(in: Self.partTwoItems(outline.partTwo))
        return Directive(
            issuer: Self.issuer(headerLines: outline.headerLines, body: lines),
            year: title.year,
            title: title.text,
            theme: Self.theme(in: outline.preamble),
            targets: targets,
            sections: partOne.sections,
            blocks: partOne.blocks,
            tasks: partOne.tasks,
            reportingCalendar: calendar)
    }

    // MARK: Title and header

    private func readTitle(_ titleLines: [SourceLine], heading: SourceLine) throws(DirectiveParseError) -> (text: String, year: Int) {
        let text = titleLines.map(\.text).joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        guard let year = Self.yearInTitle.matches(in: text).last.flatMap({ $0[1] }).flatMap({ Int($0) }) else {
            throw DirectiveParseError(.missingYear, line: titleLines.first?.number ?? heading.number, text: text)
        }
        return (text, year)
    }

    private static func theme(in preamble: [SourceLine]) -> String? {
        preamble.lazy.compactMap { themePattern.firstMatch(in: $0.text)?[1] }.first
    }

    /// The issuer from the lines above "CHỈ THỊ" ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HẢI PHÒNG"), or else from the most
    /// frequent "thành phố …"/"tỉnh …" in the body.
    private static func issuer(headerLines: [SourceLine], body: [SourceLine]) -> Issuer {
        for (index, line) in headerLines.enumerated() {
            guard let match = issuerLine.firstMatch(in: line.text) else { continue }
            var rest = match[1] ?? ""
            if rest.isEmpty, index + 1 < headerLines.count {
                rest = headerLines[index + 1].text
            }
            if let locality = localityPrefix.firstMatch(in: rest), let kindText = locality[1], let name = locality[2] {
                let kind = MatchingKey(kindText).string
                let capitalized = name.lowercased().capitalized(with: Locale(identifier: "vi_VN"))
                return Issuer(
                    name: "Ủy ban nhân dân \(kind) \(capitalized)", localityKind: kind, locality: capitalized, localitySource: .issuerLine)
            }
        }
        var counts: [String: (kind: String, count: Int, first: Int)] = [:]
        for line in body {
            for match in localityMention.matches(in: line.text) {
                guard let kindText = match[1], let name = match[2] else { continue }
                let entry = counts[name] ?? (MatchingKey(kindText).string, 0, line.number)
                counts[name] = (entry.kind, entry.count + 1, entry.first)
            }
        }
        guard let best = counts.max(by: { ($0.value.count, -$0.value.first) < ($1.value.count, -$1.value.first) }) else {
            return Issuer(name: "Ủy ban nhân dân thành phố", localityKind: "thành phố", locality: nil, localitySource: nil)
        }
        return Issuer(
            name: "Ủy ban nhân dân \(best.value.kind) \(best.key)", localityKind: best.value.kind, locality: best.key,
            localitySource: .bodyMentions)
    }

    // MARK: Targets

    /// The targets: "(n) …" lines under lettered group headings, from the first of them to the first other line.
    /// A target or heading after such a line means the block of targets is broken, and is an error.
    private func readTargets(_ preamble: [SourceLine]) throws(DirectiveParseError) -> [Target] {
        var targets: [Target] = []
        var category: TargetCategory?
        var started = false
        var firstLineAfterTargets: SourceLine?
        for line in preamble where !line.text.isEmpty {
            let target = Self.targetLine.firstMatch(in: line.text)
            let heading = target == nil ? Self.groupHeading.firstMatch(in: line.text) : nil
            let isGroupHeading = heading != nil && (started || MatchingKey(line.text).containsWord(MatchingKey("chỉ tiêu")))
            guard target != nil || isGroupHeading else {
                if started, firstLineAfterTargets == nil {
                    firstLineAfterTargets = line
                }
                continue
            }
            if let stray = firstLineAfterTargets {
                throw DirectiveParseError(
                    .unreadableTarget("a line between targets is neither a target nor a group heading"), line: stray.number,
                    text: stray.text)
            }
            started = true
            if let heading {
                category = try Self.category(of: heading[2] ?? "", line: line)
                continue
            }
            guard let match = target, let number = match[1].flatMap({ Int($0) }) else {
                throw DirectiveParseError(
                    .unreadableTarget("the target number “\(target?[1] ?? "")” is not a number"), line: line.number, text: line.text)
            }
            guard !targets.contains(where: { $0.number == number }) else {
                throw DirectiveParseError(.duplicateTarget(number), line: line.number, text: line.text)
            }
            targets.append(try TargetLineReader(number: number, category: category, line: line).read(body: match[2] ?? ""))
        }
        return targets
    }

    private static func category(of heading: String, line: SourceLine) throws(DirectiveParseError) -> TargetCategory {
        let key = MatchingKey(heading)
        if key.containsWord(MatchingKey("môi trường")) { return .environment }
        if key.containsWord(MatchingKey("xã hội")) { return .social }
        if key.containsWord(MatchingKey("kinh tế")) { return .economic }
        throw DirectiveParseError(.unknownTargetGroup, line: line.number, text: line.text)
    }

    // MARK: Part One

    private struct PartOne {
        var sections: [Section] = []
        var blocks: [LeadAgencyBlock] = []
        var tasks: [DirectiveTask] = []
    }

    private func readPartOne(_ lines: [SourceLine], year: Int) throws(DirectiveParseError) -> PartOne {
        var partOne = PartOne()
        var pending: [(block: LeadAgencyBlock, text: String, form: TaskForm, line: Int)] = []
        for line in lines where !line.text.isEmpty {
            if let heading = Self.sectionHeading.firstMatch(in: line.text), let numeral = heading[1],
                let number = Self.romanNumeralValue(numeral)
            {
                let title = (heading[2] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: ":. "))
                partOne.sections.append(Section(number: number, numeral: numeral, title: title, line: line.number))
                continue
            }
            guard let section = partOne.sections.last else {
                continue  // The part's own title, above section I.
            }
            if let heading = Self.blockHeading.firstMatch(in: line.text), let number = heading[1].flatMap({ Int($0) }) {
                partOne.blocks.append(try readBlock(heading[2] ?? "", number: number, section: section.number, line: line))
                continue
            }
            guard let block = partOne.blocks.last, block.sectionNumber == section.number else {
                throw DirectiveParseError(.textOutsideBlock, line: line.number, text: line.text)
            }
            if let dash = Self.dashItem.firstMatch(in: line.text) {
                pending.append((block, dash[1] ?? "", .dashItem, line.number))
            } else {
                pending.append((block, line.text, .paragraph, line.number))
            }
        }
        let timingReader = TaskTimingReader(year: year)
        var keyCounts: [String: Int] = [:]
        partOne.tasks = pending.map { block, text, form, line in
            let baseKey = Self.taskKey(section: block.sectionNumber, leads: block.leadAgencies, text: text)
            keyCounts[baseKey, default: 0] += 1
            let occurrence = keyCounts[baseKey] ?? 1
            return DirectiveTask(
                key: occurrence == 1 ? baseKey : "\(baseKey)#\(occurrence)",
                sectionNumber: block.sectionNumber,
                blockNumber: block.number,
                leadAgencies: block.leadAgencies,
                text: text,
                form: form,
                timing: timingReader.timing(of: text),
                districtCodes: districts.districtCodes(mentionedIn: text),
                keyProjectsNamed: keyProjects.projectCodes(namedIn: text),
                line: line)
        }
        return partOne
    }

    private func readBlock(_ heading: String, number: Int, section: Int, line: SourceLine) throws(DirectiveParseError) -> LeadAgencyBlock {
        var agencyText = heading.trimmingCharacters(in: CharacterSet(charactersIn: ": "))
        if let role = Self.leadRole.firstMatch(in: agencyText) {
            agencyText = String(agencyText[..<role.range.lowerBound])
        }
        switch agencies.resolveList(agencyText) {
        case .success(let leads):
            return LeadAgencyBlock(
                sectionNumber: section, number: number, heading: heading, agencyText: agencyText, leadAgencies: leads,
                line: line.number)
        case .failure(let unresolved):
            throw DirectiveParseError(.unknownAgency(unresolved.text), line: line.number, text: line.text)
        }
    }

    /// Section number, lead codes and a 64-bit FNV-1a hash of the text folded for comparison (case, spacing, tone marks,
    /// final punctuation), e.g. `"1|dept-finance|5c0e7f1d2a9b3e44"`.
    static func taskKey(section: Int, leads: [AgencyReference], text: String) -> String {
        let folded = MatchingKey(text.trimmingCharacters(in: CharacterSet(charactersIn: ".;: "))).string
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in folded.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\(section)|\(leads.map(\.code).joined(separator: "+"))|\(String(repeating: "0", count: 16 - hex.count))\(hex)"
    }

    /// The value of a Roman numeral written in canonical form ("XII" → 12), `nil` otherwise.
    static func romanNumeralValue(_ numeral: String) -> Int? {
        let values: [Character: Int] = ["I": 1, "V": 5, "X": 10, "L": 50, "C": 100]
        let digits = numeral.compactMap { values[$0] }
        guard !digits.isEmpty, digits.count == numeral.count else { return nil }
        var total = 0
        for (index, digit) in digits.enumerated() {
            total += index + 1 < digits.count && digit < digits[index + 1] ? -digit : digit
        }
        return romanNumeral(total) == numeral ? total : nil
    }

    private static func romanNumeral(_ value: Int) -> String {
        let symbols: [(Int, String)] = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var remaining = value
        var numeral = ""
        for (amount, symbol) in symbols {
            while remaining >= amount {
                numeral += symbol
                remaining -= amount
            }
        }
        return numeral
    }

    // MARK: Part Two

    private static func partTwoItems(_ lines: [SourceLine]) -> [PartTwoItem] {
        var items: [PartTwoItem] = []
        var currentItem: (number: String, text: String)?
        for line in lines where !line.text.isEmpty {
            if let item = blockHeading.firstMatch(in: line.text), let number = item[1] {
                let text = item[2] ?? ""
                currentItem = (number, text)
                items.append(PartTwoItem(item: number, text: text, line: line.number, parentText: nil))
            } else if let currentItem, let subItem = groupHeading.firstMatch(in: line.text), let letter = subItem[1] {
                items.append(
                    PartTwoItem(
                        item: "\(currentItem.number).\(letter)", text: subItem[2] ?? "", line: line.number, parentText: currentItem.text))
            } else if !items.isEmpty {
                items[items.count - 1].text += " " + line.text
            }
        }
        return items
    }

    // MARK: Patterns

    private static let yearInTitle = Pattern(#"NĂM\s+(\d{4})"#)
    private static let themePattern = Pattern(#"Chủ\s+đề\s+năm(?:\s+\d{4})?\s*:?\s*[“"]([^”"]+)[”"]"#)
    private static let issuerLine = Pattern(#"^(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN\s*(.*)$"#)
    private static let localityPrefix = Pattern(#"^(THÀNH\s+PHỐ|TỈNH)\s+(.+)$"#)
    /// "thành phố Hải Phòng", "tỉnh Quảng Ninh": the kind, then capitalised words (case-sensitive).
    private static let localityMention = Pattern(
        #"(?<![\p{L}])([Tt]hành phố|[Tt]ỉnh)\s+(\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*)*)"#, caseInsensitive: false)
    private static let targetLine = Pattern(#"^\(([^()\s]{1,4})\)\s*(.*)$"#)
    private static let groupHeading = Pattern(#"^([a-zđ])\)\s*(.+)$"#, caseInsensitive: false)
    private static let sectionHeading = Pattern(#"^([IVXLC]+)\.\s+(.+)$"#, caseInsensitive: false)
    private static let blockHeading = Pattern(#"^(\d{1,3})\.\s*(.+)$"#)
    private static let dashItem = Pattern(#"^[-–•]\s*(.*)$"#)
    /// The words after the agency names in a block heading.
    private static let leadRole = Pattern(#"\s+(?:chủ\s+trì|theo\s+chức\s+năng|căn\s+cứ\s+chức\s+năng)(?![\p{L}]).*$"#)
}

/// The parts of a directive text, located by their headings.
private struct DocumentOutline {
    /// Lines above "CHỈ THỊ" (issuer, number, date).
    let headerLines: [SourceLine]
    /// The "CHỈ THỊ" line.
    let heading: SourceLine
    /// The title lines after "CHỈ THỊ", up to the first blank line.
    let titleLines: [SourceLine]
    /// From after the title to before "Phần thứ nhất": theme and targets.
    let preamble: [SourceLine]
    /// From after "Phần thứ nhất" to before "Phần thứ hai" (or "Nơi nhận").
    let partOne: [SourceLine]
    /// From after "Phần thứ hai" to before "Nơi nhận"; empty when there is no Part Two.
    let partTwo: [SourceLine]

    /// How many non-empty lines at the top may precede "CHỈ THỊ".
    private static let headerAllowance = 15

    init(lines: [SourceLine]) throws(DirectiveParseError) {
        let nonEmpty = lines.filter { !$0.text.isEmpty }
        guard let first = nonEmpty.first else {
            throw DirectiveParseError(.notADirective("the text is empty"), line: nil, text: "")
        }
        let directiveWord = MatchingKey("chỉ thị")
        guard let heading = nonEmpty.prefix(Self.headerAllowance).first(where: { MatchingKey($0.text) == directiveWord }) else {
            throw DirectiveParseError(.notADirective("no “CHỈ THỊ” heading at the top"), line: first.number, text: first.text)
        }
        self.heading = heading
        let headingIndex = heading.number - 1
        headerLines = lines[..<headingIndex].filter { !$0.text.isEmpty }
        let afterHeading = lines[(headingIndex + 1)...].drop { $0.text.isEmpty }
        titleLines = Array(afterHeading.prefix { !$0.text.isEmpty })
        let bodyStart = titleLines.last.map { $0.number } ?? heading.number

        func firstLine(matching pattern: Pattern, from start: Int) -> Int? {
            lines[start...].first { pattern.firstMatch(in: $0.text) != nil }.map { $0.number - 1 }
        }
        guard let partOneIndex = firstLine(matching: Self.partOneHeading, from: bodyStart) else {
            throw DirectiveParseError(.notADirective("no “Phần thứ nhất” (Part One) heading"), line: heading.number, text: heading.text)
        }
        let endIndex = firstLine(matching: Self.recipientsHeading, from: partOneIndex) ?? lines.count
        let partTwoIndex = firstLine(matching: Self.partTwoHeading, from: partOneIndex).flatMap { $0 < endIndex ? $0 : nil }
        preamble = Array(lines[bodyStart..<partOneIndex])
        partOne = Array(lines[(partOneIndex + 1)..<(partTwoIndex ?? endIndex)])
        partTwo = partTwoIndex.map { Array(lines[($0 + 1)..<endIndex]) } ?? []
    }

    private static let partOneHeading = Pattern(#"^phần\s+thứ\s+nhất(?![\p{L}])"#)
    private static let partTwoHeading = Pattern(#"^phần\s+thứ\s+hai(?![\p{L}])"#)
    private static let recipientsHeading = Pattern(#"^nơi\s+nhận(?![\p{L}])"#)
}
