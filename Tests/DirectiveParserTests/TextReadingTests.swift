import Foundation
import Testing

@testable import DirectiveParser

@Suite("Reading Vietnamese text: numbers, names, days")
struct TextReadingTests {
    @Test(
        "Vietnamese numbers: “.” groups thousands, “,” marks decimals",
        arguments: [
            ("82.100", "82100"), ("4.195", "4195"), ("7,5", "7.5"), ("1,2", "1.2"), ("54.500", "54500"), ("2,75", "2.75"),
            ("1.234.567,89", "1234567.89"), ("100", "100"), ("0,65", "0.65"),
        ])
    func number(written: String, value: String) {
        #expect(VietnameseNumber.decimal(from: written) == decimal(value))
        #expect(VietnameseNumber.format(decimal(value)) == written)
    }

    @Test("Not Vietnamese numbers", arguments: ["1.5", "12.34", "abc", "", "1,2,3", "82.10"])
    func notNumber(written: String) {
        #expect(VietnameseNumber.decimal(from: written) == nil)
    }

    @Test(
        "Names compare alike across case, tone-mark placement, dashes and spacing",
        arguments: [
            ("Uỷ ban nhân dân", "Ủy ban nhân dân"), ("hoá", "hóa"), ("khoẻ", "khỏe"), ("Thuỷ Nguyên", "Thủy Nguyên"),
            ("SỞ Y TẾ", "Sở Y tế"), ("xin – cho", "xin - cho"), ("Sở  Tư\tpháp", "Sở Tư pháp"),
        ])
    func matchingKey(one: String, other: String) {
        #expect(MatchingKey(one) == MatchingKey(other))
    }

    @Test("A key maps back to the source characters it stands for")
    func sourceOffsets() {
        let key = MatchingKey("Sở  Tư pháp")
        #expect(key.string == "sở tư pháp")
        #expect(key.sourceOffsets == [0, 1, 2, 4, 5, 6, 7, 8, 9, 10])
        #expect(key.sourceOffset(ofKeyIndex: key.characters.count, sourceLength: 11) == 11)
    }

    @Test("Days: invalid days refused, month ends, ISO text")
    func calendarDay() throws {
        #expect(CalendarDay(year: 2018, month: 2, day: 29) == nil)
        #expect(CalendarDay(year: 2018, month: 13, day: 1) == nil)
        #expect(CalendarDay.lastDay(ofMonth: 2, year: 2020).day == 29)
        #expect(CalendarDay.lastDay(ofMonth: 2, year: 1900).day == 28)
        #expect(CalendarDay.lastDay(ofMonth: 6, year: 2018).description == "2018-06-30")
        let data = try JSONEncoder().encode([try #require(CalendarDay(year: 2018, month: 1, day: 5))])
        #expect(String(data: data, encoding: .utf8) == #"["2018-01-05"]"#)
        #expect(try JSONDecoder().decode([CalendarDay].self, from: data).first == CalendarDay(year: 2018, month: 1, day: 5))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDay].self, from: Data(#"["2018-02-30"]"#.utf8)) }
    }

    @Test(
        "Roman numerals in canonical form",
        arguments: [("I", 1), ("IV", 4), ("IX", 9), ("XII", 12), ("XIII", 13), ("XIV", 14), ("XL", 40)])
    func romanNumeral(numeral: String, value: Int) {
        #expect(DirectiveTextParser.romanNumeralValue(numeral) == value)
    }

    @Test("Not Roman numerals", arguments: ["IIII", "VX", "", "A", "IC"])
    func notRomanNumeral(numeral: String) {
        #expect(DirectiveTextParser.romanNumeralValue(numeral) == nil)
    }
}
