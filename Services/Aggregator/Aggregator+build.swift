import Logging
import PlanContracts
import ServiceRuntime

/// Builds the aggregator: it imports the directive (`DirectiveService`), keeps its revisions in its schema and
/// publishes `DirectiveIssued` to the departments.
func buildAggregator(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: aggregatorDefinition(), configuration: configuration, logger: logger)
}

/// The aggregator's migrations and handlers; it consumes no events yet.
func aggregatorDefinition() -> ServiceDefinition {
    ServiceDefinition(service: "aggregator", migrations: DirectiveStore.migrations, eventBindings: []) { context in
        var rpc = RPCHandlerTable()
        Planmonitor_Directive_V1_DirectiveService.register(DirectiveServer(context: context), into: &rpc)
        return ServiceHandlers(rpc: rpc)
    }
}
