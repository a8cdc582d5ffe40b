import AMQPClient
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import ServiceLifecycle
import ServiceRuntime
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("A service process: start, health, metrics, graceful stop")
struct ServiceApplicationTests {
    @Test("a service migrates, serves health over RPC and HTTP, exports metrics and stops on graceful shutdown")
    func lifecycle() async throws {
        PrometheusExport.bootstrap()
        let service = TestStack.uniqueService("app")
        let configuration = ServiceConfiguration(
            identity: ServiceIdentity(service: service, orgUnit: "31", brokerUser: TestStack.adminUser),
            amqp: TestStack.amqpConfiguration(service),
            database: TestStack.databaseConfiguration(schema: service)
        )
        let definition = ServiceDefinition(
            service: service,
            migrations: [Migration(id: "\(service)-0001-records", statements: ["CREATE TABLE {schema}.records (id bigint PRIMARY KEY)"])],
            eventBindings: ["\(service).#"]
        ) { _ in ServiceHandlers() }
        let application = ServiceApplication(definition: definition, configuration: configuration, logger: TestStack.logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: TestStack.logger))
        let running = Task { try await group.run() }

        let port = try await waitFor(timeout: .seconds(30)) { application.httpPort }
        let base = "http://127.0.0.1:\(port)"
        let (health, healthStatus) = try await get("\(base)/health")
        #expect(healthStatus == 200)
        #expect(health.contains("alive"))
        let readyStatus = try await waitFor(timeout: .seconds(20)) { () async throws -> Int? in
            let (_, status) = try await get("\(base)/ready")
            return status == 200 ? status : nil
        }
        #expect(readyStatus == 200)

        // Health over RPC, as planctl asks it.
        let callerConnection = try await TestStack.connect("\(service)-caller")
        let rpc = RPCClient(connection: callerConnection, identity: ServiceIdentity(service: "planctl", orgUnit: "31", brokerUser: TestStack.adminUser), logger: TestStack.logger)
        let healthClient = Planmonitor_Health_V1_HealthService.Client(transport: rpc.transport(to: RPCTarget(service: service, orgUnit: "31")))
        let answer = try await healthClient.check(Planmonitor_Health_V1_HealthCheckRequest(), options: RPCCallOptions(timeout: .seconds(5)))
        #expect(answer.status == .serving)
        #expect(answer.serviceName == service)
        #expect(answer.orgUnit.code == "31")
        #expect(Set(answer.checks.keys) == ["database", "broker", "queues"])
        #expect(answer.checks["queues"]?.detail == "consuming")

        // The migrations ran: the service's table and the messaging tables exist.
        let database = try await LedgerDatabase(schema: service)
        let tables = try await database.client.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = \(service) ORDER BY table_name", logger: TestStack.logger
        ).collect().map { try $0.decode(String.self) }
        #expect(tables.contains("records"))
        #expect(tables.contains("outbox"))
        #expect(tables.contains("inbox"))

        let (metrics, metricsStatus) = try await get("\(base)/metrics")
        #expect(metricsStatus == 200)
        #expect(metrics.contains("planmonitor_amqp_published_total"))
        #expect(metrics.contains("planmonitor_rpc_server_duration_seconds"))
        #expect(metrics.contains("planmonitor_outbox_backlog"))

        // Graceful shutdown: the process stops by itself, promptly.
        let stopping = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(ContinuousClock.now - stopping < .seconds(10))
        await #expect(throws: (any Error).self) { _ = try await get("\(base)/health") }

        rpc.shutdown()
        await callerConnection.close()
        await database.drop()
    }
}

/// The body and status of an HTTP GET.
func get(_ url: String) async throws -> (String, Int) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return (String(decoding: data, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode ?? 0)
}

/// Polls `probe` until it returns a value or `timeout` passes.
func waitFor<Value: Sendable>(timeout: Duration, _ probe: () async throws -> Value?) async throws -> Value {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while true {
        if let value = try? await probe() { return value }
        guard ContinuousClock.now < deadline else { throw TimedOut() }
        try await Task.sleep(for: .milliseconds(100))
    }
}

struct TimedOut: Error {}
