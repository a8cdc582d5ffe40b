import AMQPClient
import Logging
import ServiceLifecycle

/// Declares `topology` and starts consuming `queue`, retrying with backoff while the broker cannot be reached,
/// so that a service started before its broker waits for it instead of exiting.
func declareAndConsume(
    _ connection: AMQPConnection, topology: AMQPTopology, queue: String, prefetch: UInt16, logger: Logger
) async throws -> AMQPConsumer {
    var delay = Duration.milliseconds(500)
    while true {
        do {
            try await connection.declare(topology)
            return try await connection.consume(queue: queue, prefetch: prefetch)
        } catch let error as AMQPError {
            switch error {
            case .notConnected, .connectionLost:
                logger.warning("broker not reachable yet; retrying", metadata: ["queue": "\(queue)", "error": "\(error)", "retryIn": "\(delay)"])
                try await Task.sleep(for: delay)
                try Task.checkCancellation()
                delay = min(delay * 2, .seconds(10))
            default:
                throw error
            }
        }
    }
}
