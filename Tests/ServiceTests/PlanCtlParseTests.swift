import DirectiveParser
import Foundation
import Testing

/// `planctl directive parse` needs no stack: it reads the file and prints the parser's report or JSON.
@Suite("planctl directive parse, offline")
struct PlanCtlParseTests {
    @Test("the table lists the 18 targets and the 318 tasks")
    func table() async throws {
        let result = try await planctl("directive", "parse", ServiceStack.directiveFile.path)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let output = result.standardOutput
        for number in 1...18 {
            #expect(output.contains("(\(number)) "), "target (\(number)) is listed")
        }
        #expect(!output.contains("(19) "))
        #expect(output.contains("Số chỉ tiêu: 18"))
        #expect(output.contains("Số nhiệm vụ: 318"))
        #expect(output == (try DirectiveTextParser().parse(Data(contentsOf: ServiceStack.directiveFile))).plainTextReport())
    }

    @Test("--json prints the parsed directive as JSON with 18 targets")
    func json() async throws {
        let result = try await planctl("directive", "parse", ServiceStack.directiveFile.path, "--json")
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect((object["targets"] as? [Any])?.count == 18)
        #expect(object["year"] as? Int == 2018)
        let directive = try Directive(jsonData: Data(result.standardOutput.utf8))
        #expect(directive.tasks.count == 318)
    }

    @Test("a broken file: exit status 1, the line and the text on stderr, nothing on stdout")
    func brokenFile() async throws {
        let text = String(decoding: try Data(contentsOf: ServiceStack.directiveFile), as: UTF8.self)
            .replacingOccurrences(of: "(12) Tỷ lệ thất nghiệp thành thị ở mức 3,96%;", with: "(12) Tỷ lệ thất nghiệp thành thị ở mức thấp;")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chi-thi-hong-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let expected: DirectiveParseError
        do {
            _ = try DirectiveTextParser().parse(text: text)
            Issue.record("the parser accepted the broken text")
            return
        } catch {
            expected = error
        }
        let result = try await planctl("directive", "parse", file.path)
        #expect(result.status == 1)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("line \(expected.line ?? 0): "))
        #expect(result.standardError.contains("(12) Tỷ lệ thất nghiệp thành thị ở mức thấp;"))
        #expect(result.standardError == "planctl: \(file.path): \(expected.description)\n")
    }

    @Test("a missing file: exit status 1 and the path on stderr")
    func missingFile() async throws {
        let result = try await planctl("directive", "parse", "/nonexistent/chi-thi.txt")
        #expect(result.status == 1)
        #expect(result.standardError.contains("/nonexistent/chi-thi.txt"))
    }
}
