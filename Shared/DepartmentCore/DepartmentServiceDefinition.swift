import Foundation
import PlanContracts
import PlanMessaging
import ServiceRuntime

extension ServiceDefinition {
    /// The binding of the directive events every department consumes: `directive.issued.<org unit>` of any unit.
    public static let directiveIssuedBinding = Wire.eventRoutingKey(domain: "directive", event: "issued", orgUnit: "*")

    /// A department service: it keeps its share of each `DirectiveIssued` revision of its own org unit's directive
    /// (through the inbox, so each event is applied once) and serves it with `DirectiveShareService`; health,
    /// readiness and metrics come with `ServiceApplication`.
    ///
    /// Every department also serves `MonthlyReportService` (``MonthlyReportDesk``) and keeps the tables of
    /// ``DepartmentTables``; `registerServices` adds the department's own RPC services (its records, through a
    /// ``RecordDesk``).
    ///
    /// The binding receives the directives of every org unit; the instance keeps those of its own unit and, for a
    /// district instance, of the city above it (the district reports on the city's targets for its own territory);
    /// others are acknowledged and skipped, so that a test's directive never mixes with the city's.
    ///
    /// `cityCode` is the unit whose districts a city instance keeps reports and records for: Hải Phòng's unless a test
    /// stands a unit of its own in for the city.
    public static func department(
        _ department: Department,
        cityCode: String = OrgUnitScope.cityCode,
        registerServices: @escaping @Sendable (ServiceContext, OrgUnitScope, inout RPCHandlerTable) -> Void = { _, _, _ in }
    ) -> ServiceDefinition {
        ServiceDefinition(
            service: department.rawValue,
            migrations: DirectiveShareStore.migrations + DepartmentTables.migrations,
            eventBindings: [directiveIssuedBinding]
        ) { context in
            let store = DirectiveShareStore(schema: context.schema)
            let orgUnit = context.identity.orgUnit
            let scope = OrgUnitScope(orgUnitCode: orgUnit, cityCode: cityCode)
            var events = EventHandlers()
            events.on(Planmonitor_Directive_V1_DirectiveIssued.self) { issued, event in
                let directive = issued.directive
                guard directive.orgUnitCode == orgUnit || directive.orgUnitCode == scope.parentCode else {
                    event.logger.debug("skipped the directive of another org unit", metadata: [
                        "directive": "\(directive.id)", "revision": "\(directive.revision)", "orgUnit": "\(directive.orgUnitCode)",
                    ])
                    return
                }
                guard directive.year > 0, directive.revision > 0 else {
                    throw UnusableDirectiveIssued(directiveID: directive.id, year: directive.year, revision: directive.revision)
                }
                let share = Planmonitor_Department_V1_DirectiveShare(selecting: department, from: directive, receivedAt: event.receivedAt)
                try await store.save(share, previousRevision: issued.previousRevision, messageID: event.messageID, on: event.connection, logger: event.logger)
                event.logger.info("kept the department's share of a directive revision", metadata: [
                    "directive": "\(directive.id)", "revision": "\(directive.revision)",
                    "targets": "\(share.targets.count)", "tasks": "\(share.tasks.count)",
                ])
            }
            var rpc = RPCHandlerTable()
            let server = DirectiveShareServer(
                department: department, orgUnitCode: orgUnit, parentCode: scope.parentCode, store: store, database: context.database, logger: context.logger)
            Planmonitor_Department_V1_DirectiveShareService.register(server, into: &rpc)
            let demoReceiptTimes = context.settings[MonthlyReportDesk.demoReceiptTimesVariable] == "on"
            if demoReceiptTimes {
                context.logger.warning("demo deployment: callers may set the receipt time of monthly reports", metadata: ["variable": "\(MonthlyReportDesk.demoReceiptTimesVariable)"])
            }
            let reports = MonthlyReportDesk(
                department: department, scope: scope, database: context.database, schema: context.schema,
                outbox: context.outbox, events: context.events, logger: context.logger, acceptsDemoReceiptTimes: demoReceiptTimes)
            Planmonitor_Department_V1_MonthlyReportService.register(reports, into: &rpc)
            registerServices(context, scope, &rpc)
            return ServiceHandlers(events: events, rpc: rpc)
        }
    }
}

/// A `DirectiveIssued` event without the year or revision its share would be stored under.
struct UnusableDirectiveIssued: Error, CustomStringConvertible {
    var directiveID: String
    var year: Int32
    var revision: Int32

    var description: String {
        "DirectiveIssued for directive '\(directiveID)' lacks a year or revision (year \(year), revision \(revision)): its share cannot be kept"
    }
}
