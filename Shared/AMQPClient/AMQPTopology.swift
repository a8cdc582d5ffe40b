/// An exchange to declare.
public struct AMQPExchange: Sendable, Equatable {
    public enum Kind: String, Sendable { case direct, topic, fanout, headers }
    public var name: String
    public var kind: Kind
    public var durable: Bool
    /// Only check that the exchange exists (for users without configure permission on it).
    public var passive: Bool
    public var arguments: [String: AMQPFieldValue]

    public init(name: String, kind: Kind, durable: Bool = true, passive: Bool = false, arguments: [String: AMQPFieldValue] = [:]) {
        self.name = name
        self.kind = kind
        self.durable = durable
        self.passive = passive
        self.arguments = arguments
    }
}

/// A queue to declare.
public struct AMQPQueue: Sendable, Equatable {
    public var name: String
    public var durable: Bool
    public var exclusive: Bool
    public var autoDelete: Bool
    public var passive: Bool
    public var arguments: [String: AMQPFieldValue]

    public init(name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false, passive: Bool = false, arguments: [String: AMQPFieldValue] = [:]) {
        self.name = name
        self.durable = durable
        self.exclusive = exclusive
        self.autoDelete = autoDelete
        self.passive = passive
        self.arguments = arguments
    }

    /// A durable quorum queue that dead-letters to `deadLetterExchange` with `deadLetterRoutingKey` after `deliveryLimit` deliveries.
    public static func quorum(name: String, deliveryLimit: Int, deadLetterExchange: String, deadLetterRoutingKey: String) -> AMQPQueue {
        AMQPQueue(name: name, arguments: [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int64(Int64(deliveryLimit)),
            "x-dead-letter-exchange": .string(deadLetterExchange),
            "x-dead-letter-routing-key": .string(deadLetterRoutingKey),
        ])
    }
}

/// A binding of a queue to an exchange.
public struct AMQPBinding: Sendable, Equatable {
    public var queue: String
    public var exchange: String
    public var bindingKey: String

    public init(queue: String, exchange: String, bindingKey: String) {
        self.queue = queue
        self.exchange = exchange
        self.bindingKey = bindingKey
    }
}

/// Exchanges, queues and bindings declared together; a connection redeclares them after every reconnection.
public struct AMQPTopology: Sendable, Equatable {
    public var exchanges: [AMQPExchange]
    public var queues: [AMQPQueue]
    public var bindings: [AMQPBinding]

    public init(exchanges: [AMQPExchange] = [], queues: [AMQPQueue] = [], bindings: [AMQPBinding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }
}
