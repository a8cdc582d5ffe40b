import AMQPClient
import Foundation
import Logging
import PlanPersistence
import SwiftProtobuf

/// Builds outbox rows for domain events, following the wire conventions.
public struct EventFactory: Sendable {
    public let identity: ServiceIdentity

    public init(identity: ServiceIdentity) {
        self.identity = identity
    }

    /// An event of this service's domain about `orgUnit` (default: the instance's own), ready for `Outbox.enqueue`.
    public func event<Event: SwiftProtobuf.Message>(
        _ event: Event, name: String, orgUnit: String? = nil, domain: String? = nil,
        messageID: UUID = UUID(), traceparent: String? = nil
    ) throws -> OutboxMessage {
        let orgUnit = orgUnit ?? identity.orgUnit
        var headers = [
            Wire.Header.schemaVersion: String(Wire.schemaVersion(ofMessageNamed: Event.protoMessageName)),
            Wire.Header.orgUnit: orgUnit,
        ]
        if let traceparent { headers[Wire.Header.traceparent] = traceparent }
        return OutboxMessage(
            messageID: messageID,
            exchange: Wire.eventsExchange,
            routingKey: Wire.eventRoutingKey(domain: domain ?? identity.service, event: name, orgUnit: orgUnit),
            messageType: Event.protoMessageName,
            headers: headers,
            body: try Array(event.serializedBytes() as [UInt8]),
            createdAt: Date()
        )
    }
}

/// Publishes outbox rows to RabbitMQ with publisher confirms; what the outbox relay publishes through.
public struct AMQPOutboxPublisher: OutboxPublisher {
    private let connection: AMQPConnection
    private let identity: ServiceIdentity

    public init(connection: AMQPConnection, identity: ServiceIdentity) {
        self.connection = connection
        self.identity = identity
    }

    public func publish(_ messages: [OutboxMessage]) async -> [Result<Void, any Error>] {
        let outgoing = messages.map(amqpMessage)
        var results = await connection.publish(outgoing)
        // A channel closed by the broker fails every publish in flight, not only the one it refused:
        // publish those one by one so that each gets its own verdict.
        if results.contains(where: { if case .failure(.channelClosed) = $0 { true } else { false } }) {
            for index in results.indices {
                guard case .failure(.channelClosed) = results[index] else { continue }
                results[index] = await connection.publish([outgoing[index]])[0]
            }
        }
        return results.map { result in
            result.mapError { error -> any Error in
                switch error {
                case .connectionLost, .notConnected, .publishTimeout, .closed: BrokerUnavailable(underlying: error)
                default: error
                }
            }
        }
    }

    private func amqpMessage(_ message: OutboxMessage) -> AMQPOutgoingMessage {
        var headers: [String: AMQPFieldValue] = [:]
        for (name, value) in message.headers {
            headers[name] = name == Wire.Header.schemaVersion ? (Int32(value).map(AMQPFieldValue.int32) ?? .string(value)) : .string(value)
        }
        return AMQPOutgoingMessage(
            exchange: message.exchange,
            routingKey: message.routingKey,
            mandatory: true,
            properties: AMQPProperties(
                contentType: Wire.protobufContentType,
                headers: headers,
                persistent: true,
                messageID: message.messageID.uuidString.lowercased(),
                timestamp: message.createdAt,
                type: message.messageType,
                userID: identity.brokerUser,
                appID: identity.service
            ),
            body: message.body
        )
    }
}

/// The broker could not take the message (down, unreachable, blocking the connection): the relay retries without
/// counting the attempt towards parking the row.
public struct BrokerUnavailable: OutboxPublisherUnavailableError, CustomStringConvertible {
    public var underlying: AMQPError
    public var description: String { underlying.description }
}
