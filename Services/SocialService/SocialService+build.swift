import DepartmentCore
import Logging
import PlanContracts
import ServiceRuntime

/// The social service's definition: a department service (`ServiceDefinition.department`) for `.social` that also
/// serves `SocialService` over its records.
///
/// Reports and records are kept for the units below the instance's own. A city instance serves `cityCode` and its
/// districts; an instance serving another code that is no district (a test deployment on a unit of its own) stands in
/// for a city when `cityCode` is that code.
func socialServiceDefinition(cityCode: String) -> ServiceDefinition {
    .department(.social, cityCode: cityCode) { context, scope, rpc in
        let desk = RecordDesk(
            domain: SocialDomain(communes: .haiPhong), scope: scope, database: context.database, schema: context.schema,
            outbox: context.outbox, events: context.events, logger: context.logger)
        Planmonitor_Social_V1_SocialService.register(SocialServer(desk: desk), into: &rpc)
    }
}

/// Builds the social service; `cityCode` is the unit whose districts a city instance keeps records for (Hải Phòng's
/// "31" unless a test stands its own unit in for the city).
func buildSocialService(configuration: ServiceConfiguration, logger: Logger, cityCode: String = OrgUnitScope.cityCode) -> ServiceApplication {
    ServiceApplication(definition: socialServiceDefinition(cityCode: cityCode), configuration: configuration, logger: logger)
}
