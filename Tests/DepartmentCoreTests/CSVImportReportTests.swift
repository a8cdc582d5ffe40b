import DepartmentCore
import Testing

/// A record made from a row, for the tests.
struct ImportedLine: Equatable {
    let id: String
    let amount: String
    let year: Int
    let month: Int
}

@Suite("CSV import reports")
struct CSVImportReportTests {
    /// Three bad rows among five, one starting after a quoted field spanning two lines and a blank line.
    let file = """
        Mã;Số tiền;Tháng;Ghi chú
        NS-01;24.725;T6/2018;
        NS-02;-12;6/2018;
        NS-03;16,03;2018-07;"hai
        dòng"

        NS-04;1.234,5.6;2018-08;
        NS-05;5;2018-13;
        """

    /// Reads a budget line, stopping at the row's first bad value.
    func importedLine(_ row: CSVRow) throws(CSVFieldError) -> ImportedLine {
        let amount = try row.parse("amount", as: CSVValue.decimal)
        guard !amount.hasPrefix("-") else { throw row.fieldError("amount", "is negative") }
        let month = try row.parse("month", as: CSVValue.month)
        return ImportedLine(id: row["record_id"], amount: amount, year: month.year, month: month.month)
    }

    @Test("the errors of every bad row are collected with their lines, and nothing is imported")
    func collectsEveryBadRow() throws {
        let report = try csvTable(file).records(importedLine)
        #expect(report.records == [
            ImportedLine(id: "NS-01", amount: "24725", year: 2018, month: 6),
            ImportedLine(id: "NS-03", amount: "16.03", year: 2018, month: 7),
        ])
        #expect(report.errors.map(\.description) == [
            #"line 3, column "Số tiền" (amount): "-12" is negative"#,
            #"line 7, column "Số tiền" (amount): "1.234,5.6" is ambiguous: "." and "," are mixed (write e.g. 1234.5 or 1.234,5)"#,
            #"line 8, column "Tháng" (month): "2018-13" is not a month: there is no month 13"#,
        ])
        let first = try #require(report.errors.first)
        #expect(first.line == 3)
        #expect(first.column == "amount")
        #expect(first.header == "Số tiền")
        #expect(first.value == "-12")
        #expect(first.reason == "is negative")
        #expect(throws: CSVImportError(errors: report.errors)) { try report.allRecords() }
        #expect(CSVImportError(errors: report.errors).description.split(separator: "\n").count == 3)
    }

    @Test("every bad value of a row is reported when the closure collects them")
    func collectsEveryBadValueOfARow() throws {
        let report = try csvTable(file).records { row throws(CSVRowErrors) in
            var errors = CSVRowErrors()
            let amount = errors.collect { () throws(CSVFieldError) in try row.parse("amount", as: CSVValue.decimal) }
            let month = errors.collect { () throws(CSVFieldError) in try row.parse("month", as: CSVValue.month) }
            if row["note"].isEmpty, row["record_id"] == "NS-05" {
                errors.append(row.fieldError("note", "is required for NS-05"))
            }
            guard errors.isEmpty, let amount, let month else { throw errors }
            return ImportedLine(id: row["record_id"], amount: amount, year: month.year, month: month.month)
        }
        #expect(report.records.map(\.id) == ["NS-01", "NS-02", "NS-03"])
        #expect(report.errors.map(\.description) == [
            #"line 7, column "Số tiền" (amount): "1.234,5.6" is ambiguous: "." and "," are mixed (write e.g. 1234.5 or 1.234,5)"#,
            #"line 8, column "Tháng" (month): "2018-13" is not a month: there is no month 13"#,
            #"line 8, column "Ghi chú" (note): "" is required for NS-05"#,
        ])
    }

    @Test("all records are imported when every row is good")
    func allGood() throws {
        let table = try csvTable("record_id,amount,month\nA,\"24,725.5\",06/2018\r\nB,0,2018-12\r\n")
        let records = try table.records(importedLine).allRecords()
        #expect(records == [
            ImportedLine(id: "A", amount: "24725.5", year: 2018, month: 6),
            ImportedLine(id: "B", amount: "0", year: 2018, month: 12),
        ])
    }

    @Test("an error in a column absent from the file names the column by its identifier")
    func absentColumn() throws {
        let report = try csvTable("record_id,amount,month\nA,1,2018-06\n").records { row throws(CSVFieldError) in
            try row.parse("note", as: CSVValue.boolean)
        }
        #expect(report.records.isEmpty)
        #expect(report.errors == [CSVRowError(line: 2, header: nil, fieldError: CSVFieldError(column: "note", value: "", reason: "is empty"))])
        #expect(report.errors[0].description == #"line 2, column note: "" is empty"#)
    }

    @Test("parseIfPresent gives nil for an empty cell and reads a present one")
    func parseIfPresent() throws {
        let table = try csvTable("record_id,amount,month,note\nA,1,2018-06,\nB,2,2018-07,x\nC,3,2018-08,maybe\n")
        let report = table.records { row throws(CSVFieldError) in try row.parseIfPresent("note", as: CSVValue.boolean) ?? false }
        #expect(report.records == [false, true])
        #expect(report.errors.map(\.description) == [
            #"line 4, column "note" (note): "maybe" is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"#,
        ])
    }

    @Test("field and row errors describe themselves")
    func descriptions() {
        let fieldError = CSVFieldError(column: "amount", value: "-12", reason: "is negative")
        #expect(fieldError.description == #"column amount: "-12" is negative"#)
        #expect(CSVRowErrors([fieldError, fieldError]).description == #"column amount: "-12" is negative; column amount: "-12" is negative"#)
        #expect(CSVRowError(line: 7, header: "Số tiền", fieldError: fieldError).description == #"line 7, column "Số tiền" (amount): "-12" is negative"#)
        #expect(CSVValueError(value: "abc", reason: "is not a number").description == #""abc" is not a number"#)
    }

    @Test("a whole number that its field cannot hold is an error naming the range, not a crash; a month is read with its year")
    func integerAndMonthFields() throws {
        let table = try csvTable("record_id,amount,month\nA,99999999999,T6/2018\nB,-3,2018-13\nC,1.200,06/2018\n")
        let report = table.records { row throws(CSVRowErrors) in
            var errors = CSVRowErrors()
            let count = errors.integer("amount", of: row, as: Int32.self)
            let month = errors.month(of: row)
            if !errors.isEmpty { throw errors }
            return "\(count ?? 0) \(month?.year ?? 0)-\(month?.month ?? 0)"
        }
        #expect(report.records == ["1200 2018-6"])
        #expect(report.errors.map(\.description) == [
            #"line 2, column "amount" (amount): "99999999999" is out of range (-2147483648 to 2147483647)"#,
            #"line 3, column "month" (month): "2018-13" is not a month: there is no month 13"#,
        ])
    }
}
