import Foundation
import Logging
import PlanPersistence
import PostgresNIO
import Synchronization

/// Connection settings for the test database, from the environment (defaults match `scripts/stack`).
enum TestDatabase {
    struct Settings: Sendable {
        var host: String
        var port: Int
        var username: String
        var password: String
        var database: String
    }

    static let settings: Settings = {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String, _ fallback: String) -> String {
            guard let value = environment[name], !value.isEmpty else { return fallback }
            return value
        }
        return Settings(
            host: value("PLANMONITOR_PG_HOST", "127.0.0.1"),
            port: Int(value("PLANMONITOR_PG_PORT", "55432")) ?? 55432,
            username: value("PLANMONITOR_PG_ADMIN_USER", "postgres"),
            password: value("PLANMONITOR_PG_ADMIN_PASSWORD", "planmonitor-postgres-dev"),
            database: value("PLANMONITOR_PG_TEST_DATABASE", "planmonitor_test")
        )
    }()

    static func configuration(maximumConnections: Int = 4) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.username,
            password: settings.password,
            database: settings.database,
            tls: .disable
        )
        configuration.options.maximumConnections = maximumConnections
        return configuration
    }

    /// Quiet unless PLANMONITOR_TEST_LOG_LEVEL says otherwise (e.g. `debug`).
    static let logger: Logger = {
        var logger = Logger(label: "planmonitor.persistence.tests", factory: StreamLogHandler.standardError(label:))
        logger.logLevel = ProcessInfo.processInfo.environment["PLANMONITOR_TEST_LOG_LEVEL"]
            .flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()
}

/// Runs `body` with a running `PostgresClient` of its own (a stand-in for one process), then shuts it down.
func withRunningClient<Value: Sendable>(
    maximumConnections: Int = 4,
    configuration: PostgresClient.Configuration? = nil,
    _ body: (PostgresClient) async throws -> Value
) async throws -> Value {
    let client = PostgresClient(configuration: configuration ?? TestDatabase.configuration(maximumConnections: maximumConnections))
    return try await withThrowingTaskGroup(of: Void.self, returning: Value.self) { group in
        group.addTask { await client.run() }
        do {
            let value = try await body(client)
            group.cancelAll()
            return value
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// A fresh schema with a random name, dropped at the end.
struct TestSchema: Sendable {
    let client: PostgresClient
    let schema: SchemaName
    var logger: Logger { TestDatabase.logger }
    var outbox: Outbox { Outbox(schema: schema) }
    var inbox: Inbox { Inbox(schema: schema) }
    var runner: MigrationRunner { MigrationRunner(client: client, schema: schema, logger: logger) }

    /// The single value of a one-row, one-column query.
    func scalar<Value: PostgresDecodable & Sendable>(_ type: Value.Type, _ query: PostgresQuery) async throws -> Value? {
        let rows = try await client.query(query, logger: logger)
        var result: Value?
        for try await (value) in rows.decode(Value.self) { result = value }
        return result
    }

    func count(_ whereClause: String = "TRUE", table: String = "outbox") async throws -> Int {
        let value = try await scalar(
            Int64.self,
            "SELECT count(*) FROM \(unescaped: schema.quoted).\(unescaped: table) WHERE \(unescaped: whereClause)"
        )
        return Int(value ?? -1)
    }

    func tableExists(_ table: String) async throws -> Bool {
        try await scalar(Bool.self, "SELECT to_regclass(\("\(schema.rawValue).\(table)")) IS NOT NULL") ?? false
    }

    /// Enqueues `messages` in one committed transaction.
    func enqueue(_ messages: [OutboxMessage]) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await outbox.enqueue(messages, on: connection, logger: logger)
        }
    }

    /// `message_id → sequence` of every outbox row.
    func sequences() async throws -> [UUID: Int64] {
        let rows = try await client.query(
            "SELECT message_id, sequence FROM \(unescaped: schema.quoted).outbox",
            logger: logger
        )
        var result: [UUID: Int64] = [:]
        for try await (id, sequence) in rows.decode((UUID, Int64).self) { result[id] = sequence }
        return result
    }
}

/// Runs `body` against a fresh schema (with the messaging tables unless `migrate` is false) and drops it after.
func withTestSchema<Value: Sendable>(
    migrate: Bool = true,
    maximumConnections: Int = 4,
    _ body: (TestSchema) async throws -> Value
) async throws -> Value {
    try await withRunningClient(maximumConnections: maximumConnections) { client in
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        let database = TestSchema(client: client, schema: try SchemaName("pptest_\(suffix)"))
        func drop() async throws {
            try await client.query("DROP SCHEMA IF EXISTS \(unescaped: database.schema.quoted) CASCADE", logger: database.logger)
        }
        do {
            if migrate {
                try await database.runner.apply([.messagingTables])
            }
            let value = try await body(database)
            try await drop()
            return value
        } catch {
            try? await drop()
            throw error
        }
    }
}

func makeMessage(_ label: String, routingKey: String = "test.event") -> OutboxMessage {
    OutboxMessage(
        exchange: "planmonitor.test",
        routingKey: routingKey,
        messageType: "planmonitor.test.v1.Event",
        headers: ["label": label],
        body: Array(label.utf8)
    )
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(10),
    every interval: Duration = .milliseconds(10),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    return try await condition()
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Every publish attempt of the test publishers sharing it, in the order they happened.
final class PublishLog: Sendable {
    struct Entry: Sendable {
        var publisher: String
        var message: OutboxMessage
        var succeeded: Bool
    }

    private let state = Mutex<[Entry]>([])

    var entries: [Entry] { state.withLock { $0 } }
    var messageIDs: [UUID] { entries.map(\.message.messageID) }
    var successfulIDs: [UUID] { entries.filter(\.succeeded).map(\.message.messageID) }
    var count: Int { state.withLock { $0.count } }

    func attempts(of id: UUID) -> Int { state.withLock { $0.filter { $0.message.messageID == id }.count } }

    func append(_ entries: [Entry]) { state.withLock { $0.append(contentsOf: entries) } }
}

/// A fake `OutboxPublisher`: records each message, fails those `failure` names (given the message and how many
/// times it was published before), then runs `hold` (to block) before returning. By default it goes on after a
/// failure, like a pipelining publisher whose later messages were confirmed anyway; with `stopAtFirstFailure` it
/// reports the rest as not attempted, as the AMQP publisher should.
final class TestPublisher: OutboxPublisher {
    let name: String
    let log: PublishLog
    private let stopAtFirstFailure: Bool
    private let failure: @Sendable (OutboxMessage, Int) -> (any Error)?
    private let hold: (@Sendable () async -> Void)?

    init(
        name: String = "publisher",
        log: PublishLog = PublishLog(),
        stopAtFirstFailure: Bool = false,
        failure: @escaping @Sendable (OutboxMessage, Int) -> (any Error)? = { _, _ in nil },
        hold: (@Sendable () async -> Void)? = nil
    ) {
        self.name = name
        self.log = log
        self.stopAtFirstFailure = stopAtFirstFailure
        self.failure = failure
        self.hold = hold
    }

    func publish(_ messages: [OutboxMessage]) async -> [Result<Void, any Error>] {
        var results: [Result<Void, any Error>] = []
        var entries: [PublishLog.Entry] = []
        for message in messages {
            if stopAtFirstFailure, entries.contains(where: { !$0.succeeded }) {
                results.append(.failure(TestError("not attempted after an earlier failure")))
                continue
            }
            let previous = log.attempts(of: message.messageID) + entries.filter { $0.message.messageID == message.messageID }.count
            if let error = failure(message, previous) {
                results.append(.failure(error))
                entries.append(.init(publisher: name, message: message, succeeded: false))
            } else {
                results.append(.success(()))
                entries.append(.init(publisher: name, message: message, succeeded: true))
            }
        }
        log.append(entries)
        await hold?()
        return results
    }
}

/// A publisher that accepts everything and records nothing (for throughput).
struct NoOpPublisher: OutboxPublisher {
    func publish(_ messages: [OutboxMessage]) async -> [Result<Void, any Error>] {
        Array(repeating: .success(()), count: messages.count)
    }
}

/// A one-shot gate that tasks wait on until it is opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            let waiters = state.waiters
            state.waiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let openNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if openNow { continuation.resume() }
        }
    }
}
