import AMQPClient
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import Synchronization

/// The local stack's settings (from the environment, with `scripts/stack`'s defaults).
enum TestStack {
    static let environment = ProcessInfo.processInfo.environment
    static func value(_ name: String, _ fallback: String) -> String {
        guard let value = environment[name], !value.isEmpty else { return fallback }
        return value
    }

    static let amqpHost = value("PLANMONITOR_AMQP_HOST", "127.0.0.1")
    static let cityPort = Int(value("PLANMONITOR_AMQP_PORT", "5673")) ?? 5673
    static let scratchPort = 5679
    static let virtualHost = value("PLANMONITOR_AMQP_VHOST", "planmonitor")
    static let adminUser = value("PLANMONITOR_AMQP_ADMIN_USER", "planmonitor-admin")
    static let adminPassword = value("PLANMONITOR_AMQP_ADMIN_PASSWORD", "planmonitor-admin-dev")
    static let pgHost = value("PLANMONITOR_PG_HOST", "127.0.0.1")
    static let pgPort = Int(value("PLANMONITOR_PG_PORT", "55432")) ?? 55432
    static let pgAdminUser = value("PLANMONITOR_PG_ADMIN_USER", "postgres")
    static let pgAdminPassword = value("PLANMONITOR_PG_ADMIN_PASSWORD", "planmonitor-postgres-dev")
    static let pgTestDatabase = value("PLANMONITOR_PG_TEST_DATABASE", "planmonitor_test")

    static var logger: Logger {
        var logger = Logger(label: "planmonitor.messaging.tests")
        logger.logLevel = Logger.Level(rawValue: value("PLANMONITOR_TEST_LOG_LEVEL", "error")) ?? .error
        return logger
    }

    static func amqpConfiguration(_ name: String, port: Int = cityPort, heartbeat: Duration = .seconds(5), publishTimeout: Duration = .seconds(10)) -> AMQPConfiguration {
        AMQPConfiguration(
            host: amqpHost, port: port, virtualHost: virtualHost, username: adminUser, password: adminPassword,
            connectionName: "test-\(name)", heartbeat: heartbeat, publishTimeout: publishTimeout,
            reconnectBackoff: (.milliseconds(100), .seconds(1))
        )
    }

    static func connect(_ name: String, port: Int = cityPort) async throws -> AMQPConnection {
        let connection = AMQPConnection(configuration: amqpConfiguration(name, port: port), logger: logger)
        try await connection.waitUntilConnected(timeout: .seconds(20))
        return connection
    }

    static func databaseConfiguration(schema: String) -> DatabaseConfiguration {
        DatabaseConfiguration(host: pgHost, port: pgPort, database: pgTestDatabase, username: pgAdminUser, password: pgAdminPassword, schema: schema)
    }

    /// A service name no other test uses (also its schema name and the domain of its events).
    static func uniqueService(_ prefix: String) -> String {
        "t\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// A value shared between test tasks behind a lock.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

/// A running PostgreSQL client on the test database, with a fresh schema that has the messaging tables and a ledger
/// that counts how often each event was applied.
final class LedgerDatabase: Sendable {
    let client: PostgresClient
    let schema: SchemaName
    private let runTask: Task<Void, Never>

    init(schema name: String) async throws {
        schema = try SchemaName(name)
        client = PostgresClient(configuration: TestStack.databaseConfiguration(schema: name).postgresClientConfiguration)
        let client = client
        runTask = Task { await client.run() }
        try await MigrationRunner(client: client, schema: schema, logger: TestStack.logger).apply([
            .messagingTables,
            .eventHandlerFailures,
            Migration(id: "test-0001-ledger", statements: [
                "CREATE TABLE {schema}.ledger (stream text NOT NULL, sequence bigint NOT NULL, applied_count int NOT NULL DEFAULT 1, PRIMARY KEY (stream, sequence))",
            ]),
        ])
    }

    /// A second client on the same schema (a second process).
    func makeClient() -> (PostgresClient, Task<Void, Never>) {
        let client = PostgresClient(configuration: TestStack.databaseConfiguration(schema: schema.rawValue).postgresClientConfiguration)
        return (client, Task { await client.run() })
    }

    /// Records one application of an event; a second application of the same event shows as applied_count 2.
    static func apply(_ ping: Planmonitor_Testing_V1_Ping, schema: SchemaName, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "INSERT INTO \(unescaped: schema.rawValue).ledger (stream, sequence) VALUES (\(ping.stream), \(ping.sequence)) ON CONFLICT (stream, sequence) DO UPDATE SET applied_count = ledger.applied_count + 1",
            logger: logger
        )
    }

    /// Sequences applied per stream, with how often each was applied.
    func ledger(stream: String) async throws -> [Int64: Int] {
        var result: [Int64: Int] = [:]
        let rows = try await client.query("SELECT sequence, applied_count FROM \(unescaped: schema.rawValue).ledger WHERE stream = \(stream)", logger: TestStack.logger)
        for try await (sequence, count) in rows.decode((Int64, Int).self) { result[sequence] = count }
        return result
    }

    /// Enqueues pings in one transaction each batch.
    func enqueue(_ pings: [Planmonitor_Testing_V1_Ping], factory: EventFactory) async throws -> [UUID] {
        let messages = try pings.map { try factory.event($0, name: "ping") }
        let outbox = Outbox(schema: schema)
        try await client.planTransaction(logger: TestStack.logger) { connection in
            try await outbox.enqueue(messages, on: connection, logger: TestStack.logger)
        }
        return messages.map(\.messageID)
    }

    func waitForLedger(stream: String, count: Int, timeout: Duration) async throws -> [Int64: Int] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var ledger = try await self.ledger(stream: stream)
        while ledger.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            ledger = try await self.ledger(stream: stream)
        }
        return ledger
    }

    func drop() async {
        _ = try? await client.query("DROP SCHEMA \(unescaped: schema.rawValue) CASCADE", logger: TestStack.logger)
        runTask.cancel()
    }
}

func ping(_ stream: String, _ sequence: Int64) -> Planmonitor_Testing_V1_Ping {
    var ping = Planmonitor_Testing_V1_Ping()
    ping.stream = stream
    ping.sequence = sequence
    ping.text = "Hải Phòng #\(sequence)"
    return ping
}

/// Event handlers that record every ping in the ledger; pings of stream "poison" always fail.
func ledgerHandlers(schema: SchemaName) -> EventHandlers {
    var handlers = EventHandlers()
    handlers.on(Planmonitor_Testing_V1_Ping.self) { ping, context in
        if ping.stream == "poison" { throw PoisonFailure(sequence: ping.sequence) }
        try await LedgerDatabase.apply(ping, schema: schema, on: context.connection, logger: context.logger)
    }
    return handlers
}

struct PoisonFailure: Error, CustomStringConvertible {
    var sequence: Int64
    var description: String { "poison ping \(sequence) cannot be applied" }
}

/// Runs `services` until `body` returns, then stops them.
func whileRunning<Value: Sendable>(_ services: [@Sendable () async throws -> Void], _ body: () async throws -> Value) async throws -> Value {
    let tasks = services.map { service in Task { try await service() } }
    defer { for task in tasks { task.cancel() } }
    return try await body()
}

/// The next delivery of `consumer`, or nil when none arrives within `timeout`.
func firstDelivery(of consumer: AMQPConsumer, within timeout: Duration) async throws -> AMQPDelivery? {
    try await withThrowingTaskGroup(of: AMQPDelivery?.self) { group in
        group.addTask {
            for try await delivery in consumer { return delivery }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
