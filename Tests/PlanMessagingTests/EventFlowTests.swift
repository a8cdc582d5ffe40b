import AMQPClient
import Foundation
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import Testing

/// One test's service instance: its schema with a ledger, its relay and its event consumer.
struct EventFlowFixture {
    let service: String
    let identity: ServiceIdentity
    let database: LedgerDatabase
    let publisher: AMQPConnection
    let consumerConnection: AMQPConnection
    var factory: EventFactory { EventFactory(identity: identity) }

    static func make(_ prefix: String, port: Int = TestStack.cityPort) async throws -> EventFlowFixture {
        let service = TestStack.uniqueService(prefix)
        return EventFlowFixture(
            service: service,
            identity: ServiceIdentity(service: service, orgUnit: "31", brokerUser: TestStack.adminUser),
            database: try await LedgerDatabase(schema: service),
            publisher: try await TestStack.connect("\(service)-publisher", port: port),
            consumerConnection: try await TestStack.connect("\(service)-consumer", port: port)
        )
    }

    func relay(client: PostgresClient? = nil, publisher override: (any OutboxPublisher)? = nil) -> OutboxRelay {
        OutboxRelay(
            client: client ?? database.client, schema: database.schema,
            publisher: override ?? AMQPOutboxPublisher(connection: publisher, identity: identity),
            configuration: OutboxRelay.Configuration(batchSize: 200, pollInterval: .milliseconds(200), retryBackoff: .milliseconds(200), maxAttempts: 1000),
            logger: TestStack.logger
        )
    }

    func consumer(connection: AMQPConnection? = nil, maxAttempts: Int = 3, afterCommit: (@Sendable (UUID) async -> Void)? = nil) -> EventConsumer {
        EventConsumer(
            identity: identity,
            configuration: EventConsumer.Configuration(bindingKeys: ["\(service).#"], maxAttempts: maxAttempts, afterCommit: afterCommit),
            handlers: ledgerHandlers(schema: database.schema),
            consumerConnection: connection ?? consumerConnection, publisherConnection: publisher,
            client: database.client, schema: database.schema, logger: TestStack.logger
        )
    }

    /// Declares the consumer's queue before anything is published, so that no event is unroutable.
    func declareQueues() async throws {
        try await consumerConnection.declare(consumer().topology)
    }

    func close() async {
        await publisher.close()
        await consumerConnection.close()
        await database.drop()
    }
}

@Suite("Events through outbox, broker and inbox")
struct EventFlowTests {
    @Test("committed events are applied exactly once; a duplicate delivery changes nothing")
    func exactlyOnceWithDuplicate() async throws {
        let fixture = try await EventFlowFixture.make("flow")
        try await fixture.declareQueues()
        let relay = fixture.relay()
        let consumer = fixture.consumer()
        let ids = try await whileRunning([{ try await relay.run() }, { try await consumer.run() }]) {
            var ids: [UUID] = []
            for batch in 0..<10 {
                ids += try await fixture.database.enqueue((0..<50).map { ping("main", Int64(batch * 50 + $0)) }, factory: fixture.factory)
            }
            let ledger = try await fixture.database.waitForLedger(stream: "main", count: 500, timeout: .seconds(30))
            #expect(ledger.count == 500)
            // The broker delivers a copy of an already applied event (as after a lost ack).
            var duplicate = try fixture.factory.event(ping("main", 7), name: "ping", messageID: ids[7])
            duplicate.createdAt = Date()
            let results = await AMQPOutboxPublisher(connection: fixture.publisher, identity: fixture.identity).publish([duplicate])
            try results[0].get()
            try await Task.sleep(for: .seconds(1))
            return ids
        }
        let ledger = try await fixture.database.ledger(stream: "main")
        #expect(ledger.count == 500)
        #expect(ledger.values.allSatisfy { $0 == 1 }, "some event was applied twice")
        #expect(ids.count == 500)
        let pending = try await Outbox(schema: fixture.database.schema).pendingCount(client: fixture.database.client, logger: TestStack.logger)
        #expect(pending == 0)
        await fixture.close()
    }

    @Test("a consumer killed after its commit and before its ack: the redelivery is deduplicated")
    func consumerDiesBeforeAck() async throws {
        let fixture = try await EventFlowFixture.make("crash")
        try await fixture.declareQueues()
        let doomedConnection = try await TestStack.connect("\(fixture.service)-doomed")
        let committed = Locked<[UUID]>([])
        // The first consumer "dies" right after its first commit: its connection goes away before the ack.
        let doomed = fixture.consumer(connection: doomedConnection) { messageID in
            committed.withLock { $0.append(messageID) }
            await doomedConnection.close()
        }
        let ids = try await fixture.database.enqueue([ping("crash", 1)], factory: fixture.factory)
        let relay = fixture.relay()
        try await whileRunning([{ try await relay.run() }, { try await doomed.run() }]) {
            let deadline = ContinuousClock.now.advanced(by: .seconds(15))
            while committed.withLock({ $0.isEmpty }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(committed.withLock { $0 } == ids)
        // A new consumer process gets the redelivery, finds it in the inbox and acknowledges it without effect.
        let survivor = fixture.consumer()
        try await whileRunning([{ try await survivor.run() }]) {
            try await Task.sleep(for: .seconds(2))
        }
        let ledger = try await fixture.database.ledger(stream: "crash")
        #expect(ledger == [1: 1])
        // Nothing is left in the queue: the redelivery was acknowledged.
        let probe = try await fixture.consumerConnection.consume(queue: survivor.queueName)
        let leftover = try await firstDelivery(of: probe, within: .seconds(1))
        #expect(leftover == nil)
        probe.cancel()
        await fixture.close()
    }

    @Test("a relay killed between publishing and marking sent: the event goes out again and is applied once")
    func relayDiesBeforeMarking() async throws {
        let fixture = try await EventFlowFixture.make("relay")
        try await fixture.declareQueues()
        let consumer = fixture.consumer()
        _ = try await fixture.database.enqueue([ping("relay", 1), ping("relay", 2)], factory: fixture.factory)
        // The doomed relay runs in a "process" of its own (its own database client); it publishes for real,
        // then the process dies before the relay can mark the rows sent.
        let (doomedClient, doomedRun) = fixture.database.makeClient()
        let published = Locked(0)
        let gate = HangingPublisher(inner: AMQPOutboxPublisher(connection: fixture.publisher, identity: fixture.identity), published: published)
        let doomedRelay = fixture.relay(client: doomedClient, publisher: gate)
        let doomedTask = Task { try await doomedRelay.relayOnce() }
        let deadline = ContinuousClock.now.advanced(by: .seconds(15))
        while published.withLock({ $0 }) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(published.withLock { $0 } == 2)
        // The process dies: its database connections close and its transaction is rolled back by the server.
        // (Its relay task stays parked in the publisher: a dead process runs no more code.)
        doomedRun.cancel()
        doomedTask.cancel()
        try await Task.sleep(for: .milliseconds(500))
        let pendingAfterCrash = try await Outbox(schema: fixture.database.schema).pendingCount(client: fixture.database.client, logger: TestStack.logger)
        #expect(pendingAfterCrash == 2, "the rows must still be unsent after the crash")
        let relay = fixture.relay()
        try await whileRunning([{ try await relay.run() }, { try await consumer.run() }]) {
            _ = try await fixture.database.waitForLedger(stream: "relay", count: 2, timeout: .seconds(15))
            try await Task.sleep(for: .seconds(1))
        }
        let ledger = try await fixture.database.ledger(stream: "relay")
        #expect(ledger == [1: 1, 2: 1])
        gate.release()
        await fixture.close()
    }

    @Test("poison messages are dead-lettered with the reason while good messages keep flowing")
    func poisonMessages() async throws {
        let fixture = try await EventFlowFixture.make("poison")
        try await fixture.declareQueues()
        let consumer = fixture.consumer(maxAttempts: 3)
        let relay = fixture.relay()
        let deadLetterQueue = Wire.deadLetterQueueName(service: fixture.service, orgUnit: "31")
        let deadLetters = try await whileRunning([{ try await relay.run() }, { try await consumer.run() }]) {
            // Bytes that are not the declared type.
            var garbage = try fixture.factory.event(ping("good", 0), name: "ping")
            garbage.body = [0xFF, 0xFF, 0xFF, 0x07]
            try await AMQPOutboxPublisher(connection: fixture.publisher, identity: fixture.identity).publish([garbage])[0].get()
            // An event whose handler always throws, between good ones.
            _ = try await fixture.database.enqueue([ping("good", 1), ping("poison", 1), ping("good", 2)], factory: fixture.factory)
            for sequence in 3..<20 { _ = try await fixture.database.enqueue([ping("good", Int64(sequence))], factory: fixture.factory) }
            let ledger = try await fixture.database.waitForLedger(stream: "good", count: 19, timeout: .seconds(20))
            #expect(ledger.count == 19)
            let letters = try await fixture.consumerConnection.consume(queue: deadLetterQueue)
            var collected: [AMQPDelivery] = []
            let deadline = ContinuousClock.now.advanced(by: .seconds(20))
            for try await letter in letters {
                letter.ack()
                collected.append(letter)
                if collected.count == 2 || ContinuousClock.now > deadline { break }
            }
            letters.cancel()
            return collected
        }
        #expect(deadLetters.count == 2)
        let reasons = deadLetters.compactMap { $0.properties.headers[Wire.Header.deadLetterReason]?.stringValue }
        #expect(reasons.contains { $0.contains("not a valid planmonitor.testing.v1.Ping") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("handler failed 3 times") && $0.contains("poison ping 1 cannot be applied") }, "\(reasons)")
        for letter in deadLetters {
            #expect(letter.properties.headers[Wire.Header.deadLetterQueue]?.stringValue == consumer.queueName)
            #expect(letter.properties.type == Planmonitor_Testing_V1_Ping.protoMessageName)
        }
        await fixture.close()
    }
}

/// Publishes through `inner`, then holds the result until released (the process "dies" meanwhile).
final class HangingPublisher: OutboxPublisher {
    private let inner: any OutboxPublisher
    private let published: Locked<Int>
    private let gate = Locked<[CheckedContinuation<Void, Never>]?>([])

    init(inner: any OutboxPublisher, published: Locked<Int>) {
        self.inner = inner
        self.published = published
    }

    func publish(_ messages: [OutboxMessage]) async -> [Result<Void, any Error>] {
        let results = await inner.publish(messages)
        published.withLock { $0 += messages.count }
        await withCheckedContinuation { continuation in
            let released = gate.withLock { waiting -> Bool in
                guard waiting != nil else { return true }
                waiting!.append(continuation)
                return false
            }
            if released { continuation.resume() }
        }
        return results
    }

    func release() {
        let waiting = gate.withLock { waiting in
            defer { waiting = nil }
            return waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }
}
