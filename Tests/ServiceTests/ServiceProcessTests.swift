import Foundation
import PlanContracts
import PlanMessaging
import Testing

extension ServicesAgainstTheStack {
    /// Each service executable, run as a process as it would be deployed: starts, migrates, serves health over RPC
    /// and HTTP, and stops cleanly on SIGTERM.
    @Suite("Service executables")
    struct ServiceProcessTests {
        /// An executable and the service name it reports.
        struct Executable: Sendable, CustomTestStringConvertible {
            var product: String
            var service: String
            var testDescription: String { product }
        }

        static let executables = [
            Executable(product: "budget-service", service: "budget"),
            Executable(product: "investment-service", service: "investment"),
            Executable(product: "infrastructure-service", service: "infrastructure"),
            Executable(product: "social-service", service: "social"),
            Executable(product: "security-service", service: "security"),
            Executable(product: "aggregator", service: "aggregator"),
        ]

        @Test("starts, is ready, answers HealthService.Check, exports metrics and exits 0 on SIGTERM", .serialized, arguments: executables)
        func lifecycle(_ executable: Executable) async throws {
            try await ServiceStack.exclusively { try await runLifecycle(executable) }
        }

        private func runLifecycle(_ executable: Executable) async throws {
            // Directives other tests published wait in a department's queue; this test is about starting and stopping.
            try await ServiceStack.purgeQueue("planmonitor.\(executable.service).\(ServiceStack.orgUnit).events")
            let process = Process()
            process.executableURL = try builtProduct(executable.product)
            process.environment = ServiceStack.serviceEnvironment()
            let log = LogCollector()
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            pipe.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            // Hummingbird logs the port it bound ("Server started and listening on 127.0.0.1:40123").
            let port = try await waitFor(timeout: .seconds(30)) { log.text.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/).map { String($0.output.1) } }
            let base = "http://127.0.0.1:\(port)"
            let ready = try await waitFor(timeout: .seconds(30)) { () async throws -> String? in
                let (body, status) = try await httpGet("\(base)/ready")
                return status == 200 ? body : nil
            }
            #expect(ready.contains("\"status\":\"ready\""))
            #expect(try await httpGet("\(base)/health").status == 200)
            let metrics = try await httpGet("\(base)/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("planmonitor_outbox_backlog"))

            let answer = try await ServiceStack.withRPC { rpc in
                try await Planmonitor_Health_V1_HealthService.Client(transport: rpc.transport(to: ServiceStack.target(executable.service)))
                    .check(.init(), options: RPCCallOptions(timeout: .seconds(5)))
            }
            #expect(answer.status == .serving)
            #expect(answer.serviceName == executable.service)
            #expect(answer.orgUnit.code == ServiceStack.orgUnit)
            #expect(answer.checks["database"]?.status == .serving)
            #expect(answer.checks["broker"]?.status == .serving)
            #expect(answer.checks["queues"]?.detail == "consuming")

            let stopping = ContinuousClock.now
            process.terminate()  // SIGTERM
            do {
                _ = try await waitFor(timeout: .seconds(10)) { process.isRunning ? nil : true }
            } catch {
                Issue.record("\(executable.product) did not stop within 10 s of SIGTERM; log:\n\(log.text)")
                return
            }
            #expect(ContinuousClock.now - stopping < .seconds(10))
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            pipe.fileHandleForReading.readabilityHandler = nil
            let output = log.text
            #expect(output.contains("[ServiceRuntime] stopped"), "log:\n\(output)")
            #expect(!output.contains(" error "), "log:\n\(output)")
            #expect(!output.contains(" critical "), "log:\n\(output)")
        }
    }
}
