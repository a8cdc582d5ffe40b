import Foundation

/// A value in an AMQP field table (message headers, queue arguments).
public indirect enum AMQPFieldValue: Sendable, Equatable, Hashable {
    case string(String)
    case bytes([UInt8])
    case bool(Bool)
    case int32(Int32)
    case int64(Int64)
    case double(Double)
    case timestamp(Date)
    case table([String: AMQPFieldValue])
    case array([AMQPFieldValue])
    case void

    /// The value as text when it is a string, or the decimal form of an integer.
    public var stringValue: String? {
        switch self {
        case .string(let value): return value
        case .bytes(let value): return String(decoding: value, as: UTF8.self)
        case .int32(let value): return String(value)
        case .int64(let value): return String(value)
        default: return nil
        }
    }

    /// The value as an integer when it is one (of any width).
    public var int64Value: Int64? {
        switch self {
        case .int32(let value): return Int64(value)
        case .int64(let value): return value
        case .string(let value): return Int64(value)
        default: return nil
        }
    }
}

/// The AMQP 0-9-1 basic properties of a message.
public struct AMQPProperties: Sendable, Equatable {
    public var contentType: String?
    public var contentEncoding: String?
    public var headers: [String: AMQPFieldValue]
    /// Persistent (delivery mode 2) when true, transient (1) when false.
    public var persistent: Bool
    public var priority: UInt8?
    public var correlationID: String?
    public var replyTo: String?
    /// Per-message TTL in milliseconds, as the decimal string AMQP expects.
    public var expiration: String?
    public var messageID: String?
    /// AMQP timestamps have a resolution of one second.
    public var timestamp: Date?
    public var type: String?
    /// Checked by RabbitMQ against the user of the publishing connection.
    public var userID: String?
    public var appID: String?

    public init(
        contentType: String? = nil,
        contentEncoding: String? = nil,
        headers: [String: AMQPFieldValue] = [:],
        persistent: Bool = true,
        priority: UInt8? = nil,
        correlationID: String? = nil,
        replyTo: String? = nil,
        expiration: String? = nil,
        messageID: String? = nil,
        timestamp: Date? = nil,
        type: String? = nil,
        userID: String? = nil,
        appID: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.persistent = persistent
        self.priority = priority
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.expiration = expiration
        self.messageID = messageID
        self.timestamp = timestamp
        self.type = type
        self.userID = userID
        self.appID = appID
    }
}

/// A message to publish.
public struct AMQPOutgoingMessage: Sendable, Equatable {
    public var exchange: String
    public var routingKey: String
    /// When true (the default) a message that no queue receives comes back as `AMQPError.unroutable`.
    public var mandatory: Bool
    public var properties: AMQPProperties
    public var body: [UInt8]

    public init(exchange: String, routingKey: String, mandatory: Bool = true, properties: AMQPProperties = AMQPProperties(), body: [UInt8]) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.mandatory = mandatory
        self.properties = properties
        self.body = body
    }
}
