import DepartmentCore
import Foundation
import Testing

/// The columns of a budget line as a department service would declare them.
let csvBudgetColumns = [
    CSVColumn("record_id", aliases: ["mã bản ghi", "mã"]),
    CSVColumn("amount", aliases: ["số tiền"]),
    CSVColumn("month", aliases: ["tháng"]),
    CSVColumn("note", aliases: ["ghi chú"], isRequired: false),
]

/// Reads `text` as the UTF-8 bytes of a CSV file of `columns`.
func csvTable(_ text: String, columns: [CSVColumn] = csvBudgetColumns) throws(CSVFileError) -> CSVTable {
    try CSVTable(bytes: Array(text.utf8), columns: columns)
}

@Suite("CSV headers and rows")
struct CSVTableTests {
    @Test("Vietnamese headers in NFD, any case and spacing, match NFC aliases")
    func vietnameseHeadersInNFD() throws {
        let header = "  MÃ   BẢN GHI ;Số  Tiền;THÁNG;Ghi chú".decomposedStringWithCanonicalMapping
        #expect(header.unicodeScalars.count > header.precomposedStringWithCanonicalMapping.unicodeScalars.count)
        let table = try csvTable("\(header)\nNS-01;24.725;6/2018;Chi \("ướt".decomposedStringWithCanonicalMapping)\n")
        #expect(table.rows.count == 1)
        let row = table.rows[0]
        #expect(row.line == 2)
        #expect(row["record_id"] == "NS-01")
        #expect(row["amount"] == "24.725")
        #expect(row["month"] == "6/2018")
        #expect(Array(row["note"].unicodeScalars) == Array("Chi ướt".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(row.header(of: "record_id") == "MÃ   BẢN GHI")
        #expect(Array(row.header(of: "amount")!.unicodeScalars) == Array("Số  Tiền".precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    @Test("header matching keeps diacritics: \"so tien\" is not \"số tiền\" unless it is an alias")
    func diacriticsCount() throws {
        #expect(CSVColumn("amount", aliases: ["số tiền"]).accepts(header: " SỐ   TIỀN "))
        #expect(!CSVColumn("amount", aliases: ["số tiền"]).accepts(header: "so tien"))
        #expect(!CSVColumn("amount", aliases: ["số tiền"]).accepts(header: "sổ tiền"))
        #expect(CSVColumn("amount", aliases: ["số tiền", "so tien"]).accepts(header: "So Tien"))

        let columns = [CSVColumn("amount", aliases: ["số tiền", "so tien"])]
        let table = try csvTable("So Tien\n5\n", columns: columns)
        #expect(table.rows[0]["amount"] == "5")
    }

    @Test("unknown header names are an error listing them and the accepted names")
    func unknownHeaders() {
        let expected = CSVFileError(line: 1, reason: .unknownHeaders(["so tien", "Đơn vị"], accepted: csvBudgetColumns))
        #expect(throws: expected) { try csvTable("mã,so tien,tháng,Đơn vị\n1,2,3,4\n") }
        #expect(expected.description == """
            line 1: unknown columns "so tien", "Đơn vị"; accepted columns: record_id ("record_id", "mã bản ghi", "mã"); \
            amount ("amount", "số tiền"); month ("month", "tháng"); note ("note", "ghi chú")
            """)
    }

    @Test("a missing required column is an error naming it and its accepted headers")
    func missingColumn() {
        let amount = csvBudgetColumns[1]
        let expected = CSVFileError(line: 2, reason: .missingColumns([amount]))
        #expect(throws: expected) { try csvTable("\nmã,tháng,ghi chú\n1,6/2018,x\n") }
        #expect(expected.description == "line 2: missing column amount (\"amount\", \"số tiền\")")
        #expect(throws: CSVFileError(line: 1, reason: .missingColumns([csvBudgetColumns[0], amount]))) {
            try csvTable("tháng\n6/2018\n")
        }
    }

    @Test("an optional column may be absent: its values are empty")
    func optionalColumnAbsent() throws {
        let table = try csvTable("record_id,amount,month\n1,2,2018-06\n")
        #expect(table.rows[0]["note"] == "")
        #expect(table.rows[0].header(of: "note") == nil)
        #expect(table.columns == csvBudgetColumns)
    }

    @Test("the same column twice is an error naming both header names")
    func duplicateColumn() {
        let expected = CSVFileError(line: 1, reason: .duplicateColumn(csvBudgetColumns[0], headers: ["Mã", "record_id"]))
        #expect(throws: expected) { try csvTable("Mã,số tiền,record_id,tháng\n1,2,3,4\n") }
        #expect(expected.description == "line 1: column record_id appears 2 times, as \"Mã\", \"record_id\"")
        #expect(throws: CSVFileError(line: 1, reason: .duplicateColumn(csvBudgetColumns[1], headers: ["amount", "AMOUNT"]))) {
            try csvTable("mã,amount,AMOUNT,tháng\n")
        }
    }

    @Test("an empty header name is an error naming its position")
    func emptyHeader() {
        let expected = CSVFileError(line: 1, reason: .emptyHeader(position: 2))
        #expect(throws: expected) { try csvTable("mã,,số tiền,tháng\n1,,2,3\n") }
        #expect(expected.description == "line 1: column 2 of the header has no name")
    }

    @Test("a table is also made from a parsed document")
    func fromDocument() throws {
        let document = try csvDocument("amount;month;record_id\n\"1 234,5\";T6/2018;A\n")
        let table = try CSVTable(document: document, columns: csvBudgetColumns)
        #expect(table.rows.map { [$0.line.description, $0["record_id"], $0["amount"], $0["month"], $0["note"]] } == [
            ["2", "A", "1 234,5", "T6/2018", ""],
        ])
    }
}
