import DepartmentCore
import Logging
import ServiceRuntime

/// Builds the security service: a department service (`ServiceDefinition.department`) for `.security`.
func buildSecurityService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: .department(.security), configuration: configuration, logger: logger)
}
