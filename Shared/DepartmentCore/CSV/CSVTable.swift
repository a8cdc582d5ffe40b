/// A CSV file whose header has been matched to the logical columns of a record kind: its rows, read by column.
public struct CSVTable: Sendable {
    /// The logical columns, in the order given.
    public let columns: [CSVColumn]
    /// The rows after the header, in file order.
    public let rows: [CSVRow]

    /// Matches `document`'s header to `columns`.
    ///
    /// - Throws: `CSVFileError` on the header's line for an empty header name, two header names of the same
    ///   column, header names that no column accepts, or required columns that are missing — in that order of
    ///   precedence, each error naming every offending header or column.
    /// - Precondition: no header name is accepted by two of `columns`.
    public init(document: CSVDocument, columns: [CSVColumn]) throws(CSVFileError) {
        let layout = try CSVColumnLayout(header: document.header, columns: columns)
        self.columns = columns
        rows = document.records.map { CSVRow(line: $0.line, fields: $0.fields, layout: layout) }
    }

    /// Reads a CSV file's bytes (`Data` or `[UInt8]`) and matches its header to `columns`; see `CSVDocument`
    /// for how the bytes are read and `init(document:columns:)` for how the header is matched.
    public init(bytes: some Sequence<UInt8>, columns: [CSVColumn]) throws(CSVFileError) {
        try self.init(document: CSVDocument(bytes: bytes), columns: columns)
    }

    /// Makes a record of every row, collecting the errors of every bad row instead of stopping at the first.
    ///
    /// `makeRecord` may report several bad values of a row at once (see `CSVRowErrors.collect(_:)`); each becomes
    /// one `CSVRowError` of the report.
    public func records<Record>(_ makeRecord: (CSVRow) throws(CSVRowErrors) -> Record) -> CSVImportReport<Record> {
        var records: [Record] = []
        var errors: [CSVRowError] = []
        for row in rows {
            do throws(CSVRowErrors) {
                records.append(try makeRecord(row))
            } catch {
                errors += error.fieldErrors.map { fieldError in
                    CSVRowError(line: row.line, header: row.header(of: fieldError.column), fieldError: fieldError)
                }
            }
        }
        return CSVImportReport(records: records, errors: errors)
    }

    /// Makes a record of every row, collecting the error of every bad row instead of stopping at the first;
    /// for a `makeRecord` that stops at a row's first bad value.
    ///
    /// ```swift
    /// let report = table.records { row throws(CSVFieldError) in
    ///     BudgetLine(id: row["record_id"], amount: try row.parse("amount", as: CSVValue.decimal))
    /// }
    /// let lines = try report.allRecords()  // nothing when any row is bad
    /// ```
    public func records<Record>(_ makeRecord: (CSVRow) throws(CSVFieldError) -> Record) -> CSVImportReport<Record> {
        records { row throws(CSVRowErrors) in
            do throws(CSVFieldError) {
                return try makeRecord(row)
            } catch {
                throw CSVRowErrors([error])
            }
        }
    }
}

/// Where each logical column sits in a file, and the header name it has there.
struct CSVColumnLayout: Sendable {
    /// Identifiers of every logical column, present in the file or not.
    let identifiers: Set<String>
    /// Field positions of the columns present in the file, by identifier.
    let positions: [String: Int]
    /// Header names as written in the file, by identifier.
    let headers: [String: String]

    init(header: CSVRecord, columns: [CSVColumn]) throws(CSVFileError) {
        var columnsByKey: [String: CSVColumn] = [:]
        for column in columns {
            for name in column.acceptedHeaders {
                let previous = columnsByKey.updateValue(column, forKey: CSVColumn.headerKey(name))
                precondition(
                    previous == nil || previous == column,
                    "header \"\(name)\" is accepted by columns \(previous?.identifier ?? "") and \(column.identifier)"
                )
            }
        }

        if let empty = header.fields.firstIndex(of: "") {
            throw CSVFileError(line: header.line, reason: .emptyHeader(position: empty + 1))
        }
        var positions: [String: Int] = [:]
        var headers: [String: String] = [:]
        var unknown: [String] = []
        for (position, name) in header.fields.enumerated() {
            guard let column = columnsByKey[CSVColumn.headerKey(name)] else {
                unknown.append(name)
                continue
            }
            if positions[column.identifier] != nil {
                let sameColumn = header.fields.filter(column.accepts(header:))
                throw CSVFileError(line: header.line, reason: .duplicateColumn(column, headers: sameColumn))
            }
            positions[column.identifier] = position
            headers[column.identifier] = name
        }
        guard unknown.isEmpty else {
            throw CSVFileError(line: header.line, reason: .unknownHeaders(unknown, accepted: columns))
        }
        let missing = columns.filter { $0.isRequired && positions[$0.identifier] == nil }
        guard missing.isEmpty else {
            throw CSVFileError(line: header.line, reason: .missingColumns(missing))
        }
        identifiers = Set(columns.map(\.identifier))
        self.positions = positions
        self.headers = headers
    }
}
