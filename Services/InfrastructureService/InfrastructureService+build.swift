import DepartmentCore
import Foundation
import Logging
import PlanContracts
import ServiceRuntime
import SwiftProtobuf

/// The infrastructure service's definition: a department service (`ServiceDefinition.department`) for
/// `.infrastructure` that also serves `InfrastructureService` over its records, keeps the `project_warnings` table
/// (``ProjectWarningReview``) in step in the transaction of every change of records and, once it starts, reviews the
/// warnings of every year with records (for thresholds changed since).
func infrastructureServiceDefinition(thresholds: WarningThresholds) -> ServiceDefinition {
    var definition = ServiceDefinition.department(.infrastructure) { context, scope, rpc in
        let warnings = warningReview(context, thresholds: thresholds)
        let desk = RecordDesk(
            domain: InfrastructureDomain(instanceUnitCode: scope.orgUnitCode, tasks: DirectiveTaskDirectory(rpc: context.rpc)),
            scope: scope, database: context.database, schema: context.schema,
            outbox: context.outbox, events: context.events, logger: context.logger,
            followUp: { years, actor, cause, connection in try await warnings.review(years: years, actor: actor, cause: cause, on: connection) })
        let server = InfrastructureServer(desk: desk, warnings: warnings, database: context.database, schema: context.schema, logger: context.logger)
        Planmonitor_Infrastructure_V1_InfrastructureService.register(server, into: &rpc)
    }
    definition.migrations += ProjectWarningReview.migrations
    let makeDepartmentHandlers = definition.makeHandlers
    definition.makeHandlers = { context in
        let handlers = try await makeDepartmentHandlers(context)
        var actor = Planmonitor_Common_V1_AuditMetadata()
        actor.user = context.identity.brokerUser
        actor.at = Google_Protobuf_Timestamp(date: Date())
        do {
            try await warningReview(context, thresholds: thresholds).reviewAllYears(actor: actor, cause: "service start")
        } catch {
            context.logger.warning("could not review the project warnings at start; each change reviews its years", metadata: ["error": "\(error)"])
        }
        return handlers
    }
    return definition
}

/// The warning review of the service's schema and outbox.
private func warningReview(_ context: ServiceContext, thresholds: WarningThresholds) -> ProjectWarningReview {
    ProjectWarningReview(
        rules: WarningRules(thresholds: thresholds), instanceUnitCode: context.identity.orgUnit, database: context.database,
        schema: context.schema, outbox: context.outbox, events: context.events, logger: context.logger)
}

/// Builds the infrastructure service with `thresholds` for its early warnings.
func buildInfrastructureService(configuration: ServiceConfiguration, logger: Logger, thresholds: WarningThresholds = .standard) -> ServiceApplication {
    ServiceApplication(definition: infrastructureServiceDefinition(thresholds: thresholds), configuration: configuration, logger: logger)
}
