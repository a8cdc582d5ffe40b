// topology-bench — events through the real district topology: department-style producers in two districts (Lê Chân
// 305 on the node lechan, Tiên Lãng 315 on tienlang), each writing ObservationsRecorded events (--figures figures
// each, one unit and month per event, like a monthly report) into its own outbox; an OutboxRelay per district
// publishing to its district's broker; RabbitMQ exchange federation carrying planmonitor.events to the city node;
// there an EventConsumer applying them with the aggregator's own handlers (PictureEvents: event_log + rm_observations)
// in its inbox transaction. Everything runs in this process, each role with its own PostgreSQL client and AMQP
// connection, so that a district's commit and the city's commit are read from one clock.
//
// Phases (each waits until the city has committed every event of the phase):
//   topology.batch    --batch-events events (both districts together, at once), transactions of --tx-size
//   topology.paced    --paced-rate events/s (both together, alternating) for --paced-seconds, single-event transactions
//   topology.raw      the bare broker through the same links: --raw-messages persistent messages per district
//                     (the size of one event) published with AMQPConnection to each district's planmonitor.events,
//                     consumed on the city from a quorum queue bound to <service>.raw.* (prefetch 500, ack each)
// Reported: rate = events/s from the first producer transaction to the city's last commit; produce_rate, relay_rate
// (until the relays marked the last row sent); p50_ms… = district commit → city commit of each event (also per
// district). At the end the run checks that the city logged and applied every event exactly once and that both
// outboxes are empty. Schemas bench_topo_<run>_{305,315,city} and the city's queues are dropped/deleted at the end.
//
// The events' routing key is <service>.<--event-name>.<org unit>, by default "observations-recorded-bench": the
// city's aggregator queues (the dev instance's, the service tests') are bound to *.observations-recorded.* and would
// otherwise each receive — and later apply to their read models — every benchmark event.
import AMQPClient
import BenchFixtures
import BenchSupport
import CityPicture
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

let options = Options()
Sample.brokerPIDs(from: options)
let batchEvents = options.int("batch-events", 6_000)
let transactionSize = options.int("tx-size", 50)
let pacedRate = options.double("paced-rate", 100)
let pacedSeconds = options.double("paced-seconds", 10)
let rawMessages = options.int("raw-messages", 20_000)
let figureCount = options.int("figures", 6)
let warmupEvents = options.int("warmup-events", 20)
let prefetch = options.int("prefetch", 50)
let relayBatch = options.int("relay-batch", 500)
let eventName = options.string("event-name", "observations-recorded-bench")
let cityPort = options.int("city-port", Stack.amqpPort)
let cityManagement = options.string("city-management", Stack.managementURL)
let run = runIdentifier()
let service = "bench-topo-\(run)"
let logger = Stack.logger("topology-bench")
let tracker = LatencyTracker()

/// A district deployment: its org unit and its broker node.
struct District: Sendable {
    var node: String
    var orgUnit: String
    var amqpPort: Int
    var managementURL: String
}

let districts = [
    District(node: "lechan", orgUnit: "305", amqpPort: options.int("lechan-port", 5674),
             managementURL: options.string("lechan-management", "http://127.0.0.1:15674")),
    District(node: "tienlang", orgUnit: "315", amqpPort: options.int("tienlang-port", 5675),
             managementURL: options.string("tienlang-management", "http://127.0.0.1:15675")),
]
guard batchEvents % districts.count == 0 else { Options.fail("--batch-events must be a multiple of \(districts.count)") }

// MARK: - The districts' departments

/// One district's department: its outbox schema, producer and relay clients, and the relay publishing to the
/// district's broker.
final class Producer: Sendable {
    let district: District
    let schema: SchemaName
    let factory: EventFactory
    let outbox: Outbox
    let client: PostgresClient
    let relayClient: PostgresClient
    let connection: AMQPConnection
    let relay: OutboxRelay
    /// Numbers the events: each is the next month of the unit's series, so every figure is a new read-model row.
    private let months = Ticket()

    init(_ district: District) throws {
        self.district = district
        schema = try SchemaName("bench_topo_\(run)_\(district.orgUnit)")
        let identity = ServiceIdentity(service: service, orgUnit: district.orgUnit, brokerUser: Stack.adminUser)
        factory = EventFactory(identity: identity)
        outbox = Outbox(schema: schema)
        client = Stack.databaseClient(schema: schema, applicationName: "bench-topo-\(district.orgUnit)-producer")
        relayClient = Stack.databaseClient(schema: schema, applicationName: "bench-topo-\(district.orgUnit)-relay")
        connection = Stack.amqpConnection(name: "bench-topo-\(district.orgUnit)-relay", port: district.amqpPort, logger: logger)
        relay = OutboxRelay(
            client: relayClient, schema: schema,
            publisher: AMQPOutboxPublisher(connection: connection, identity: identity),
            configuration: OutboxRelay.Configuration(batchSize: relayBatch, pollInterval: .seconds(1)),
            logger: logger
        )
    }

    /// Enqueues `count` events in one transaction and records the commit instant; returns the message ids.
    func produce(_ count: Int) async throws -> [UUID] {
        let messages = try (0..<count).map { _ in
            let number = months.take()
            let figures = monthlyFigures(unit: district.orgUnit, year: Int32(2001 + number / 12), month: Int32(number % 12 + 1), targets: figureCount)
            return try factory.event(figures, name: eventName)
        }
        try await client.planTransaction(logger: logger) { connection in
            try await self.outbox.enqueue(messages, on: connection, logger: logger)
        }
        let ids = messages.map(\.messageID)
        tracker.produced(ids, at: .now)
        return ids
    }

    /// Rows not sent (pending or parked).
    func unsent() async throws -> Int {
        try await outbox.pendingCount(client: relayClient, logger: logger) + outbox.parkedCount(client: relayClient, logger: logger)
    }
}

let producers = try districts.map(Producer.init)

// MARK: - The city's aggregator

let citySchema = try SchemaName("bench_topo_\(run)_city")
let cityIdentity = ServiceIdentity(service: service, orgUnit: "31", brokerUser: Stack.adminUser)
let cityClient = Stack.databaseClient(schema: citySchema, applicationName: "bench-topo-city")
let cityConsumerConnection = Stack.amqpConnection(name: "bench-topo-city-consumer", port: cityPort, logger: logger)
/// Dead letters (none expected) and the raw phase's consumer.
let cityConnection = Stack.amqpConnection(name: "bench-topo-city", port: cityPort, logger: logger)
let eventBinding = Wire.eventRoutingKey(domain: service, event: eventName, orgUnit: "*")
var cityHandlers = EventHandlers()
PictureEvents(store: ReadModelStore(schema: citySchema)).handlers(into: &cityHandlers)
let consumer = EventConsumer(
    identity: cityIdentity,
    configuration: EventConsumer.Configuration(
        bindingKeys: [eventBinding], prefetch: UInt16(prefetch), purpose: "events",
        afterCommit: { id in tracker.consumed(id, at: .now) }
    ),
    handlers: cityHandlers, consumerConnection: cityConsumerConnection, publisherConnection: cityConnection,
    client: cityClient, schema: citySchema, logger: logger
)
let rawQueue = Wire.queueName(service: service, orgUnit: cityIdentity.orgUnit, purpose: "raw")
let rawBinding = Wire.eventRoutingKey(domain: service, event: "raw", orgUnit: "*")

// MARK: - Federation

/// A binding of an exchange, as the management API lists it.
struct ExchangeBinding: Decodable {
    var destination: String
    var routingKey: String
    enum CodingKeys: String, CodingKey {
        case destination
        case routingKey = "routing_key"
    }
}

/// Waits until the city's binding `key` has crossed every district's link: the link's exchange on the district
/// ("federation: planmonitor.events -> <city cluster> …") is bound to planmonitor.events with `key`, so that what a
/// district publishes with a matching routing key is routed to the link instead of returned unroutable.
func awaitFederation(of key: String) async throws -> Duration {
    let started = ContinuousClock.now
    let (status, body) = try await Stack.management("GET", "/api/cluster-name", base: cityManagement)
    guard status == 200, let cluster = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["name"] as? String else {
        throw BenchFailure("cannot read the city's cluster name from \(cityManagement) (HTTP \(status))")
    }
    let link = "federation: \(Wire.eventsExchange) -> \(cluster) "
    let path = "/api/exchanges/\(Stack.pathComponent(Stack.virtualHost))/\(Stack.pathComponent(Wire.eventsExchange))/bindings/source"
    var waiting = districts
    while true {
        var still: [District] = []
        for district in waiting {
            let (status, body) = try await Stack.management("GET", path, base: district.managementURL)
            let bindings = status == 200 ? (try? JSONDecoder().decode([ExchangeBinding].self, from: body)) ?? [] : []
            if !bindings.contains(where: { $0.destination.hasPrefix(link) && $0.routingKey == key }) { still.append(district) }
        }
        waiting = still
        if waiting.isEmpty { return ContinuousClock.now - started }
        guard ContinuousClock.now - started < .seconds(30) else {
            throw BenchFailure("the binding \(key) did not reach \(waiting.map(\.node).joined(separator: ", ")) within 30 s: is the federation running? (scripts/stack federation status)")
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

// MARK: - Phases

/// Runs one phase: `body` produces and returns the ids by org unit; then waits for the city and reports.
func phase(_ name: String, extra: [(String, String)] = [], _ body: () async throws -> [String: [UUID]]) async throws {
    let start = Sample()
    let startDate = Date()
    let idsByUnit = try await body()
    let ids = idsByUnit.values.flatMap { $0 }
    try await tracker.waitUntilConsumed(tracker.producedCount, timeout: .seconds(max(120, ids.count / 20)), what: name)
    let end = Sample()
    guard let timings = tracker.phase(ids) else {
        throw BenchFailure("\(name): some event of the phase was not applied, or applied without being produced")
    }
    var lastSentDate: Date?
    var perDistrict: [(String, String)] = []
    for producer in producers {
        let unitIDs = idsByUnit[producer.district.orgUnit] ?? []
        if let sent = try await lastSent(unitIDs, schema: producer.schema, client: producer.relayClient, logger: logger) {
            lastSentDate = max(lastSentDate ?? sent, sent)
        }
        if let unit = tracker.phase(unitIDs) {
            let fields = latencyFields(unit.latencies, suffix: "_\(producer.district.orgUnit)")
            perDistrict += fields.filter { $0.0.hasPrefix("p50") || $0.0.hasPrefix("p99") }
        }
    }
    let seconds = (timings.lastConsumed - start.instant).seconds
    let produceSeconds = (timings.lastProduced - start.instant).seconds
    let relaySeconds = lastSentDate.map { $0.timeIntervalSince(startDate) } ?? .nan
    report("topology.\(name)", count: ids.count, from: start, to: end, seconds: seconds, extra: extra + [
        ("districts", "\(producers.count)"), ("figures_per_event", "\(figureCount)"),
        ("produce_rate", format(Double(ids.count) / produceSeconds, 0)),
        ("relay_rate", format(Double(ids.count) / relaySeconds, 0)),
    ] + latencyFields(timings.latencies) + perDistrict + [("duplicates", "\(timings.duplicates)")])
}

/// Runs `body` for every producer at once; the ids by org unit.
func everyDistrict(_ body: @escaping @Sendable (Producer, Int) async throws -> [UUID]) async throws -> [String: [UUID]] {
    try await withThrowingTaskGroup(of: (String, [UUID]).self) { group in
        for (index, producer) in producers.enumerated() {
            group.addTask { (producer.district.orgUnit, try await body(producer, index)) }
        }
        var ids: [String: [UUID]] = [:]
        for try await (unit, unitIDs) in group { ids[unit] = unitIDs }
        return ids
    }
}

/// Publishes `perDistrict` messages through each of `connections` (one per district, at once, batches of 1000
/// awaited) while consuming all of them from the city's raw queue; when the last confirm and the last delivery came.
func publishAndConsume(total: Int, perDistrict: Int, body: [UInt8], connections: [AMQPConnection]) async throws
    -> (published: ContinuousClock.Instant?, received: [String: Int], lastDelivery: ContinuousClock.Instant?, start: Sample, end: Sample) {
    let deliveries = try await cityConnection.consume(queue: rawQueue, prefetch: 500)
    defer { deliveries.cancel() }
    let start = Sample()
    return try await withThrowingTaskGroup(of: (ContinuousClock.Instant?, [String: Int]?).self) { group in
        group.addTask {
            var received: [String: Int] = [:]
            var count = 0
            for try await delivery in deliveries {
                delivery.ack()
                received[delivery.routingKey, default: 0] += 1
                count += 1
                if count == total { break }
            }
            return (.now, received)
        }
        for (district, connection) in zip(districts, connections) {
            group.addTask {
                let message = AMQPOutgoingMessage(
                    exchange: Wire.eventsExchange, routingKey: Wire.eventRoutingKey(domain: service, event: "raw", orgUnit: district.orgUnit),
                    properties: AMQPProperties(persistent: true), body: body)
                var sent = 0
                while sent < perDistrict {
                    let batch = min(1000, perDistrict - sent)
                    let results = await connection.publish(Array(repeating: message, count: batch))
                    if let failure = results.first(where: { if case .failure = $0 { true } else { false } }) {
                        throw BenchFailure("raw publish to \(district.node) failed: \(failure)")
                    }
                    sent += batch
                }
                return (.now, nil)
            }
        }
        group.addTask {
            try await Task.sleep(for: .seconds(max(60, total / 1000)))
            deliveries.cancel()
            throw BenchFailure("raw: not every message reached the city within the deadline")
        }
        var published: ContinuousClock.Instant?
        var received: [String: Int] = [:]
        var lastDelivery: ContinuousClock.Instant?
        // The consumer and every publisher; then the deadline is cancelled.
        for _ in 0...connections.count {
            guard let (instant, counts) = try await group.next() else { break }
            if let counts {
                (received, lastDelivery) = (counts, instant)
            } else if let instant {
                published = max(published ?? instant, instant)
            }
        }
        group.cancelAll()
        return (published, received, lastDelivery, start, Sample())
    }
}

/// The bare broker through the same links: `perDistrict` raw messages published to each district's
/// planmonitor.events (batches of 1000 awaited, both districts at once) and consumed on the city.
func rawPhase(perDistrict: Int, size: Int, propagation: Duration) async throws {
    let total = perDistrict * districts.count
    let body = (0..<size).map { UInt8(ascii: "a") + UInt8($0 % 26) }
    let connections = districts.map { Stack.amqpConnection(name: "bench-topo-\($0.orgUnit)-raw", port: $0.amqpPort, logger: logger) }
    let outcome: Result<(published: ContinuousClock.Instant?, received: [String: Int], lastDelivery: ContinuousClock.Instant?, start: Sample, end: Sample), any Error>
    do {
        for connection in connections { try await connection.waitUntilConnected(timeout: .seconds(20)) }
        outcome = .success(try await publishAndConsume(total: total, perDistrict: perDistrict, body: body, connections: connections))
    } catch {
        outcome = .failure(error)
    }
    for connection in connections { await connection.close() }
    let (published, received, lastDelivery, start, end) = try outcome.get()
    guard let lastDelivery, received.values.reduce(0, +) == total else {
        throw BenchFailure("raw: received \(received) of \(perDistrict) per district")
    }
    let seconds = (lastDelivery - start.instant).seconds
    report("topology.raw", count: total, from: start, to: end, seconds: seconds, extra: [
        ("districts", "\(districts.count)"), ("message_bytes", "\(size)"),
        ("publish_rate", format(Double(total) / ((published ?? lastDelivery) - start.instant).seconds, 0)),
        ("federation_ms", format(propagation.milliseconds, 0)),
    ] + districts.map { ("received_\($0.orgUnit)", "\(received[Wire.eventRoutingKey(domain: service, event: "raw", orgUnit: $0.orgUnit)] ?? 0)") })
}

// MARK: - Running

let clients = producers.flatMap { [$0.client, $0.relayClient] } + [cityClient]
let clientTasks = clients.map { client in Task { await client.run() } }
var exitCode: Int32 = 0
var serviceTasks: [Task<Void, any Error>] = []
do {
    for producer in producers {
        try await MigrationRunner(client: producer.client, schema: producer.schema, logger: logger).apply([.messagingTables])
    }
    try await MigrationRunner(client: cityClient, schema: citySchema, logger: logger)
        .apply([.messagingTables, .eventHandlerFailures] + ReadModelStore.migrations)
    for connection in producers.map(\.connection) + [cityConsumerConnection, cityConnection] {
        try await connection.waitUntilConnected(timeout: .seconds(20))
    }

    // The city binds first; the districts publish once the binding has crossed both links.
    try await cityConsumerConnection.declare(consumer.topology)
    let eventPropagation = try await awaitFederation(of: eventBinding)
    serviceTasks = producers.map { producer in Task { try await producer.relay.run() } } + [Task { try await consumer.run() }]
    note("service \(service): schemas \(producers.map(\.schema.rawValue).joined(separator: ", ")), \(citySchema); city queue \(consumer.queueName) bound to \(eventBinding) (on both districts after \(format(eventPropagation.milliseconds, 0)) ms)")

    // Warm-up: connections, the relays' LISTEN, the links.
    try await phase("warmup", extra: [("federation_ms", format(eventPropagation.milliseconds, 0))]) {
        try await everyDistrict { producer, _ in
            var ids: [UUID] = []
            for _ in 0..<warmupEvents { ids += try await producer.produce(1) }
            return ids
        }
    }

    note("batch: \(batchEvents) events of \(figureCount) figures in transactions of \(transactionSize), both districts at once")
    try await phase("batch", extra: [("tx_size", "\(transactionSize)")]) {
        try await everyDistrict { producer, _ in
            var ids: [UUID] = []
            var remaining = batchEvents / producers.count
            while remaining > 0 {
                let count = min(transactionSize, remaining)
                ids += try await producer.produce(count)
                remaining -= count
            }
            return ids
        }
    }

    let pacedEvents = Int(pacedRate * pacedSeconds)
    note("paced: \(pacedEvents) single-event transactions at \(format(pacedRate, 0))/s, the districts alternating")
    try await phase("paced", extra: [("tx_size", "1"), ("offered_rate", format(pacedRate, 0))]) {
        let start = ContinuousClock.now
        let interval = Duration.seconds(1 / pacedRate)
        return try await everyDistrict { producer, index in
            var ids: [UUID] = []
            for number in stride(from: index, to: pacedEvents, by: producers.count) {
                try await Task.sleep(until: start.advanced(by: interval * number), clock: .continuous)
                ids += try await producer.produce(1)
            }
            return ids
        }
    }

    // Every event logged and applied at the city exactly once, nothing left in the outboxes.
    let expected = tracker.producedCount
    var logged: (Int64, Int64) = (0, 0)
    for try await row in try await cityClient.query(
        "SELECT count(*), count(DISTINCT message_id) FROM \(unescaped: citySchema.quoted).event_log", logger: logger
    ).decode((Int64, Int64).self) { logged = row }
    var figuresApplied: Int64 = 0
    for try await (count) in try await cityClient.query(
        "SELECT count(*) FROM \(unescaped: citySchema.quoted).rm_observations", logger: logger
    ).decode(Int64.self) { figuresApplied = count }
    var unsent: [Int] = []
    for producer in producers { unsent.append(try await producer.unsent()) }
    note("city event_log: \(logged.0) rows (\(logged.1) distinct) of \(expected) events; rm_observations: \(figuresApplied) figures of \(expected * figureCount); outbox rows unsent: \(unsent.map(String.init).joined(separator: ", "))")
    if logged.0 != Int64(expected) || logged.1 != Int64(expected) || figuresApplied != Int64(expected * figureCount) || unsent.contains(where: { $0 != 0 }) {
        throw BenchFailure("expected \(expected) events logged and applied once each and empty outboxes")
    }

    // The bare broker through the same links, with messages the size of one event.
    let eventSize = (try monthlyFigures(unit: districts[0].orgUnit, year: 2001, month: 1, targets: figureCount).serializedBytes() as [UInt8]).count
    try await cityConnection.declare(AMQPTopology(
        queues: [AMQPQueue(name: rawQueue, arguments: ["x-queue-type": .string("quorum")])],
        bindings: [AMQPBinding(queue: rawQueue, exchange: Wire.eventsExchange, bindingKey: rawBinding)]
    ))
    let rawPropagation = try await awaitFederation(of: rawBinding)
    note("raw: \(rawMessages) messages of \(eventSize) bytes per district into \(rawQueue) (bound on both districts after \(format(rawPropagation.milliseconds, 0)) ms)")
    try await rawPhase(perDistrict: rawMessages, size: eventSize, propagation: rawPropagation)
} catch {
    FileHandle.standardError.write(Data("topology-bench failed: \(error)\n".utf8))
    exitCode = 1
}

for task in serviceTasks { task.cancel() }
for task in serviceTasks { _ = await task.result }
for connection in producers.map(\.connection) + [cityConsumerConnection, cityConnection] { await connection.close() }
for queue in [consumer.queueName, Wire.deadLetterQueueName(service: service, orgUnit: cityIdentity.orgUnit), rawQueue] {
    await Stack.deleteQueue(queue, base: cityManagement)
}
for schema in producers.map(\.schema) + [citySchema] {
    do {
        try await cityClient.query("DROP SCHEMA IF EXISTS \(unescaped: schema.quoted) CASCADE", logger: logger)
    } catch {
        FileHandle.standardError.write(Data("warning: could not drop schema \(schema): \(error)\n".utf8))
    }
}
for task in clientTasks { task.cancel() }
exit(exitCode)
