import Foundation
import PlanContracts
import Testing

@Suite("Decimal strings")
struct DecimalStringTests {
    @Test("valid decimal strings", arguments: ["0", "24725", "3.96", "-0.65", "82100", "0.000001", "-12"])
    func valid(text: String) {
        #expect(DecimalString.isValid(text))
        #expect(DecimalString.decimal(text) != nil)
    }

    @Test(
        "invalid decimal strings",
        arguments: ["", "-", ".5", "5.", "24.725,5", "3,96", "1e3", "+1", " 1", "1 ", "1_000", "١٢", "NaN", "--1", "1.2.3"]
    )
    func invalid(text: String) {
        #expect(!DecimalString.isValid(text))
        #expect(DecimalString.decimal(text) == nil)
    }

    @Test("values are exact and print back canonically")
    func exact() throws {
        let value = try #require(DecimalString.decimal("69421.2"))
        #expect(value + (try #require(DecimalString.decimal("0.1"))) == Decimal(string: "69421.3"))
        #expect(DecimalString.string(value) == "69421.2")
        #expect(DecimalString.string(Decimal(string: "-0.65")!) == "-0.65")
        #expect(Planmonitor_Common_V1_Money(amount: "24725", unit: .billionVnd).amountDecimal == 24725)
        #expect(Planmonitor_Common_V1_Money(amount: "24.725,0", unit: .billionVnd).amountDecimal == nil)
    }
}
