import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PostgresNIO
import SwiftProtobuf

/// The department events the aggregator's picture is built from, how each is applied to the read models, and the
/// rebuild that applies the logged events again.
public struct PictureEvents: Sendable {
    let store: ReadModelStore

    /// The events applied to the read models of `store`.
    public init(store: ReadModelStore) {
        self.store = store
    }

    /// The binding keys of the aggregator's event queue.
    public static let bindings = [
        Wire.eventRoutingKey(domain: "*", event: "observations-recorded", orgUnit: "*"),
        Wire.eventRoutingKey(domain: "*", event: "report-submitted", orgUnit: "*"),
        Wire.eventRoutingKey(domain: "budget", event: "record-changed", orgUnit: "*"),
        Wire.eventRoutingKey(domain: "investment", event: "record-changed", orgUnit: "*"),
        Wire.eventRoutingKey(domain: "infrastructure", event: "record-changed", orgUnit: "*"),
        Wire.eventRoutingKey(domain: "infrastructure", event: "project-warning-raised", orgUnit: "*"),
        Wire.eventRoutingKey(domain: "infrastructure", event: "project-warning-cleared", orgUnit: "*"),
    ]

    /// Handlers that log each event and apply it, in the inbox transaction.
    public func handlers(into events: inout EventHandlers) {
        register(Planmonitor_Department_V1_ObservationsRecorded.self, into: &events)
        register(Planmonitor_Department_V1_MonthlyReportSubmitted.self, into: &events)
        register(Planmonitor_Budget_V1_BudgetRecordChanged.self, into: &events)
        register(Planmonitor_Investment_V1_InvestmentRecordChanged.self, into: &events)
        register(Planmonitor_Infrastructure_V1_InfrastructureRecordChanged.self, into: &events)
        register(Planmonitor_Infrastructure_V1_ProjectWarningRaised.self, into: &events)
        register(Planmonitor_Infrastructure_V1_ProjectWarningCleared.self, into: &events)
    }

    private func register<Event: SwiftProtobuf.Message & Sendable>(_ type: Event.Type, into events: inout EventHandlers) {
        let store = store
        events.on(Event.self) { event, context in
            let publisher = context.publisher ?? String(context.routingKey.prefix { $0 != "." })
            let body = try event.serializedData()
            guard try await store.log(
                messageID: context.messageID, messageType: Event.protoMessageName, routingKey: context.routingKey,
                publisher: publisher, receivedAt: context.receivedAt, body: body, on: context.connection, logger: context.logger)
            else { return }
            let provenance = ReadModelStore.Provenance(messageID: context.messageID, publisher: publisher, receivedAt: context.receivedAt)
            try await Self.apply(messageType: Event.protoMessageName, body: body, provenance: provenance, store: store, on: context.connection, logger: context.logger)
        }
    }

    /// Applies one event's body to the read models.
    public static func apply(messageType: String, body: Data, provenance: ReadModelStore.Provenance, store: ReadModelStore, on connection: PostgresConnection, logger: Logger) async throws {
        switch messageType {
        case Planmonitor_Department_V1_ObservationsRecorded.protoMessageName:
            try await store.apply(Planmonitor_Department_V1_ObservationsRecorded(serializedBytes: body), provenance: provenance, on: connection, logger: logger)
        case Planmonitor_Department_V1_MonthlyReportSubmitted.protoMessageName:
            try await store.apply(Planmonitor_Department_V1_MonthlyReportSubmitted(serializedBytes: body), provenance: provenance, on: connection, logger: logger)
        case Planmonitor_Budget_V1_BudgetRecordChanged.protoMessageName:
            let event = try Planmonitor_Budget_V1_BudgetRecordChanged(serializedBytes: body)
            try await store.applyRecord(service: "budget", recordID: event.change.recordID, version: event.change.version, message: event, provenance: provenance, on: connection, logger: logger)
        case Planmonitor_Investment_V1_InvestmentRecordChanged.protoMessageName:
            let event = try Planmonitor_Investment_V1_InvestmentRecordChanged(serializedBytes: body)
            try await store.applyRecord(service: "investment", recordID: event.change.recordID, version: event.change.version, message: event, provenance: provenance, on: connection, logger: logger)
        case Planmonitor_Infrastructure_V1_InfrastructureRecordChanged.protoMessageName:
            let event = try Planmonitor_Infrastructure_V1_InfrastructureRecordChanged(serializedBytes: body)
            try await store.applyRecord(service: "infrastructure", recordID: event.change.recordID, version: event.change.version, message: event, provenance: provenance, on: connection, logger: logger)
        case Planmonitor_Infrastructure_V1_ProjectWarningRaised.protoMessageName:
            try await store.apply(Planmonitor_Infrastructure_V1_ProjectWarningRaised(serializedBytes: body), provenance: provenance, on: connection, logger: logger)
        case Planmonitor_Infrastructure_V1_ProjectWarningCleared.protoMessageName:
            try await store.apply(Planmonitor_Infrastructure_V1_ProjectWarningCleared(serializedBytes: body), provenance: provenance, on: connection, logger: logger)
        default:
            throw UnknownLoggedEvent(messageType: messageType)
        }
    }

    /// Empties the read models and applies every logged event again, in one transaction.
    public func rebuild(client: PostgresClient, logger: Logger) async throws -> Planmonitor_Aggregator_V1_RebuildReadModelsResponse {
        let store = store
        return try await client.planTransaction(logger: logger) { connection in
            try await connection.query("LOCK TABLE \(unescaped: store.schema.quoted).event_log IN EXCLUSIVE MODE", logger: logger)
            try await store.truncateReadModels(on: connection, logger: logger)
            let events = try await store.loggedEvents(on: connection, logger: logger)
            for event in events {
                let provenance = ReadModelStore.Provenance(messageID: event.messageID, publisher: event.publisher, receivedAt: event.receivedAt)
                try await Self.apply(messageType: event.messageType, body: event.body, provenance: provenance, store: store, on: connection, logger: logger)
            }
            let counts = try await store.counts(on: connection, logger: logger)
            var response = Planmonitor_Aggregator_V1_RebuildReadModelsResponse()
            response.eventsApplied = Int64(events.count)
            response.observations = counts.observations
            response.reports = counts.reports
            response.records = counts.records
            logger.info("rebuilt the read models", metadata: ["events": "\(events.count)", "observations": "\(counts.observations)"])
            return response
        }
    }
}

/// The event log holds a message type the aggregator does not know how to apply.
struct UnknownLoggedEvent: Error, CustomStringConvertible {
    var messageType: String
    var description: String { "the event log holds a \(messageType), which the read models do not apply" }
}
