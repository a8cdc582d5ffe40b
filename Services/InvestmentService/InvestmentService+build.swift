import DepartmentCore
import Logging
import PlanContracts
import ServiceRuntime

/// The investment service's definition: a department service (`ServiceDefinition.department`) for `.investment` that
/// also serves `InvestmentService` over its records.
let investmentServiceDefinition = ServiceDefinition.department(.investment) { context, scope, rpc in
    let desk = RecordDesk(
        domain: InvestmentDomain(instanceUnitCode: scope.orgUnitCode), scope: scope, database: context.database, schema: context.schema,
        outbox: context.outbox, events: context.events, logger: context.logger)
    Planmonitor_Investment_V1_InvestmentService.register(InvestmentServer(desk: desk), into: &rpc)
}

/// Builds the investment service.
func buildInvestmentService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: investmentServiceDefinition, configuration: configuration, logger: logger)
}
