import Foundation

/// A clerk's spreadsheet saved as CSV, split into its header and its records (RFC 4180, read leniently).
///
/// Reading rules:
/// - The bytes must be UTF-8; a leading byte order mark is dropped.
/// - Fields are separated by commas, or by semicolons when the header line has semicolons but no comma
///   (Excel in a Vietnamese locale saves with `;`).
/// - A field may be enclosed in double quotes, with `""` standing for one quote; a quoted field may hold
///   separators and line breaks. Spaces before the opening quote and after the closing quote are ignored.
///   A quote inside an unquoted field is kept as an ordinary character.
/// - Lines end with CRLF, LF or a lone CR; the last line needs no line break. A line break inside a quoted
///   field becomes `"\n"`.
/// - Every field is normalised to NFC and trimmed of surrounding whitespace.
/// - Blank records — empty lines, or lines of only separators and spaces, as Excel writes for empty rows — are
///   skipped, but line numbers still count every physical line.
/// - The first record that is not blank is the header. A record with more fields than the header is an error;
///   a record with fewer fields is padded with empty fields.
public struct CSVDocument: Sendable, Equatable {
    /// The character between fields.
    public enum Separator: Sendable, Equatable {
        /// `,`, the RFC 4180 separator.
        case comma
        /// `;`, which Excel uses where the comma is the decimal mark (Vietnamese and most European locales).
        case semicolon

        var scalar: Unicode.Scalar {
            switch self {
            case .comma: ","
            case .semicolon: ";"
            }
        }
    }

    /// The separator read from the header line.
    public let separator: Separator
    /// The header: its fields are the column names as written in the file (trimmed, NFC).
    public let header: CSVRecord
    /// The records after the header, blank ones skipped, each as wide as the header.
    public let records: [CSVRecord]

    /// Reads a CSV file's bytes (`Data` or `[UInt8]`).
    ///
    /// - Throws: `CSVFileError` for bytes that are not UTF-8 (with the line and byte offset), a quoted field that
    ///   is never closed (with the line where it opened), text after a closing quote, a file without a header,
    ///   or a record with more fields than the header.
    public init(bytes: some Sequence<UInt8>) throws(CSVFileError) {
        let scalars = try Self.decodeUTF8(bytes)
        let separator = Self.separator(ofHeaderIn: scalars)
        var reader = CSVRecordReader(scalars: scalars, separator: separator.scalar)
        let records = try reader.readRecords()
        guard let header = records.first else {
            throw CSVFileError(line: nil, reason: .noHeader)
        }
        self.separator = separator
        self.header = header
        self.records = try records.dropFirst().map { (record) throws(CSVFileError) in
            guard record.fields.count <= header.fields.count else {
                throw CSVFileError(
                    line: record.line,
                    reason: .tooManyFields(count: record.fields.count, headerCount: header.fields.count)
                )
            }
            let padding = Array(repeating: "", count: header.fields.count - record.fields.count)
            return CSVRecord(line: record.line, fields: record.fields + padding)
        }
    }

    /// Strict UTF-8 decoding without the byte order mark; a bad byte sequence is reported with its line and its
    /// offset from the start of the file (the byte order mark included).
    private static func decodeUTF8(_ bytes: some Sequence<UInt8>) throws(CSVFileError) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        var lineCounter = CSVLineCounter()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if !(offset == 0 && scalar == "\u{FEFF}") {
                    scalars.append(scalar)
                    lineCounter.advance(past: scalar)
                }
                offset += encoded.count
            case .error:
                throw CSVFileError(line: lineCounter.line, reason: .invalidUTF8(byteOffset: offset))
            case .emptyInput:
                return scalars
            }
        }
    }

    /// Semicolon when the header line (the first line that is not blank) has a semicolon and no comma outside
    /// quotes; comma otherwise.
    private static func separator(ofHeaderIn scalars: [Unicode.Scalar]) -> Separator {
        var isInQuotes = false
        var lineHasText = false
        var lineHasSemicolon = false
        for scalar in scalars {
            if isInQuotes {
                if scalar == "\"" { isInQuotes = false }
                continue
            }
            switch scalar {
            case ",":
                return .comma
            case ";":
                lineHasSemicolon = true
            case "\"":
                isInQuotes = true
                lineHasText = true
            case "\r", "\n":
                if lineHasText { return lineHasSemicolon ? .semicolon : .comma }
                lineHasSemicolon = false
            default:
                if !scalar.properties.isWhitespace { lineHasText = true }
            }
        }
        return lineHasSemicolon ? .semicolon : .comma
    }
}

/// One record of a CSV file: its fields (trimmed, NFC) and the physical line where it starts.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line where the record starts; a header on the first line is line 1.
    public let line: Int
    /// The fields in file order.
    public let fields: [String]

    /// A record starting on `line`.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Counts physical lines as the reader does: CRLF, LF and a lone CR each end one line.
struct CSVLineCounter {
    private(set) var line = 1
    private var previous: Unicode.Scalar?

    mutating func advance(past scalar: Unicode.Scalar) {
        if scalar == "\r" || (scalar == "\n" && previous != "\r") { line += 1 }
        previous = scalar
    }
}

/// Splits decoded text into records; see `CSVDocument` for the rules.
struct CSVRecordReader {
    private let scalars: [Unicode.Scalar]
    private let separator: Unicode.Scalar
    private var index = 0
    private var lineCounter = CSVLineCounter()

    init(scalars: [Unicode.Scalar], separator: Unicode.Scalar) {
        self.scalars = scalars
        self.separator = separator
    }

    /// Every record that is not blank, in file order.
    mutating func readRecords() throws(CSVFileError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var recordLine = lineCounter.line

        func endRecord() {
            fields.append(Self.finish(field))
            if fields.contains(where: { !$0.isEmpty }) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields = []
            field = String.UnicodeScalarView()
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\"" && field.allSatisfy(Self.isSpace) {
                field = try readQuotedField()
            } else if scalar == separator {
                fields.append(Self.finish(field))
                field = String.UnicodeScalarView()
                advance()
            } else if scalar == "\r" || scalar == "\n" {
                endRecord()
                skipLineBreak()
                recordLine = lineCounter.line
            } else {
                field.append(scalar)
                advance()
            }
        }
        if !fields.isEmpty || !field.isEmpty {
            endRecord()
        }
        return records
    }

    /// Reads a quoted field from its opening quote up to the separator or line break after its closing quote.
    private mutating func readQuotedField() throws(CSVFileError) -> String.UnicodeScalarView {
        let openingLine = lineCounter.line
        var field = String.UnicodeScalarView()
        advance()
        while true {
            guard index < scalars.count else {
                throw CSVFileError(line: openingLine, reason: .unterminatedQuote)
            }
            let scalar = scalars[index]
            if scalar == "\"" {
                advance()
                guard index < scalars.count, scalars[index] == "\"" else { break }
                field.append("\"")
                advance()
            } else if scalar == "\r" || scalar == "\n" {
                field.append("\n")
                skipLineBreak()
            } else {
                field.append(scalar)
                advance()
            }
        }
        while index < scalars.count, Self.isSpace(scalars[index]) {
            advance()
        }
        if index < scalars.count, ![separator, "\r", "\n"].contains(scalars[index]) {
            throw CSVFileError(line: lineCounter.line, reason: .textAfterClosingQuote)
        }
        return field
    }

    private mutating func advance() {
        lineCounter.advance(past: scalars[index])
        index += 1
    }

    /// Moves past CRLF, LF or a lone CR.
    private mutating func skipLineBreak() {
        let isCarriageReturn = scalars[index] == "\r"
        advance()
        if isCarriageReturn, index < scalars.count, scalars[index] == "\n" {
            advance()
        }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t"
    }

    private static func finish(_ field: String.UnicodeScalarView) -> String {
        String(field).precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
