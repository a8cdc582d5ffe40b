import DepartmentCore
import Logging
import PlanContracts
import ServiceRuntime

/// The security service's definition: a department service (`ServiceDefinition.department`) for `.security` that also
/// serves `SecurityService` over its records, the records to `caseReaders` calling with the security role.
///
/// Reports and records are kept for the units below the instance's own. A city instance serves `cityCode` and its
/// districts; an instance serving another code that is no district (a test deployment on a unit of its own) stands in
/// for a city when `cityCode` is that code.
func securityServiceDefinition(caseReaders: Set<String>, cityCode: String) -> ServiceDefinition {
    .department(.security, cityCode: cityCode) { context, scope, rpc in
        let desk = RecordDesk(
            domain: SecurityDomain(communes: .haiPhong), scope: scope, database: context.database, schema: context.schema,
            outbox: context.outbox, events: context.events, logger: context.logger)
        let access = SecurityAccess(allowedBrokerUsers: caseReaders, logger: context.logger)
        Planmonitor_Security_V1_SecurityService.register(SecurityServer(desk: desk, access: access), into: &rpc)
    }
}

/// Builds the security service. `caseReaders` are the broker users whose calls may carry the security role (by
/// default those of the configuration's `PLANMONITOR_SECURITY_CASE_READERS`, ``SecurityAccess/readers(environment:)``);
/// `cityCode` is the unit whose districts a city instance keeps records for (Hải Phòng's "31" unless a test stands its
/// own unit in for the city).
func buildSecurityService(
    configuration: ServiceConfiguration, logger: Logger, caseReaders: Set<String>? = nil, cityCode: String = OrgUnitScope.cityCode
) -> ServiceApplication {
    let readers = caseReaders ?? SecurityAccess.readers(environment: configuration.settings)
    return ServiceApplication(definition: securityServiceDefinition(caseReaders: readers, cityCode: cityCode), configuration: configuration, logger: logger)
}
