@testable import Aggregator
import DirectiveParser
import Foundation
import PlanContracts
import PlanMessaging
import Testing

extension ServicesAgainstTheStack {
    /// ImportDirective over the broker: what the aggregator refuses, and imports that race.
    @Suite("ImportDirective over RPC")
    struct DirectiveImportRPCTests {
        /// A directive text that the parser refuses, and why.
        struct Refused: Sendable, CustomTestStringConvertible {
            var name: String
            var bytes: Data
            var testDescription: String { name }
        }

        static let directiveText = String(decoding: (try? Data(contentsOf: ServiceStack.directiveFile)) ?? Data(), as: UTF8.self)

        static let refused: [Refused] = [
            Refused(name: "bytes that are not UTF-8", bytes: Data("CHỈ THỊ\n".utf8) + Data([0xC3, 0x28, 0xFF]) + Data("\nNĂM 2018".utf8)),
            Refused(name: "a text that is not a directive", bytes: Data("Biên bản họp giao ban tháng 3\nKhông có chỉ tiêu nào.\n".utf8)),
            Refused(name: "an unreadable target line", bytes: Data(directiveText.replacingOccurrences(
                of: "(5) Tổng vốn đầu tư toàn xã hội huy động đạt 82.100 tỷ đồng;",
                with: "(5) Tổng vốn đầu tư toàn xã hội huy động đạt nhiều;").utf8)),
            Refused(name: "an unknown unit", bytes: Data(directiveText.replacingOccurrences(
                of: "(7) Sản lượng hàng hoá thông qua cảng đạt 107 triệu tấn;",
                with: "(7) Sản lượng hàng hoá thông qua cảng đạt 107 triệu container;").utf8)),
            Refused(name: "an unknown agency", bytes: Data(directiveText.replacingOccurrences(
                of: "1. Sở Tài chính chủ trì:", with: "1. Sở Tài chánh và Vật giá chủ trì:").utf8)),
        ]

        @Test("a text the parser refuses is INVALID_ARGUMENT with the parser's line and text; nothing is stored", .serialized, arguments: refused)
        func refusedText(_ case: Refused) async throws {
            let expected: DirectiveParseError
            do {
                _ = try DirectiveTextParser().parse(`case`.bytes)
                Issue.record("the parser accepted \(`case`.name)")
                return
            } catch {
                expected = error
            }
            try await withAggregator { directives async throws in
                var valid = Planmonitor_Directive_V1_ImportDirectiveRequest()
                valid.text = Data(Self.directiveText.utf8)
                #expect(try await directives.importDirective(valid, options: RPCCallOptions(timeout: .seconds(10))).revision == 1)
                var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
                request.text = `case`.bytes
                request.fileName = "refused.txt"
                let error = await #expect(throws: RPCError.self) {
                    _ = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(10)))
                }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message == expected.description)
                if let line = expected.line {
                    #expect(error?.message.hasPrefix("line \(line): ") == true)
                }
                if !expected.text.isEmpty {
                    #expect(error?.message.contains(expected.text) == true)
                }
                #expect(error?.fieldViolations.map(\.field) == ["text"])
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.directives") == 1)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox") == 1)
                #expect(try await directives.listRevisions(.init()).revisions.map(\.revision) == [1])
            }
        }

        @Test("a text larger than any directive is refused before it is parsed, naming its size; nothing is stored")
        func oversizedText() async throws {
            try await withAggregator { directives async throws in
                var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
                request.text = Data(Self.directiveText.utf8) + Data(repeating: UInt8(ascii: "x"), count: DirectiveServer.maximumTextBytes)
                let error = await #expect(throws: RPCError.self) {
                    _ = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(20)))
                }
                #expect(error?.code == .invalidArgument)
                #expect(error?.fieldViolations.first?.reason.hasPrefix("\(request.text.count) bytes, at most \(DirectiveServer.maximumTextBytes)") == true)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.directives") == 0)
            }
        }

        @Test("concurrent imports of different texts get distinct, consecutive revisions")
        func concurrentImports() async throws {
            try await withAggregator { directives in
                let texts = (1...4).map { index in
                    Self.directiveText.replacingOccurrences(of: "(6) Thu nội địa 24.725 tỷ đồng", with: "(6) Thu nội địa 25.00\(index) tỷ đồng")
                }
                let revisions = try await withThrowingTaskGroup(of: Int32.self) { group in
                    for text in texts {
                        group.addTask {
                            var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
                            request.text = Data(text.utf8)
                            request.fileName = "concurrent.txt"
                            let response = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(30)))
                            #expect(!response.unchanged)
                            return response.revision
                        }
                    }
                    var revisions: [Int32] = []
                    for try await revision in group { revisions.append(revision) }
                    return revisions
                }
                #expect(revisions.sorted() == [1, 2, 3, 4])
                let stored = try await directives.listRevisions(.init())
                #expect(stored.revisions.map(\.revision) == [1, 2, 3, 4])
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox") == 4)
            }
        }

        @Test("an unchanged text is announced again only when asked: departments started since get the revision")
        func announceAgain() async throws {
            try await withAggregator { directives in
                var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
                request.text = Data(Self.directiveText.utf8)
                request.fileName = "chi-thi.txt"
                _ = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(30)))
                let quiet = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(30)))
                #expect(quiet.unchanged && !quiet.announcedAgain)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox") == 1)
                request.announceAgain = true
                let again = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(30)))
                #expect(again.unchanged && again.announcedAgain && again.revision == 1)
                #expect(try await ServiceStack.scalar(Int64.self, "SELECT count(*) FROM aggregator.outbox WHERE routing_key LIKE 'directive.issued.%'") == 2)
                #expect(try await directives.listRevisions(.init()).revisions.map(\.revision) == [1], "no new revision")
            }
        }

        /// Runs a fresh aggregator (schema reset) for the duration of `body`, with a client of its DirectiveService.
        private func withAggregator(_ body: (Planmonitor_Directive_V1_DirectiveService.Client) async throws -> Void) async throws {
            try await ServiceStack.exclusively { try await runAggregator(body) }
        }

        private func runAggregator(_ body: (Planmonitor_Directive_V1_DirectiveService.Client) async throws -> Void) async throws {
            try await ServiceStack.resetSchemas(["aggregator"])
            let services = RunningServices([
                buildAggregator(configuration: try ServiceStack.configuration(service: "aggregator"), logger: ServiceStack.logger),
            ])
            do {
                try await ServiceStack.withRPC { rpc in
                    try await ServiceStack.waitUntilServing("aggregator", rpc: rpc)
                    try await body(Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: ServiceStack.target("aggregator"))))
                }
            } catch {
                try await services.stop()
                throw error
            }
            try await services.stop()
        }
    }
}
