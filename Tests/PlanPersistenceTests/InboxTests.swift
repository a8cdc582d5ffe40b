import Foundation
import PlanPersistence
import PostgresNIO
import Testing

@Suite("Inbox")
struct InboxTests {
    func claim(_ db: TestSchema, _ id: UUID, consumer: String = "budget.allocations") async throws -> Bool {
        try await db.client.withTransaction(logger: db.logger) { connection in
            try await db.inbox.claim(messageID: id, consumer: consumer, messageType: "planmonitor.test.v1.Event", on: connection, logger: db.logger)
        }
    }

    @Test("the first claim wins; a duplicate claim returns false")
    func firstClaimThenDuplicate() async throws {
        try await withTestSchema { db async throws in
            let id = UUID()
            #expect(try await claim(db, id))
            #expect(try await !claim(db, id))
            #expect(try await db.inbox.isProcessed(messageID: id, consumer: "budget.allocations", client: db.client, logger: db.logger))
            #expect(try await db.count(table: "inbox") == 1)
        }
    }

    @Test("a claim in a rolled-back transaction is undone, so the redelivery is processed")
    func rolledBackClaimIsUndone() async throws {
        try await withTestSchema { db async throws in
            let id = UUID()
            await #expect(throws: (any Error).self) {
                try await db.client.withTransaction(logger: db.logger) { connection in
                    let claimed = try await db.inbox.claim(
                        messageID: id, consumer: "budget.allocations", messageType: "t", on: connection, logger: db.logger
                    )
                    #expect(claimed)
                    throw TestError("handler failed")
                }
            }
            #expect(try await !db.inbox.isProcessed(messageID: id, consumer: "budget.allocations", client: db.client, logger: db.logger))
            #expect(try await claim(db, id))
        }
    }

    @Test("consumers claim the same message independently")
    func consumersAreIndependent() async throws {
        try await withTestSchema { db async throws in
            let id = UUID()
            #expect(try await claim(db, id, consumer: "a"))
            #expect(try await claim(db, id, consumer: "b"))
            #expect(try await !claim(db, id, consumer: "a"))
        }
    }

    @Test("a concurrent claim waits for the first transaction: false after its commit, true after its rollback")
    func concurrentClaimWaitsForTheFirst() async throws {
        try await withTestSchema { db async throws in
            for commitFirst in [true, false] {
                let id = UUID()
                let holding = Gate()
                let release = Gate()
                async let first: Bool = {
                    do {
                        return try await db.client.withTransaction(logger: db.logger) { connection in
                            let claimed = try await db.inbox.claim(messageID: id, consumer: "c", messageType: "t", on: connection, logger: db.logger)
                            holding.open()
                            await release.wait()
                            if !commitFirst { throw TestError("roll back") }
                            return claimed
                        }
                    } catch {
                        return false
                    }
                }()
                await holding.wait()
                async let second = claim(db, id, consumer: "c")
                try await Task.sleep(for: .milliseconds(200))
                release.open()
                #expect(await first == commitFirst)
                #expect(try await second == !commitFirst)
            }
        }
    }

    @Test("purge deletes records older than the retention")
    func purge() async throws {
        try await withTestSchema { db async throws in
            let old = UUID()
            #expect(try await claim(db, old))
            #expect(try await claim(db, UUID()))
            try await db.client.query(
                "UPDATE \(unescaped: db.schema.quoted).inbox SET processed_at = now() - interval '31 days' WHERE message_id = \(old)",
                logger: db.logger
            )
            #expect(try await db.inbox.purge(client: db.client, logger: db.logger) == 1)
            #expect(try await db.count(table: "inbox") == 1)
        }
    }
}
