import ArgumentParser
import DirectiveParser
import DepartmentCore
import Foundation
import PlanContracts

/// `planctl share --service S`: a department's share of the directive (GetDirectiveShare).
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Show a department's share of the directive: the targets it reports and the tasks its agencies lead."
    )

    @Option(help: "The department service (\(Department.allCases.map(\.rawValue).joined(separator: ", "))).")
    var service: String

    @Option(help: "Plan year (default: the latest received).")
    var year: Int32?

    @Option(help: "Directive revision (default: the latest received).")
    var revision: Int32?

    @Flag(help: "Print the service's answer as JSON.")
    var json = false

    @Option(help: "Seconds to wait for the service.")
    var timeout = Seconds(10)

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        guard Department(rawValue: service) != nil else {
            throw ValidationError("unknown department '\(service)'; expected one of \(Department.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        try await reportingFailures {
            var request = Planmonitor_Department_V1_GetDirectiveShareRequest()
            request.year = year ?? 0
            request.revision = revision ?? 0
            let response = try await broker.withRPC { rpc in
                do {
                    return try await Planmonitor_Department_V1_DirectiveShareService.Client(transport: rpc.transport(to: broker.target(service)))
                        .getDirectiveShare(request, options: RPCCallOptions(timeout: timeout.duration))
                } catch {
                    throw CommandFailure("không lấy được phần việc của \(service)", error)
                }
            }
            printText(json ? try prettyJSON(response) : Self.report(response))
        }
    }

    /// The share as text: its header, a table of targets and a table of tasks.
    static func report(_ response: Planmonitor_Department_V1_GetDirectiveShareResponse) -> String {
        let share = response.share
        var lines = [
            "Phần việc của \(share.service) — chỉ thị \(share.directiveID), phiên bản \(share.revision) (nhận lúc \(timestamp(share.receivedAt)))",
            "Các phiên bản đã nhận: \(response.receivedRevisions.map(String.init).joined(separator: ", "))",
            "",
            "Chỉ tiêu: \(share.targets.count)",
        ]
        var targets = TextTable(columns: [
            .init("Số"), .init("Chỉ tiêu", maximumWidth: 56), .init("So sánh"), .init("Giá trị", alignment: .right), .init("Đơn vị"),
        ])
        for target in share.targets {
            targets.append(["(\(target.number))", target.nameVi, label(target.comparator), value(target.value, target.low, target.high), target.unitText])
            for part in target.subTargets {
                targets.append(["  \(part.code)", "  " + part.nameVi, label(part.comparator), value(part.value, part.low, part.high), part.unitText])
            }
        }
        lines.append(targets.rendered())
        lines += ["", "Nhiệm vụ: \(share.tasks.count)"]
        let names = Dictionary(share.agencies.map { ($0.code, $0.nameVi) }, uniquingKeysWith: { first, _ in first })
        var tasks = TextTable(columns: [
            .init("Mã"), .init("Đơn vị chủ trì", maximumWidth: 40), .init("Thời hạn"), .init("Nội dung", maximumWidth: 80),
        ])
        for task in share.tasks {
            let leads = task.leadAgencyCodes.compactMap { names[$0] }
            let due = String(format: "%04d-%02d-%02d", task.dueDate.year, task.dueDate.month, task.dueDate.day)
            tasks.append([task.key, leads.joined(separator: ", "), due, task.text])
        }
        lines.append(tasks.rendered())
        return lines.joined(separator: "\n")
    }

    private static func value(_ value: String, _ low: String, _ high: String) -> String {
        value.isEmpty && !low.isEmpty ? "\(low) - \(high)" : value
    }

    private static func label(_ comparator: Planmonitor_Directive_V1_Comparator) -> String {
        switch comparator {
        case .reach: "đạt"
        case .about: "khoảng"
        case .at: "ở mức"
        case .atLeast: "từ … trở lên"
        case .moreThan: "trên"
        case .lessThan: "dưới"
        case .increaseBy: "tăng"
        case .decreaseBy: "giảm"
        case .range: "trong khoảng"
        case .unspecified, .UNRECOGNIZED: ""
        }
    }
}
