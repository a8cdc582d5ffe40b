import DepartmentCore
import Foundation
import Testing

/// Reads `text` as the UTF-8 bytes of a CSV file.
func csvDocument(_ text: String) throws(CSVFileError) -> CSVDocument {
    try CSVDocument(bytes: Array(text.utf8))
}

@Suite("CSV documents")
struct CSVDocumentTests {
    @Test("quoted fields hold commas, line breaks and doubled quotes")
    func quotedFields() throws {
        let document = try csvDocument(
            "record_id,note,amount\n"
                + "1,\"Xây dựng, sửa chữa\",5\n"
                + "2,\"dòng một\ndòng hai\",6\n"
                + "3,\"nói \"\"có\"\"\",7\n"
                + "4, \"  trong ngoặc  \" ,8\n"
                + "5,ống 12\" dài,9\n"
        )
        #expect(document.separator == .comma)
        #expect(document.header == CSVRecord(line: 1, fields: ["record_id", "note", "amount"]))
        #expect(document.records == [
            CSVRecord(line: 2, fields: ["1", "Xây dựng, sửa chữa", "5"]),
            CSVRecord(line: 3, fields: ["2", "dòng một\ndòng hai", "6"]),
            CSVRecord(line: 5, fields: ["3", "nói \"có\"", "7"]),
            CSVRecord(line: 6, fields: ["4", "trong ngoặc", "8"]),
            CSVRecord(line: 7, fields: ["5", "ống 12\" dài", "9"]),
        ])
    }

    @Test("CRLF line ends, also inside quoted fields, and no final line break")
    func crlf() throws {
        let document = try csvDocument("a,b\r\n1,\"x\r\ny\"\r\n3,4")
        #expect(document.header == CSVRecord(line: 1, fields: ["a", "b"]))
        #expect(document.records == [
            CSVRecord(line: 2, fields: ["1", "x\ny"]),
            CSVRecord(line: 4, fields: ["3", "4"]),
        ])
    }

    @Test("a lone CR also ends a line")
    func loneCarriageReturn() throws {
        let document = try csvDocument("a,b\r1,2\r3,4\r")
        #expect(document.records == [CSVRecord(line: 2, fields: ["1", "2"]), CSVRecord(line: 3, fields: ["3", "4"])])
    }

    @Test("a UTF-8 byte order mark is dropped, from Data too")
    func byteOrderMark() throws {
        let document = try CSVDocument(bytes: Data([0xEF, 0xBB, 0xBF] + Array("mã,số tiền\n1,2\n".utf8)))
        #expect(document.header.fields == ["mã", "số tiền"])
        #expect(document.header.fields[0].unicodeScalars.first == "m")
        #expect(document.records == [CSVRecord(line: 2, fields: ["1", "2"])])
    }

    @Test("semicolons separate fields when the header has semicolons and no comma")
    func semicolons() throws {
        let document = try csvDocument("Mã;Số tiền;Ghi chú\n1;16,03;\"a;b\"\n2;24.725,5;\n")
        #expect(document.separator == .semicolon)
        #expect(document.header.fields == ["Mã", "Số tiền", "Ghi chú"])
        #expect(document.records == [
            CSVRecord(line: 2, fields: ["1", "16,03", "a;b"]),
            CSVRecord(line: 3, fields: ["2", "24.725,5", ""]),
        ])
    }

    @Test("a header with both commas and semicolons is comma-separated; quoted commas do not count")
    func separatorChoice() throws {
        #expect(try csvDocument("a;b,c\n1;2,3\n").separator == .comma)
        #expect(try csvDocument("a;b,c\n1;2,3\n").header.fields == ["a;b", "c"])
        let quoted = try csvDocument("\n\"Tên, đơn vị\";Số tiền\nHải Phòng;5\n")
        #expect(quoted.separator == .semicolon)
        #expect(quoted.header == CSVRecord(line: 2, fields: ["Tên, đơn vị", "Số tiền"]))
        #expect(try csvDocument("id\n7\n").separator == .comma)
    }

    @Test("line numbers count physical lines across quoted line breaks and skipped blank lines")
    func lineNumbers() throws {
        let document = try csvDocument("\n\nid,note\n1,\"a\n\nb\"\n\n  \n2,x\r\n,\n ; ,\n3,y")
        #expect(document.header == CSVRecord(line: 3, fields: ["id", "note"]))
        #expect(document.records == [
            CSVRecord(line: 4, fields: ["1", "a\n\nb"]),
            CSVRecord(line: 9, fields: ["2", "x"]),
            CSVRecord(line: 11, fields: [";", ""]),
            CSVRecord(line: 12, fields: ["3", "y"]),
        ])
    }

    @Test("a record with fewer fields than the header is padded with empty fields")
    func fewerFields() throws {
        let document = try csvDocument("a,b,c\n1\n2,3\n")
        #expect(document.records == [CSVRecord(line: 2, fields: ["1", "", ""]), CSVRecord(line: 3, fields: ["2", "3", ""])])
    }

    @Test("a record with more fields than the header is an error on its line")
    func tooManyFields() {
        let expected = CSVFileError(line: 4, reason: .tooManyFields(count: 3, headerCount: 2))
        #expect(throws: expected) { try csvDocument("a,b\n1,2\n\n1,2,3\n4,5\n") }
        #expect(expected.description == "line 4: 3 fields, but the header has 2")
    }

    @Test("fields are trimmed and normalised to NFC")
    func trimmedNFC() throws {
        let decomposed = "Số tiền".decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count == 11)
        let document = try csvDocument("  a  ,\tb \n  \(decomposed)  ,\"  x y  \"\n")
        #expect(document.header.fields == ["a", "b"])
        #expect(Array(document.records[0].fields[0].unicodeScalars) == Array("Số tiền".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(document.records[0].fields[0].unicodeScalars.count == 7)
        #expect(document.records[0].fields[1] == "x y")
    }

    @Test("bytes that are not UTF-8 are an error naming the line and the byte offset")
    func invalidUTF8() {
        let latin1 = Array("a,b\n1,2\n3,".utf8) + [0xE0] + Array("\n".utf8)
        let expected = CSVFileError(line: 3, reason: .invalidUTF8(byteOffset: 10))
        #expect(throws: expected) { try CSVDocument(bytes: latin1) }
        #expect(expected.description == "line 3: the file is not UTF-8 (bad byte at offset 10); save it as \"CSV UTF-8\"")

        let withByteOrderMark = [0xEF, 0xBB, 0xBF] + Array("a\r\nb\r\n".utf8) + [0xC3]
        #expect(throws: CSVFileError(line: 3, reason: .invalidUTF8(byteOffset: 9))) {
            try CSVDocument(bytes: withByteOrderMark)
        }
    }

    @Test("an unterminated quote is an error on the line where the quoted field opens")
    func unterminatedQuote() {
        let expected = CSVFileError(line: 3, reason: .unterminatedQuote)
        #expect(throws: expected) { try csvDocument("a,b\n1,2\n3,\"mở\n\nvẫn mở\n4,5\n") }
        #expect(expected.description == "line 3: a quoted field opens on this line and is never closed")
    }

    @Test("text after a closing quote is an error on its line")
    func textAfterClosingQuote() {
        #expect(throws: CSVFileError(line: 3, reason: .textAfterClosingQuote)) {
            try csvDocument("a,b\n1,\"x\ny\"z,2\n")
        }
    }

    @Test("a file without any record has no header")
    func noHeader() {
        let expected = CSVFileError(line: nil, reason: .noHeader)
        #expect(throws: expected) { try csvDocument("") }
        #expect(throws: expected) { try csvDocument("\n\r\n ,, \n") }
        #expect(throws: expected) { try CSVDocument(bytes: [0xEF, 0xBB, 0xBF]) }
        #expect(expected.description == "the file is empty: it has no header line")
    }

    @Test("a header without records has no rows")
    func headerOnly() throws {
        let document = try csvDocument("a,b\n")
        #expect(document.header == CSVRecord(line: 1, fields: ["a", "b"]))
        #expect(document.records.isEmpty)
    }
}
