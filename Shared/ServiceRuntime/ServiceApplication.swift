import AMQPClient
import Foundation
import Hummingbird
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// One running PlanMonitor service process: database client, migrations, broker connections, outbox relay,
/// event consumer, RPC server and the HTTP endpoints (`/health`, `/ready`, `/metrics`).
///
/// Start order: the database client runs; migrations apply (waiting for the database if it is still starting);
/// then the relay, the consumer, the RPC server and the HTTP server run side by side until graceful shutdown
/// (SIGTERM or SIGINT when run with `runUntilSignalled`), after which the broker connections close.
public final class ServiceApplication: Service {
    public let configuration: ServiceConfiguration
    public let definition: ServiceDefinition
    private let logger: Logger
    private let database: PostgresClient
    /// Publishes outbox rows, dead letters and RPC replies.
    public let publisherConnection: AMQPConnection
    /// Receives events and RPC requests.
    public let consumerConnection: AMQPConnection
    /// Calls other services (and receives their replies).
    public let rpc: RPCClient
    private let boundPort = BoundPort()
    /// The queues this process receives from, by name, once they are built: ready means all of them consume.
    private let consumers = Mutex<[(name: String, isConsuming: @Sendable () -> Bool)]>([])
    private let startedAt = Date()

    public init(definition: ServiceDefinition, configuration: ServiceConfiguration, logger: Logger) {
        self.definition = definition
        self.configuration = configuration
        self.logger = logger
        self.database = PostgresClient(configuration: configuration.database.postgresClientConfiguration, backgroundLogger: logger)
        self.publisherConnection = AMQPConnection(configuration: configuration.amqpConfiguration(role: "publisher"), logger: logger)
        self.consumerConnection = AMQPConnection(configuration: configuration.amqpConfiguration(role: "consumer"), logger: logger)
        self.rpc = RPCClient(
            connection: AMQPConnection(configuration: configuration.amqpConfiguration(role: "rpc-client"), logger: logger),
            identity: configuration.identity, logger: logger
        )
    }

    /// The HTTP port once the server listens (useful with port 0).
    public var httpPort: Int? { boundPort.value.withLock { $0 } }

    /// Runs as a service group of its own, stopping gracefully on SIGTERM or SIGINT.
    public func runUntilSignalled() async throws {
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    public func run() async throws {
        let schema = try configuration.database.schemaName
        try await withThrowingTaskGroup(of: Void.self) { group in
            let database = self.database
            group.addTask {
                // PostgresClient.run() ends at graceful shutdown, which would close the pool under the relay, the
                // consumer and the RPC handlers while they still use it (a query racing the pool's shutdown can hang:
                // docs/persistence.md). Detached, it does not see the shutdown; the group's cancellation stops it
                // after they have stopped.
                let client = Task.detached { await database.run() }
                await withTaskCancellationHandler { await client.value } onCancel: { client.cancel() }
            }
            defer { group.cancelAll() }
            try await migrate(schema: schema)
            let context = ServiceContext(
                identity: configuration.identity, database: database, schema: schema, outbox: Outbox(schema: schema),
                events: EventFactory(identity: configuration.identity), rpc: rpc, logger: logger, settings: configuration.settings
            )
            let handlers = try await definition.makeHandlers(context)
            let children = makeServices(handlers: handlers, schema: schema)
            let serviceGroup = ServiceGroup(configuration: .init(services: children.map { .init(service: $0) }, logger: logger))
            try await withGracefulShutdownHandler {
                try await serviceGroup.run()
            } onGracefulShutdown: {
                Task { await serviceGroup.triggerGracefulShutdown() }
            }
            await rpc.close()
            await publisherConnection.close()
            await consumerConnection.close()
            logger.info("stopped", metadata: ["service": "\(configuration.identity)"])
        }
    }

    /// Applies the migrations, retrying for up to a minute while the database is not reachable yet.
    private func migrate(schema: SchemaName) async throws {
        let runner = MigrationRunner(client: database, schema: schema, logger: logger)
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while true {
            do {
                let applied = try await runner.apply([Migration.messagingTables, Migration.eventHandlerFailures] + definition.migrations)
                logger.info("database ready", metadata: ["schema": "\(schema)", "applied": "\(applied)"])
                return
            } catch let error as MigrationError {
                throw error
            } catch where ContinuousClock.now < deadline {
                logger.warning("database not reachable yet; retrying", metadata: ["error": "\(String(reflecting: error))"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func makeServices(handlers: ServiceHandlers, schema: SchemaName) -> [any Service] {
        let identity = configuration.identity
        var services: [any Service] = [
            OutboxRelay(
                client: database, schema: schema,
                publisher: AMQPOutboxPublisher(connection: publisherConnection, identity: identity),
                // An event no queue is bound for blocks the later ones (order is kept) until it is parked after
                // these attempts, with a backoff doubling up to five minutes; an unreachable broker does not count.
                configuration: OutboxRelay.Configuration(maxAttempts: 20),
                logger: logger
            ),
        ]
        var consumers: [(name: String, isConsuming: @Sendable () -> Bool)] = []
        if !definition.eventBindings.isEmpty {
            let eventConsumer = EventConsumer(
                identity: identity, configuration: EventConsumer.Configuration(bindingKeys: definition.eventBindings),
                handlers: handlers.events, consumerConnection: consumerConnection, publisherConnection: publisherConnection,
                client: database, schema: schema, logger: logger
            )
            services.append(eventConsumer)
            consumers.append(("events", { eventConsumer.isConsuming }))
        }
        var rpcHandlers = handlers.rpc
        Planmonitor_Health_V1_HealthService.register(HealthCheck(application: self), into: &rpcHandlers)
        let rpcServer = RPCServer(identity: identity, handlers: rpcHandlers, consumerConnection: consumerConnection, publisherConnection: publisherConnection, logger: logger)
        services.append(rpcServer)
        consumers.append(("rpc", { rpcServer.isConsuming }))
        self.consumers.withLock { $0 = consumers }
        services.append(contentsOf: handlers.services)
        services.append(httpApplication(routes: handlers.routes))
        return services
    }

    private func httpApplication(routes: (@Sendable (Router<BasicRequestContext>) -> Void)?) -> some Service {
        let router = Router()
        router.get("health") { _, _ -> Response in
            Self.json(["status": "alive", "service": self.configuration.identity.description])
        }
        router.get("ready") { _, _ -> Response in
            let report = await self.readiness()
            var body: [String: String] = ["service": self.configuration.identity.description]
            for check in report.checks { body[check.name] = check.detail }
            body["status"] = report.ready ? "ready" : "not ready"
            return Self.json(body, status: report.ready ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: PrometheusExport.registry.emitToBuffer()))
            )
        }
        routes?(router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: configuration.identity.description),
            onServerRunning: { [boundPort] channel in
                boundPort.value.withLock { $0 = channel.localAddress?.port }
            },
            logger: logger
        )
    }

    private static func json(_ fields: [String: String], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// One dependency's state.
    struct ComponentState {
        var name: String
        var healthy: Bool
        var detail: String
    }

    /// Whether the database answers, both broker connections are open and the event and RPC queues are consumed
    /// (before that, a call would find nobody listening).
    func readiness() async -> (ready: Bool, checks: [ComponentState]) {
        var checks: [ComponentState] = []
        do {
            let started = ContinuousClock.now
            _ = try await database.query("SELECT 1", logger: logger).collect()
            checks.append(ComponentState(name: "database", healthy: true, detail: "ok in \(ContinuousClock.now - started)"))
        } catch {
            checks.append(ComponentState(name: "database", healthy: false, detail: "\(String(reflecting: error))"))
        }
        let brokerUp = publisherConnection.isConnected && consumerConnection.isConnected
        checks.append(ComponentState(name: "broker", healthy: brokerUp, detail: brokerUp ? "connected" : "disconnected"))
        let consumers = self.consumers.withLock { $0 }
        let idle = consumers.filter { !$0.isConsuming() }.map(\.name)
        checks.append(ComponentState(
            name: "queues", healthy: !consumers.isEmpty && idle.isEmpty,
            detail: consumers.isEmpty ? "not declared yet" : idle.isEmpty ? "consuming" : "not consuming: \(idle.joined(separator: ", "))"
        ))
        return (checks.allSatisfy(\.healthy), checks)
    }

    /// Answers `HealthService.Check` with the same checks as `/ready`.
    struct HealthCheck: Planmonitor_Health_V1_HealthService.Handler {
        let application: ServiceApplication

        func check(_ request: Planmonitor_Health_V1_HealthCheckRequest, context: RPCServerContext) async throws -> Planmonitor_Health_V1_HealthCheckResponse {
            let report = await application.readiness()
            var response = Planmonitor_Health_V1_HealthCheckResponse()
            response.serviceName = application.definition.service
            response.status = report.ready ? .serving : .notServing
            response.version = PlanMonitorVersion.current
            response.orgUnit.code = application.configuration.identity.orgUnit
            response.instanceID = application.configuration.amqp.connectionName
            response.startedAt = .init(date: application.startedAt)
            for check in report.checks {
                var component = Planmonitor_Health_V1_ComponentCheck()
                component.status = check.healthy ? .serving : .notServing
                component.detail = check.detail
                component.checkedAt = .init(date: Date())
                response.checks[check.name] = component
            }
            return response
        }
    }
}

/// The HTTP port the server bound, once it listens.
final class BoundPort: Sendable {
    let value = Mutex<Int?>(nil)
}

/// The version every service reports.
public enum PlanMonitorVersion {
    public static let current = "0.1.0"
}
