@testable import Aggregator
import DirectiveParser
import Foundation
import PlanContracts
import Testing

/// The aggregator's conversion of the parsed 2018 directive into `planmonitor.directive.v1.Directive`, and the
/// changes it reports between revisions.
@Suite("The directive as the contract's message")
struct DirectiveContractTests {
    static let text = String(decoding: (try? Data(contentsOf: ServiceStack.directiveFile)) ?? Data(), as: UTF8.self)

    static func message(_ text: String = text) throws -> Planmonitor_Directive_V1_Directive {
        let directive = try DirectiveTextParser().parse(text: text)
        var by = Planmonitor_Common_V1_AuditMetadata()
        by.user = "tester"
        return DirectiveContract().message(for: directive, .init(
            orgUnitCode: "31", revision: 1, textSHA256: "abc", importedAt: Date(timeIntervalSince1970: 1_514_764_800), importedBy: by))
    }

    @Test("targets carry decimal strings, contract unit codes, comparators and their owner service")
    func targets() throws {
        let message = try Self.message()
        #expect(message.id == "31-2018")
        #expect(message.year == 2018)
        #expect(message.targets.count == 18)
        let revenue = try #require(message.targets.first { $0.number == 6 })
        #expect(revenue.value == "24725")
        #expect(revenue.unitCode == "billion_vnd")
        #expect(revenue.unitText == "tỷ đồng")
        #expect(revenue.comparator == .reach)
        #expect(revenue.basis == .cumulativeAmount)
        #expect(revenue.group == .economic)
        #expect(revenue.ownerService == "budget")
        let exports = try #require(message.targets.first { $0.number == 8 })
        #expect(exports.comparator == .range)
        #expect((exports.value, exports.low, exports.high) == ("", "22", "23"))
        let tourists = try #require(message.targets.first { $0.number == 9 })
        #expect((tourists.comparator, tourists.value, tourists.unitCode) == (.about, "7.5", "million_visitors"))
        let growth = try #require(message.targets.first { $0.number == 1 })
        #expect(growth.subTargets.map(\.code) == ["1.a", "1.b", "1.c"])
        #expect(growth.subTargets.map(\.value) == ["2.75", "20.5", "12.1"])
        #expect(growth.subTargets.allSatisfy { $0.ownerService.isEmpty })
        let newRural = try #require(message.targets.first { $0.number == 10 })
        #expect(newRural.comparator == .unspecified && newRural.value.isEmpty, "a target that only lists sub-targets has no measure")
        #expect(Set(message.targets.map(\.ownerService)).isSubset(of: ["budget", "investment", "social"]))
        #expect(DirectiveContract().warnings(for: try DirectiveTextParser().parse(text: Self.text)).isEmpty)
    }

    @Test("tasks get keys <year>-<section>.<block>.<position>, their leads expanded and listed among the agencies")
    func tasks() throws {
        let message = try Self.message()
        let tasks = message.sections.flatMap(\.blocks).flatMap(\.tasks)
        #expect(tasks.count == 318)
        #expect(Set(tasks.map(\.key)).count == 318)
        #expect(tasks.first?.key == "2018-I.1.1")
        #expect(tasks.first?.leadAgencyCodes == ["dept-finance"])
        #expect(tasks.first?.ordinal == 1)
        #expect(message.sections.first?.roman == "I")
        let agencies = Set(message.agencies.map(\.code))
        #expect(tasks.allSatisfy { !$0.leadAgencyCodes.isEmpty && Set($0.leadAgencyCodes).isSubset(of: agencies) })
        #expect(message.agencies.first { $0.code == "tax-department" }?.service == "budget")
        #expect(tasks.allSatisfy { $0.dueDate.year == 2018 })
        #expect(!message.reportingCalendar.isEmpty)
        #expect(message.reportingCalendar.contains { $0.kind == .monthly && $0.day == 20 })
    }

    @Test("changes name the target and both values in Vietnamese, and tasks added or removed by key")
    func changes() throws {
        let old = try DirectiveTextParser().parse(text: Self.text)
        let removedTask = "- Tổ chức thực hiện tốt việc thu các loại phí, lệ phí đã được Hội đồng nhân dân thành phố thông qua.\n"
        #expect(Self.text.contains(removedTask))
        let new = try DirectiveTextParser().parse(text: Self.text
            .replacingOccurrences(of: "(6) Thu nội địa 24.725 tỷ đồng", with: "(6) Thu nội địa 25.000 tỷ đồng")
            .replacingOccurrences(of: removedTask, with: ""))
        let lines = DirectiveChanges.describe(DirectiveDiff(old: old, new: new), old: old, new: new, contract: DirectiveContract())
        #expect(lines.contains("Chỉ tiêu (6) Thu nội địa: giá trị thay đổi từ 24.725 tỷ đồng thành 25.000 tỷ đồng"))
        #expect(lines.contains { $0.hasPrefix("Bỏ nhiệm vụ 2018-I.1.5: Tổ chức thực hiện tốt việc thu các loại phí") })
        #expect(lines.count == 2)
    }
}
