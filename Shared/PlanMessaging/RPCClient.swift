import AMQPClient
import Foundation
import Logging
import Metrics
import PlanContracts
import Synchronization

/// Where an RPC goes: one service instance (service name and org unit).
public struct RPCTarget: Sendable, Hashable, CustomStringConvertible {
    public var service: String
    public var orgUnit: String

    public init(service: String, orgUnit: String) {
        self.service = service
        self.orgUnit = orgUnit
    }

    public var description: String { "\(service)@\(orgUnit)" }
}

/// Calls RPC methods of PlanMonitor services over the broker.
///
/// Requests go to `planmonitor.rpc` with routing key `<service>.<org unit>`, `mandatory` (no server → UNAVAILABLE at
/// once), the deadline both as a header and as the message's expiration; replies come back through RabbitMQ's direct
/// reply-to on the same connection, matched by correlation id. A call never outlives its deadline: it then fails with
/// DEADLINE_EXCEEDED.
public final class RPCClient: Sendable {
    private let connection: AMQPConnection
    private let identity: ServiceIdentity
    private let logger: Logger
    private let pending = Mutex<[String: CheckedContinuation<AMQPDelivery, any Error>]>([:])
    /// The subscription to direct replies, once started.
    private let replies = Mutex<Task<Void, any Error>?>(nil)
    /// The timer of each pending call; cancelled when the reply comes first.
    private let deadlineTasks = Mutex<[String: Task<Void, Never>]>([:])

    /// `connection` must be dedicated to this client: it consumes direct replies on its publishing channel.
    public init(connection: AMQPConnection, identity: ServiceIdentity, logger: Logger) {
        self.connection = connection
        self.identity = identity
        self.logger = logger
    }

    /// A transport to one service instance, for the generated typed clients:
    /// `Planmonitor_Health_V1_HealthService.Client(transport: rpc.transport(to: target))`.
    public func transport(to target: RPCTarget) -> any RPCTransport {
        AMQPRPCTransport(client: self, target: target)
    }

    /// Sends one request and awaits its reply.
    func call<Method: RPCMethod>(_ method: Method.Type, request: Method.Request, options: RPCCallOptions, target: RPCTarget) async throws -> Method.Response {
        try Task.checkCancellation()
        let started = ContinuousClock.now
        defer {
            Timer(label: "planmonitor_rpc_client_duration_seconds", dimensions: [("method", Method.path)], preferredDisplayUnit: .seconds)
                .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        }
        do {
            try await ensureReplyConsumer(timeout: options.timeout)
        } catch {
            throw RPCError(.unavailable, "\(Method.path) to \(target): the broker is unreachable: \(error)")
        }
        let correlationID = UUID().uuidString.lowercased()
        let deadlineDate = Date().addingTimeInterval(Double(options.timeout.milliseconds) / 1000)
        var headers: [String: AMQPFieldValue] = [
            Wire.Header.rpcMethod: .string(Method.path),
            Wire.Header.rpcDeadline: .int64(Int64((deadlineDate.timeIntervalSince1970 * 1000).rounded())),
            Wire.Header.schemaVersion: .int32(Wire.schemaVersion(ofMessageNamed: Method.Request.protoMessageName)),
            Wire.Header.orgUnit: .string(target.orgUnit),
        ]
        for (key, value) in options.metadata { headers[Wire.Header.rpcMetadataPrefix + key] = .string(value) }
        let message = AMQPOutgoingMessage(
            exchange: Wire.rpcExchange,
            routingKey: Wire.rpcRoutingKey(service: target.service, orgUnit: target.orgUnit),
            mandatory: true,
            properties: AMQPProperties(
                contentType: Wire.protobufContentType,
                headers: headers,
                persistent: false,
                correlationID: correlationID,
                replyTo: Wire.directReplyTo,
                expiration: String(max(1, options.timeout.milliseconds)),
                messageID: correlationID,
                timestamp: Date(),
                type: Method.Request.protoMessageName,
                userID: identity.brokerUser,
                appID: identity.service
            ),
            body: try request.serializedBytes()
        )
        let publisher = connection
        let timeoutError = RPCError(.deadlineExceeded, "\(Method.path) to \(target): no reply within \(options.timeout)")
        let reply: AMQPDelivery = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AMQPDelivery, any Error>) in
                pending.withLock { $0[correlationID] = continuation }
                let deadline = Task {
                    try? await Task.sleep(until: started.advanced(by: options.timeout))
                    self.resume(correlationID, with: .failure(timeoutError))
                }
                self.deadlineTasks.withLock { $0[correlationID] = deadline }
                Task {
                    do {
                        try await publisher.publish(message, timeout: options.timeout)
                    } catch let error as AMQPError {
                        let status: RPCError
                        switch error {
                        case .unroutable:
                            status = RPCError(.unavailable, "\(Method.path): no server of \(target) is listening")
                        case .channelClosed(403, let text):
                            status = RPCError(.permissionDenied, "\(Method.path) to \(target): \(text)")
                        default:
                            status = RPCError(.unavailable, "\(Method.path) to \(target): \(error)")
                        }
                        self.resume(correlationID, with: .failure(status))
                    } catch {
                        self.resume(correlationID, with: .failure(RPCError(.unavailable, "\(error)")))
                    }
                }
            }
        } onCancel: {
            self.resume(correlationID, with: .failure(CancellationError()))
        }
        let code = RPCStatusCode(rawValue: Int32(reply.properties.headers[Wire.Header.rpcStatus]?.int64Value ?? Int64(RPCStatusCode.unknown.rawValue))) ?? .unknown
        guard code == .ok else {
            if let status = try? Planmonitor_Rpc_V1_RpcStatus(serializedBytes: reply.body), status.code == code.rawValue {
                throw RPCError(status: status)
            }
            throw RPCError(code, reply.properties.headers[Wire.Header.rpcStatusMessage]?.stringValue ?? "")
        }
        do {
            return try Method.Response(serializedBytes: reply.body)
        } catch {
            throw RPCError(.internal, "\(Method.path): the reply is not a valid \(Method.Response.protoMessageName): \(error)")
        }
    }

    private func resume(_ correlationID: String, with result: Result<AMQPDelivery, any Error>) {
        let continuation = pending.withLock { $0.removeValue(forKey: correlationID) }
        deadlineTasks.withLock { $0.removeValue(forKey: correlationID) }?.cancel()
        continuation?.resume(with: result)
    }

    /// Subscribes to direct replies once; concurrent first calls wait for the same subscription.
    private func ensureReplyConsumer(timeout: Duration) async throws {
        let starter = replies.withLock { current -> Task<Void, any Error> in
            if let current { return current }
            let task = Task { try await self.startReplyConsumer(timeout: timeout) }
            current = task
            return task
        }
        do {
            try await starter.value
        } catch {
            replies.withLock { current in
                if current == starter { current = nil }
            }
            throw error
        }
    }

    private func startReplyConsumer(timeout: Duration) async throws {
        try await connection.waitUntilConnected(timeout: timeout)
        let consumer = try await connection.consume(queue: Wire.directReplyTo, noAck: true)
        Task { [weak self] in
            do {
                for try await delivery in consumer {
                    guard let correlationID = delivery.properties.correlationID else { continue }
                    self?.resume(correlationID, with: .success(delivery))
                }
            } catch {
                self?.logger.warning("the RPC reply subscription ended", metadata: ["error": "\(error)"])
            }
            self?.replySubscriptionEnded()
        }
    }

    /// After a reconnection or a channel reset the replies to calls in flight can no longer arrive: fail those
    /// calls now (rather than at their deadlines) and let the next call subscribe again.
    private func replySubscriptionEnded() {
        replies.withLock { $0 = nil }
        let waiting = pending.withLock { calls in
            defer { calls.removeAll() }
            return calls
        }
        for (correlationID, continuation) in waiting {
            deadlineTasks.withLock { $0.removeValue(forKey: correlationID) }?.cancel()
            continuation.resume(throwing: RPCError(.unavailable, "the connection to the broker was reset before the reply arrived"))
        }
    }

    /// Stops receiving replies and closes the client's connection; pending calls fail with UNAVAILABLE.
    public func close() async {
        shutdown()
        await connection.close()
    }

    /// Stops receiving replies; pending calls fail with UNAVAILABLE.
    public func shutdown() {
        replies.withLock { task in
            task?.cancel()
            task = nil
        }
        let waiting = pending.withLock { calls in
            defer { calls.removeAll() }
            return calls
        }
        let timers = deadlineTasks.withLock { tasks in
            defer { tasks.removeAll() }
            return tasks
        }
        for timer in timers.values { timer.cancel() }
        for continuation in waiting.values { continuation.resume(throwing: RPCError(.unavailable, "the RPC client was shut down")) }
    }
}

/// `RPCTransport` bound to one target instance.
struct AMQPRPCTransport: RPCTransport {
    let client: RPCClient
    let target: RPCTarget

    func unary<Method: RPCMethod>(_ method: Method.Type, request: Method.Request, options: RPCCallOptions) async throws -> Method.Response {
        try await client.call(method, request: request, options: options, target: target)
    }
}
