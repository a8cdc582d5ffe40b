@testable import Aggregator
@testable import BudgetService
import DirectiveParser
import Foundation
import PlanContracts
import PlanMessaging
import Testing

extension ServicesAgainstTheStack {
    /// The directive from text to the budget department: `planctl directive import` → aggregator → DirectiveIssued →
    /// budget service's share, over the real broker and PostgreSQL.
    @Suite("The directive from planctl to the budget service")
    struct DirectiveFlowTests {
        @Test("import, re-import unchanged, import a changed text: revisions, event and the budget share follow")
        func importFlow() async throws {
            try await ServiceStack.exclusively { try await runImportFlow() }
        }

        private func runImportFlow() async throws {
            try await ServiceStack.resetSchemas(["aggregator", "budget"])
            try await ServiceStack.purgeQueue("planmonitor.budget.\(ServiceStack.orgUnit).events")
            let services = RunningServices([
                buildAggregator(configuration: try ServiceStack.configuration(service: "aggregator"), logger: ServiceStack.logger),
                buildBudgetService(configuration: try ServiceStack.configuration(service: "budget"), logger: ServiceStack.logger),
            ])
            do {
                try await ServiceStack.withRPC { rpc in
                    try await ServiceStack.waitUntilServing("aggregator", rpc: rpc)
                    try await ServiceStack.waitUntilServing("budget", rpc: rpc)
                    // The budget service's event queue is consumed, so the first DirectiveIssued is routed.
                    _ = try await waitFor(timeout: .seconds(20)) {
                        try await ServiceStack.consumerCount(queue: "planmonitor.budget.\(ServiceStack.orgUnit).events") > 0 ? true : nil
                    }
                    try await checkImportFlow(rpc: rpc)
                }
            } catch {
                try await services.stop()
                throw error
            }
            try await services.stop()
        }

        private func checkImportFlow(rpc: RPCClient) async throws {
            let org = ServiceStack.orgUnit
            let directives = Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: ServiceStack.target("aggregator")))
            let shares = Planmonitor_Department_V1_DirectiveShareService.Client(transport: rpc.transport(to: ServiceStack.target("budget")))

            // 1. The first import: revision 1, stored with its text and hash, published once.
            let first = try await planctl("directive", "import", ServiceStack.directiveFile.path, "--org-unit", org)
            #expect(first.status == 0, "stderr: \(first.standardError)")
            #expect(first.standardOutput.contains("Chỉ thị \(org)-2018: đã lưu phiên bản 1."))

            let text = String(decoding: try Data(contentsOf: ServiceStack.directiveFile), as: UTF8.self).precomposedStringWithCanonicalMapping
            let storedText = try await ServiceStack.scalar(String.self, "SELECT text FROM aggregator.directives WHERE year = 2018 AND revision = 1")
            #expect(storedText.map { Array($0.unicodeScalars) == Array(text.unicodeScalars) } == true, "the NFC text is stored as imported")
            let hashMatches = try await ServiceStack.scalar(
                Bool.self, "SELECT text_sha256 = encode(sha256(convert_to(text, 'UTF8')), 'hex') FROM aggregator.directives WHERE revision = 1")
            #expect(hashMatches == true)
            #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox") == 1)
            let routingKey = try await ServiceStack.scalar(String.self, "SELECT routing_key FROM aggregator.outbox")
            #expect(routingKey == "directive.issued.\(org)")

            // The budget service keeps its share: target 6 and the tasks of its agencies.
            let firstShare = try await waitFor(timeout: .seconds(15)) {
                let response = try await shares.getDirectiveShare(.init(), options: RPCCallOptions(timeout: .seconds(2)))
                return response.share.revision == 1 ? response : nil
            }
            let share = firstShare.share
            #expect(share.directiveID == "\(org)-2018")
            #expect(share.targets.map(\.number) == [6])
            let revenue = try #require(share.targets.first)
            #expect(revenue.nameVi == "Thu nội địa")
            #expect(revenue.value == "24725")
            #expect(revenue.unitCode == "billion_vnd")
            #expect(revenue.ownerService == "budget")
            let keys = share.tasks.map(\.key)
            #expect(keys.contains("2018-I.1.1"), "Sở Tài chính's first task of section I")
            #expect(share.tasks.filter { $0.leadAgencyCodes.contains("dept-finance") && $0.sectionNumber == 1 }.count >= 10)
            #expect(share.tasks.contains { $0.leadAgencyCodes.contains("tax-department") })
            let budgetAgencies = Set(share.agencies.map(\.code))
            #expect(budgetAgencies.isSuperset(of: ["dept-finance", "tax-department"]))
            #expect(share.agencies.allSatisfy { $0.service == "budget" })
            #expect(share.tasks.allSatisfy { !budgetAgencies.isDisjoint(with: $0.leadAgencyCodes) })

            // 2. The same text again: unchanged, nothing stored, no event; the budget service stays on revision 1.
            let again = try await planctl("directive", "import", ServiceStack.directiveFile.path, "--org-unit", org)
            #expect(again.status == 0, "stderr: \(again.standardError)")
            #expect(again.standardOutput.contains("văn bản không thay đổi, vẫn là phiên bản 1"))
            #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.directives") == 1)
            #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox") == 1)
            try await Task.sleep(for: .seconds(1))
            let afterUnchanged = try await shares.getDirectiveShare(.init(), options: RPCCallOptions(timeout: .seconds(2)))
            #expect(afterUnchanged.receivedRevisions == [1])
            #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM budget.inbox") == 1)

            // 3. A changed text: revision 2 with the change in words; the budget share moves on.
            let modified = FileManager.default.temporaryDirectory.appendingPathComponent("chi-thi-2018-thu-noi-dia-25000-\(UUID().uuidString).txt")
            let changedText = text.replacingOccurrences(of: "(6) Thu nội địa 24.725 tỷ đồng", with: "(6) Thu nội địa 25.000 tỷ đồng")
            #expect(changedText != text)
            try Data(changedText.utf8).write(to: modified)
            defer { try? FileManager.default.removeItem(at: modified) }
            let second = try await planctl("directive", "import", modified.path, "--org-unit", org)
            #expect(second.status == 0, "stderr: \(second.standardError)")
            #expect(second.standardOutput.contains("đã lưu phiên bản 2."))
            let changeLines = second.standardOutput.split(separator: "\n").filter { $0.contains("(6)") }
            #expect(changeLines.count == 1)
            #expect(changeLines.first.map { $0.contains("24.725") && $0.contains("25.000") && $0.contains("Thu nội địa") } == true,
                    "output: \(second.standardOutput)")

            let secondShare = try await waitFor(timeout: .seconds(15)) {
                let response = try await shares.getDirectiveShare(.init(), options: RPCCallOptions(timeout: .seconds(2)))
                return response.share.revision == 2 ? response : nil
            }
            #expect(secondShare.receivedRevisions == [1, 2])
            #expect(secondShare.share.targets.first?.value == "25000")
            var askFirst = Planmonitor_Department_V1_GetDirectiveShareRequest()
            askFirst.revision = 1
            #expect(try await shares.getDirectiveShare(askFirst).share.targets.first?.value == "24725")

            // Earlier revisions stay readable from the aggregator.
            var revisionOne = Planmonitor_Directive_V1_GetDirectiveRequest()
            revisionOne.year = 2018
            revisionOne.revision = 1
            let one = try await directives.getDirective(revisionOne)
            #expect(one.directive.revision == 1)
            #expect(one.directive.targets.first { $0.number == 6 }?.value == "24725")
            #expect(try Directive(jsonData: Data(one.parsedJson.utf8)).target(number: 6)?.measure?.value == .exact(24725))
            let latest = try await directives.getDirective(.init())
            #expect(latest.directive.revision == 2)
            #expect(latest.directive.targets.first { $0.number == 6 }?.value == "25000")
            let revisions = try await directives.listRevisions(.init())
            #expect(revisions.revisions.map(\.revision) == [1, 2])
            #expect(revisions.revisions.last?.changes.count == 1)
            #expect(revisions.revisions.first?.importedBy.user.isEmpty == false)
            #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox") == 2)

            // `planctl directive show` prints the same report as `parse`, and `share` the budget's part.
            let shown = try await planctl("directive", "show", "--revision", "1", "--org-unit", org)
            #expect(shown.status == 0, "stderr: \(shown.standardError)")
            let parsed = try DirectiveTextParser().parse(Data(text.utf8))
            #expect(shown.standardOutput.hasSuffix(parsed.plainTextReport()))
            let budgetShare = try await planctl("share", "--service", "budget", "--org-unit", org)
            #expect(budgetShare.status == 0, "stderr: \(budgetShare.standardError)")
            #expect(budgetShare.standardOutput.contains("phiên bản 2"))
            #expect(budgetShare.standardOutput.contains("Thu nội địa"))
        }
    }
}
