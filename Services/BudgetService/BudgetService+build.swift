import DepartmentCore
import Logging
import ServiceRuntime

/// Builds the budget service: a department service (`ServiceDefinition.department`) for `.budget`.
func buildBudgetService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: .department(.budget), configuration: configuration, logger: logger)
}
