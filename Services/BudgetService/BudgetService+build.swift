import DepartmentCore
import Logging
import PlanContracts
import ServiceRuntime

/// The budget service's definition: a department service (`ServiceDefinition.department`) for `.budget` that also
/// serves `BudgetService` over its records.
let budgetServiceDefinition = ServiceDefinition.department(.budget) { context, scope, rpc in
    let desk = RecordDesk(
        domain: BudgetDomain(), scope: scope, database: context.database, schema: context.schema,
        outbox: context.outbox, events: context.events, logger: context.logger)
    Planmonitor_Budget_V1_BudgetService.register(BudgetServer(desk: desk), into: &rpc)
}

/// Builds the budget service.
func buildBudgetService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: budgetServiceDefinition, configuration: configuration, logger: logger)
}
