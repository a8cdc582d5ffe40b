import DepartmentCore
import Foundation
import Testing

@Suite("Values typed by clerks")
struct CSVValueTests {
    @Test(
        "decimal numbers in English and Vietnamese writing become decimal strings",
        arguments: [
            ("24725", "24725"),
            ("24.725", "24725"),
            ("24,725", "24725"),
            ("1.234.567", "1234567"),
            ("1,234,567", "1234567"),
            ("24,725.5", "24725.5"),
            ("24.725,5", "24725.5"),
            ("1.234.567,89", "1234567.89"),
            ("16,03", "16.03"),
            ("3.96", "3.96"),
            ("-0,65", "-0.65"),
            ("0.125", "0.125"),
            ("1234,567", "1234.567"),
            ("1,1250", "1.1250"),
            ("1 234,5", "1234.5"),
            ("1\u{A0}234\u{A0}567", "1234567"),
            ("12 345.25", "12345.25"),
            ("  82100  ", "82100"),
            ("007", "7"),
            ("-0", "0"),
            ("-0,00", "0.00"),
        ]
    )
    func decimal(text: String, expected: String) throws {
        #expect(try CSVValue.decimal(text) == expected)
    }

    @Test(
        "ambiguous or malformed numbers are refused with a reason",
        arguments: [
            ("1.234,5.6", #"is ambiguous: "." and "," are mixed (write e.g. 1234.5 or 1.234,5)"#),
            ("1,234.567,8", #"is ambiguous: "." and "," are mixed (write e.g. 1234.5 or 1.234,5)"#),
            ("12,345,67", "is ambiguous: thousands separators must separate groups of three digits"),
            ("1.23.456", "is ambiguous: thousands separators must separate groups of three digits"),
            ("1234.567,5", "is ambiguous: thousands separators must separate groups of three digits"),
            ("1 234.567,8", "is ambiguous: it uses more than one kind of thousands separator"),
            ("", "is empty"),
            ("   ", "is empty"),
            ("+1", "is not a number"),
            ("--1", "is not a number"),
            (".5", "is not a number"),
            ("5.", "is not a number"),
            ("1..2", "is not a number"),
            ("1e3", "is not a number"),
            ("12 %", "is not a number"),
            ("١٢", "is not a number"),
        ]
    )
    func refusedDecimal(text: String, reason: String) {
        #expect(throws: CSVValueError(value: text, reason: reason)) { try CSVValue.decimal(text) }
    }

    @Test("integers are whole decimal numbers")
    func integer() throws {
        #expect(try CSVValue.integer("24725") == 24725)
        #expect(try CSVValue.integer("24.725") == 24725)
        #expect(try CSVValue.integer("1 200") == 1200)
        #expect(try CSVValue.integer("-3") == -3)
        #expect(throws: CSVValueError(value: "16,03", reason: "is not a whole number")) { try CSVValue.integer("16,03") }
        #expect(throws: CSVValueError(value: "99999999999999999999", reason: "is too large")) {
            try CSVValue.integer("99999999999999999999")
        }
        #expect(throws: CSVValueError(value: "", reason: "is empty")) { try CSVValue.integer("") }
        #expect(throws: CSVValueError(value: "12,345,67", reason: "is ambiguous: thousands separators must separate groups of three digits")) {
            try CSVValue.integer("12,345,67")
        }
    }

    @Test(
        "months",
        arguments: [
            ("2018-06", 2018, 6),
            ("2018-6", 2018, 6),
            ("06/2018", 2018, 6),
            ("6/2018", 2018, 6),
            ("T6/2018", 2018, 6),
            ("t06/2018", 2018, 6),
            ("Tháng 6/2018", 2018, 6),
            ("THÁNG 12/2018", 2018, 12),
            ("tháng  1 / 2019".decomposedStringWithCanonicalMapping, 2019, 1),
        ]
    )
    func month(text: String, year: Int, month: Int) throws {
        #expect(try CSVValue.month(text) == (year, month))
    }

    @Test(
        "refused months",
        arguments: [
            ("2018-13", "is not a month: there is no month 13"),
            ("0/2018", "is not a month: there is no month 0"),
            ("T2018-06", "is not a month (write 2018-06, 06/2018 or T6/2018)"),
            ("6/18", "is not a month (write 2018-06, 06/2018 or T6/2018)"),
            ("2018/06", "is not a month (write 2018-06, 06/2018 or T6/2018)"),
            ("June 2018", "is not a month (write 2018-06, 06/2018 or T6/2018)"),
            ("2018-06-01", "is not a month (write 2018-06, 06/2018 or T6/2018)"),
            ("", "is empty"),
        ]
    )
    func refusedMonth(text: String, reason: String) {
        #expect(throws: CSVValueError(value: text, reason: reason)) { try CSVValue.month(text) }
    }

    @Test(
        "dates",
        arguments: [
            ("2018-04-28", 2018, 4, 28),
            ("28/04/2018", 2018, 4, 28),
            ("1/2/2018", 2018, 2, 1),
            ("2018-4-5", 2018, 4, 5),
            ("29/02/2020", 2020, 2, 29),
            ("2000-02-29", 2000, 2, 29),
            (" 31/12/2018 ", 2018, 12, 31),
        ]
    )
    func date(text: String, year: Int, month: Int, day: Int) throws {
        #expect(try CSVValue.date(text) == (year, month, day))
    }

    @Test(
        "refused dates",
        arguments: [
            ("29/02/2018", "is not a date: month 2 of 2018 has 28 days"),
            ("1900-02-29", "is not a date: month 2 of 1900 has 28 days"),
            ("31/04/2018", "is not a date: month 4 of 2018 has 30 days"),
            ("0/04/2018", "is not a date: month 4 of 2018 has 30 days"),
            ("2018-13-01", "is not a date: there is no month 13"),
            ("04/28/2018", "is not a date: there is no month 28"),
            ("28-04-2018", "is not a date (write 2018-04-28 or 28/04/2018)"),
            ("2018/04/28", "is not a date (write 2018-04-28 or 28/04/2018)"),
            ("28/04/18", "is not a date (write 2018-04-28 or 28/04/2018)"),
            ("", "is empty"),
        ]
    )
    func refusedDate(text: String, reason: String) {
        #expect(throws: CSVValueError(value: text, reason: reason)) { try CSVValue.date(text) }
    }

    @Test(
        "yes and no",
        arguments: [
            ("yes", true), ("Y", true), ("TRUE", true), ("1", true), (" x ", true), ("X", true),
            ("có", true), ("Có".decomposedStringWithCanonicalMapping, true), ("đúng", true),
            ("ước", true), ("Ước  tính", true),
            ("no", false), ("N", false), ("False", false), ("0", false), ("không", false), ("KHÔNG", false), ("sai", false),
        ]
    )
    func boolean(text: String, expected: Bool) throws {
        #expect(try CSVValue.boolean(text) == expected)
    }

    @Test(
        "refused yes-or-no answers",
        arguments: [
            ("khong", "is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"),
            ("co", "is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"),
            ("uoc", "is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"),
            ("maybe", "is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"),
            ("2", "is not yes or no (write có/không, x, yes/no, true/false, 1/0 or ước)"),
            ("", "is empty"),
        ]
    )
    func refusedBoolean(text: String, reason: String) {
        #expect(throws: CSVValueError(value: text, reason: reason)) { try CSVValue.boolean(text) }
    }
}
