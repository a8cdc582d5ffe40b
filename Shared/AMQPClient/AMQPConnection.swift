import Foundation
import Logging

/// One AMQP 0-9-1 connection to RabbitMQ through rabbitmq-c, with an async API.
///
/// The C connection lives on a thread of its own (rabbitmq-c is not thread-safe); calls from Swift tasks are
/// handed to that thread and awaited, so nothing blocks the cooperative pool. The connection:
/// - publishes with publisher confirms, pipelined up to `confirmWindow` outstanding, `mandatory` by default, and
///   reports a returned (unroutable) message as an error;
/// - services heartbeats and notices a dead broker within two heartbeat intervals;
/// - reconnects by itself with backoff, redeclares every topology declared through it and resumes its consumers;
/// - fails a publish whose confirm never came (connection lost, timeout, broker blocking the connection).
public final class AMQPConnection: Sendable {
    public let configuration: AMQPConfiguration
    private let loop: ConnectionLoop

    /// Starts the connection's thread, which connects in the background; see `waitUntilConnected`.
    public init(configuration: AMQPConfiguration, logger: Logger) {
        self.configuration = configuration
        let loop = ConnectionLoop()
        self.loop = loop
        let thread = Thread {
            let core = ConnectionCore(configuration: configuration, logger: logger, loop: loop)
            core.run()
        }
        thread.name = "amqp-\(configuration.connectionName)"
        thread.start()
    }

    deinit {
        loop.submit { core in core.terminate() }
    }

    /// Whether the connection is open right now.
    public var isConnected: Bool { loop.connected.load(ordering: .acquiring) }

    /// Whether the broker is blocking this connection (a memory or disk alarm).
    public var isBlocked: Bool { loop.blocked.load(ordering: .acquiring) }

    /// Returns once the connection is open; throws `AMQPError.notConnected` with the last failure after `timeout`.
    public func waitUntilConnected(timeout: Duration? = nil) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout ?? configuration.operationTimeout)
        let result: Result<Void, AMQPError> = await withCheckedContinuation { continuation in
            loop.submit { core in core.whenConnected(deadline: deadline) { continuation.resume(returning: $0) } }
        }
        try result.get()
    }

    /// Declares exchanges, queues and bindings, and declares them again after every reconnection.
    public func declare(_ topology: AMQPTopology) async throws {
        try await waitUntilConnected()
        try await perform { core in try core.declare(topology) }
    }

    /// Publishes one message and returns when the broker has confirmed it.
    public func publish(_ message: AMQPOutgoingMessage, timeout: Duration? = nil) async throws {
        try await publish([message], timeout: timeout)[0].get()
    }

    /// Publishes messages in order, pipelining their confirms, and returns each one's outcome in the same order.
    ///
    /// A message counts as sent only when the broker confirmed it; a publish made while disconnected waits for the
    /// reconnection until its timeout.
    public func publish(_ messages: [AMQPOutgoingMessage], timeout: Duration? = nil) async -> [Result<Void, AMQPError>] {
        let timeout = timeout ?? configuration.publishTimeout
        return await withCheckedContinuation { continuation in
            let batch = PublishBatch(count: messages.count, continuation: continuation)
            guard !messages.isEmpty else { return }
            loop.submit { core in core.enqueuePublishes(messages, timeout: timeout, batch: batch) }
        }
    }

    /// Starts consuming `queue`: deliveries arrive in order and must be settled (`ack`, `nack`, `reject`) unless `noAck`.
    ///
    /// Consuming `amq.rabbitmq.reply-to` (direct reply-to, always `noAck`) happens on the publishing channel, as
    /// RabbitMQ requires.
    public func consume(queue: String, prefetch: UInt16 = 100, noAck: Bool = false) async throws -> AMQPConsumer {
        try await waitUntilConnected()
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: AMQPDelivery.self)
        let noAck = noAck || queue == ConnectionCore.directReplyQueue
        let tag = try await perform { core in
            try core.addConsumer(queue: queue, prefetch: prefetch, noAck: noAck, continuation: continuation)
        }
        let loop = self.loop
        continuation.onTermination = { _ in loop.submit { core in core.cancelConsumer(tag) } }
        return AMQPConsumer(queue: queue, consumerTag: tag, stream: stream, loop: loop)
    }

    /// Closes the connection: pending publishes fail with `.closed`, consumers end; later calls fail with `.closed`.
    /// The thread ends when the connection object is released.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.submit { core in
                core.close()
                continuation.resume()
            }
        }
    }

    private func perform<Value: Sendable>(_ body: @escaping @Sendable (ConnectionCore) throws -> Value) async throws -> Value {
        let result: Result<Value, any Error> = await withCheckedContinuation { continuation in
            loop.submit { core in continuation.resume(returning: Result { try body(core) }) }
        }
        return try result.get()
    }
}

/// A message delivered to a consumer; settle it once with `ack`, `nack` or `reject`.
public struct AMQPDelivery: Sendable {
    public let body: [UInt8]
    public let properties: AMQPProperties
    public let exchange: String
    public let routingKey: String
    /// The broker delivered it before (to this or another consumer) without an ack.
    public let redelivered: Bool
    public let deliveryTag: UInt64
    let origin: DeliveryOrigin
    let loop: ConnectionLoop

    /// Acknowledges the delivery; acks are batched into `multiple` acks where every earlier delivery is settled too.
    ///
    /// An ack for a delivery whose channel has since broken is dropped: the broker redelivers the message.
    public func ack() { settle(.ack) }

    /// Negatively acknowledges the delivery, requeueing it by default.
    public func nack(requeue: Bool = true) { settle(.nack(requeue: requeue)) }

    /// Rejects the delivery; without requeue the queue dead-letters it (when it has a dead-letter exchange).
    public func reject(requeue: Bool = false) { settle(.reject(requeue: requeue)) }

    private func settle(_ outcome: DeliveryOutcome) {
        let origin = origin
        let deliveryTag = deliveryTag
        loop.submit { core in core.settle(origin, deliveryTag: deliveryTag, outcome: outcome) }
    }
}

/// The deliveries of one consumer, as an async sequence; it survives reconnections and ends when cancelled.
public struct AMQPConsumer: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery
    public let queue: String
    public let consumerTag: String
    private let stream: AsyncThrowingStream<AMQPDelivery, any Error>
    private let loop: ConnectionLoop

    init(queue: String, consumerTag: String, stream: AsyncThrowingStream<AMQPDelivery, any Error>, loop: ConnectionLoop) {
        self.queue = queue
        self.consumerTag = consumerTag
        self.stream = stream
        self.loop = loop
    }

    public func makeAsyncIterator() -> AsyncThrowingStream<AMQPDelivery, any Error>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Stops the deliveries (`basic.cancel`); unsettled deliveries can still be settled.
    public func cancel() {
        let tag = consumerTag
        loop.submit { core in core.cancelConsumer(tag) }
    }
}
