/// Why a CSV file cannot be read at all: its bytes, its quoting, its shape or its header.
public struct CSVFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Equatable, Sendable {
        /// The bytes are not UTF-8; `byteOffset` is the 0-based offset of the first bad byte from the start of
        /// the file (a byte order mark included).
        case invalidUTF8(byteOffset: Int)
        /// A quoted field is never closed; the error's line is where it opens.
        case unterminatedQuote
        /// Text follows a quoted field's closing quote before the next separator or line break.
        case textAfterClosingQuote
        /// The file has no record at all, so no header.
        case noHeader
        /// A record has more fields than the header.
        case tooManyFields(count: Int, headerCount: Int)
        /// A header field is empty; `position` is the 1-based position of the column.
        case emptyHeader(position: Int)
        /// Header names that no column accepts, as written in the file, and the columns expected.
        case unknownHeaders([String], accepted: [CSVColumn])
        /// Required columns the header lacks.
        case missingColumns([CSVColumn])
        /// Two or more header names, as written in the file, that name the same column.
        case duplicateColumn(CSVColumn, headers: [String])
    }

    /// The 1-based physical line of the problem; `nil` when the file has no line to blame.
    public let line: Int?
    /// What is wrong.
    public let reason: Reason

    /// An error on `line`.
    public init(line: Int?, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    /// The problem for a clerk, e.g. `line 1: missing column amount ("amount", "số tiền")`.
    public var description: String {
        let text = switch reason {
        case .invalidUTF8(let byteOffset):
            "the file is not UTF-8 (bad byte at offset \(byteOffset)); save it as \"CSV UTF-8\""
        case .unterminatedQuote:
            "a quoted field opens on this line and is never closed"
        case .textAfterClosingQuote:
            "text follows a closing quote; a quote inside a quoted field must be doubled (\"\")"
        case .noHeader:
            "the file is empty: it has no header line"
        case .tooManyFields(let count, let headerCount):
            "\(count) fields, but the header has \(headerCount)"
        case .emptyHeader(let position):
            "column \(position) of the header has no name"
        case .unknownHeaders(let headers, let accepted):
            "unknown \(headers.count == 1 ? "column" : "columns") \(Self.quoted(headers)); accepted columns: "
                + accepted.map(Self.describe).joined(separator: "; ")
        case .missingColumns(let columns):
            "missing \(columns.count == 1 ? "column" : "columns") " + columns.map(Self.describe).joined(separator: "; ")
        case .duplicateColumn(let column, let headers):
            "column \(column.identifier) appears \(headers.count) times, as \(Self.quoted(headers))"
        }
        return line.map { "line \($0): \(text)" } ?? text
    }

    private static func describe(_ column: CSVColumn) -> String {
        "\(column.identifier) (\(quoted(column.acceptedHeaders)))"
    }

    private static func quoted(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
