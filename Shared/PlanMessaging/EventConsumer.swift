import AMQPClient
import Foundation
import Logging
import Metrics
import PlanPersistence
import PostgresNIO
import ServiceLifecycle
import Synchronization
import SwiftProtobuf

/// What an event handler gets besides the event: the transaction it runs in and where the event came from.
public struct EventContext: Sendable {
    /// The transaction's connection: the handler's changes, the inbox record and any outbox rows commit together.
    public let connection: PostgresConnection
    public let messageID: UUID
    public let routingKey: String
    /// GSO code from the `x-org-unit` header.
    public let orgUnit: String?
    /// The publishing service (`app_id`).
    public let publisher: String?
    /// The broker user that published it (`user_id`, checked by RabbitMQ).
    public let publisherUser: String?
    /// When the publisher created it (`timestamp`, second resolution).
    public let publishedAt: Date?
    /// When this consumer received it.
    public let receivedAt: Date
    public let logger: Logger
}

/// Event handlers by protobuf message name.
public struct EventHandlers: Sendable {
    typealias RawHandler = @Sendable (_ body: [UInt8], _ context: EventContext) async throws -> Void
    private(set) var handlers: [String: RawHandler] = [:]

    public init() {}

    /// Handles events of type `Event`; a body that does not decode as `Event` is dead-lettered.
    public mutating func on<Event: SwiftProtobuf.Message & Sendable>(
        _ type: Event.Type, _ handler: @escaping @Sendable (Event, EventContext) async throws -> Void
    ) {
        handlers[Event.protoMessageName] = { body, context in
            let event: Event
            do {
                event = try Event(serializedBytes: body)
            } catch {
                throw UndecodableMessage(messageType: Event.protoMessageName, underlying: "\(error)")
            }
            try await handler(event, context)
        }
    }

    public var messageTypes: [String] { handlers.keys.sorted() }
}

/// A body that is not the message its `type` property declares.
struct UndecodableMessage: Error, CustomStringConvertible {
    var messageType: String
    var underlying: String
    var description: String { "the body is not a valid \(messageType): \(underlying)" }
}

/// Consumes a service instance's event queue: each event is applied once, in a transaction with its inbox record,
/// and acknowledged after the commit; what cannot be processed is dead-lettered with the reason.
///
/// The queue is a quorum queue bound to `planmonitor.events` with the given binding keys. A handler that throws is
/// retried (the message is requeued) until `maxAttempts`; then the message goes to the dead-letter exchange with the
/// error as its reason. Bodies that do not decode, unknown message types and messages without a `message_id` are
/// dead-lettered at once. The queue's own delivery limit (a few above `maxAttempts`) is the broker's backstop.
public final class EventConsumer: Service {
    public struct Configuration: Sendable {
        /// Which events to receive, e.g. `directive.issued.*` or `budget.#`.
        public var bindingKeys: [String]
        public var prefetch: UInt16
        public var maxAttempts: Int
        /// Distinguishes several consumers of one service instance (part of the queue name and the inbox key).
        public var purpose: String
        /// Called after an event's transaction committed and before its ack (fault injection in tests, tracing).
        public var afterCommit: (@Sendable (UUID) async -> Void)?

        public init(bindingKeys: [String], prefetch: UInt16 = 50, maxAttempts: Int = 5, purpose: String = "events", afterCommit: (@Sendable (UUID) async -> Void)? = nil) {
            self.bindingKeys = bindingKeys
            self.prefetch = prefetch
            self.maxAttempts = maxAttempts
            self.purpose = purpose
            self.afterCommit = afterCommit
        }
    }

    public let queueName: String
    private let identity: ServiceIdentity
    private let configuration: Configuration
    private let handlers: EventHandlers
    private let consumerConnection: AMQPConnection
    private let deadLetters: DeadLetterPublisher
    private let client: PostgresClient
    private let inbox: Inbox
    private let schema: SchemaName
    private let logger: Logger
    private let consumedCounter: Counter
    private let duplicateCounter: Counter
    private let failureCounter: Counter
    private let consuming = Atomic<Bool>(false)

    /// Whether the queue is declared and bound and this consumer receives from it.
    public var isConsuming: Bool { consuming.load(ordering: .acquiring) }

    public init(
        identity: ServiceIdentity, configuration: Configuration, handlers: EventHandlers,
        consumerConnection: AMQPConnection, publisherConnection: AMQPConnection,
        client: PostgresClient, schema: SchemaName, logger: Logger
    ) {
        self.identity = identity
        self.configuration = configuration
        self.handlers = handlers
        self.consumerConnection = consumerConnection
        self.queueName = Wire.queueName(service: identity.service, orgUnit: identity.orgUnit, purpose: configuration.purpose)
        self.deadLetters = DeadLetterPublisher(connection: publisherConnection, identity: identity)
        self.client = client
        self.inbox = Inbox(schema: schema)
        self.schema = schema
        self.logger = logger
        let dimensions = [("queue", queueName)]
        consumedCounter = Counter(label: "planmonitor_events_consumed_total", dimensions: dimensions)
        duplicateCounter = Counter(label: "planmonitor_events_duplicates_total", dimensions: dimensions)
        failureCounter = Counter(label: "planmonitor_events_handler_failures_total", dimensions: dimensions)
    }

    /// The queues and bindings this consumer needs (declared by `run`, and again after every reconnection).
    public var topology: AMQPTopology {
        let deadLetterQueue = Wire.deadLetterQueueName(service: identity.service, orgUnit: identity.orgUnit)
        return AMQPTopology(
            exchanges: Wire.sharedExchanges(passive: true),
            queues: [
                // The broker's delivery limit is only a backstop: redeliveries after restarts count there too.
                AMQPQueue.quorum(name: queueName, deliveryLimit: configuration.maxAttempts + 20,
                                 deadLetterExchange: Wire.deadLetterExchange, deadLetterRoutingKey: queueName),
                AMQPQueue(name: deadLetterQueue, arguments: ["x-queue-type": .string("quorum")]),
            ],
            bindings: configuration.bindingKeys.map { AMQPBinding(queue: queueName, exchange: Wire.eventsExchange, bindingKey: $0) }
                + [AMQPBinding(queue: deadLetterQueue, exchange: Wire.deadLetterExchange, bindingKey: queueName)]
        )
    }

    /// Declares the topology and processes deliveries until graceful shutdown.
    public func run() async throws {
        let consumer = try await cancelWhenGracefulShutdown {
            try await declareAndConsume(self.consumerConnection, topology: self.topology, queue: self.queueName, prefetch: self.configuration.prefetch, logger: self.logger)
        }
        consuming.store(true, ordering: .releasing)
        defer { consuming.store(false, ordering: .releasing) }
        logger.info("consuming events", metadata: ["queue": "\(queueName)", "bindings": "\(configuration.bindingKeys)"])
        // On graceful shutdown the consumer is cancelled (no new deliveries); what the broker already sent is
        // still processed, so that no delivery is interrupted half-way and counted as a failure.
        try await withGracefulShutdownHandler {
            for try await delivery in consumer {
                await self.process(delivery)
            }
        } onGracefulShutdown: {
            consumer.cancel()
        }
    }

    /// Applies one delivery and settles it.
    func process(_ delivery: AMQPDelivery) async {
        let properties = delivery.properties
        guard let rawID = properties.messageID, let messageID = UUID(uuidString: rawID) else {
            return await deadLetter(delivery, reason: "missing or malformed message_id '\(properties.messageID ?? "")': the message cannot be deduplicated")
        }
        guard let type = properties.type, let handler = handlers.handlers[type] else {
            return await deadLetter(delivery, reason: "no handler for message type '\(properties.type ?? "(none)")' in \(queueName)")
        }
        let consumerKey = queueName
        let inbox = inbox
        var eventLogger = logger
        eventLogger[metadataKey: "messageID"] = "\(messageID)"
        eventLogger[metadataKey: "type"] = "\(type)"
        let receivedAt = Date()
        do {
            let applied = try await client.planTransaction(logger: eventLogger) { connection in
                guard try await inbox.claim(messageID: messageID, consumer: consumerKey, messageType: type, on: connection, logger: eventLogger) else {
                    return false
                }
                let context = EventContext(
                    connection: connection, messageID: messageID, routingKey: delivery.routingKey,
                    orgUnit: properties.headers[Wire.Header.orgUnit]?.stringValue, publisher: properties.appID,
                    publisherUser: properties.userID, publishedAt: properties.timestamp, receivedAt: receivedAt, logger: eventLogger
                )
                try await handler(delivery.body, context)
                return true
            }
            if applied { consumedCounter.increment() } else { duplicateCounter.increment() }
            await configuration.afterCommit?(messageID)
            delivery.ack()
        } catch let error as UndecodableMessage {
            await deadLetter(delivery, reason: error.description)
        } catch is CancellationError {
            // Interrupted, not failed: the message goes back to the queue without counting an attempt.
            delivery.nack(requeue: true)
        } catch {
            failureCounter.increment()
            let attempts: Int
            do {
                attempts = try await recordFailure(of: messageID, error: error)
            } catch {
                eventLogger.warning("could not record a handler failure; the message is requeued", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                delivery.nack(requeue: true)
                return
            }
            if attempts >= configuration.maxAttempts {
                await deadLetter(delivery, reason: "handler failed \(attempts) times; last error: \(String(describing: error))")
            } else {
                eventLogger.warning("event handler failed; the message is requeued", metadata: ["attempt": "\(attempts)", "error": "\(error)"])
                // Back off before the retry, so that a short outage (the database restarting) does not use up
                // every attempt in a second.
                try? await Task.sleep(for: min(.milliseconds(100) * (1 << min(attempts, 6)), .seconds(5)))
                delivery.nack(requeue: true)
            }
        }
    }

    /// Counts a handler failure of `messageID` in this queue and returns how many there have been. Failures are
    /// counted in the database rather than from the broker's delivery count, which also grows when a consumer
    /// stops or a connection breaks.
    private func recordFailure(of messageID: UUID, error: any Error) async throws -> Int {
        let rows = try await client.query(
            """
            INSERT INTO \(unescaped: schema.quoted).event_handler_failures (consumer, message_id, attempts, last_error, failed_at)
            VALUES (\(queueName), \(messageID), 1, \(String(describing: error)), now())
            ON CONFLICT (consumer, message_id) DO UPDATE
            SET attempts = event_handler_failures.attempts + 1, last_error = EXCLUDED.last_error, failed_at = now()
            RETURNING attempts
            """,
            logger: logger
        )
        for try await attempts in rows.decode(Int.self) { return attempts }
        return 1
    }

    private func deadLetter(_ delivery: AMQPDelivery, reason: String) async {
        do {
            try await deadLetters.publish(delivery, queue: queueName, reason: reason)
            logger.error("dead-lettered a message", metadata: ["queue": "\(queueName)", "messageID": "\(delivery.properties.messageID ?? "")", "reason": "\(reason)"])
            delivery.ack()
        } catch {
            // Not confirmed: keep the message in the queue; the broker's delivery limit is the last resort.
            logger.error("could not dead-letter a message; requeueing it", metadata: ["queue": "\(queueName)", "error": "\(error)"])
            delivery.nack(requeue: true)
        }
    }
}

/// Publishes a copy of a failed delivery to the dead-letter exchange with the reason, awaiting the broker's confirm.
public struct DeadLetterPublisher: Sendable {
    private let connection: AMQPConnection
    private let identity: ServiceIdentity
    private let counter: Counter

    public init(connection: AMQPConnection, identity: ServiceIdentity) {
        self.connection = connection
        self.identity = identity
        self.counter = Counter(label: "planmonitor_dead_lettered_total", dimensions: [("service", identity.service)])
    }

    public func publish(_ delivery: AMQPDelivery, queue: String, reason: String) async throws {
        var properties = delivery.properties
        properties.headers[Wire.Header.deadLetterReason] = .string(reason)
        properties.headers[Wire.Header.deadLetterQueue] = .string(queue)
        properties.headers[Wire.Header.originalExchange] = .string(delivery.exchange)
        properties.headers[Wire.Header.originalRoutingKey] = .string(delivery.routingKey)
        if let originalUser = properties.userID { properties.headers["x-original-user-id"] = .string(originalUser) }
        // RabbitMQ checks user_id against the publishing user: the dead letter is published by this service.
        properties.userID = identity.brokerUser
        properties.persistent = true
        try await connection.publish(AMQPOutgoingMessage(exchange: Wire.deadLetterExchange, routingKey: queue, mandatory: true, properties: properties, body: delivery.body))
        counter.increment()
    }
}

extension Migration {
    /// The table in which event consumers count handler failures per message (see `EventConsumer`).
    public static let eventHandlerFailures = Migration(
        id: "messaging-0002-event-handler-failures",
        statements: [
            """
            CREATE TABLE {schema}.event_handler_failures (
                consumer text NOT NULL,
                message_id uuid NOT NULL,
                attempts integer NOT NULL,
                last_error text NOT NULL,
                failed_at timestamptz NOT NULL,
                PRIMARY KEY (consumer, message_id)
            )
            """,
        ]
    )
}
