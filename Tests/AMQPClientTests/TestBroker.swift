import AMQPClient
import Foundation
import Logging
import StackTestSupport
import Synchronization

/// The local stack's brokers, as `scripts/stack` starts them (settings from the environment, with the stack's defaults).
enum TestBroker {
    static let environment = ProcessInfo.processInfo.environment
    static let host = environment["PLANMONITOR_AMQP_HOST"] ?? "127.0.0.1"
    static let cityPort = Int(environment["PLANMONITOR_AMQP_PORT"] ?? "") ?? 5673
    /// The throw-away node that disruptive tests stop, freeze and restart.
    static let scratchPort = 5679
    static let virtualHost = environment["PLANMONITOR_AMQP_VHOST"] ?? "planmonitor"
    static let adminUser = environment["PLANMONITOR_AMQP_ADMIN_USER"] ?? "planmonitor-admin"
    static let adminPassword = environment["PLANMONITOR_AMQP_ADMIN_PASSWORD"] ?? "planmonitor-admin-dev"

    static var logger: Logger {
        var logger = Logger(label: "amqp-test")
        logger.logLevel = .warning
        return logger
    }

    static func configuration(
        name: String, port: Int = cityPort, user: String = adminUser, password: String = adminPassword,
        heartbeat: Duration = .seconds(10), publishTimeout: Duration = .seconds(15)
    ) -> AMQPConfiguration {
        AMQPConfiguration(
            host: host, port: port, virtualHost: virtualHost, username: user, password: password,
            connectionName: "test-\(name)", heartbeat: heartbeat, publishTimeout: publishTimeout
        )
    }

    static func connect(_ name: String, port: Int = cityPort, user: String = adminUser, password: String = adminPassword,
                        heartbeat: Duration = .seconds(10), publishTimeout: Duration = .seconds(15)) async throws -> AMQPConnection {
        let connection = AMQPConnection(
            configuration: configuration(name: name, port: port, user: user, password: password, heartbeat: heartbeat, publishTimeout: publishTimeout),
            logger: logger
        )
        try await connection.waitUntilConnected(timeout: .seconds(20))
        return connection
    }

    /// A name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A durable exchange and a durable queue bound with `#`; the queue expires once unused.
    static func declareScratchQueue(_ connection: AMQPConnection, prefix: String, quorum: Bool = false) async throws -> (exchange: String, queue: String) {
        let exchange = uniqueName("\(prefix)-exchange")
        let queue = uniqueName("\(prefix)-queue")
        try await connection.declare(AMQPTopology(
            exchanges: [AMQPExchange(name: exchange, kind: .topic, durable: true)],
            // Unused test queues disappear after ten minutes.
            queues: [AMQPQueue(name: queue, durable: true, arguments: (quorum ? ["x-queue-type": .string("quorum")] : [:]).merging(["x-expires": .int32(600_000)]) { $1 })],
            bindings: [AMQPBinding(queue: queue, exchange: exchange, bindingKey: "#")]
        ))
        return (exchange, queue)
    }
}

/// Collects the deliveries of a consumer until `count` arrived or `timeout` passed, returning what arrived.
func collect(_ consumer: AMQPConsumer, count: Int, timeout: Duration, acknowledge: Bool = true) async throws -> [AMQPDelivery] {
    let received = Locked<[AMQPDelivery]>([])
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for try await delivery in consumer {
                if acknowledge { delivery.ack() }
                let total = received.withLock { deliveries in
                    deliveries.append(delivery)
                    return deliveries.count
                }
                if total >= count { return }
            }
        }
        group.addTask { try await Task.sleep(for: timeout) }
        try await group.next()
        group.cancelAll()
    }
    return received.withLock { $0 }
}

/// A value shared between test tasks behind a lock.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
