import AMQPClient
import Foundation
import Logging
import Metrics
import PlanContracts
import ServiceLifecycle
import Synchronization

/// Serves a service instance's RPC methods from its queue `planmonitor.<service>.<org unit>.rpc`.
///
/// Each request is answered on its `reply_to` with the gRPC status in headers (`x-rpc-status`, `x-rpc-status-message`)
/// and, for OK, the response as the body (for errors, a `planmonitor.rpc.v1.RpcStatus`). A request whose deadline has
/// passed is dropped unexecuted; an unknown method gets UNIMPLEMENTED, an undecodable request INVALID_ARGUMENT, a
/// handler's `RPCError` its own status, any other error INTERNAL. Up to `prefetch` requests run concurrently.
public final class RPCServer: Service {
    public let queueName: String
    private let identity: ServiceIdentity
    private let handlers: RPCHandlerTable
    private let consumerConnection: AMQPConnection
    private let publisherConnection: AMQPConnection
    private let prefetch: UInt16
    private let logger: Logger
    private let expiredCounter: Counter
    private let consuming = Atomic<Bool>(false)

    /// Whether the request queue is declared and this server consumes from it (calls made before that fail as
    /// UNAVAILABLE: nobody is listening).
    public var isConsuming: Bool { consuming.load(ordering: .acquiring) }

    public init(
        identity: ServiceIdentity, handlers: RPCHandlerTable, consumerConnection: AMQPConnection,
        publisherConnection: AMQPConnection, prefetch: UInt16 = 32, logger: Logger
    ) {
        self.identity = identity
        self.handlers = handlers
        self.consumerConnection = consumerConnection
        self.publisherConnection = publisherConnection
        self.prefetch = prefetch
        self.logger = logger
        self.queueName = Wire.queueName(service: identity.service, orgUnit: identity.orgUnit, purpose: "rpc")
        self.expiredCounter = Counter(label: "planmonitor_rpc_expired_total", dimensions: [("service", identity.service)])
    }

    /// The request queue and its binding. Requests are transient, so the queue is too: a classic queue that the
    /// broker deletes when its last server stops, after which calls fail at once with UNAVAILABLE (unroutable)
    /// instead of waiting for their deadline.
    public var topology: AMQPTopology {
        AMQPTopology(
            exchanges: Wire.sharedExchanges(passive: true),
            queues: [AMQPQueue(name: queueName, durable: false, autoDelete: true, arguments: ["x-queue-type": .string("classic")])],
            bindings: [AMQPBinding(queue: queueName, exchange: Wire.rpcExchange, bindingKey: Wire.rpcRoutingKey(service: identity.service, orgUnit: identity.orgUnit))]
        )
    }

    public func run() async throws {
        let consumer = try await cancelWhenGracefulShutdown {
            try await declareAndConsume(self.consumerConnection, topology: self.topology, queue: self.queueName, prefetch: self.prefetch, logger: self.logger)
        }
        consuming.store(true, ordering: .releasing)
        defer { consuming.store(false, ordering: .releasing) }
        logger.info("serving RPC", metadata: ["queue": "\(queueName)", "methods": "\(handlers.paths)"])
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                for try await delivery in consumer {
                    group.addTask { await self.serve(delivery) }
                }
            }
        }
    }

    func serve(_ delivery: AMQPDelivery) async {
        let receivedAt = Date()
        defer { delivery.ack() }
        let properties = delivery.properties
        let method = properties.headers[Wire.Header.rpcMethod]?.stringValue ?? ""
        guard let replyTo = properties.replyTo, let correlationID = properties.correlationID else {
            logger.warning("dropping an RPC request without reply_to or correlation_id", metadata: ["method": "\(method)"])
            return
        }
        var deadline: ContinuousClock.Instant?
        if let milliseconds = properties.headers[Wire.Header.rpcDeadline]?.int64Value {
            let remaining = Double(milliseconds) / 1000 - Date().timeIntervalSince1970
            guard remaining > 0 else {
                expiredCounter.increment()
                logger.info("dropping an expired RPC request", metadata: ["method": "\(method)", "expiredSecondsAgo": "\(-remaining)"])
                return
            }
            deadline = ContinuousClock.now.advanced(by: .microseconds(Int64(remaining * 1_000_000)))
        }
        var metadata: [String: String] = [:]
        for (key, value) in properties.headers where key.hasPrefix(Wire.Header.rpcMetadataPrefix) {
            metadata[String(key.dropFirst(Wire.Header.rpcMetadataPrefix.count))] = value.stringValue
        }
        let context = RPCServerContext(method: method, metadata: metadata, deadline: deadline, callerUser: properties.userID, requestID: correlationID, receivedAt: receivedAt)
        let started = ContinuousClock.now
        let outcome: Result<[UInt8], RPCError>
        if let handler = handlers.handler(for: method) {
            do {
                outcome = .success(try await handler(delivery.body, context))
            } catch let error as RPCError {
                outcome = .failure(error)
            } catch {
                logger.error("RPC handler failed", metadata: ["method": "\(method)", "error": "\(error)"])
                outcome = .failure(RPCError(.internal, "\(method) failed: \(error)"))
            }
        } else {
            outcome = .failure(RPCError(.unimplemented, "method '\(method)' is not served by \(identity)"))
        }
        Timer(label: "planmonitor_rpc_server_duration_seconds", dimensions: [("method", method)], preferredDisplayUnit: .seconds)
            .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        await reply(outcome, to: replyTo, correlationID: correlationID, method: method)
    }

    private func reply(_ outcome: Result<[UInt8], RPCError>, to replyTo: String, correlationID: String, method: String) async {
        let code: RPCStatusCode
        let message: String
        let body: [UInt8]
        switch outcome {
        case .success(let bytes):
            code = .ok
            message = ""
            body = bytes
        case .failure(let error):
            code = error.code
            message = error.message
            body = (try? error.status.serializedBytes()) ?? []
        }
        Counter(label: "planmonitor_rpc_served_total", dimensions: [("method", method), ("code", code.description)]).increment()
        let response = AMQPOutgoingMessage(
            exchange: "",
            routingKey: replyTo,
            mandatory: false,
            properties: AMQPProperties(
                contentType: Wire.protobufContentType,
                headers: [Wire.Header.rpcStatus: .int32(code.rawValue), Wire.Header.rpcStatusMessage: .string(message)],
                persistent: false,
                correlationID: correlationID,
                timestamp: Date(),
                userID: identity.brokerUser,
                appID: identity.service
            ),
            body: body
        )
        do {
            try await publisherConnection.publish(response)
        } catch {
            logger.warning("could not send an RPC reply", metadata: ["method": "\(method)", "error": "\(error)"])
        }
    }
}
