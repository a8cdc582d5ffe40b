import AMQPClient
import Foundation

/// The names and headers every PlanMonitor service uses on the broker (documented in `docs/messaging.md`).
public enum Wire {
    /// Topic exchange of domain events; routing key `<domain>.<event>.<org unit>`.
    public static let eventsExchange = "planmonitor.events"
    /// Topic exchange of RPC requests; routing key `<service>.<org unit>`.
    public static let rpcExchange = "planmonitor.rpc"
    /// Topic exchange of dead letters; routing key = the name of the queue the message died in.
    public static let deadLetterExchange = "planmonitor.dlx"
    /// RabbitMQ's direct reply-to pseudo-queue.
    public static let directReplyTo = "amq.rabbitmq.reply-to"
    /// `content_type` of every PlanMonitor message.
    public static let protobufContentType = "application/x-protobuf"

    /// Header names.
    public enum Header {
        /// Version of the message's schema (the `vN` of its protobuf package), an integer.
        public static let schemaVersion = "x-schema-version"
        /// GSO code of the org unit the message is about ("31" the city, "305" Lê Chân…).
        public static let orgUnit = "x-org-unit"
        /// W3C trace context.
        public static let traceparent = "traceparent"
        /// Why a message was dead-lettered, in words.
        public static let deadLetterReason = "x-dead-letter-reason"
        /// The queue a dead letter was taken from.
        public static let deadLetterQueue = "x-dead-letter-queue"
        /// Where the dead letter had been published originally.
        public static let originalExchange = "x-original-exchange"
        public static let originalRoutingKey = "x-original-routing-key"
        /// How many times the broker delivered the message before (quorum queues set it on redelivery).
        public static let deliveryCount = "x-delivery-count"
        /// RPC: the method's path, `/package.Service/Method`.
        public static let rpcMethod = "x-rpc-method"
        /// RPC: the caller's deadline, milliseconds since the Unix epoch.
        public static let rpcDeadline = "x-rpc-deadline"
        /// RPC reply: the gRPC status code (0 is OK).
        public static let rpcStatus = "x-rpc-status"
        /// RPC reply: the status message for humans.
        public static let rpcStatusMessage = "x-rpc-status-message"
        /// RPC: call metadata travels as headers with this prefix (`x-rpc-meta-agency`).
        public static let rpcMetadataPrefix = "x-rpc-meta-"
    }

    /// The routing key of a domain event: `<domain>.<event>.<org unit>`, e.g. `budget.collection-recorded.305`.
    public static func eventRoutingKey(domain: String, event: String, orgUnit: String) -> String {
        "\(domain).\(event).\(orgUnit)"
    }

    /// The routing key of an RPC request to a service instance: `<service>.<org unit>`.
    public static func rpcRoutingKey(service: String, orgUnit: String) -> String {
        "\(service).\(orgUnit)"
    }

    /// A queue of a service instance: `planmonitor.<service>.<org unit>.<purpose>`.
    public static func queueName(service: String, orgUnit: String, purpose: String) -> String {
        "planmonitor.\(service).\(orgUnit).\(purpose)"
    }

    /// The dead-letter queue that collects what dies in `queue`'s service instance.
    public static func deadLetterQueueName(service: String, orgUnit: String) -> String {
        queueName(service: service, orgUnit: orgUnit, purpose: "dead-letters")
    }

    /// The three shared exchanges; `passive` only checks they exist (service users may not create them).
    public static func sharedExchanges(passive: Bool) -> [AMQPExchange] {
        [
            AMQPExchange(name: eventsExchange, kind: .topic, passive: passive),
            AMQPExchange(name: rpcExchange, kind: .topic, passive: passive),
            AMQPExchange(name: deadLetterExchange, kind: .topic, passive: passive),
        ]
    }

    /// The schema version of a protobuf full name: `planmonitor.budget.v2.X` → 2 (1 when the package has no version).
    public static func schemaVersion(ofMessageNamed name: String) -> Int32 {
        for component in name.split(separator: ".") where component.first == "v" {
            if let version = Int32(component.dropFirst()) { return version }
        }
        return 1
    }
}

/// Who a service instance is on the broker: its name (the domain of its events), its org unit and broker user.
public struct ServiceIdentity: Sendable, Equatable, CustomStringConvertible {
    /// `budget`, `investment`, `infrastructure`, `social`, `security`, `aggregator`, `planctl`.
    public var service: String
    /// GSO code of the org unit the instance serves ("31" for the city).
    public var orgUnit: String
    /// The broker user it connects as (RabbitMQ checks it against the `user_id` property).
    public var brokerUser: String

    public init(service: String, orgUnit: String, brokerUser: String) {
        self.service = service
        self.orgUnit = orgUnit
        self.brokerUser = brokerUser
    }

    public var description: String { "\(service)@\(orgUnit)" }
}
