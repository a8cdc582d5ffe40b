/// A plain-text table for the terminal: a header, a rule and rows, columns two spaces apart, long cells cut with "…".
///
/// Widths count characters (grapheme clusters), so Vietnamese text lines up whether it is composed or decomposed.
struct TerminalTable {
    /// A column: its header, whether cells are right-aligned, and the widest a cell may be.
    struct Column {
        var header: String
        var alignRight = false
        var maximumWidth = 60
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) {
        self.columns = columns
    }

    mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row has \(row.count) cells for \(columns.count) columns")
        rows.append(row)
    }

    func rendered() -> String {
        let cells = ([columns.map(\.header)] + rows).map { row in
            zip(row, columns).map { cell, column in
                cell.count > column.maximumWidth ? String(cell.prefix(column.maximumWidth - 1)) + "…" : cell
            }
        }
        let widths = columns.indices.map { index in cells.map { $0[index].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            let padded = row.indices.map { index -> String in
                let padding = String(repeating: " ", count: widths[index] - row[index].count)
                return columns[index].alignRight ? padding + row[index] : row[index] + padding
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n")
    }
}
