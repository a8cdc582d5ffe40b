import DepartmentCore
import Logging
import ServiceRuntime

/// Builds the investment service: a department service (`ServiceDefinition.department`) for `.investment`.
func buildInvestmentService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: .department(.investment), configuration: configuration, logger: logger)
}
