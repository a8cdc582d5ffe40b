import DepartmentCore
import Logging
import ServiceRuntime

/// Builds the social service: a department service (`ServiceDefinition.department`) for `.social`.
func buildSocialService(configuration: ServiceConfiguration, logger: Logger) -> ServiceApplication {
    ServiceApplication(definition: .department(.social), configuration: configuration, logger: logger)
}
