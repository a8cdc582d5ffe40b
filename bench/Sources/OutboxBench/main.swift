// outbox-bench — events end to end: producer transaction (Outbox.enqueue) → OutboxRelay + AMQPOutboxPublisher →
// RabbitMQ (planmonitor.events) → EventConsumer (inbox claim + a one-row handler insert, one transaction per event)
// → consumer commit. Everything runs in this process, each role with its own PostgreSQL client and AMQP connection
// as separate services would, so both commit instants are read from one clock.
//
// Phases (each waits until the consumer has committed every event of the phase):
//   e2e.tx<K>      --batch-events events, in transactions of K (--tx-size) events, one writer, as fast as it can
//   e2e.tx1        --single-events single-event transactions from --writers concurrent writers, as fast as they can
//   e2e.paced      --paced-events single-event transactions at --paced-rate per second (latency without a backlog)
// Reported per phase: rate = events/s from the first enqueue to the consumer's last commit; produce_rate = events/s
// committed by the producers; p50_ms/p90_ms/p99_ms/max_ms = producer commit → consumer commit of each event.
// The consumer's handler also stores each Ping (with its sent_at) in <schema>.pings; the run checks that every
// event was applied exactly once. Unique schema and queues per run, dropped/deleted at the end.
import AMQPClient
import BenchFixtures
import BenchSupport
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

let options = Options()
Sample.brokerPIDs(from: options)
let batchEvents = options.int("batch-events", 20_000)
let transactionSize = options.int("tx-size", 100)
let singleEvents = options.int("single-events", 4_000)
let writers = options.int("writers", 4)
let pacedEvents = options.int("paced-events", 500)
let pacedRate = options.double("paced-rate", 100)
let prefetch = options.int("prefetch", 50)
let relayBatch = options.int("relay-batch", 500)
let label = options.string("label", "swift")
let run = runIdentifier()
let logger = Stack.logger("outbox-bench")

// MARK: - Set-up

let schema = try SchemaName("bench_e2e_\(run)")
let service = "bench-e2e-\(run)"
let identity = ServiceIdentity(service: service, orgUnit: "31", brokerUser: Stack.adminUser)
let factory = EventFactory(identity: identity)
let tracker = LatencyTracker()

func makeClient(_ role: String) -> PostgresClient {
    Stack.databaseClient(schema: schema, applicationName: "bench-e2e-\(role)")
}

func amqpConnection(_ role: String) -> AMQPConnection {
    Stack.amqpConnection(name: "bench-e2e-\(role)", logger: logger)
}

let producerClient = makeClient("producer")
let relayClient = makeClient("relay")
let consumerClient = makeClient("consumer")
let clientTasks = [producerClient, relayClient, consumerClient].map { client in Task { await client.run() } }
let relayConnection = amqpConnection("relay")
let consumerConnection = amqpConnection("consumer")

var handlers = EventHandlers()
handlers.on(Planmonitor_Testing_V1_Ping.self) { ping, context in
    let sentAt = ping.sentAt.date
    try await context.connection.query(
        "INSERT INTO \(unescaped: schema.quoted).pings (stream, sequence, sent_at) VALUES (\(ping.stream), \(ping.sequence), \(sentAt))",
        logger: context.logger
    )
}

let consumer = EventConsumer(
    identity: identity,
    configuration: EventConsumer.Configuration(
        bindingKeys: ["\(service).#"], prefetch: UInt16(prefetch), maxAttempts: 5, purpose: "events",
        afterCommit: { id in tracker.consumed(id, at: .now) }
    ),
    handlers: handlers, consumerConnection: consumerConnection, publisherConnection: relayConnection,
    client: consumerClient, schema: schema, logger: logger
)
let relay = OutboxRelay(
    client: relayClient, schema: schema,
    publisher: AMQPOutboxPublisher(connection: relayConnection, identity: identity),
    configuration: OutboxRelay.Configuration(batchSize: relayBatch, pollInterval: .seconds(1)),
    logger: logger
)
let outbox = Outbox(schema: schema)

// MARK: - Producing

func ping(_ stream: String, _ sequence: Int) -> Planmonitor_Testing_V1_Ping {
    var ping = Planmonitor_Testing_V1_Ping()
    ping.stream = stream
    ping.sequence = Int64(sequence)
    ping.text = "Hải Phòng #\(sequence)"
    ping.sentAt = Google_Protobuf_Timestamp(date: Date())
    return ping
}

/// Enqueues `sequences` of `stream` in one transaction and records the commit instant; returns the message ids.
func produce(_ stream: String, _ sequences: Range<Int>) async throws -> [UUID] {
    let messages = try sequences.map { try factory.event(ping(stream, $0), name: "ping") }
    try await producerClient.planTransaction(logger: logger) { connection in
        try await outbox.enqueue(messages, on: connection, logger: logger)
    }
    let ids = messages.map(\.messageID)
    tracker.produced(ids, at: .now)
    return ids
}

/// Events produced by all phases so far (the consumer's count is cumulative).
nonisolated(unsafe) var expectedTotal = 0

/// Runs one phase: `body` produces and returns the ids; then waits for the consumer and reports.
func phase(_ name: String, events: Int, extra: [(String, String)] = [], _ body: () async throws -> [UUID]) async throws {
    guard events > 0 else { return }
    let start = Sample()
    let startDate = Date()
    let ids = try await body()
    // Wait on the (cheap) running count of distinct consumed events; the per-event matching happens once, after.
    expectedTotal += events
    try await tracker.waitUntilConsumed(expectedTotal, timeout: .seconds(max(120, events / 50)), what: name)
    let end = Sample()
    guard let timings = tracker.phase(ids) else {
        throw BenchFailure("\(name): some event of the phase was not consumed, or consumed without being produced")
    }
    let seconds = (timings.lastConsumed - start.instant).seconds
    let produceSeconds = (timings.lastProduced - start.instant).seconds
    // When the relay marked the phase's last row sent (after the broker's confirm), by the database's clock.
    let relaySeconds = try await lastSent(ids, schema: schema, client: relayClient, logger: logger).map { $0.timeIntervalSince(startDate) } ?? .nan
    report("\(label).e2e.\(name)", count: events, from: start, to: end, seconds: seconds, extra: extra + [
        ("produce_rate", format(Double(events) / produceSeconds, 0)),
        ("relay_rate", format(Double(events) / relaySeconds, 0)),
    ] + latencyFields(timings.latencies) + [("duplicates", "\(timings.duplicates)")])
}

/// Single-event transactions from `writers` tasks; `interval` paces them (one writer) when given.
func produceSingles(_ stream: String, events: Int, writers: Int, interval: Duration? = nil) async throws -> [UUID] {
    let ticket = Ticket()
    let start = ContinuousClock.now
    return try await withThrowingTaskGroup(of: [UUID].self) { group in
        for _ in 0..<writers {
            group.addTask {
                var ids: [UUID] = []
                while true {
                    let sequence = ticket.take()
                    guard sequence < events else { return ids }
                    if let interval { try await Task.sleep(until: start.advanced(by: interval * sequence), clock: .continuous) }
                    ids += try await produce(stream, sequence..<(sequence + 1))
                }
            }
        }
        var all: [UUID] = []
        for try await ids in group { all += ids }
        return all
    }
}

// MARK: - Running

var exitCode: Int32 = 0
var serviceTasks: [Task<Void, any Error>] = []
do {
    try await MigrationRunner(client: producerClient, schema: schema, logger: logger).apply([
        .messagingTables,
        Migration(id: "bench-0001-pings", statements: [
            """
            CREATE TABLE {schema}.pings (
                stream TEXT NOT NULL, sequence BIGINT NOT NULL, sent_at TIMESTAMPTZ NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (stream, sequence)
            )
            """,
        ]),
    ])
    try await relayConnection.waitUntilConnected(timeout: .seconds(20))
    try await consumerConnection.waitUntilConnected(timeout: .seconds(20))
    try await consumerConnection.declare(consumer.topology)
    serviceTasks = [Task { try await relay.run() }, Task { try await consumer.run() }]
    note("schema \(schema), queue \(consumer.queueName): relay batch \(relayBatch), consumer prefetch \(prefetch)")

    // Warm-up: connections, prepared paths, the relay's LISTEN.
    try await phase("warmup", events: 50) { try await produceSingles("warmup", events: 50, writers: 1) }

    try await phase("tx\(transactionSize)", events: batchEvents, extra: [("writers", "1"), ("tx_size", "\(transactionSize)")]) {
        var ids: [UUID] = []
        var sequence = 0
        while sequence < batchEvents {
            let end = min(sequence + transactionSize, batchEvents)
            ids += try await produce("batch", sequence..<end)
            sequence = end
        }
        return ids
    }
    try await phase("tx1", events: singleEvents, extra: [("writers", "\(writers)"), ("tx_size", "1")]) {
        try await produceSingles("single", events: singleEvents, writers: writers)
    }
    try await phase("paced", events: pacedEvents, extra: [("writers", "1"), ("tx_size", "1"), ("offered_rate", format(pacedRate, 0))]) {
        try await produceSingles("paced", events: pacedEvents, writers: 1, interval: .seconds(1.0 / pacedRate))
    }

    // Every event applied exactly once, nothing left in the outbox.
    let rows = try await consumerClient.query("SELECT count(*), count(DISTINCT (stream, sequence)) FROM \(unescaped: schema.quoted).pings", logger: logger)
    var applied: (Int64, Int64) = (0, 0)
    for try await row in rows.decode((Int64, Int64).self) { applied = row }
    let pending = try await outbox.pendingCount(client: relayClient, logger: logger)
    let expected = Int64(50 + batchEvents + singleEvents + pacedEvents)
    note("pings applied: \(applied.0) (\(applied.1) distinct) of \(expected); outbox rows pending: \(pending)")
    if applied.0 != expected || applied.1 != expected || pending != 0 {
        throw BenchFailure("expected \(expected) pings applied once each and an empty outbox")
    }
} catch {
    FileHandle.standardError.write(Data("outbox-bench failed: \(error)\n".utf8))
    exitCode = 1
}

for task in serviceTasks { task.cancel() }
for task in serviceTasks { _ = await task.result }
await relayConnection.close()
await consumerConnection.close()
await Stack.deleteQueue(consumer.queueName)
await Stack.deleteQueue(Wire.deadLetterQueueName(service: identity.service, orgUnit: identity.orgUnit))
do {
    try await producerClient.query("DROP SCHEMA IF EXISTS \(unescaped: schema.quoted) CASCADE", logger: logger)
} catch {
    FileHandle.standardError.write(Data("warning: could not drop schema \(schema): \(error)\n".utf8))
}
for task in clientTasks { task.cancel() }
exit(exitCode)
