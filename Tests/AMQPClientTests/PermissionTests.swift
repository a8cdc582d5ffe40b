import AMQPClient
import Testing

@Suite("Broker permissions of the service users")
struct PermissionTests {
    @Test("the budget user publishes its own routing keys and is refused another service's")
    func topicPermissions() async throws {
        let admin = try await TestBroker.connect("permissions-admin")
        defer { Task { await admin.close() } }
        let queue = TestBroker.uniqueName("permissions")
        try await admin.declare(AMQPTopology(
            queues: [AMQPQueue(name: queue, durable: false, arguments: ["x-expires": .int32(60_000)])],
            bindings: [AMQPBinding(queue: queue, exchange: "planmonitor.events", bindingKey: "*.permission-probe.*")]
        ))
        let budget = try await TestBroker.connect("permissions-budget", user: "budget", password: "planmonitor-budget-dev")
        defer { Task { await budget.close() } }
        try await budget.publish(AMQPOutgoingMessage(exchange: "planmonitor.events", routingKey: "budget.permission-probe.31", body: [1]))
        do {
            try await budget.publish(AMQPOutgoingMessage(exchange: "planmonitor.events", routingKey: "investment.permission-probe.31", body: [2]))
            Issue.record("the budget user published an investment event")
        } catch let error as AMQPError {
            guard case .channelClosed(let code, let text) = error else { throw error }
            #expect(code == 403)
            #expect(text.contains("ACCESS_REFUSED"))
        }
        // And it still publishes its own after the refusal.
        try await budget.publish(AMQPOutgoingMessage(exchange: "planmonitor.events", routingKey: "budget.permission-probe.31", body: [3]))
    }

    @Test("a service user cannot declare a queue in another service's namespace")
    func configurePermissions() async throws {
        let budget = try await TestBroker.connect("permissions-configure", user: "budget", password: "planmonitor-budget-dev")
        defer { Task { await budget.close() } }
        do {
            try await budget.declare(AMQPTopology(queues: [AMQPQueue(name: "planmonitor.investment.31.stolen", durable: false, autoDelete: true)]))
            Issue.record("the budget user declared an investment queue")
        } catch let error as AMQPError {
            guard case .channelClosed(let code, _) = error else { throw error }
            #expect(code == 403)
        }
    }
}
