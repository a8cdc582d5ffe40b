import Foundation
import PlanPersistence
import PostgresNIO
import Testing

@Suite("Outbox")
struct OutboxTests {
    @Test("enqueue in a transaction that rolls back leaves nothing")
    func rolledBackEnqueueLeavesNothing() async throws {
        try await withTestSchema { db async throws in
            await #expect(throws: (any Error).self) {
                try await db.client.withTransaction(logger: db.logger) { connection in
                    try await db.outbox.enqueue([makeMessage("a"), makeMessage("b")], on: connection, logger: db.logger)
                    throw TestError("roll back")
                }
            }
            #expect(try await db.count() == 0)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 0)
        }
    }

    @Test("committed messages are pending, in enqueue order")
    func committedEnqueueIsPending() async throws {
        try await withTestSchema { db async throws in
            let first = [makeMessage("a"), makeMessage("b"), makeMessage("c")]
            let second = makeMessage("d")
            try await db.enqueue(first)
            try await db.client.withTransaction(logger: db.logger) { connection in
                try await db.outbox.enqueue(second, on: connection, logger: db.logger)
            }
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 4)
            #expect(try await db.outbox.parkedCount(client: db.client, logger: db.logger) == 0)
            let sequences = try await db.sequences()
            let ordered = (first + [second]).map { sequences[$0.messageID] ?? -1 }
            #expect(ordered == ordered.sorted() && Set(ordered).count == 4)
        }
    }

    @Test("a large enqueue is split into several INSERTs and keeps its order")
    func largeEnqueue() async throws {
        try await withTestSchema { db async throws in
            let messages = (0..<2_500).map { makeMessage("m\($0)") }
            try await db.enqueue(messages)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 2_500)
            let sequences = try await db.sequences()
            let ordered = messages.map { sequences[$0.messageID] ?? -1 }
            #expect(ordered == ordered.sorted())
        }
    }

    @Test("a duplicate message id is refused")
    func duplicateMessageID() async throws {
        try await withTestSchema { db async throws in
            let message = makeMessage("a")
            try await db.enqueue([message])
            await #expect(throws: (any Error).self) { try await db.enqueue([message]) }
            #expect(try await db.count() == 1)
        }
    }

    @Test("every field survives the round trip through the table")
    func roundTrip() async throws {
        try await withTestSchema { db async throws in
            let message = OutboxMessage(
                exchange: "planmonitor.events",
                routingKey: "budget.allocation.changed",
                messageType: "planmonitor.budget.v1.AllocationChanged",
                headers: ["district": "Ba Đình", "x-trace": "abc", "empty": ""],
                body: Array(0...255) + [0, 0, 255],
                createdAt: Date(timeIntervalSince1970: 1_767_225_600.123456)
            )
            try await db.enqueue([message])
            let publisher = TestPublisher()
            let relay = OutboxRelay(client: db.client, schema: db.schema, publisher: publisher, logger: db.logger)
            #expect(try await relay.relayOnce() == 1)
            let published = try #require(publisher.log.entries.first?.message)
            #expect(published.messageID == message.messageID)
            #expect(published.exchange == message.exchange)
            #expect(published.routingKey == message.routingKey)
            #expect(published.messageType == message.messageType)
            #expect(published.headers == message.headers)
            #expect(published.body == message.body)
            #expect(abs(published.createdAt.timeIntervalSince(message.createdAt)) < 0.000_002)
        }
    }

    @Test("purgeSent deletes only sent rows older than the retention")
    func purgeSent() async throws {
        try await withTestSchema { db async throws in
            try await db.enqueue((0..<3).map { makeMessage("m\($0)") })
            let relay = OutboxRelay(client: db.client, schema: db.schema, publisher: TestPublisher(), logger: db.logger)
            #expect(try await relay.relayOnce() == 3)
            try await db.enqueue([makeMessage("pending")])
            try await db.client.query(
                """
                UPDATE \(unescaped: db.schema.quoted).outbox SET sent_at = now() - interval '8 days'
                WHERE sequence = (SELECT min(sequence) FROM \(unescaped: db.schema.quoted).outbox)
                """,
                logger: db.logger
            )
            #expect(try await db.outbox.purgeSent(olderThan: .seconds(7 * 24 * 3600), client: db.client, logger: db.logger) == 1)
            #expect(try await db.count() == 3)
            #expect(try await db.outbox.pendingCount(client: db.client, logger: db.logger) == 1)
        }
    }

    @Test("a DatabaseConfiguration client has search_path set to the schema")
    func configurationSearchPath() async throws {
        try await withTestSchema { db async throws in
            let settings = TestDatabase.settings
            let configuration = DatabaseConfiguration(
                host: settings.host, port: settings.port, database: settings.database,
                username: settings.username, password: settings.password, schema: db.schema.rawValue
            )
            try await withRunningClient(configuration: configuration.postgresClientConfiguration) { client in
                try await client.withTransaction(logger: db.logger) { connection in
                    try await db.outbox.enqueue([makeMessage("via service client")], on: connection, logger: db.logger)
                }
                let rows = try await client.query("SELECT current_schema(), (SELECT count(*) FROM outbox)", logger: db.logger)
                var result: (String, Int64)?
                for try await row in rows.decode((String, Int64).self) { result = row }
                #expect(result?.0 == db.schema.rawValue)
                #expect(result?.1 == 1)
            }
        }
    }
}
