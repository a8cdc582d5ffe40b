/// What went wrong in the AMQP layer, with the broker's words where it gave any.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection could not be opened or logged in.
    case connectionFailed(String)
    /// The connection broke while the operation was in flight; for a publish, its confirm never came, so it was not sent.
    case connectionLost(String)
    /// No connection within the time allowed.
    case notConnected(String)
    /// The broker did not confirm the publish in time; `blocked` tells whether it was blocking the connection (resource alarm).
    case publishTimeout(blocked: Bool)
    /// The broker refused the message (`basic.nack`).
    case nacked
    /// The message reached no queue and came back (`basic.return`).
    case unroutable(replyCode: Int, replyText: String, exchange: String, routingKey: String)
    /// The broker closed the channel, for example `403 ACCESS_REFUSED` or `404 NOT_FOUND`.
    case channelClosed(replyCode: Int, replyText: String)
    /// A consumer was cancelled by the broker (its queue was deleted).
    case consumerCancelled(queue: String)
    /// The connection was closed by this process.
    case closed
    /// The operation is not allowed in this state; the reason says why.
    case invalidOperation(String)

    public var description: String {
        switch self {
        case .connectionFailed(let reason): return "AMQP connection failed: \(reason)"
        case .connectionLost(let reason): return "AMQP connection lost before the broker confirmed: \(reason)"
        case .notConnected(let reason): return "AMQP not connected: \(reason)"
        case .publishTimeout(let blocked):
            return blocked
                ? "publish timed out: the broker is blocking this connection (memory or disk alarm)"
                : "publish timed out waiting for the broker's confirm"
        case .nacked: return "the broker refused the message (basic.nack)"
        case .unroutable(let code, let text, let exchange, let routingKey):
            return "unroutable: no queue is bound for routing key '\(routingKey)' on exchange '\(exchange)' (\(code) \(text))"
        case .channelClosed(let code, let text): return "the broker closed the channel: \(code) \(text)"
        case .consumerCancelled(let queue): return "the broker cancelled the consumer of queue '\(queue)'"
        case .closed: return "the AMQP connection was closed"
        case .invalidOperation(let reason): return "invalid AMQP operation: \(reason)"
        }
    }
}
