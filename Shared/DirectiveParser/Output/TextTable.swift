import Foundation

/// A plain-text table whose columns line up on a terminal, for text with diacritics and wide characters.
public struct TextTable: Sendable {
    /// How a column's cells are placed.
    public enum Alignment: Sendable {
        case left
        case right
    }

    /// A column: header, alignment and the widest a cell may be before it is cut with "…".
    public struct Column: Sendable {
        public let header: String
        public let alignment: Alignment
        public let maximumWidth: Int

        public init(_ header: String, alignment: Alignment = .left, maximumWidth: Int = 60) {
            self.header = header
            self.alignment = alignment
            self.maximumWidth = maximumWidth
        }
    }

    public let columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; it must have one cell per column.
    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    /// The table: header, a rule, the rows; cells separated by two spaces, no trailing spaces.
    public func rendered() -> String {
        let cells = ([columns.map(\.header)] + rows).map { row in
            zip(row, columns).map { cell, column in Self.truncated(cell, toWidth: column.maximumWidth) }
        }
        let widths = columns.indices.map { index in cells.map { Self.displayWidth(of: $0[index]) }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            let padded = row.indices.map { index -> String in
                let padding = String(repeating: " ", count: widths[index] - Self.displayWidth(of: row[index]))
                return columns[index].alignment == .left ? row[index] + padding : padding + row[index]
            }
            let joined = padded.joined(separator: "  ")
            return String(joined.reversed().drop(while: \.isWhitespace).reversed())
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n")
    }

    /// The number of terminal columns a text takes: combining marks and zero-width characters take none, East Asian
    /// wide and fullwidth characters two, everything else one. NFC and NFD spellings have the same width.
    public static func displayWidth(of text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// `text` cut to at most `width` columns, ending with "…" when cut.
    public static func truncated(_ text: String, toWidth width: Int) -> String {
        guard displayWidth(of: text) > width else { return text }
        var kept = ""
        var used = 0
        for character in text {
            let characterWidth = Self.width(of: character)
            guard used + characterWidth <= width - 1 else { break }
            kept.append(character)
            used += characterWidth
        }
        return String(kept.reversed().drop(while: \.isWhitespace).reversed()) + "…"
    }

    private static func width(of character: Character) -> Int {
        guard let base = character.unicodeScalars.first(where: { !isZeroWidth($0) }) else { return 0 }
        return isWide(base) ? 2 : 1
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: true
        default: scalar.value == 0x200B
        }
    }

    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let wideRanges: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wideRanges.contains { $0.contains(scalar.value) }
    }
}
