/// One row of a `CSVTable`, read by logical column identifier.
public struct CSVRow: Sendable {
    /// The 1-based physical line where the row starts (the header on the first line is line 1).
    public let line: Int
    private let fields: [String]
    private let layout: CSVColumnLayout

    init(line: Int, fields: [String], layout: CSVColumnLayout) {
        self.line = line
        self.fields = fields
        self.layout = layout
    }

    /// The value of the column with identifier `column`, trimmed and NFC; empty when the cell is empty or the
    /// (optional) column is absent from the file.
    ///
    /// - Precondition: `column` is the identifier of one of the table's columns.
    public subscript(column: String) -> String {
        precondition(layout.identifiers.contains(column), "no CSV column \"\(column)\"")
        return layout.positions[column].map { fields[$0] } ?? ""
    }

    /// The header name of `column` as written in the file; `nil` when the column is absent from the file.
    public func header(of column: String) -> String? {
        layout.headers[column]
    }

    /// The value of `column` read by `parser` (for example `CSVValue.decimal`).
    ///
    /// - Throws: `CSVFieldError` with the parser's reason when the value cannot be read, including when it is
    ///   empty.
    public func parse<Value>(
        _ column: String,
        as parser: (String) throws(CSVValueError) -> Value
    ) throws(CSVFieldError) -> Value {
        let value = self[column]
        do throws(CSVValueError) {
            return try parser(value)
        } catch {
            throw CSVFieldError(column: column, value: value, reason: error.reason)
        }
    }

    /// The value of `column` read by `parser`, or `nil` when it is empty or the column is absent from the file.
    ///
    /// - Throws: `CSVFieldError` with the parser's reason when a value is present but cannot be read.
    public func parseIfPresent<Value>(
        _ column: String,
        as parser: (String) throws(CSVValueError) -> Value
    ) throws(CSVFieldError) -> Value? {
        self[column].isEmpty ? nil : try parse(column, as: parser)
    }

    /// An error for the value of `column`, for a check of the caller's own: `throw row.fieldError("amount",
    /// "is negative")`. `reason` follows the quoted value in messages, so it reads as a predicate.
    public func fieldError(_ column: String, _ reason: String) -> CSVFieldError {
        CSVFieldError(column: column, value: self[column], reason: reason)
    }
}
