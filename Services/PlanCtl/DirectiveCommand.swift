import ArgumentParser
import DirectiveParser
import Foundation
import PlanContracts
import SwiftProtobuf

/// `planctl directive …`: read a directive text offline, import it, show what the aggregator keeps.
struct DirectiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directive",
        abstract: "Read, import and show the People's Committee's directive (chỉ thị).",
        subcommands: [Parse.self, Import.self, Show.self, Revisions.self]
    )

    /// `planctl directive parse FILE [--json]`: no broker needed.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse a directive text and print its targets and sections (no services needed).",
            discussion: "Exit status 1 when the text cannot be read; the reason, with its line number and text, goes to stderr."
        )

        @Argument(help: "The directive text, UTF-8.")
        var file: String

        @Flag(help: "Print the parsed directive as JSON instead of the table.")
        var json = false

        func run() async throws {
            try await reportingFailures {
                let data = try readFile(file)
                let directive: Directive
                do {
                    directive = try DirectiveTextParser().parse(data)
                } catch let error as DirectiveParseError {
                    throw CommandFailure(message: "\(file): \(error.description)")
                }
                printText(json ? String(decoding: try directive.jsonData(), as: UTF8.self) : directive.plainTextReport())
            }
        }
    }

    /// `planctl directive import FILE`: ImportDirective on the aggregator.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a directive text into the aggregator: a new revision, or unchanged.",
            discussion: "The importer is recorded as $USER (or the broker user) with the agency given by --agency."
        )

        @Argument(help: "The directive text, UTF-8.")
        var file: String

        @Option(help: "Code of the importer's agency, recorded with the revision (e.g. dept-planning-investment).")
        var agency: String?

        @Flag(help: "Print the aggregator's answer as JSON.")
        var json = false

        @Flag(help: "When the text is unchanged, announce the latest revision again (for department instances started since, e.g. a new district).")
        var announceAgain = false

        @Option(help: "Seconds to wait for the aggregator.")
        var timeout = Seconds(30)

        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
                request.announceAgain = announceAgain
                request.text = try readFile(file)
                request.fileName = URL(fileURLWithPath: file).lastPathComponent
                var metadata: [String: String] = [:]
                if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { metadata["user"] = user }
                if let agency { metadata["agency"] = agency }
                let options = RPCCallOptions(timeout: timeout.duration, metadata: metadata)
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: broker.target("aggregator")))
                            .importDirective(request, options: options)
                    } catch {
                        throw CommandFailure("không nhập được chỉ thị từ \(file)", error)
                    }
                }
                if json {
                    printText(try prettyJSON(response))
                    return
                }
                var lines: [String] = []
                if response.unchanged {
                    lines.append("Chỉ thị \(response.directiveID): văn bản không thay đổi, vẫn là phiên bản \(response.revision).")
                    if response.announcedAgain { lines.append("Đã thông báo lại phiên bản \(response.revision) cho các sở, ngành.") }
                } else {
                    lines.append("Chỉ thị \(response.directiveID): đã lưu phiên bản \(response.revision).")
                    if !response.changes.isEmpty {
                        lines.append("Thay đổi so với phiên bản \(response.revision - 1):")
                        lines += response.changes.map { "  - \($0)" }
                    }
                }
                lines += response.warnings.map { "Lưu ý: \($0)" }
                printText(lines.joined(separator: "\n"))
            }
        }
    }

    /// `planctl directive show`: GetDirective, printed like `parse`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a directive revision kept by the aggregator, as `parse` prints it.")

        @Option(help: "Plan year (default: the latest imported).")
        var year: Int32?

        @Option(help: "Revision (default: the latest).")
        var revision: Int32?

        @Flag(help: "Print the parsed directive as JSON, as `parse --json` does.")
        var json = false

        @Option(help: "Seconds to wait for the aggregator.")
        var timeout = Seconds(10)

        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Directive_V1_GetDirectiveRequest()
                request.year = year ?? 0
                request.revision = revision ?? 0
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: broker.target("aggregator")))
                            .getDirective(request, options: RPCCallOptions(timeout: timeout.duration))
                    } catch {
                        throw CommandFailure("không lấy được chỉ thị", error)
                    }
                }
                if json {
                    printText(response.parsedJson)
                    return
                }
                let directive: Directive
                do {
                    directive = try Directive(jsonData: Data(response.parsedJson.utf8))
                } catch {
                    throw CommandFailure(message: "the aggregator's directive \(response.directive.id) revision \(response.directive.revision) is not readable JSON: \(error)")
                }
                let stored = response.directive
                let by = [stored.importedBy.user, stored.importedBy.agencyCode].filter { !$0.isEmpty }.joined(separator: ", ")
                printText("""
                    Chỉ thị \(stored.id) — phiên bản \(stored.revision), nhập lúc \(timestamp(stored.importedAt))\(by.isEmpty ? "" : " bởi \(by)")
                    SHA-256: \(stored.textSha256)

                    \(directive.plainTextReport())
                    """)
            }
        }
    }

    /// `planctl directive revisions`: ListRevisions.
    struct Revisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the revisions of a year's directive kept by the aggregator.")

        @Option(help: "Plan year (default: the latest imported).")
        var year: Int32?

        @Option(help: "Seconds to wait for the aggregator.")
        var timeout = Seconds(10)

        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Directive_V1_ListRevisionsRequest()
                request.year = year ?? 0
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: broker.target("aggregator")))
                            .listRevisions(request, options: RPCCallOptions(timeout: timeout.duration))
                    } catch {
                        throw CommandFailure("không lấy được danh sách phiên bản", error)
                    }
                }
                var table = TextTable(columns: [
                    .init("Phiên bản", alignment: .right), .init("Nhập lúc"), .init("Người nhập"), .init("Tệp"), .init("Số thay đổi", alignment: .right), .init("SHA-256", maximumWidth: 12),
                ])
                for revision in response.revisions {
                    let by = [revision.importedBy.user, revision.importedBy.agencyCode].filter { !$0.isEmpty }.joined(separator: ", ")
                    table.append([
                        String(revision.revision), timestamp(revision.importedAt), by, revision.fileName,
                        String(revision.changes.count), revision.textSha256,
                    ])
                }
                printText(table.rendered())
            }
        }
    }
}

/// The bytes of a file; a ``CommandFailure`` naming it when it cannot be read.
func readFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw CommandFailure(message: "cannot read \(path): \(error.localizedDescription)")
    }
}

/// A protobuf message as indented JSON with sorted keys.
func prettyJSON(_ message: some SwiftProtobuf.Message) throws -> String {
    let compact = try message.jsonUTF8Data()
    let object = try JSONSerialization.jsonObject(with: compact)
    let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: pretty, as: UTF8.self)
}

/// A timestamp in Vietnam time, `yyyy-MM-dd HH:mm:ss (UTC+7)`.
func timestamp(_ value: Google_Protobuf_Timestamp) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss '(UTC+7)'"
    return formatter.string(from: value.date)
}
