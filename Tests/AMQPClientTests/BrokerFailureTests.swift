import AMQPClient
import Foundation
import StackTestSupport
import Testing

/// Tests that stop, freeze or alarm the stack's `scratch` RabbitMQ node; they run one at a time.
@Suite("Broker failures on the scratch node", .serialized)
struct BrokerFailureTests {
    @Test("a broker restart mid-stream: confirmed messages all arrive, unconfirmed ones were reported failed, publishing resumes")
    func restartMidStream() async throws {
        try await withScratchNode {
            let publisher = try await TestBroker.connect("restart-publisher", port: TestBroker.scratchPort, heartbeat: .seconds(2), publishTimeout: .seconds(5))
            let consumerConnection = try await TestBroker.connect("restart-consumer", port: TestBroker.scratchPort, heartbeat: .seconds(2))
            defer { Task { await publisher.close(); await consumerConnection.close() } }
            let (exchange, queue) = try await TestBroker.declareScratchQueue(publisher, prefix: "restart", quorum: true)
            let consumer = try await consumerConnection.consume(queue: queue, prefetch: 200)

            let received = Locked<Set<Int>>([])
            let consuming = Task {
                for try await delivery in consumer {
                    if let sequence = delivery.properties.headers["sequence"]?.int64Value {
                        received.withLock { _ = $0.insert(Int(sequence)) }
                    }
                    delivery.ack()
                }
            }
            let confirmed = Locked<Set<Int>>([])
            let failed = Locked<Int>(0)
            let publishing = Task {
                for sequence in 0..<4000 {
                    let message = AMQPOutgoingMessage(
                        exchange: exchange, routingKey: "stream",
                        properties: AMQPProperties(headers: ["sequence": .int64(Int64(sequence))]),
                        body: Array(repeating: 1, count: 200)
                    )
                    do {
                        try await publisher.publish(message)
                        confirmed.withLock { _ = $0.insert(sequence) }
                    } catch {
                        failed.withLock { $0 += 1 }
                    }
                    if sequence % 50 == 0 { try await Task.sleep(for: .milliseconds(20)) }
                }
            }
            try await Task.sleep(for: .milliseconds(600))
            try await StackScript.run("node", "restart", "scratch")
            try await publishing.value
            // After the restart, publishing has resumed by itself: the last messages were confirmed.
            #expect(confirmed.withLock { $0.contains(3999) })
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while ContinuousClock.now < deadline, !confirmed.withLock({ $0 }).isSubset(of: received.withLock { $0 }) {
                try await Task.sleep(for: .milliseconds(200))
            }
            consuming.cancel()
            let missing = confirmed.withLock { $0 }.subtracting(received.withLock { $0 })
            #expect(missing.isEmpty, "confirmed but never delivered: \(missing.sorted().prefix(20))")
            #expect(confirmed.withLock { $0.count } + failed.withLock { $0 } == 4000)
            #expect(consumerConnection.isConnected)
        }
    }

    @Test("a frozen broker is noticed within two heartbeat intervals and the connection comes back")
    func frozenBroker() async throws {
        try await withScratchNode {
            let connection = try await TestBroker.connect("frozen", port: TestBroker.scratchPort, heartbeat: .seconds(1))
            defer { Task { await connection.close() } }
            try await StackScript.run("node", "freeze", "scratch")
            let frozenAt = ContinuousClock.now
            var noticed: Duration?
            while ContinuousClock.now - frozenAt < .seconds(8) {
                if !connection.isConnected {
                    noticed = ContinuousClock.now - frozenAt
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            try await StackScript.run("node", "thaw", "scratch")
            let elapsed = try #require(noticed, "the dead connection was not noticed within 8 s")
            #expect(elapsed <= .milliseconds(3000), "noticed after \(elapsed); two heartbeats are 2 s")
            try await connection.waitUntilConnected(timeout: .seconds(30))
        }
    }

    @Test("a broker resource alarm makes publish fail with a timeout instead of hanging")
    func blockedByAlarm() async throws {
        try await withScratchNode {
            let connection = try await TestBroker.connect("blocked", port: TestBroker.scratchPort, publishTimeout: .seconds(2))
            defer { Task { await connection.close() } }
            let (exchange, _) = try await TestBroker.declareScratchQueue(connection, prefix: "blocked")
            try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [0]))
            try await StackScript.run("node", "alarm", "scratch", "on")
            let started = ContinuousClock.now
            var outcome: (any Error)?
            do {
                try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [1]))
                try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [2]))
            } catch {
                outcome = error
            }
            let elapsed = ContinuousClock.now - started
            try await StackScript.run("node", "alarm", "scratch", "off")
            guard case .publishTimeout = outcome as? AMQPError else {
                Issue.record("expected a publish timeout, got \(String(describing: outcome))")
                return
            }
            #expect(elapsed < .seconds(6))
            // Once the alarm clears, publishing works again.
            try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [3]), timeout: .seconds(10))
        }
    }
}
