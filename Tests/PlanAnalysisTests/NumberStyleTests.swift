import Foundation
import PlanAnalysis
import Testing

@Suite("Numbers written the Vietnamese and English way")
struct NumberStyleTests {
    @Test(
        "Vietnamese: dot groups thousands, comma marks decimals",
        arguments: [
            (24725.0, "24.725"),
            (16.03, "16,03"),
            (0.5, "0,5"),
            (50.0, "50"),
            (53.5, "53,5"),
            (999.0, "999"),
            (1000.0, "1.000"),
            (1_234_567.891, "1.234.567,89"),
            (-1234.5, "-1.234,5"),
            (-0.65, "-0,65"),
            (0.0, "0"),
        ])
    func vietnamese(value: Double, expected: String) {
        #expect(NumberStyle.vietnamese.format(value) == expected)
    }

    @Test("English: comma groups thousands, dot marks decimals")
    func english() {
        #expect(NumberStyle.english.format(24725) == "24,725")
        #expect(NumberStyle.english.format(16.03) == "16.03")
        #expect(NumberStyle.english.format(-1_234_567.5) == "-1,234,567.5")
    }

    @Test("Rounds to the fraction digits asked for and never writes -0")
    func rounding() {
        #expect(NumberStyle.vietnamese.format(47.6262, maximumFractionDigits: 1) == "47,6")
        #expect(NumberStyle.vietnamese.format(2.996, maximumFractionDigits: 2) == "3")
        #expect(NumberStyle.vietnamese.format(82_100.4, maximumFractionDigits: 0) == "82.100")
        #expect(NumberStyle.vietnamese.format(-0.001) == "0")
    }

    @Test("Exact decimals: money amounts written without binary rounding, half away from zero")
    func decimals() {
        #expect(NumberStyle.vietnamese.format(exact: Decimal(string: "24725.255")!) == "24.725,26")
        #expect(NumberStyle.vietnamese.format(exact: Decimal(string: "7300")!) == "7.300")
        #expect(NumberStyle.vietnamese.format(exact: Decimal(string: "12.50")!) == "12,5")
        #expect(NumberStyle.vietnamese.format(exact: Decimal(string: "-1234.5")!) == "-1.234,5")
        #expect(NumberStyle.vietnamese.format(exact: Decimal(string: "-0.004")!) == "0")
        #expect(NumberStyle.vietnamese.format(exact: Decimal(string: "0.125")!, maximumFractionDigits: 0) == "0")
        #expect(NumberStyle.english.format(exact: Decimal(string: "1234567.891")!) == "1,234,567.89")
    }
}
