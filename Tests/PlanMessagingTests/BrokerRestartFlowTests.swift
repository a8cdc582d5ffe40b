import AMQPClient
import Foundation
import PlanMessaging
import PlanPersistence
import StackTestSupport
import Testing

@Suite("Events across a broker restart", .serialized)
struct BrokerRestartFlowTests {
    @Test("RabbitMQ restarted mid-stream: every event is applied exactly once and publishing resumes by itself")
    func restartMidStream() async throws {
        try await withScratchNode {
            let fixture = try await EventFlowFixture.make("restart", port: TestStack.scratchPort)
            try await fixture.declareQueues()
            let relay = fixture.relay()
            let consumer = fixture.consumer()
            let total = 600
            try await whileRunning([{ try await relay.run() }, { try await consumer.run() }]) {
                let producing = Task {
                    for sequence in 0..<total {
                        _ = try await fixture.database.enqueue([ping("restart", Int64(sequence))], factory: fixture.factory)
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
                try await Task.sleep(for: .seconds(1))
                try await StackScript.run("node", "restart", "scratch")
                try await producing.value
                _ = try await fixture.database.waitForLedger(stream: "restart", count: total, timeout: .seconds(60))
                // Give any transport duplicates the time to arrive.
                try await Task.sleep(for: .seconds(1))
            }
            let ledger = try await fixture.database.ledger(stream: "restart")
            #expect(ledger.count == total, "missing: \(Set(0..<Int64(total)).subtracting(ledger.keys).sorted().prefix(20))")
            #expect(ledger.values.allSatisfy { $0 == 1 }, "applied twice: \(ledger.filter { $0.value > 1 }.keys.sorted().prefix(20))")
            let pending = try await Outbox(schema: fixture.database.schema).pendingCount(client: fixture.database.client, logger: TestStack.logger)
            #expect(pending == 0)
            await fixture.close()
        }
    }
}
