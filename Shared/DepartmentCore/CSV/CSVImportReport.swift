/// A value in a row that a record cannot be made from, thrown by `CSVRow.parse(_:as:)` and by the closure given
/// to `CSVTable.records(_:)`.
public struct CSVFieldError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The logical column's identifier, e.g. "amount".
    public let column: String
    /// The value as read from the file (trimmed, NFC).
    public let value: String
    /// Why the value is wrong, phrased to follow the quoted value: "is negative", "is not a number".
    public let reason: String

    /// An error for `value` in `column`.
    public init(column: String, value: String, reason: String) {
        self.column = column
        self.value = value
        self.reason = reason
    }

    /// `column amount: "-12" is negative`.
    public var description: String {
        "column \(column): \"\(value)\" \(reason)"
    }
}

/// The bad values of one row, for a closure that reads a row into a record and reports every bad value of the
/// row rather than only the first:
///
/// ```swift
/// table.records { row throws(CSVRowErrors) in
///     var errors = CSVRowErrors()
///     let amount = errors.collect { () throws(CSVFieldError) in try row.parse("amount", as: CSVValue.decimal) }
///     let month = errors.collect { () throws(CSVFieldError) in try row.parse("month", as: CSVValue.month) }
///     guard errors.isEmpty, let amount, let month else { throw errors }
///     return BudgetLine(amount: amount, year: month.year, month: month.month)
/// }
/// ```
public struct CSVRowErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bad values, in the order found.
    public private(set) var fieldErrors: [CSVFieldError]

    /// The errors `fieldErrors`; none by default.
    public init(_ fieldErrors: [CSVFieldError] = []) {
        self.fieldErrors = fieldErrors
    }

    /// Whether no bad value has been found.
    public var isEmpty: Bool { fieldErrors.isEmpty }

    /// Adds a bad value.
    public mutating func append(_ error: CSVFieldError) {
        fieldErrors.append(error)
    }

    /// What `read` returns, or `nil` after adding the error it throws. Swift does not infer a closure's thrown
    /// type from this parameter, so spell it: `errors.collect { () throws(CSVFieldError) in try row.parse(…) }`.
    public mutating func collect<Value>(_ read: () throws(CSVFieldError) -> Value) -> Value? {
        do {
            return try read()
        } catch {
            fieldErrors.append(error)
            return nil
        }
    }

    /// The field errors, separated by "; ".
    public var description: String {
        fieldErrors.map(\.description).joined(separator: "; ")
    }

    /// The whole number in `column` of `row` when `Number` holds it ("24.725", "-3"); otherwise nil, after adding
    /// why: not a whole number, or out of range (a count of 99999999999 in a 32-bit field).
    public mutating func integer<Number: FixedWidthInteger>(_ column: String, of row: CSVRow, as type: Number.Type) -> Number? {
        collect { () throws(CSVFieldError) in
            let value = try row.parse(column, as: CSVValue.integer)
            guard let number = Number(exactly: value) else { throw row.fieldError(column, "is out of range (\(Number.min) to \(Number.max))") }
            return number
        }
    }

    /// The month in `column` of `row` ("2018-06", "06/2018", "T6/2018"); nil, after adding why, when it is not one.
    public mutating func month(_ column: String = "month", of row: CSVRow) -> (year: Int32, month: Int32)? {
        collect { () throws(CSVFieldError) in
            let (year, month) = try row.parse(column, as: CSVValue.month)
            // The parser takes four-digit years and months 1–12 only.
            return (Int32(year), Int32(month))
        }
    }
}

/// A bad row of an import: where it is, which column, what value, and why.
public struct CSVRowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 1-based physical line where the row starts.
    public let line: Int
    /// The logical column's identifier, e.g. "amount".
    public let column: String
    /// The column's header name as written in the file, e.g. "Số tiền"; `nil` when the column is absent.
    public let header: String?
    /// The value as read from the file (trimmed, NFC).
    public let value: String
    /// Why the value is wrong, phrased to follow the quoted value: "is negative".
    public let reason: String

    /// The error `fieldError` of the row on `line`, whose column is headed `header` in the file.
    public init(line: Int, header: String?, fieldError: CSVFieldError) {
        self.line = line
        column = fieldError.column
        self.header = header
        value = fieldError.value
        reason = fieldError.reason
    }

    /// `line 7, column "Số tiền" (amount): "-12" is negative`, or `line 7, column amount: …` when the column is
    /// absent from the file.
    public var description: String {
        let columnName = header.map { "\"\($0)\" (\(column))" } ?? column
        return "line \(line), column \(columnName): \"\(value)\" \(reason)"
    }
}

/// The outcome of making records from every row of a `CSVTable`: the records of the good rows and the errors of
/// every bad row, both in file order.
public struct CSVImportReport<Record> {
    /// The records of the rows that passed, in file order.
    public let records: [Record]
    /// The errors of every bad row (one per bad value), in file order.
    public let errors: [CSVRowError]

    /// A report of `records` and `errors`.
    public init(records: [Record], errors: [CSVRowError]) {
        self.records = records
        self.errors = errors
    }

    /// All or nothing: every row's record when no row is bad.
    ///
    /// - Throws: `CSVImportError` listing every bad row when any row is bad.
    public func allRecords() throws(CSVImportError) -> [Record] {
        guard errors.isEmpty else { throw CSVImportError(errors: errors) }
        return records
    }
}

extension CSVImportReport: Sendable where Record: Sendable {}

/// An import refused because some rows are bad; lists every one of them.
public struct CSVImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The errors of every bad row (one per bad value), in file order.
    public let errors: [CSVRowError]

    /// A refusal because of `errors`.
    public init(errors: [CSVRowError]) {
        self.errors = errors
    }

    /// One line per bad value.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
