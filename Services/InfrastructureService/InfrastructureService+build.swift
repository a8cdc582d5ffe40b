import DepartmentCore
import Logging
import ServiceRuntime

/// Builds the infrastructure service: a department service (`ServiceDefinition.department`) for `.infrastructure`.
func buildInfrastructureService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: .department(.infrastructure), configuration: configuration, logger: logger)
}
