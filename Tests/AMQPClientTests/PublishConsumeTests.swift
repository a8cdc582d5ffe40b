import AMQPClient
import Foundation
import Testing

@Suite("Publishing and consuming against the local RabbitMQ")
struct PublishConsumeTests {
    @Test("every property and header survives the round trip")
    func propertiesRoundTrip() async throws {
        let connection = try await TestBroker.connect("round-trip")
        defer { Task { await connection.close() } }
        let (exchange, queue) = try await TestBroker.declareScratchQueue(connection, prefix: "props")
        let sent = AMQPProperties(
            contentType: "application/x-protobuf",
            contentEncoding: "identity",
            headers: [
                "schema-version": .int32(1),
                "org-unit": .string("305"),
                "traceparent": .string("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                "agency": .string("Sở Tài chính"),
                "big": .int64(9_000_000_000),
                "flag": .bool(true),
                "ratio": .double(0.845),
                "nested": .table(["inner": .string("Hải Phòng")]),
                "list": .array([.string("a"), .int32(2)]),
            ],
            persistent: true,
            priority: 3,
            correlationID: "corr-1",
            replyTo: "reply.queue",
            expiration: "60000",
            messageID: UUID().uuidString.lowercased(),
            timestamp: Date(timeIntervalSince1970: 1_530_000_000),
            type: "planmonitor.testing.v1.Ping",
            userID: TestBroker.adminUser,
            appID: "budget"
        )
        let body = Array("Thu nội địa 24.725 tỷ đồng".utf8)
        let consumer = try await connection.consume(queue: queue)
        try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "budget.revenue.31", properties: sent, body: body))
        let deliveries = try await collect(consumer, count: 1, timeout: .seconds(10))
        let delivery = try #require(deliveries.first)
        #expect(delivery.body == body)
        #expect(delivery.properties == sent)
        #expect(delivery.exchange == exchange)
        #expect(delivery.routingKey == "budget.revenue.31")
        #expect(!delivery.redelivered)
    }

    @Test("10,000 confirmed messages arrive, none lost, in order per routing key")
    func tenThousandInOrder() async throws {
        let publisher = try await TestBroker.connect("bulk-publisher")
        let consumerConnection = try await TestBroker.connect("bulk-consumer")
        defer { Task { await publisher.close(); await consumerConnection.close() } }
        let (exchange, queue) = try await TestBroker.declareScratchQueue(publisher, prefix: "bulk")
        let keys = ["budget.a.31", "budget.b.305", "budget.c.315", "investment.d.31"]
        let total = 10_000
        let consumer = try await consumerConnection.consume(queue: queue, prefetch: 500)
        async let received = collect(consumer, count: total, timeout: .seconds(90))
        var sequence = 0
        while sequence < total {
            let batch = (sequence..<min(total, sequence + 1000)).map { index in
                AMQPOutgoingMessage(
                    exchange: exchange, routingKey: keys[index % keys.count],
                    properties: AMQPProperties(headers: ["sequence": .int64(Int64(index))], messageID: "m-\(index)"),
                    body: Array(repeating: UInt8(index % 256), count: 200)
                )
            }
            let results = await publisher.publish(batch)
            for result in results { try result.get() }
            sequence += batch.count
        }
        let deliveries = try await received
        #expect(deliveries.count == total)
        #expect(Set(deliveries.compactMap { $0.properties.messageID }).count == total)
        for key in keys {
            let sequences = deliveries.filter { $0.routingKey == key }.compactMap { $0.properties.headers["sequence"]?.int64Value }
            #expect(sequences == sequences.sorted(), "out of order for \(key)")
            #expect(sequences.count == total / keys.count)
        }
    }

    @Test("an unroutable publish fails at the publisher")
    func unroutable() async throws {
        let connection = try await TestBroker.connect("unroutable")
        defer { Task { await connection.close() } }
        let exchange = TestBroker.uniqueName("lonely")
        try await connection.declare(AMQPTopology(exchanges: [AMQPExchange(name: exchange, kind: .topic, durable: false)]))
        await #expect(throws: AMQPError.unroutable(replyCode: 312, replyText: "NO_ROUTE", exchange: exchange, routingKey: "nobody.listens")) {
            try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "nobody.listens", body: [1]))
        }
        // The channel stays usable.
        let (routedExchange, _) = try await TestBroker.declareScratchQueue(connection, prefix: "after-return")
        try await connection.publish(AMQPOutgoingMessage(exchange: routedExchange, routingKey: "x", body: [2]))
    }

    @Test("a publish to a missing exchange fails with the broker's reason and the channel recovers")
    func missingExchange() async throws {
        let connection = try await TestBroker.connect("missing-exchange")
        defer { Task { await connection.close() } }
        do {
            try await connection.publish(AMQPOutgoingMessage(exchange: "no.such.exchange", routingKey: "x", body: [1]))
            Issue.record("the publish to a missing exchange succeeded")
        } catch let error as AMQPError {
            guard case .channelClosed(let code, let text) = error else { throw error }
            #expect(code == 404)
            #expect(text.contains("no.such.exchange"))
        }
        let (exchange, _) = try await TestBroker.declareScratchQueue(connection, prefix: "recovered")
        try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [2]))
    }

    @Test("nack with requeue redelivers; acks are batched and settle every message")
    func nackRequeue() async throws {
        let connection = try await TestBroker.connect("nack")
        defer { Task { await connection.close() } }
        let (exchange, queue) = try await TestBroker.declareScratchQueue(connection, prefix: "nack")
        let consumer = try await connection.consume(queue: queue, prefetch: 10)
        try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [7]))
        var iterator = consumer.makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(!first.redelivered)
        first.nack(requeue: true)
        let second = try #require(try await iterator.next())
        #expect(second.redelivered)
        #expect(second.body == [7])
        second.ack()
        consumer.cancel()
        // Nothing is left in the queue once the ack went through.
        let probe = try await connection.consume(queue: queue)
        let leftovers = try await collect(probe, count: 1, timeout: .milliseconds(700))
        #expect(leftovers.isEmpty)
    }

    @Test("a wrong password is refused with the broker's reason")
    func wrongPassword() async throws {
        let connection = AMQPConnection(
            configuration: TestBroker.configuration(name: "bad-login", password: "wrong"), logger: TestBroker.logger
        )
        defer { Task { await connection.close() } }
        do {
            try await connection.waitUntilConnected(timeout: .seconds(3))
            Issue.record("logged in with a wrong password")
        } catch let error as AMQPError {
            guard case .notConnected(let reason) = error else { throw error }
            #expect(reason.contains("login"))
        }
    }

    @Test("calls after close fail with .closed instead of hanging; closing twice is harmless")
    func afterClose() async throws {
        let connection = try await TestBroker.connect("after-close")
        await connection.close()
        await connection.close()
        let started = ContinuousClock.now
        await #expect(throws: AMQPError.closed) {
            try await connection.publish(AMQPOutgoingMessage(exchange: "amq.topic", routingKey: "x", body: [1]), timeout: .seconds(15))
        }
        await #expect(throws: AMQPError.closed) { try await connection.waitUntilConnected(timeout: .seconds(15)) }
        // At once, not at a timeout.
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("a consumer of a missing queue fails with the broker's reason and the connection keeps working")
    func consumeMissingQueue() async throws {
        let connection = try await TestBroker.connect("missing-queue")
        defer { Task { await connection.close() } }
        do {
            _ = try await connection.consume(queue: "no.such.queue")
            Issue.record("consumed a queue that does not exist")
        } catch let error as AMQPError {
            guard case .channelClosed(let code, _) = error else { throw error }
            #expect(code == 404)
        }
        let (exchange, queue) = try await TestBroker.declareScratchQueue(connection, prefix: "after-missing")
        let consumer = try await connection.consume(queue: queue)
        try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [9]))
        let deliveries = try await collect(consumer, count: 1, timeout: .seconds(5))
        #expect(deliveries.first?.body == [9])
    }

    @Test("a second direct reply-to consumer on one connection is refused, not sent to the broker")
    func secondReplyConsumer() async throws {
        let connection = try await TestBroker.connect("reply-to-twice")
        defer { Task { await connection.close() } }
        let first = try await connection.consume(queue: "amq.rabbitmq.reply-to", noAck: true)
        await #expect(throws: AMQPError.self) { _ = try await connection.consume(queue: "amq.rabbitmq.reply-to", noAck: true) }
        withExtendedLifetime(first) {}
        // The publishing channel is intact.
        let (exchange, _) = try await TestBroker.declareScratchQueue(connection, prefix: "reply-to-twice")
        try await connection.publish(AMQPOutgoingMessage(exchange: exchange, routingKey: "x", body: [1]))
    }
}
