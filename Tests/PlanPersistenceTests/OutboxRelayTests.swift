import Foundation
import Synchronization
import PlanPersistence
import PostgresNIO
import ServiceLifecycle
import Testing

@Suite("Outbox relay")
struct OutboxRelayTests {
    /// Test tuning: fast polling, immediate retries.
    static func configuration(
        batchSize: Int = 500,
        pollInterval: Duration = .milliseconds(50),
        retryBackoff: Duration = .zero,
        maxAttempts: Int = 10
    ) -> OutboxRelay.Configuration {
        .init(batchSize: batchSize, pollInterval: pollInterval, retryBackoff: retryBackoff, maxAttempts: maxAttempts)
    }

    @Test("publishes in sequence order and marks the rows sent")
    func publishesInOrderAndMarksSent() async throws {
        try await withTestSchema { db async throws in
            let a = makeMessage("a"), b = makeMessage("b"), c = makeMessage("c"), d = makeMessage("d")
            try await db.enqueue([a])
            try await db.enqueue([b, c])
            try await db.enqueue([d])
            let publisher = TestPublisher()
            let relay = OutboxRelay(client: db.client, schema: db.schema, publisher: publisher, logger: db.logger)

            #expect(try await relay.relayOnce() == 4)
            #expect(publisher.log.messageIDs == [a, b, c, d].map(\.messageID))
            #expect(try await db.count("sent_at IS NOT NULL") == 4)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 0)
            #expect(try await relay.relayOnce() == 0)
            #expect(publisher.log.count == 4)
        }
    }

    @Test("publishes at most batchSize rows per cycle")
    func respectsBatchSize() async throws {
        try await withTestSchema { db async throws in
            let messages = (0..<5).map { makeMessage("m\($0)") }
            try await db.enqueue(messages)
            let publisher = TestPublisher()
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: Self.configuration(batchSize: 2), logger: db.logger
            )
            var counts: [Int] = []
            for _ in 0..<4 { counts.append(try await relay.relayOnce()) }
            #expect(counts == [2, 2, 1, 0])
            #expect(publisher.log.messageIDs == messages.map(\.messageID))
        }
    }

    @Test("NOTIFY wakes the relay long before its poll interval")
    func notifyWakesTheRelay() async throws {
        try await withTestSchema { db async throws in
            let publisher = TestPublisher()
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: Self.configuration(pollInterval: .seconds(30)), logger: db.logger
            )
            try await db.enqueue([makeMessage("startup")])
            let task = Task { try await relay.run() }
            defer { task.cancel() }
            #expect(try await eventually(timeout: .seconds(5)) { publisher.log.count == 1 })
            // The relay starts its cycles after at most 5 s even without LISTEN (it polls then); on a loaded machine
            // LISTEN may come later, so wait until the server shows it before timing a notification.
            #expect(try await eventually(timeout: .seconds(30)) { try await db.listeners().count == 1 })

            let clock = ContinuousClock()
            let start = clock.now
            try await db.enqueue([makeMessage("woken")])
            let delivered = try await eventually(timeout: .seconds(10), every: .milliseconds(5)) { publisher.log.count == 2 }
            let elapsed = start.duration(to: clock.now)
            #expect(delivered)
            #expect(elapsed < .seconds(5), "took \(elapsed) with a 30 s poll interval")
            print("[timing] NOTIFY → published in \(elapsed)")
            task.cancel()
            _ = await task.result
        }
    }

    @Test("after its LISTEN connection is killed the relay listens again")
    func relistensAfterConnectionLoss() async throws {
        try await withTestSchema(maximumConnections: 6) { db async throws in
            let publisher = TestPublisher()
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: .init(pollInterval: .seconds(30), retryBackoff: .milliseconds(100)), logger: db.logger
            )
            try await db.enqueue([makeMessage("startup")])
            let task = Task { try await relay.run() }
            defer { task.cancel() }
            #expect(try await eventually(timeout: .seconds(5)) { publisher.log.count == 1 })

            let before = try await db.listeners()
            #expect(before.count == 1)
            for pid in before {
                _ = try await db.scalar(Bool.self, "SELECT pg_terminate_backend(\(pid))")
            }
            #expect(try await eventually(timeout: .seconds(10)) {
                let now = try await db.listeners()
                return now.count == 1 && now.isDisjoint(with: before)
            })

            let clock = ContinuousClock()
            let start = clock.now
            try await db.enqueue([makeMessage("after reconnect")])
            #expect(try await eventually(timeout: .seconds(10), every: .milliseconds(5)) { publisher.log.count == 2 })
            #expect(start.duration(to: clock.now) < .seconds(5), "well before the 30 s poll interval")
            task.cancel()
            _ = await task.result
        }
    }

    @Test("a second relay finds the lease held and publishes nothing meanwhile")
    func leaseExcludesASecondRelay() async throws {
        try await withTestSchema(maximumConnections: 6) { db async throws in
            let message = makeMessage("a")
            try await db.enqueue([message])
            let blocked = TestPublisher(name: "blocked", hold: { try? await Task.sleep(for: .seconds(3600)) })
            let relayA = OutboxRelay(client: db.client, schema: db.schema, publisher: blocked, logger: db.logger)
            let taskA = Task { try await relayA.relayOnce() }
            #expect(try await eventually { blocked.log.count == 1 })

            let other = TestPublisher(name: "other")
            let relayB = OutboxRelay(client: db.client, schema: db.schema, publisher: other, logger: db.logger)
            #expect(try await relayB.relayOnce() == 0)
            #expect(other.log.count == 0)

            taskA.cancel()
            _ = await taskA.result
            #expect(try await relayB.relayOnce() == 1)
        }
    }

    @Test("a relay that dies between publishing and marking sent: the next relay publishes the rows again")
    func crashBetweenPublishAndMark() async throws {
        try await withTestSchema { db async throws in
            let messages = [makeMessage("a"), makeMessage("b")]
            try await db.enqueue(messages)
            // Records the batch, then blocks as if the process hung before its COMMIT; cancelling the relay task
            // is the crash: the transaction is rolled back, as a dropped connection's would be.
            let dying = TestPublisher(name: "dying", hold: { try? await Task.sleep(for: .seconds(3600)) })
            let relayA = OutboxRelay(client: db.client, schema: db.schema, publisher: dying, logger: db.logger)
            let taskA = Task { try await relayA.relayOnce() }
            #expect(try await eventually { dying.log.count == 2 })
            taskA.cancel()
            let result = await taskA.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(try await db.count("sent_at IS NULL AND attempts = 0") == 2)

            let survivor = TestPublisher(name: "survivor")
            let relayB = OutboxRelay(client: db.client, schema: db.schema, publisher: survivor, logger: db.logger)
            #expect(try await relayB.relayOnce() == 2)
            #expect(survivor.log.messageIDs == messages.map(\.messageID))
            #expect(dying.log.messageIDs == messages.map(\.messageID))
            #expect(try await db.count("sent_at IS NOT NULL") == 2)
        }
    }

    @Test("a publisher failure mid-batch stops there; the retry goes on in order from the failed row")
    func failureMidBatch() async throws {
        try await withTestSchema { db async throws in
            let messages = (0..<5).map { makeMessage("m\($0)") }
            try await db.enqueue(messages)
            let poisonOnce = messages[2].messageID
            // Like a pipelining publisher: the messages after the failed one were confirmed anyway.
            let publisher = TestPublisher(failure: { message, previous in
                message.messageID == poisonOnce && previous == 0 ? TestError("broker said no") : nil
            })
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: Self.configuration(), logger: db.logger
            )

            #expect(try await relay.relayOnce() == 2)
            let sequences = try await db.sequences()
            let seq = messages.map { sequences[$0.messageID]! }
            #expect(try await db.count("sent_at IS NOT NULL") == 2)
            #expect(try await db.count("sequence IN (\(seq[0]), \(seq[1])) AND sent_at IS NOT NULL") == 2)
            #expect(try await db.count("sequence = \(seq[2]) AND attempts = 1 AND last_error LIKE '%broker said no%' AND sent_at IS NULL") == 1)
            #expect(try await db.count("sequence IN (\(seq[3]), \(seq[4])) AND attempts = 0 AND sent_at IS NULL") == 2)

            #expect(try await relay.relayOnce() == 3)
            let ids = messages.map(\.messageID)
            #expect(publisher.log.messageIDs == ids + Array(ids[2...]))
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 0)
        }
    }

    @Test("a failed head row waits out its backoff, and the rows after it wait with it")
    func backoffHoldsTheOrder() async throws {
        try await withTestSchema { db async throws in
            let messages = [makeMessage("head"), makeMessage("next")]
            try await db.enqueue(messages)
            let headID = messages[0].messageID
            let publisher = TestPublisher(failure: { message, _ in message.messageID == headID ? TestError("down") : nil })
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: .init(retryBackoff: .seconds(3600), maxRetryBackoff: .seconds(7200)), logger: db.logger
            )
            #expect(try await relay.relayOnce() == 0)
            #expect(publisher.log.count == 2)
            #expect(try await relay.relayOnce() == 0)
            #expect(publisher.log.count == 2, "nothing is published during the backoff")
            #expect(try await db.count("attempts = 1 AND next_attempt_at > now() + interval '59 minutes'") == 1)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 2)
        }
    }

    @Test("a row that fails maxAttempts times is parked and stops blocking the rows after it")
    func parkingAfterMaxAttempts() async throws {
        try await withTestSchema { db async throws in
            let poison = makeMessage("poison")
            let healthy = makeMessage("healthy")
            try await db.enqueue([poison, healthy])
            let isCured = Mutex(false)
            let publisher = TestPublisher(stopAtFirstFailure: true, failure: { message, _ in
                message.messageID == poison.messageID && !isCured.withLock({ $0 }) ? TestError("unroutable") : nil
            })
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: Self.configuration(maxAttempts: 3), logger: db.logger
            )
            for _ in 0..<3 { #expect(try await relay.relayOnce() == 0) }
            #expect(try await db.outbox.parkedCount(client: db.client, logger: db.logger) == 1)
            #expect(try await db.count("failed_at IS NOT NULL AND attempts = 3 AND last_error LIKE '%unroutable%'") == 1)

            #expect(try await relay.relayOnce() == 1)
            #expect(publisher.log.successfulIDs == [healthy.messageID])
            #expect(try await relay.relayOnce() == 0)
            #expect(publisher.log.attempts(of: poison.messageID) == 3, "a parked row is not retried")

            isCured.withLock { $0 = true }
            #expect(try await db.outbox.requeueParked(client: db.client, logger: db.logger) == 1)
            #expect(try await relay.relayOnce() == 1)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 0)
            #expect(try await db.outbox.parkedCount(client: db.client, logger: db.logger) == 0)
        }
    }

    @Test("a broker that is unavailable does not count toward parking")
    func unavailableBrokerParksNothing() async throws {
        try await withTestSchema { db async throws in
            struct BrokerDown: OutboxPublisherUnavailableError {}
            let message = makeMessage("patient")
            try await db.enqueue([message])
            let publisher = TestPublisher(failure: { _, previous in previous < 6 ? BrokerDown() : nil })
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: Self.configuration(maxAttempts: 2), logger: db.logger
            )
            for _ in 0..<6 { #expect(try await relay.relayOnce() == 0) }
            #expect(try await db.outbox.parkedCount(client: db.client, logger: db.logger) == 0)
            #expect(try await db.count("attempts = 0 AND last_error LIKE '%BrokerDown%'") == 1)
            #expect(try await relay.relayOnce() == 1)
        }
    }

    @Test("two relays (two clients) running at once: everything published once, in order, each row marked once")
    func twoRelaysAtOnce() async throws {
        try await withTestSchema(maximumConnections: 8) { db async throws in
            // Fails the test's UPDATE if a row were marked sent twice, and logs every marking.
            try await db.runner.apply([Migration(id: "test-0001-mark-log", statements: [
                "CREATE TABLE {schema}.mark_log (sequence BIGINT NOT NULL)",
                """
                CREATE FUNCTION {schema}.log_mark() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD.sent_at IS NOT NULL THEN
                        RAISE EXCEPTION 'outbox row % marked sent twice', OLD.sequence;
                    END IF;
                    INSERT INTO {schema}.mark_log (sequence) VALUES (NEW.sequence);
                    RETURN NEW;
                END
                $$
                """,
                """
                CREATE TRIGGER outbox_mark_log BEFORE UPDATE OF sent_at ON {schema}.outbox
                FOR EACH ROW WHEN (NEW.sent_at IS NOT NULL) EXECUTE FUNCTION {schema}.log_mark()
                """,
            ])])

            let log = PublishLog()
            let configuration = Self.configuration(batchSize: 7, pollInterval: .milliseconds(20))
            let schema = db.schema
            let logger = db.logger
            // Two clients, as two processes would have. Each relay is stopped before its client shuts down.
            let (total, drained) = try await withRunningClient { clientA in
                try await withRunningClient { clientB in
                    let relays = [("A", clientA), ("B", clientB)].map { name, client in
                        let relay = OutboxRelay(
                            client: client, schema: schema, publisher: TestPublisher(name: name, log: log),
                            configuration: configuration, logger: logger
                        )
                        return Task { try await relay.run() }
                    }
                    let writers = 4, transactionsPerWriter = 25
                    let total = try await withThrowingTaskGroup(of: Int.self) { group in
                        for writer in 0..<writers {
                            group.addTask {
                                var written = 0
                                for transaction in 0..<transactionsPerWriter {
                                    let count = 1 + (writer + transaction) % 3
                                    try await db.enqueue((0..<count).map { makeMessage("w\(writer)-t\(transaction)-\($0)") })
                                    written += count
                                }
                                return written
                            }
                        }
                        return try await group.reduce(0, +)
                    }
                    let drained = try await eventually(timeout: .seconds(30)) {
                        try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 0
                    }
                    for relay in relays { relay.cancel() }
                    for relay in relays { _ = await relay.result }
                    return (total, drained)
                }
            }
            #expect(drained)

            let sequences = try await db.sequences()
            #expect(sequences.count == total)
            let published = log.entries.map { sequences[$0.message.messageID] ?? -1 }
            #expect(Set(published) == Set(sequences.values), "every message published at least once")
            #expect(published == published.sorted(), "published in sequence order")
            #expect(published.count == total, "no duplicates without a crash")
            #expect(try await db.count(table: "mark_log") == total)
            #expect(try await db.scalar(Int64.self, "SELECT count(DISTINCT sequence) FROM \(unescaped: db.schema.quoted).mark_log") == Int64(total))
            let byRelay = Dictionary(grouping: log.entries, by: \.publisher).mapValues(\.count)
            print("[relays] \(total) messages; published by relay: \(byRelay.sorted { $0.key < $1.key })")
        }
    }

    @Test("graceful shutdown finishes the batch in flight, then stops")
    func gracefulShutdownFinishesTheBatch() async throws {
        try await withTestSchema { db async throws in
            let gate = Gate()
            let publisher = TestPublisher(hold: { await gate.wait() })
            let relay = OutboxRelay(
                client: db.client, schema: db.schema, publisher: publisher,
                configuration: Self.configuration(), logger: db.logger
            )
            let first = makeMessage("in flight")
            try await db.enqueue([first])
            let group = ServiceGroup(configuration: .init(services: [relay], logger: db.logger))
            let running = Task { try await group.run() }

            #expect(try await eventually { publisher.log.count == 1 })
            try await db.enqueue([makeMessage("after shutdown")])
            await group.triggerGracefulShutdown()
            gate.open()
            try await running.value

            #expect(publisher.log.messageIDs == [first.messageID])
            #expect(try await db.count("sent_at IS NOT NULL") == 1)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 1)
        }
    }

    @Test("throughput: 10,000 rows through a no-op publisher")
    func throughput() async throws {
        try await withTestSchema { db async throws in
            let clock = ContinuousClock()
            let rows = 10_000
            let messages = (0..<rows).map { index in
                OutboxMessage(
                    exchange: "planmonitor.events", routingKey: "bench", messageType: "planmonitor.test.v1.Event",
                    headers: ["i": "\(index)"], body: Array(repeating: UInt8(index % 251), count: 200)
                )
            }
            let enqueueTime = try await clock.measure {
                for start in stride(from: 0, to: rows, by: 500) {
                    try await db.enqueue(Array(messages[start..<min(start + 500, rows)]))
                }
            }
            let relay = OutboxRelay(client: db.client, schema: db.schema, publisher: NoOpPublisher(), logger: db.logger)
            var sent = 0
            let relayTime = try await clock.measure {
                while true {
                    let count = try await relay.relayOnce()
                    if count == 0 { break }
                    sent += count
                }
            }
            #expect(sent == rows)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 0)
            func rate(_ duration: Duration) -> Int { Int(Double(rows) / duration.inSecondsForTests) }
            print("[timing] enqueue \(rows) rows (20 transactions × 500): \(enqueueTime), \(rate(enqueueTime)) rows/s")

            // Single-message transactions from 4 concurrent writers (they serialize on the enqueue lock).
            let singles = 1_000
            let singleTime = try await clock.measure {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            for index in 0..<(singles / 4) { try await db.enqueue([makeMessage("s\(writer)-\(index)")]) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            print("[timing] enqueue \(singles) single-message transactions from 4 writers: \(singleTime), \(Int(Double(singles) / singleTime.inSecondsForTests)) tx/s")
            #expect(try await relay.relayOnce() == 500)
            #expect(try await relay.relayOnce() == 500)
            print("[timing] relay \(rows) rows (batches of 500, no-op publisher): \(relayTime), \(rate(relayTime)) rows/s")
        }
    }
}

extension Duration {
    var inSecondsForTests: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension TestSchema {
    /// The server processes listening on the schema's outbox channel.
    func listeners() async throws -> Set<Int32> {
        let rows = try await client.query(
            "SELECT pid FROM pg_stat_activity WHERE query = \(#"LISTEN "\#(outbox.notificationChannel)";"#)",
            logger: logger
        )
        var pids: Set<Int32> = []
        for try await (pid) in rows.decode(Int32.self) { pids.insert(pid) }
        return pids
    }
}
