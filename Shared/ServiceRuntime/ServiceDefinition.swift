import Hummingbird
import Logging
import PlanContracts
import PlanMessaging
import PlanPersistence
import PostgresNIO
import ServiceLifecycle

/// What a service is made of: its schema's migrations, the events it listens to, and how to build its handlers.
public struct ServiceDefinition: Sendable {
    /// `budget`, `investment`, … — the domain of its events, its schema, its broker user.
    public var service: String
    /// The service's own migrations; the messaging tables (outbox, inbox) are applied before them.
    public var migrations: [Migration]
    /// Binding keys on `planmonitor.events` (e.g. `directive.issued.*`); none → no event consumer.
    public var eventBindings: [String]
    /// Builds the handlers once the database is migrated and the broker connections exist.
    public var makeHandlers: @Sendable (ServiceContext) async throws -> ServiceHandlers

    public init(service: String, migrations: [Migration], eventBindings: [String], makeHandlers: @escaping @Sendable (ServiceContext) async throws -> ServiceHandlers) {
        self.service = service
        self.migrations = migrations
        self.eventBindings = eventBindings
        self.makeHandlers = makeHandlers
    }
}

/// What a service's handlers can use.
public struct ServiceContext: Sendable {
    public var identity: ServiceIdentity
    public var database: PostgresClient
    public var schema: SchemaName
    /// Write events in the same transaction as the state change that causes them.
    public var outbox: Outbox
    public var events: EventFactory
    /// Calls to other services.
    public var rpc: RPCClient
    public var logger: Logger
    /// The service's own `PLANMONITOR_*` settings (``ServiceConfiguration/settings``).
    public var settings: [String: String] = [:]
}

/// A service's handlers: events it applies, RPCs it serves, extra HTTP routes and extra long-running services.
public struct ServiceHandlers: Sendable {
    public var events: EventHandlers
    public var rpc: RPCHandlerTable
    public var routes: (@Sendable (Router<BasicRequestContext>) -> Void)?
    public var services: [any Service]

    public init(events: EventHandlers = EventHandlers(), rpc: RPCHandlerTable = RPCHandlerTable(), routes: (@Sendable (Router<BasicRequestContext>) -> Void)? = nil, services: [any Service] = []) {
        self.events = events
        self.rpc = rpc
        self.routes = routes
        self.services = services
    }
}
