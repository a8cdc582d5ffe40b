import CityPicture
import Logging
import PlanMessaging
import PlanContracts
import ServiceRuntime

/// Builds the aggregator: it imports the directive (`DirectiveService`), keeps its revisions and publishes
/// `DirectiveIssued`; it consumes the departments' figures, reports and records into read models and serves the
/// city-wide picture over HTTP (API, dashboard, briefing) and `PictureService` over RPC.
func buildAggregator(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: aggregatorDefinition(), configuration: configuration, logger: logger)
}

/// The aggregator's migrations, event bindings, RPC services and HTTP routes.
func aggregatorDefinition() -> ServiceDefinition {
    ServiceDefinition(
        service: "aggregator", migrations: DirectiveStore.migrations + ReadModelStore.migrations, eventBindings: PictureEvents.bindings
    ) { context in
        let events = PictureEvents(store: ReadModelStore(schema: context.schema))
        var handlers = EventHandlers()
        events.handlers(into: &handlers)
        let directives = DirectiveStore(schema: context.schema)
        let (database, orgUnit, logger) = (context.database, context.identity.orgUnit, context.logger)
        let queries = PictureQueries(database: database, schema: context.schema, orgUnitCode: orgUnit, logger: logger) { year in
            try await database.withConnection { connection in
                try await directives.latestDirective(orgUnitCode: orgUnit, year: year, on: connection, logger: logger)
            }
        }
        var rpc = RPCHandlerTable()
        Planmonitor_Directive_V1_DirectiveService.register(DirectiveServer(context: context), into: &rpc)
        Planmonitor_Aggregator_V1_PictureService.register(PictureServer(queries: queries, events: events), into: &rpc)
        let api = PictureAPI(queries: queries)
        return ServiceHandlers(events: handlers, rpc: rpc, routes: { router in api.register(on: router) })
    }
}
