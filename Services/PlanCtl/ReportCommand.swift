import ArgumentParser
import DirectiveParser
import Foundation
import PlanContracts

/// `planctl report …`: the agencies' monthly reports (MonthlyReportService of every department service).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Submit and show an agency's monthly report (báo cáo tháng) to a department service.",
        subcommands: [Submit.self, Show.self]
    )

    /// `planctl report submit SERVICE FILE`: SubmitMonthlyReport.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit a monthly report from a JSON file: the first version, or a correction of the last.",
            discussion: """
                The file holds a MonthlyReport in protobuf JSON: orgUnitCode, agencyCode, year, month, observations, \
                tasks, highlights, and correctionReason from the second submission on. The service sets the report id, \
                version, submitter and receipt time. A field the report does not have is an error naming it.
                """
        )

        @Argument(help: "The department service the report goes to (\(departmentNames)).")
        var service: String

        @Argument(help: "The report, in protobuf JSON.")
        var file: String

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(30)

        @OptionGroup var caller: CallerOptions
        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            try validateDepartment(service)
        }

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Department_V1_SubmitMonthlyReportRequest()
                request.report = try readMessage(Planmonitor_Department_V1_MonthlyReport.self, fromJSONFile: file)
                let options = caller.callOptions(timeout: timeout)
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: broker.target(service)))
                            .submitMonthlyReport(request, options: options)
                    } catch {
                        throw CommandFailure("không nộp được báo cáo từ \(file)", error)
                    }
                }
                printText(Self.report(response))
            }
        }

        /// The report's id, version, receipt time and whether it corrects an earlier version.
        static func report(_ response: Planmonitor_Department_V1_SubmitMonthlyReportResponse) -> String {
            let report = response.report
            let kind = response.correction ? "bản sửa, lý do: \(report.correctionReason)" : "lần nộp đầu"
            return """
                Đã nhận báo cáo \(report.reportID).
                Phiên bản: \(report.version) (\(kind))
                Nhận lúc: \(timestamp(report.receivedAt))
                Người nộp: \(actorLabel(report.submittedBy))
                """
        }
    }

    /// `planctl report show SERVICE --agency A --month YYYY-MM`: GetMonthlyReport.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a version of a monthly report and the list of its versions.")

        @Argument(help: "The department service that received the report (\(departmentNames)).")
        var service: String

        @Option(help: "GSO code of the unit reported on (default: the --org-unit of the instance).")
        var orgUnitCode: String?

        @Option(help: "Code of the reporting agency (e.g. dept-finance); also sent as your agency.")
        var agency: String

        @Option(help: "The month reported on, as 2018-06.")
        var month: ReportMonth

        @Option(help: "Version (default: the latest).")
        var version: Int32?

        @Option(help: "User name sent with the call; $USER by default.")
        var user = ProcessInfo.processInfo.environment["USER"] ?? ""

        @Flag(help: "Print the service's answer as JSON.")
        var json = false

        @Option(help: "Seconds to wait for the service.")
        var timeout = Seconds(10)

        @OptionGroup var broker: BrokerOptions

        func validate() throws {
            try validateDepartment(service)
        }

        func run() async throws {
            try await reportingFailures {
                var request = Planmonitor_Department_V1_GetMonthlyReportRequest()
                request.orgUnitCode = orgUnitCode ?? broker.orgUnit
                request.agencyCode = agency
                request.year = month.year
                request.month = month.month
                request.version = version ?? 0
                let options = CallerOptions.callOptions(user: user, agency: agency, timeout: timeout)
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await Planmonitor_Department_V1_MonthlyReportService.Client(transport: rpc.transport(to: broker.target(service)))
                            .getMonthlyReport(request, options: options)
                    } catch {
                        throw CommandFailure("không lấy được báo cáo tháng \(month.month)/\(month.year) của \(agency)", error)
                    }
                }
                printText(json ? try prettyJSON(response) : Self.report(response))
            }
        }

        /// The report's heading, figures, tasks and highlights, then its versions.
        static func report(_ response: Planmonitor_Department_V1_GetMonthlyReportResponse) -> String {
            let report = response.report
            var lines = [
                "Báo cáo \(report.reportID) — phiên bản \(report.version)",
                "Đơn vị \(report.orgUnitCode), cơ quan \(report.agencyCode), tháng \(report.month)/\(report.year)",
                "Nhận lúc \(timestamp(report.receivedAt)), người nộp: \(actorLabel(report.submittedBy))",
            ]
            if !report.correctionReason.isEmpty { lines.append("Lý do sửa: \(report.correctionReason)") }
            lines += ["", "Số liệu: \(report.observations.count)", observationTable(report.observations)]
            var tasks = TextTable(columns: [.init("Nhiệm vụ"), .init("Tình trạng"), .init("Ghi chú", maximumWidth: 100)])
            for task in report.tasks {
                tasks.append([task.taskKey, statusLabel(task.status), task.note])
            }
            lines += ["", "Nhiệm vụ: \(report.tasks.count)", tasks.rendered()]
            if !report.highlights.isEmpty {
                lines += ["", "Nổi bật:"] + report.highlights.map { "  - \($0)" }
            }
            var versions = TextTable(columns: [
                .init("Phiên bản", alignment: .right), .init("Nhận lúc"), .init("Người nộp"), .init("Lý do sửa", maximumWidth: 80),
            ])
            for version in response.versions {
                versions.append([String(version.version), timestamp(version.receivedAt), actorLabel(version.submittedBy), version.correctionReason])
            }
            lines += ["", "Các phiên bản: \(response.versions.count)", versions.rendered()]
            return lines.joined(separator: "\n")
        }

        private static func statusLabel(_ status: Planmonitor_Department_V1_TaskStatus) -> String {
            switch status {
            case .notStarted: "chưa triển khai"
            case .inProgress: "đang triển khai"
            case .done: "đã hoàn thành"
            case .blocked: "vướng mắc"
            case .unspecified, .UNRECOGNIZED: ""
            }
        }
    }
}

/// A month given on the command line as "2018-06" (or "2018-6").
struct ReportMonth: ExpressibleByArgument {
    var year: Int32
    var month: Int32

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, let year = Int32(parts[0]), (1...2).contains(parts[1].count),
              let month = Int32(parts[1]), (1...12).contains(month)
        else { return nil }
        self.year = year
        self.month = month
    }
}
