import ArgumentParser
import Foundation
import PlanContracts

/// `planctl briefing --period 2018-06`: the monthly briefing from the aggregator (PictureService.GetBriefing), as HTML,
/// Markdown, or PDF (HTML printed by Chromium when it is installed).
struct BriefingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "briefing",
        abstract: "Write the monthly briefing for leadership (báo cáo tháng) as HTML, Markdown or PDF."
    )

    @Option(help: "The month, as YYYY-MM (e.g. 2018-06).")
    var period: String

    @Option(help: "Output format: html, md or pdf (pdf needs Chromium).")
    var format = "html"

    @Option(help: "GSO code of a district (default: the city).")
    var unit: String?

    @Option(name: .shortAndLong, help: "File to write (default: bao-cao-thang-MM-YYYY.<format> in the current directory; - for standard output).")
    var output: String?

    @Option(help: "Seconds to wait for the aggregator.")
    var timeout = Seconds(30)

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard ["html", "md", "pdf"].contains(format) else { throw ValidationError("format '\(format)' is not html, md or pdf") }
        guard parsedPeriod != nil else { throw ValidationError("period '\(period)' is not a month like 2018-06") }
        if format == "pdf", output == "-" { throw ValidationError("a PDF cannot go to standard output; name a file with --output") }
    }

    private var parsedPeriod: (year: Int32, month: Int32)? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let year = Int32(parts[0]), let month = Int32(parts[1]), (1...12).contains(month), (2000...2100).contains(year) else { return nil }
        return (year, month)
    }

    func run() async throws {
        try await reportingFailures {
            guard let (year, month) = parsedPeriod else { throw CommandFailure(message: "--period \(period) is not a month (YYYY-MM)") }
            var request = Planmonitor_Aggregator_V1_GetBriefingRequest()
            request.year = year
            request.month = month
            request.orgUnitCode = unit ?? ""
            request.format = format == "md" ? .markdown : .html
            let response = try await broker.withRPC { rpc in
                do {
                    return try await Planmonitor_Aggregator_V1_PictureService.Client(transport: rpc.transport(to: broker.target("aggregator")))
                        .getBriefing(request, options: RPCCallOptions(timeout: timeout.duration))
                } catch {
                    throw CommandFailure("không lấy được báo cáo tháng \(month)/\(year)", error)
                }
            }
            if output == "-" {
                FileHandle.standardOutput.write(response.document)
                return
            }
            let stem = (response.fileName as NSString).deletingPathExtension
            let destination = URL(fileURLWithPath: output ?? "\(stem).\(format)")
            if format == "pdf" {
                try PDFPrinter.print(html: response.document, to: destination)
            } else {
                try response.document.write(to: destination)
            }
            printText("Đã ghi báo cáo tháng \(month)/\(year): \(destination.path)")
        }
    }
}

/// Prints an HTML document to PDF with headless Chromium.
enum PDFPrinter {
    /// How long Chromium may take, in seconds.
    static let timeout: Double = 120

    static func print(html: Data, to destination: URL) throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first(where: FileManager.default.isExecutableFile) else {
            throw CommandFailure(message: "không tạo được PDF: chưa cài Chromium (apt-get install chromium); dùng --format html hoặc md")
        }
        // A page and a browser profile of this run's own, so that two runs at once do not share Chromium's lock.
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("planmonitor-briefing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let page = work.appendingPathComponent("briefing.html")
        try html.write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-pdf-header-footer",
            "--user-data-dir=\(work.appendingPathComponent("profile").path)",
            "--print-to-pdf=\(destination.path)", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        guard exited.wait(timeout: .now() + Self.timeout) == .success else {
            process.terminate()
            throw CommandFailure(message: "Chromium không in xong PDF sau \(Int(Self.timeout)) giây")
        }
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: destination.path) else {
            throw CommandFailure(message: "Chromium không in được PDF (mã thoát \(process.terminationStatus))")
        }
    }
}

/// `planctl picture rebuild`: empties the aggregator's read models and applies its stored events again.
struct PictureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "picture",
        abstract: "Operate the aggregator's picture.",
        subcommands: [Rebuild.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild",
            abstract: "Replay the events the aggregator stored into empty read models (the picture comes out the same)."
        )

        @Option(help: "Seconds to wait for the aggregator.")
        var timeout = Seconds(120)

        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            try await reportingFailures {
                let response = try await broker.withRPC { rpc in
                    do {
                        return try await Planmonitor_Aggregator_V1_PictureService.Client(transport: rpc.transport(to: broker.target("aggregator")))
                            .rebuildReadModels(.init(), options: RPCCallOptions(timeout: timeout.duration))
                    } catch {
                        throw CommandFailure("không dựng lại được bức tranh", error)
                    }
                }
                printText("Đã áp dụng lại \(response.eventsApplied) sự kiện: \(response.observations) số liệu, \(response.reports) báo cáo, \(response.records) bản ghi.")
            }
        }
    }
}
