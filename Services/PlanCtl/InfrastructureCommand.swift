import ArgumentParser
import DepartmentCore
import DirectiveParser
import Foundation
import PlanContracts
import PlanMessaging

/// `planctl infrastructure …`: the register of key works kept by the infrastructure service (InfrastructureService).
struct InfrastructureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infrastructure",
        abstract: "Seed, list and export the infrastructure service's register of key works.",
        discussion: """
            The register's records (project, milestone, contract-change, progress, site-clearance) are imported, \
            entered, listed and totalled with `planctl records … infrastructure`; load-milestones reads the rows of \
            published figures whose indicator starts with "Infrastructure milestone:". Changes are recorded with \
            --user ($USER) and --agency.
            """,
        subcommands: [Seed.self, LoadMilestones.self, Projects.self, Export.self]
    )

    /// The infrastructure service's client on `rpc`, for the org unit of `broker`.
    private static func client(_ rpc: RPCClient, _ broker: BrokerOptions) -> Planmonitor_Infrastructure_V1_InfrastructureService.Client {
        Planmonitor_Infrastructure_V1_InfrastructureService.Client(transport: rpc.transport(to: broker.target("infrastructure")))
    }

    /// `planctl infrastructure seed [--year Y]`: SeedRegister.
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register the key works of the year's directive from the service's seed register.",
            discussion: "Projects already registered are left as they are, so the command can be run again."
        )

        @Option(help: "Year of the seed register (default: the year of the latest directive the service received).")
        var year: Int32?

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(60)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                let request = Planmonitor_Infrastructure_V1_SeedRegisterRequest.with { $0.year = year ?? 0 }
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await InfrastructureCommand.client(rpc, broker).seedRegister(request, options: caller.callOptions(timeout: timeout))
                    } catch {
                        throw CommandFailure("không nạp được danh mục công trình trọng điểm", error)
                    }
                }
                var lines = [
                    "Danh mục công trình trọng điểm năm \(response.year): \(response.createdIds.count) dự án mới, "
                        + "\(response.unchangedIds.count) dự án đã có, \(response.keptIds.count) dự án đã sửa nên giữ nguyên.",
                ]
                if !response.createdIds.isEmpty { lines.append("Dự án mới: \(response.createdIds.joined(separator: ", "))") }
                if !response.keptIds.isEmpty { lines.append("Giữ nguyên: \(response.keptIds.joined(separator: ", "))") }
                printText(lines.joined(separator: "\n"))
            }
        }
    }

    /// Sends a CSV file to ImportRecordsCsv; a refusal lists each problem on a line of its own.
    private static func importCSV(
        _ request: Planmonitor_Department_V1_ImportRecordsCsvRequest, caller: CallerOptions, broker: BrokerOptions, timeout: Seconds, file: String
    ) async throws -> Planmonitor_Department_V1_ImportRecordsCsvResponse {
        try await broker.withRPC { rpc in
            do {
                return try await client(rpc, broker).importRecordsCsv(request, options: caller.callOptions(timeout: timeout))
            } catch {
                throw CommandFailure("không nhập được \(file)", listingReasonsOf: error)
            }
        }
    }

    /// `planctl infrastructure load-milestones FILE`: the milestone rows of a file of published figures, as
    /// ImportRecordsCsv of kind published-milestone.
    struct LoadMilestones: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load-milestones",
            abstract: "Load the infrastructure milestones of a file of published figures as milestones of their projects.",
            discussion: """
                The file has the columns of Shared/ReferenceData/data/hp2018-reported-jan-jun.csv (target_no, \
                indicator, period_kind, period, value, unit, estimate, source_url). Only the rows whose indicator \
                starts with "\(publishedMilestonePrefix)" are sent; the service matches each to the project of its \
                seed register whose published name the indicator contains, and stores it met on the row's day.
                """
        )

        /// The start of the indicator of a milestone row (the service's `InfrastructureCSV.publishedMilestonePrefix`).
        static let publishedMilestonePrefix = "Infrastructure milestone:"

        @Argument(help: "The CSV file of published figures.")
        var file: String

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(60)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                let name = URL(fileURLWithPath: file).lastPathComponent
                let milestones = try Self.milestoneRows(of: try readFile(file), file: file)
                let request = Planmonitor_Department_V1_ImportRecordsCsvRequest.with {
                    $0.csv = milestones
                    $0.fileName = name
                    $0.recordKind = "published-milestone"
                }
                let response = try await InfrastructureCommand.importCSV(request, caller: caller, broker: broker, timeout: timeout, file: file)
                var lines = ["Tệp \(name): \(response.created) mốc mới, \(response.unchanged) mốc đã có."]
                lines += response.recordIds.map { "  \($0)" }
                printText(lines.joined(separator: "\n"))
            }
        }

        /// The header and the milestone rows of a CSV file, as a comma-separated CSV file in which each row keeps its
        /// line number (the lines of the rows left out are blank), so that the service's messages and audit trail
        /// name the lines of the original file.
        static func milestoneRows(of bytes: Data, file: String) throws -> Data {
            let document: CSVDocument
            do {
                document = try CSVDocument(bytes: bytes)
            } catch {
                throw CommandFailure(message: "\(file) cannot be read as CSV: \(error)")
            }
            let indicator = CSVColumn("indicator", aliases: ["chỉ số", "nội dung"])
            guard let column = document.header.fields.firstIndex(where: indicator.accepts(header:)) else {
                throw CommandFailure(message: "\(file) has no indicator column (its header: \(document.header.fields.joined(separator: ", ")))")
            }
            let prefix = publishedMilestonePrefix.lowercased()
            let rows = document.records.filter { $0.fields[column].lowercased().hasPrefix(prefix) }
            guard !rows.isEmpty else {
                throw CommandFailure(message: "\(file) has no row whose indicator starts with “\(publishedMilestonePrefix)”")
            }
            var text = document.header.fields.map(csvField).joined(separator: ",") + "\n"
            var nextLine = document.header.line + 1 + document.header.fields.joined().count(where: \.isNewline)
            for row in rows {
                text += String(repeating: "\n", count: max(0, row.line - nextLine))
                let fields = row.fields.map(csvField).joined(separator: ",")
                text += fields + "\n"
                nextLine = max(nextLine, row.line) + 1 + fields.count(where: \.isNewline)
            }
            return Data(text.utf8)
        }

        /// A field quoted when it holds a separator, a quote or a line break.
        private static func csvField(_ text: String) -> String {
            guard text.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0.isNewline }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }

    /// `planctl infrastructure projects [--year Y]`: ListProjects.
    struct Projects: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the register: each project's status, progress, site clearance, disbursement and warnings.")

        @Option(help: "Year (default: the year of the latest directive the service received).")
        var year: Int32?

        @Option(help: "Only the projects of this owner agency (e.g. dept-transport).")
        var owner: String?

        @Flag(help: "Print the service's answer as JSON.")
        var json = false

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(10)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                let request = Planmonitor_Infrastructure_V1_ListProjectsRequest.with {
                    $0.year = year ?? 0
                    $0.ownerAgencyCode = owner ?? ""
                }
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await InfrastructureCommand.client(rpc, broker).listProjects(request, options: caller.callOptions(timeout: timeout))
                    } catch {
                        throw CommandFailure("không lấy được danh mục công trình", error)
                    }
                }
                printText(json ? try prettyJSON(response) : Self.report(response))
            }
        }

        /// One line per project, then its warnings indented below it.
        static func report(_ response: Planmonitor_Infrastructure_V1_ListProjectsResponse) -> String {
            var table = TextTable(columns: [
                .init("Mã dự án", maximumWidth: 36), .init("Tên", maximumWidth: 48), .init("Chủ đầu tư"), .init("Giai đoạn"), .init("Nhiệm vụ"),
                .init("Tiến độ KH/TH (%)", alignment: .right), .init("GPMB (hộ)", alignment: .right), .init("Giải ngân (% KH)", alignment: .right),
                .init("Cảnh báo"),
            ])
            var warnings: [String] = []
            for standing in response.projects {
                let project = standing.project
                let progress = standing.hasLatestProgress
                    ? "\(standing.latestProgress.plannedPercent)/\(standing.latestProgress.actualPercent) (T\(standing.latestProgress.month))" : ""
                let clearance = standing.hasLatestSiteClearance
                    ? "\(standing.latestSiteClearance.householdsCleared)/\(standing.latestSiteClearance.householdsToClear)" : ""
                table.append([
                    project.recordID, project.title, project.ownerAgencyCode, statusLabel(project.status), project.taskKey,
                    progress, clearance, standing.percentOfPlan, standing.warnings.isEmpty ? "" : "\(standing.warnings.count)",
                ])
                warnings += standing.warnings.map { "  \(project.recordID) — \(warningLabel($0.kind)): \($0.reason)" }
            }
            var text = "Danh mục công trình năm \(response.year): \(response.projects.count) dự án\n" + table.rendered()
            if !warnings.isEmpty { text += "\nCảnh báo đang có hiệu lực:\n" + warnings.joined(separator: "\n") }
            return text
        }
    }

    /// `planctl infrastructure export --oc4ids [--output FILE]`: ExportOc4ids.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the register as an OC4IDS 0.9 project package (JSON).",
            discussion: "Without --output the package goes to stdout."
        )

        @Flag(help: "Write OC4IDS project JSON (the only format).")
        var oc4ids = false

        @Option(help: "Year (default: the year of the latest directive the service received).")
        var year: Int32?

        @Option(help: "File to write the package to.")
        var output: String?

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(30)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            if !oc4ids { throw ValidationError("say which format: --oc4ids") }
        }

        func run() async throws {
            try await reportingFailures {
                let request = Planmonitor_Infrastructure_V1_ExportOc4idsRequest.with { $0.year = year ?? 0 }
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await InfrastructureCommand.client(rpc, broker).exportOc4ids(request, options: caller.callOptions(timeout: timeout))
                    } catch {
                        throw CommandFailure("không xuất được danh mục công trình theo OC4IDS", error)
                    }
                }
                guard let output else {
                    printText(response.packageJson)
                    return
                }
                do {
                    try Data((response.packageJson + "\n").utf8).write(to: URL(fileURLWithPath: output))
                } catch {
                    throw CommandFailure(message: "cannot write \(output): \(error.localizedDescription)")
                }
                printText("Đã ghi \(response.projectCount) dự án theo OC4IDS \(Self.version) vào \(output).")
            }
        }

        /// The OC4IDS version the service writes.
        private static let version = "0.9"
    }
}

/// A project's lifecycle status in Vietnamese.
private func statusLabel(_ status: Planmonitor_Infrastructure_V1_ProjectStatus) -> String {
    switch status {
    case .identification: "chủ trương"
    case .preparation: "chuẩn bị"
    case .implementation: "thực hiện"
    case .completion: "hoàn thành"
    case .cancelled: "dừng"
    case .unspecified, .UNRECOGNIZED: ""
    }
}

/// A warning's kind in Vietnamese.
private func warningLabel(_ kind: Planmonitor_Infrastructure_V1_WarningKind) -> String {
    switch kind {
    case .behindSchedule: "chậm tiến độ"
    case .milestoneOverdue: "quá hạn mốc"
    case .slowDisbursement: "giải ngân chậm"
    case .clearanceStalled: "GPMB không tiến triển"
    case .unspecified, .UNRECOGNIZED: ""
    }
}
