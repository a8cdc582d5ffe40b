import Foundation

/// Per-call options.
public struct RPCCallOptions: Sendable {
    /// How long the caller waits for the reply; the server sees the resulting deadline in
    /// `RPCServerContext.deadline`. Default 10 seconds.
    public var timeout: Duration
    /// Extra key/value pairs carried with the request (e.g. "x-request-id", "x-user").
    public var metadata: [String: String]

    /// Makes options; the defaults are a 10-second timeout and no metadata.
    public init(timeout: Duration = .seconds(10), metadata: [String: String] = [:]) {
        self.timeout = timeout
        self.metadata = metadata
    }
}

/// Client side: something that can carry a unary call (the AMQP transport implements it;
/// `InProcessRPCTransport` calls a handler table directly).
///
/// A transport throws `RPCError` for every failure: the server's error as sent, or its own
/// (`.deadlineExceeded` when `options.timeout` passes, `.unavailable` when the broker cannot
/// be reached, `.internal` when the reply cannot be decoded, …).
public protocol RPCTransport: Sendable {
    /// Sends `request` to the server of `method` and returns its response.
    func unary<Method: RPCMethod>(
        _ method: Method.Type,
        request: Method.Request,
        options: RPCCallOptions
    ) async throws -> Method.Response
}

/// What a handler knows about the call.
public struct RPCServerContext: Sendable {
    /// The method path: "/planmonitor.testing.v1.EchoService/Echo".
    public var method: String
    /// The request's metadata (`RPCCallOptions.metadata` of the caller).
    public var metadata: [String: String]
    /// When the caller stops waiting; `nil` if unknown.
    public var deadline: ContinuousClock.Instant?
    /// The caller's authenticated broker user (AMQP `user_id`), if the transport knows it.
    public var callerUser: String?
    /// The request's id (AMQP `correlation_id` or `message_id`), for logs and audit records.
    public var requestID: String
    /// When the server took the request off the broker (or the in-process transport received it): the receipt time
    /// a service records, never a time the caller claims.
    public var receivedAt: Date

    /// Makes a context.
    public init(
        method: String,
        metadata: [String: String] = [:],
        deadline: ContinuousClock.Instant? = nil,
        callerUser: String? = nil,
        requestID: String,
        receivedAt: Date = Date()
    ) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.callerUser = callerUser
        self.requestID = requestID
        self.receivedAt = receivedAt
    }

    /// Time left until the deadline (negative once passed); `nil` without a deadline.
    public var timeRemaining: Duration? {
        deadline.map { ContinuousClock.now.duration(to: $0) }
    }

    /// True once the deadline has passed: the caller no longer waits for the answer.
    public var isPastDeadline: Bool {
        deadline.map { ContinuousClock.now >= $0 } ?? false
    }
}
