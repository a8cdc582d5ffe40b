import CRabbitMQ
import Foundation
import Logging
import Metrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects the outcome of a batch of publishes and resumes its caller once every one is known.
///
/// Created by the caller, then touched only on the connection thread.
final class PublishBatch: @unchecked Sendable {
    private var results: [Result<Void, AMQPError>?]
    private var remaining: Int
    private let continuation: CheckedContinuation<[Result<Void, AMQPError>], Never>

    init(count: Int, continuation: CheckedContinuation<[Result<Void, AMQPError>], Never>) {
        results = Array(repeating: nil, count: count)
        remaining = count
        self.continuation = continuation
        if count == 0 { continuation.resume(returning: []) }
    }

    func complete(_ index: Int, _ result: Result<Void, AMQPError>) {
        guard results[index] == nil else { return }
        results[index] = result
        remaining -= 1
        if remaining == 0 { continuation.resume(returning: results.map { $0! }) }
    }
}

/// Identifies a delivery's channel incarnation, so that an ack for a delivery of a broken channel is dropped.
struct DeliveryOrigin: Sendable, Equatable {
    var consumerTag: String
    var generation: UInt64
    var epoch: UInt64
}

/// Owns one rabbitmq-c connection and everything tied to it; lives on the connection's thread only.
final class ConnectionCore {
    private static let publishChannel: amqp_channel_t = 1
    private static let operationsChannel: amqp_channel_t = 2
    static let directReplyQueue = "amq.rabbitmq.reply-to"
    /// The longest an acknowledgement waits to be batched with others.
    private static let ackDelay = Duration.milliseconds(5)

    private struct QueuedPublish {
        var message: AMQPOutgoingMessage
        var deadline: ContinuousClock.Instant
        var batch: PublishBatch
        var index: Int
    }

    private struct UnconfirmedPublish {
        var sequence: UInt64
        var messageID: String?
        var deadline: ContinuousClock.Instant
        var batch: PublishBatch
        var index: Int
        var settled = false
    }

    private struct ConnectWaiter {
        var deadline: ContinuousClock.Instant
        var resume: (Result<Void, AMQPError>) -> Void
    }

    private struct ConsumerState {
        var tag: String
        var queue: String
        var channel: amqp_channel_t
        var prefetch: UInt16
        var noAck: Bool
        var continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation
        var epoch: UInt64 = 0
        var cancelled = false
        /// Delivery tags handed to the application and not yet settled, in delivery order.
        var outstanding: [UInt64] = []
        /// Tags the application acknowledged since the last flush.
        var acknowledged: Set<UInt64> = []
        /// When the oldest of `acknowledged` was recorded: acks are held briefly so that one `multiple` ack covers many.
        var oldestPendingAck: ContinuousClock.Instant?
    }

    let configuration: AMQPConfiguration
    private let logger: Logger
    private let loop: ConnectionLoop
    private let metrics: AMQPConnectionMetrics

    private var connection: amqp_connection_state_t?
    private(set) var generation: UInt64 = 0
    private var lastError = "not connected yet"
    private var nextConnectAttempt = ContinuousClock.now
    private var backoff: Duration
    private var blocked = false
    private(set) var finished = false
    private var topologies: [AMQPTopology] = []
    private var connectWaiters: [ConnectWaiter] = []

    private var nextSequence: UInt64 = 1
    private var unconfirmed = RingQueue<UnconfirmedPublish>()
    private var waiting = RingQueue<QueuedPublish>()
    private var returned: [String: AMQPError] = [:]
    private var lastDeadlineScan = ContinuousClock.now
    /// The earliest deadline among `waiting`, so that the queue is scanned only when something can have expired.
    private var earliestWaitingDeadline: ContinuousClock.Instant?
    /// Message ids made for mandatory publishes that came without one: a random prefix per connection object and a
    /// counter (cheaper than a UUID each, which reads /dev/urandom on Linux).
    private let generatedIDPrefix = UUID().uuidString.lowercased()
    private var generatedIDCounter: UInt64 = 0

    private var consumers: [String: ConsumerState] = [:]
    /// While channels are being repaired, `check` only records the channels the broker closed instead of repairing
    /// them itself (which would recurse).
    private var repairingChannels = false
    private var closedDuringRepair: Set<amqp_channel_t> = []
    /// Set by `close`: every later command fails with `.closed`.
    private var closed = false
    private var nextConsumerChannel: amqp_channel_t = 3

    init(configuration: AMQPConfiguration, logger: Logger, loop: ConnectionLoop) {
        self.configuration = configuration
        self.logger = logger
        self.loop = loop
        self.metrics = AMQPConnectionMetrics(connectionName: configuration.connectionName)
        self.backoff = configuration.reconnectBackoff.initial
    }

    // MARK: The thread's loop

    /// Runs commands, reads frames and keeps the connection alive until `close` finishes it.
    func run() {
        while !finished {
            let commands = loop.takeCommands()
            for command in commands {
                command(self)
                if finished { break }
            }
            if finished { break }
            if connection == nil, !closed, ContinuousClock.now >= nextConnectAttempt {
                connect()
            }
            let framesRead = readAvailableFrames()
            flushAcknowledgements()
            sendWaitingPublishes()
            expireDeadlines()
            if commands.isEmpty, !framesRead {
                waitForActivity()
            }
        }
    }

    private func waitForActivity() {
        var descriptors = [pollfd(fd: loop.wakeReadFD, events: Int16(POLLIN), revents: 0)]
        if let connection {
            descriptors.append(pollfd(fd: amqp_get_sockfd(connection), events: Int16(POLLIN), revents: 0))
        }
        var timeoutMilliseconds: Int32 = 50
        if consumers.values.contains(where: { !$0.acknowledged.isEmpty }) {
            timeoutMilliseconds = 2
        } else if closed {
            timeoutMilliseconds = 1000
        } else if connection == nil {
            let untilAttempt = ContinuousClock.now.duration(to: nextConnectAttempt)
            timeoutMilliseconds = Int32(max(0, min(50, untilAttempt.microseconds / 1000)))
        }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeoutMilliseconds)
        if descriptors[0].revents != 0 { loop.drainWakeups() }
    }

    // MARK: Connecting

    private func connect() {
        metrics.connectionAttempts.increment()
        do {
            let state = try openConnection()
            connection = state
            generation += 1
            nextSequence = 1
            repairingChannels = true
            defer { repairingChannels = false }
            for topology in topologies {
                do {
                    try declareNow(topology)
                } catch AMQPError.channelClosed(let code, let text) {
                    // One bad declaration must not keep the whole connection down; it is tried again next time.
                    logger.error("redeclaring a topology failed", metadata: ["error": "\(code) \(text)"])
                    try reopenPlainChannel(Self.operationsChannel)
                }
            }
            for tag in consumers.keys.sorted() where !consumers[tag]!.cancelled {
                try resubscribe(tag)
            }
            backoff = configuration.reconnectBackoff.initial
            loop.connected.store(true, ordering: .releasing)
            metrics.connected.record(1)
            logger.info("AMQP connected", metadata: ["connection": "\(configuration.connectionName)", "generation": "\(generation)"])
            let waiters = connectWaiters
            connectWaiters.removeAll()
            for waiter in waiters { waiter.resume(.success(())) }
        } catch {
            lastError = "\(error)"
            if let state = connection {
                amqp_destroy_connection(state)
                connection = nil
            }
            loop.connected.store(false, ordering: .releasing)
            logger.warning("AMQP connection attempt failed", metadata: ["connection": "\(configuration.connectionName)", "error": "\(lastError)", "retryIn": "\(backoff)"])
            scheduleReconnect()
        }
    }

    private func scheduleReconnect() {
        nextConnectAttempt = ContinuousClock.now.advanced(by: backoff)
        backoff = min(backoff * 2, configuration.reconnectBackoff.maximum)
    }

    private func openConnection() throws -> amqp_connection_state_t {
        guard let state = amqp_new_connection() else { throw AMQPError.connectionFailed("out of memory") }
        guard let socket = amqp_tcp_socket_new(state) else {
            amqp_destroy_connection(state)
            throw AMQPError.connectionFailed("cannot create a TCP socket")
        }
        let opened = cshim_socket_open(socket, configuration.host, Int32(configuration.port), configuration.connectTimeout.microseconds)
        guard opened == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(state)
            throw AMQPError.connectionFailed("cannot reach \(configuration.host):\(configuration.port): \(String(cString: amqp_error_string2(opened)))")
        }
        _ = cshim_set_rpc_timeout(state, configuration.operationTimeout.microseconds)
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }
        var clientProperties = arena.table([
            "connection_name": .string(configuration.connectionName),
            "product": .string("PlanMonitor"),
            "capabilities": .table([
                "connection.blocked": .bool(true),
                "consumer_cancel_notify": .bool(true),
                "publisher_confirms": .bool(true),
                "basic.nack": .bool(true),
                "authentication_failure_close": .bool(true),
            ]),
        ])
        let heartbeatSeconds = Int32(max(1, configuration.heartbeat.components.seconds))
        let login = cshim_amqp_login_plain_with_properties(
            state, configuration.virtualHost, 0, 131_072, heartbeatSeconds, &clientProperties,
            configuration.username, configuration.password
        )
        if let failure = Self.describe(login) {
            amqp_destroy_connection(state)
            throw AMQPError.connectionFailed("login as '\(configuration.username)' to vhost '\(configuration.virtualHost)' failed: \(failure)")
        }
        connection = state
        do {
            try openChannel(Self.publishChannel, state)
            amqp_confirm_select(state, Self.publishChannel)
            try check("confirm.select", channel: Self.publishChannel, state)
            try openChannel(Self.operationsChannel, state)
        } catch {
            // `check` may already have dropped (and destroyed) the connection.
            if connection != nil {
                connection = nil
                amqp_destroy_connection(state)
            }
            throw error
        }
        return state
    }

    private func openChannel(_ channel: amqp_channel_t, _ state: amqp_connection_state_t) throws {
        amqp_channel_open(state, channel)
        try check("channel.open(\(channel))", channel: channel, state)
    }

    // MARK: Commands

    /// Resolves `resume` once connected, or with `.notConnected` at `deadline`.
    func whenConnected(deadline: ContinuousClock.Instant, _ resume: @escaping (Result<Void, AMQPError>) -> Void) {
        if closed {
            resume(.failure(.closed))
        } else if connection != nil {
            resume(.success(()))
        } else {
            connectWaiters.append(ConnectWaiter(deadline: deadline, resume: resume))
        }
    }

    /// Declares `topology` now and again after every reconnection.
    func declare(_ topology: AMQPTopology) throws {
        guard !closed else { throw AMQPError.closed }
        guard connection != nil else { throw AMQPError.notConnected(lastError) }
        try declareNow(topology)
        if !topologies.contains(topology) { topologies.append(topology) }
    }

    func enqueuePublishes(_ messages: [AMQPOutgoingMessage], timeout: Duration, batch: PublishBatch) {
        guard !closed else {
            for index in messages.indices { batch.complete(index, .failure(.closed)) }
            return
        }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        for (index, message) in messages.enumerated() {
            waiting.append(QueuedPublish(message: message, deadline: deadline, batch: batch, index: index))
        }
        earliestWaitingDeadline = min(earliestWaitingDeadline ?? deadline, deadline)
        sendWaitingPublishes()
    }

    func addConsumer(
        queue: String, prefetch: UInt16, noAck: Bool,
        continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation
    ) throws -> String {
        guard !closed else { throw AMQPError.closed }
        if queue == Self.directReplyQueue, consumers.values.contains(where: { $0.queue == queue && !$0.cancelled }) {
            throw AMQPError.invalidOperation("this connection already consumes direct replies; RabbitMQ allows one such consumer per channel")
        }
        let tag = "\(configuration.connectionName).\(UUID().uuidString.lowercased())"
        let channel: amqp_channel_t
        if queue == Self.directReplyQueue {
            channel = Self.publishChannel
        } else {
            channel = nextConsumerChannel
            nextConsumerChannel += 1
        }
        consumers[tag] = ConsumerState(tag: tag, queue: queue, channel: channel, prefetch: prefetch, noAck: noAck, continuation: continuation)
        if connection != nil {
            repairingChannels = true
            defer { repairingChannels = false }
            do {
                try subscribe(tag)
            } catch {
                consumers[tag] = nil
                if let error = error as? AMQPError, closedDuringRepair.contains(channel), channel == Self.publishChannel {
                    repairingChannels = false
                    reopenAfterClose(channel: channel, error: error)
                }
                throw error
            }
        }
        return tag
    }

    func cancelConsumer(_ tag: String) {
        guard var consumer = consumers[tag], !consumer.cancelled else { return }
        consumer.cancelled = true
        consumers[tag] = consumer
        consumer.continuation.finish()
        guard let state = connection else { return }
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }
        amqp_basic_cancel(state, consumer.channel, arena.bytes(tag))
        try? check("basic.cancel", channel: consumer.channel, state)
    }

    func settle(_ origin: DeliveryOrigin, deliveryTag: UInt64, outcome: DeliveryOutcome) {
        let tag = origin.consumerTag
        // Only plain values are read out of the consumer's state, so that the in-place mutations below do not copy
        // its collections.
        guard let state = connection, origin.generation == generation,
              let (epoch, noAck, channel) = consumers[tag].map({ ($0.epoch, $0.noAck, $0.channel) }),
              epoch == origin.epoch, !noAck
        else {
            logger.debug("dropping the settlement of a delivery from a closed channel; the broker redelivers it", metadata: ["deliveryTag": "\(deliveryTag)"])
            return
        }
        switch outcome {
        case .ack:
            if consumers[tag]!.acknowledged.isEmpty { consumers[tag]!.oldestPendingAck = .now }
            consumers[tag]!.acknowledged.insert(deliveryTag)
        case .nack(let requeue), .reject(let requeue):
            guard let position = consumers[tag]!.outstanding.firstIndex(of: deliveryTag) else {
                logger.debug("ignoring a second settlement of a delivery", metadata: ["deliveryTag": "\(deliveryTag)"])
                return
            }
            consumers[tag]!.outstanding.remove(at: position)
            let status: Int32
            if case .reject = outcome {
                status = amqp_basic_reject(state, channel, deliveryTag, requeue ? 1 : 0)
            } else {
                status = amqp_basic_nack(state, channel, deliveryTag, 0, requeue ? 1 : 0)
            }
            if status != AMQP_STATUS_OK.rawValue { connectionLost("nack failed: \(String(cString: amqp_error_string2(status)))") }
        }
    }

    /// Closes the connection politely and fails everything pending with `.closed`; later commands fail with
    /// `.closed` too. Closing twice does nothing more.
    func close() {
        guard !closed else { return }
        closed = true
        if let state = connection {
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
            amqp_destroy_connection(state)
            connection = nil
        }
        loop.connected.store(false, ordering: .releasing)
        failUnconfirmed(.closed)
        for queued in waiting.removeAll() { queued.batch.complete(queued.index, .failure(.closed)) }
        for waiter in connectWaiters { waiter.resume(.failure(.closed)) }
        connectWaiters.removeAll()
        for consumer in consumers.values where !consumer.cancelled { consumer.continuation.finish() }
        consumers.removeAll()
    }

    /// Ends the thread (when the connection object is gone, so no further command can await an answer).
    func terminate() {
        close()
        finished = true
    }

    // MARK: Declarations

    private func declareNow(_ topology: AMQPTopology) throws {
        guard let state = connection else { throw AMQPError.notConnected(lastError) }
        let channel = Self.operationsChannel
        for exchange in topology.exchanges {
            let arena = CArena()
            defer { withExtendedLifetime(arena) {} }
            amqp_exchange_declare(state, channel, arena.bytes(exchange.name), arena.bytes(exchange.kind.rawValue),
                                  exchange.passive ? 1 : 0, exchange.durable ? 1 : 0, 0, 0, arena.table(exchange.arguments))
            try check("exchange.declare '\(exchange.name)'", channel: channel, state)
        }
        for queue in topology.queues {
            let arena = CArena()
            defer { withExtendedLifetime(arena) {} }
            amqp_queue_declare(state, channel, arena.bytes(queue.name), queue.passive ? 1 : 0, queue.durable ? 1 : 0,
                               queue.exclusive ? 1 : 0, queue.autoDelete ? 1 : 0, arena.table(queue.arguments))
            try check("queue.declare '\(queue.name)'", channel: channel, state)
        }
        for binding in topology.bindings {
            let arena = CArena()
            defer { withExtendedLifetime(arena) {} }
            amqp_queue_bind(state, channel, arena.bytes(binding.queue), arena.bytes(binding.exchange), arena.bytes(binding.bindingKey), amqp_empty_table)
            try check("queue.bind '\(binding.queue)' to '\(binding.exchange)' with '\(binding.bindingKey)'", channel: channel, state)
        }
    }

    private func subscribe(_ tag: String) throws {
        guard let state = connection, let consumer = consumers[tag] else { return }
        if consumer.channel != Self.publishChannel {
            try openChannel(consumer.channel, state)
            amqp_basic_qos(state, consumer.channel, 0, consumer.prefetch, 0)
            try check("basic.qos", channel: consumer.channel, state)
        }
        let arena = CArena()
        defer { withExtendedLifetime(arena) {} }
        amqp_basic_consume(state, consumer.channel, arena.bytes(consumer.queue), arena.bytes(tag), 0, consumer.noAck ? 1 : 0, 0, amqp_empty_table)
        try check("basic.consume '\(consumer.queue)'", channel: consumer.channel, state)
    }

    /// Turns the reply of the last synchronous operation into an error; repairs a channel the broker closed.
    private func check(_ operation: String, channel: amqp_channel_t, _ state: amqp_connection_state_t) throws {
        let reply = amqp_get_rpc_reply(state)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_SERVER_EXCEPTION where reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD:
            let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = AMQPError.channelClosed(replyCode: Int(close.reply_code), replyText: "\(close.reply_text.string) (during \(operation))")
            var closeOK = amqp_channel_close_ok_t(dummy: 0)
            amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &closeOK)
            if repairingChannels {
                closedDuringRepair.insert(channel)
            } else {
                reopenAfterClose(channel: channel, error: error)
            }
            throw error
        default:
            let reason = Self.describe(reply) ?? "unknown failure"
            connectionLost("\(operation): \(reason)")
            throw AMQPError.connectionLost("\(operation): \(reason)")
        }
    }

    /// Reopens a channel the broker closed and resumes what lived on it. Failures while doing so do not recurse:
    /// a consumer that cannot subscribe again ends with the error.
    private func reopenAfterClose(channel: amqp_channel_t, error: AMQPError) {
        guard connection != nil else { return }
        repairingChannels = true
        defer { repairingChannels = false }
        do {
            if channel == Self.publishChannel {
                failUnconfirmed(error)
                nextSequence = 1
            }
            try reopenPlainChannel(channel)
            for tag in consumers.keys.sorted() where consumers[tag]!.channel == channel && !consumers[tag]!.cancelled {
                logger.warning("the broker closed a consumer's channel; subscribing again", metadata: ["queue": "\(consumers[tag]!.queue)", "error": "\(error)"])
                try resubscribe(tag)
            }
        } catch {
            // connectionLost already ran for connection-level failures.
            logger.debug("repairing channel \(channel) failed", metadata: ["error": "\(error)"])
        }
    }

    /// Opens `channel` again (with confirms for the publishing channel); nothing is subscribed on it.
    private func reopenPlainChannel(_ channel: amqp_channel_t) throws {
        guard let state = connection else { throw AMQPError.notConnected(lastError) }
        closedDuringRepair.remove(channel)
        try openChannel(channel, state)
        if channel == Self.publishChannel {
            amqp_confirm_select(state, channel)
            try check("confirm.select", channel: channel, state)
        }
    }

    /// Subscribes a consumer again after a reconnection or a channel reset, on a fresh channel epoch.
    ///
    /// A direct reply-to consumer is ended instead: replies addressed to the old channel are lost, so its owner
    /// must fail the calls in flight and subscribe anew. A consumer whose subscription fails ends with the error.
    private func resubscribe(_ tag: String) throws {
        guard var consumer = consumers[tag] else { return }
        consumer.epoch += 1
        consumer.outstanding.removeAll()
        consumer.acknowledged.removeAll()
        consumers[tag] = consumer
        if consumer.queue == Self.directReplyQueue {
            consumers[tag] = nil
            consumer.continuation.finish(throwing: AMQPError.connectionLost("the channel of direct replies was reset: \(lastError)"))
            return
        }
        do {
            try subscribe(tag)
        } catch let error as AMQPError {
            if case .channelClosed = error {
                consumers[tag] = nil
                consumer.continuation.finish(throwing: error)
                logger.error("a consumer could not subscribe again and ended", metadata: ["queue": "\(consumer.queue)", "error": "\(error)"])
                if closedDuringRepair.contains(consumer.channel), consumer.channel == Self.publishChannel {
                    try reopenPlainChannel(consumer.channel)
                }
                return
            }
            throw error
        }
    }

    static func describe(_ reply: amqp_rpc_reply_t) -> String? {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return nil
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return String(cString: amqp_error_string2(reply.library_error))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "\(close.reply_code) \(close.reply_text.string)"
            }
            if reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "\(close.reply_code) \(close.reply_text.string)"
            }
            return "server exception (method \(reply.reply.id))"
        default:
            return "no reply"
        }
    }

    // MARK: Publishing

    private func sendWaitingPublishes() {
        guard let state = connection, !blocked else { return }
        while unconfirmed.count < configuration.confirmWindow, let queued = waiting.popFirst() {
            var message = queued.message
            if message.mandatory, message.properties.messageID == nil {
                generatedIDCounter += 1
                message.properties.messageID = "\(generatedIDPrefix)-\(generatedIDCounter)"
            }
            let arena = CArena()
            defer { withExtendedLifetime(arena) {} }
            var properties = arena.properties(message.properties)
            let status = message.body.withUnsafeBytes { body in
                amqp_basic_publish(
                    state, Self.publishChannel, arena.bytes(message.exchange), arena.bytes(message.routingKey),
                    message.mandatory ? 1 : 0, 0, &properties,
                    amqp_bytes_t(len: body.count, bytes: UnsafeMutableRawPointer(mutating: body.baseAddress))
                )
            }
            guard status == AMQP_STATUS_OK.rawValue else {
                queued.batch.complete(queued.index, .failure(.connectionLost(String(cString: amqp_error_string2(status)))))
                metrics.publishFailures.increment()
                connectionLost("publish failed: \(String(cString: amqp_error_string2(status)))")
                return
            }
            metrics.published.increment()
            unconfirmed.append(UnconfirmedPublish(
                sequence: nextSequence, messageID: message.mandatory ? message.properties.messageID : nil,
                deadline: queued.deadline, batch: queued.batch, index: queued.index
            ))
            nextSequence += 1
        }
    }

    private func confirm(deliveryTag: UInt64, multiple: Bool, acknowledged: Bool) {
        if multiple {
            while let first = unconfirmed.first, first.sequence <= deliveryTag {
                _ = unconfirmed.popFirst()
                if first.settled {
                    if let messageID = first.messageID { returned[messageID] = nil }
                } else {
                    settleConfirm(first, acknowledged: acknowledged)
                }
            }
        } else {
            var low = 0
            var high = unconfirmed.count - 1
            while low <= high {
                let middle = (low + high) / 2
                let sequence = unconfirmed[middle].sequence
                if sequence == deliveryTag {
                    if !unconfirmed[middle].settled {
                        unconfirmed[middle].settled = true
                        settleConfirm(unconfirmed[middle], acknowledged: acknowledged)
                    }
                    break
                } else if sequence < deliveryTag {
                    low = middle + 1
                } else {
                    high = middle - 1
                }
            }
            while let first = unconfirmed.first, first.settled { _ = unconfirmed.popFirst() }
        }
    }

    private func settleConfirm(_ publish: UnconfirmedPublish, acknowledged: Bool) {
        if let messageID = publish.messageID, let error = returned.removeValue(forKey: messageID) {
            metrics.returned.increment()
            publish.batch.complete(publish.index, .failure(error))
        } else if acknowledged {
            metrics.confirmed.increment()
            publish.batch.complete(publish.index, .success(()))
        } else {
            metrics.nacked.increment()
            publish.batch.complete(publish.index, .failure(.nacked))
        }
    }

    private func failUnconfirmed(_ error: AMQPError) {
        for publish in unconfirmed.removeAll() where !publish.settled {
            metrics.publishFailures.increment()
            publish.batch.complete(publish.index, .failure(error))
        }
        returned.removeAll()
    }

    private func expireDeadlines() {
        let now = ContinuousClock.now
        guard now - lastDeadlineScan >= .milliseconds(20) else { return }
        lastDeadlineScan = now
        let timeout = AMQPError.publishTimeout(blocked: blocked)
        for index in 0..<unconfirmed.count where !unconfirmed[index].settled && unconfirmed[index].deadline <= now {
            unconfirmed[index].settled = true
            if let messageID = unconfirmed[index].messageID { returned[messageID] = nil }
            metrics.publishFailures.increment()
            unconfirmed[index].batch.complete(unconfirmed[index].index, .failure(timeout))
        }
        while let first = unconfirmed.first, first.settled { _ = unconfirmed.popFirst() }
        if let earliest = earliestWaitingDeadline, earliest <= now {
            for expired in waiting.removeAll(where: { $0.deadline <= now }) {
                metrics.publishFailures.increment()
                expired.batch.complete(expired.index, .failure(connection == nil ? .notConnected(lastError) : timeout))
            }
            earliestWaitingDeadline = nil
            for index in 0..<waiting.count {
                earliestWaitingDeadline = min(earliestWaitingDeadline ?? waiting[index].deadline, waiting[index].deadline)
            }
        }
        if !connectWaiters.isEmpty {
            let expired = connectWaiters.filter { $0.deadline <= now }
            connectWaiters.removeAll { $0.deadline <= now }
            for waiter in expired { waiter.resume(.failure(.notConnected(lastError))) }
        }
    }

    // MARK: Frames

    /// Reads and dispatches every frame available now; true when at least one was read.
    private func readAvailableFrames() -> Bool {
        guard connection != nil else { return false }
        var readAny = false
        for _ in 0..<2048 {
            guard let state = connection else { break }
            var frame = amqp_frame_t()
            let status = cshim_wait_frame(state, &frame, 0)
            if status == AMQP_STATUS_TIMEOUT.rawValue { break }
            guard status == AMQP_STATUS_OK.rawValue else {
                connectionLost(String(cString: amqp_error_string2(status)))
                break
            }
            readAny = true
            if frame.frame_type == UInt8(AMQP_FRAME_METHOD) {
                dispatch(method: frame.payload.method, channel: frame.channel, state)
            }
        }
        if let state = connection { amqp_maybe_release_buffers(state) }
        return readAny
    }

    private func dispatch(method: amqp_method_t, channel: amqp_channel_t, _ state: amqp_connection_state_t) {
        switch method.id {
        case AMQP_BASIC_ACK_METHOD:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            confirm(deliveryTag: ack.delivery_tag, multiple: ack.multiple != 0, acknowledged: true)
        case AMQP_BASIC_NACK_METHOD:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            confirm(deliveryTag: nack.delivery_tag, multiple: nack.multiple != 0, acknowledged: false)
        case AMQP_BASIC_DELIVER_METHOD:
            let deliverMethod = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            let consumerTag = deliverMethod.consumer_tag.string
            let exchange = deliverMethod.exchange.string
            let routingKey = deliverMethod.routing_key.string
            guard let (properties, body) = readContent(channel: channel, state) else { return }
            deliver(consumerTag: consumerTag, deliveryTag: deliverMethod.delivery_tag, redelivered: deliverMethod.redelivered != 0,
                    exchange: exchange, routingKey: routingKey, properties: properties, body: body)
        case AMQP_BASIC_RETURN_METHOD:
            let basicReturn = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let error = AMQPError.unroutable(
                replyCode: Int(basicReturn.reply_code), replyText: basicReturn.reply_text.string,
                exchange: basicReturn.exchange.string, routingKey: basicReturn.routing_key.string
            )
            guard let (properties, _) = readContent(channel: channel, state) else { return }
            if let messageID = properties.messageID { returned[messageID] = error }
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            let error = AMQPError.channelClosed(replyCode: Int(close.reply_code), replyText: close.reply_text.string)
            logger.warning("the broker closed channel \(channel)", metadata: ["error": "\(error)"])
            var closeOK = amqp_channel_close_ok_t(dummy: 0)
            amqp_send_method(state, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &closeOK)
            reopenAfterClose(channel: channel, error: error)
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var closeOK = amqp_connection_close_ok_t(dummy: 0)
            amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &closeOK)
            connectionLost("the broker closed the connection: \(close.reply_code) \(close.reply_text.string)")
        case AMQP_CONNECTION_BLOCKED_METHOD:
            let reason = method.decoded.assumingMemoryBound(to: amqp_connection_blocked_t.self).pointee.reason.string
            logger.warning("the broker blocked the connection", metadata: ["reason": "\(reason)"])
            blocked = true
            loop.blocked.store(true, ordering: .releasing)
        case AMQP_CONNECTION_UNBLOCKED_METHOD:
            logger.info("the broker unblocked the connection")
            blocked = false
            loop.blocked.store(false, ordering: .releasing)
        case AMQP_BASIC_CANCEL_METHOD:
            let cancel = method.decoded.assumingMemoryBound(to: amqp_basic_cancel_t.self).pointee
            let tag = cancel.consumer_tag.string
            if var consumer = consumers[tag] {
                consumer.cancelled = true
                consumers[tag] = consumer
                consumer.continuation.finish(throwing: AMQPError.consumerCancelled(queue: consumer.queue))
            }
        default:
            logger.debug("ignoring an AMQP method", metadata: ["method": "\(method.id)", "channel": "\(channel)"])
        }
    }

    private func readContent(channel: amqp_channel_t, _ state: amqp_connection_state_t) -> (AMQPProperties, [UInt8])? {
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            connectionLost("reading message content failed: \(Self.describe(reply) ?? "unknown")")
            return nil
        }
        defer { amqp_destroy_message(&message) }
        return (AMQPProperties(message.properties), message.body.array)
    }

    private func deliver(
        consumerTag: String, deliveryTag: UInt64, redelivered: Bool, exchange: String, routingKey: String,
        properties: AMQPProperties, body: [UInt8]
    ) {
        guard let (epoch, noAck, continuation) = consumers[consumerTag].flatMap({ $0.cancelled ? nil : ($0.epoch, $0.noAck, $0.continuation) }) else {
            // Arrived after basic.cancel: hand it back to the queue rather than leaving it unacknowledged.
            if let state = connection, let channel = consumers[consumerTag]?.channel, consumers[consumerTag]?.noAck == false {
                _ = amqp_basic_reject(state, channel, deliveryTag, 1)
            }
            return
        }
        if !noAck {
            consumers[consumerTag]!.outstanding.append(deliveryTag)
        }
        metrics.consumed.increment()
        let delivery = AMQPDelivery(
            body: body, properties: properties, exchange: exchange, routingKey: routingKey,
            redelivered: redelivered, deliveryTag: deliveryTag,
            origin: DeliveryOrigin(consumerTag: consumerTag, generation: generation, epoch: epoch), loop: loop
        )
        continuation.yield(delivery)
    }

    /// Sends the acknowledgements the application made since the last call: one `multiple` ack for the
    /// settled prefix of each channel's deliveries, single acks for the rest.
    private func flushAcknowledgements() {
        guard let state = connection else { return }
        let now = ContinuousClock.now
        for tag in consumers.keys {
            guard !consumers[tag]!.acknowledged.isEmpty else { continue }
            var consumer = consumers[tag]!
            // Hold acks until a quarter of the prefetch window is settled or the oldest waited `ackDelay`.
            let enough = consumer.acknowledged.count >= max(1, Int(consumer.prefetch) / 4)
            if !enough, let oldest = consumer.oldestPendingAck, now - oldest < Self.ackDelay { continue }
            consumer.oldestPendingAck = nil
            var prefix = 0
            while prefix < consumer.outstanding.count, consumer.acknowledged.contains(consumer.outstanding[prefix]) { prefix += 1 }
            var failure: Int32 = AMQP_STATUS_OK.rawValue
            if prefix > 0 {
                failure = amqp_basic_ack(state, consumer.channel, consumer.outstanding[prefix - 1], prefix > 1 ? 1 : 0)
            }
            for deliveryTag in consumer.outstanding[prefix...] where consumer.acknowledged.contains(deliveryTag) && failure == AMQP_STATUS_OK.rawValue {
                failure = amqp_basic_ack(state, consumer.channel, deliveryTag, 0)
            }
            metrics.acknowledged.increment(by: consumer.acknowledged.count)
            consumer.outstanding = consumer.outstanding.filter { !consumer.acknowledged.contains($0) }
            consumer.acknowledged.removeAll(keepingCapacity: true)
            consumers[tag] = consumer
            if failure != AMQP_STATUS_OK.rawValue {
                connectionLost("ack failed: \(String(cString: amqp_error_string2(failure)))")
                return
            }
        }
    }

    // MARK: Failure

    /// Drops the broken connection, fails what awaited its confirms, and schedules a reconnection.
    private func connectionLost(_ reason: String) {
        guard let state = connection else { return }
        connection = nil
        amqp_destroy_connection(state)
        lastError = reason
        blocked = false
        loop.blocked.store(false, ordering: .releasing)
        loop.connected.store(false, ordering: .releasing)
        metrics.connected.record(0)
        metrics.connectionLosses.increment()
        logger.warning("AMQP connection lost", metadata: ["connection": "\(configuration.connectionName)", "reason": "\(reason)"])
        failUnconfirmed(.connectionLost(reason))
        for tag in consumers.keys {
            consumers[tag]!.outstanding.removeAll()
            consumers[tag]!.acknowledged.removeAll()
        }
        scheduleReconnect()
    }
}

/// How the application settles a delivery.
enum DeliveryOutcome: Sendable {
    case ack
    case nack(requeue: Bool)
    case reject(requeue: Bool)
}

/// The counters and gauges of one connection.
struct AMQPConnectionMetrics {
    let published: Counter
    let confirmed: Counter
    let returned: Counter
    let nacked: Counter
    let publishFailures: Counter
    let consumed: Counter
    let acknowledged: Counter
    let connectionAttempts: Counter
    let connectionLosses: Counter
    let connected: Gauge

    init(connectionName: String) {
        let dimensions = [("connection", connectionName)]
        published = Counter(label: "planmonitor_amqp_published_total", dimensions: dimensions)
        confirmed = Counter(label: "planmonitor_amqp_confirmed_total", dimensions: dimensions)
        returned = Counter(label: "planmonitor_amqp_returned_total", dimensions: dimensions)
        nacked = Counter(label: "planmonitor_amqp_nacked_total", dimensions: dimensions)
        publishFailures = Counter(label: "planmonitor_amqp_publish_failures_total", dimensions: dimensions)
        consumed = Counter(label: "planmonitor_amqp_consumed_total", dimensions: dimensions)
        acknowledged = Counter(label: "planmonitor_amqp_acknowledged_total", dimensions: dimensions)
        connectionAttempts = Counter(label: "planmonitor_amqp_connection_attempts_total", dimensions: dimensions)
        connectionLosses = Counter(label: "planmonitor_amqp_connection_losses_total", dimensions: dimensions)
        connected = Gauge(label: "planmonitor_amqp_connected", dimensions: dimensions)
    }
}
