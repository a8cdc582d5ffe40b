import ArgumentParser
import DirectiveParser
import DepartmentCore
import Foundation
import PlanContracts
import PlanMessaging

/// `planctl health [--service S]`: HealthService.Check on each service instance, as a table.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Ask the services whether they are serving.",
        discussion: "Exit status 0 when every service asked is serving, 3 when one is not (or does not answer)."
    )

    /// Every PlanMonitor service, in the order the table lists them.
    static let services = Department.allCases.map(\.rawValue) + ["aggregator"]

    @Option(help: "Only this service (\(services.joined(separator: ", "))).")
    var service: String?

    @Option(help: "Seconds to wait for each service's answer.")
    var timeout = Seconds(3)

    @OptionGroup var broker: BrokerOptions

    func validate() throws {
        if let service, !Self.services.contains(service) {
            throw ValidationError("unknown service '\(service)'; expected one of \(Self.services.joined(separator: ", "))")
        }
    }

    /// One service's answer, or why there is none.
    struct Outcome: Sendable {
        var service: String
        var result: Result<Planmonitor_Health_V1_HealthCheckResponse, RPCError>
    }

    func run() async throws {
        try await reportingFailures {
            let asked = service.map { [$0] } ?? Self.services
            let (broker, timeout) = (broker, timeout.duration)
            let outcomes = try await broker.withRPC { rpc in
                @Sendable func check(_ service: String) async -> Outcome {
                    let client = Planmonitor_Health_V1_HealthService.Client(transport: rpc.transport(to: broker.target(service)))
                    do {
                        return Outcome(service: service, result: .success(try await client.check(.init(), options: RPCCallOptions(timeout: timeout))))
                    } catch let error as RPCError {
                        return Outcome(service: service, result: .failure(error))
                    } catch {
                        return Outcome(service: service, result: .failure(RPCError(.unknown, "\(error)")))
                    }
                }
                return await withTaskGroup(of: Outcome.self) { group in
                    for service in asked {
                        group.addTask { await check(service) }
                    }
                    var outcomes: [Outcome] = []
                    for await outcome in group { outcomes.append(outcome) }
                    return outcomes.sorted { asked.firstIndex(of: $0.service)! < asked.firstIndex(of: $1.service)! }
                }
            }
            var table = TextTable(columns: [
                .init("Dịch vụ"), .init("Đơn vị"), .init("Trạng thái"), .init("Kiểm tra", maximumWidth: 100),
            ])
            for outcome in outcomes {
                switch outcome.result {
                case .success(let answer):
                    let checks = answer.checks.keys.sorted().map { name in
                        let check = answer.checks[name]!
                        return "\(name): \(check.detail.isEmpty ? Self.label(check.status) : check.detail)"
                    }
                    table.append([outcome.service, answer.orgUnit.code, Self.label(answer.status), checks.joined(separator: "; ")])
                case .failure(let error):
                    let status = error.code == .unavailable || error.code == .deadlineExceeded ? "không chạy" : "lỗi"
                    let detail = error.code == .deadlineExceeded
                        ? "\(error.code): không trả lời trong \(timeout)"
                        : "\(error.code): \(error.message)"
                    table.append([outcome.service, broker.orgUnit, status, detail])
                }
            }
            printText(table.rendered())
            let allServing = outcomes.allSatisfy { outcome in
                if case .success(let answer) = outcome.result { answer.status == .serving } else { false }
            }
            if !allServing { throw ExitCode(3) }
        }
    }

    private static func label(_ status: Planmonitor_Health_V1_ServingStatus) -> String {
        switch status {
        case .serving: "đang chạy"
        case .notServing: "không sẵn sàng"
        case .unspecified, .UNRECOGNIZED: "không rõ"
        }
    }
}
