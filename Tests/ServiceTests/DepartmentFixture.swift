@testable import Aggregator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import PostgresNIO
import SwiftProtobuf
import PlanContracts
import PlanMessaging
import ServiceRuntime
import Testing

/// Department services of the tests' org unit running in this process with the aggregator, on fresh schemas, after
/// the 2018 directive was imported and each department kept its share: what every department test starts from.
enum DepartmentFixture {
    /// Resets the schemas of the aggregator and `departments`, starts them, imports the 2018 directive through the
    /// aggregator, waits until every department holds its share, then runs `body` with an RPC client.
    static func run(
        _ departments: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)],
        _ body: (RPCClient) async throws -> Void
    ) async throws {
        try await runStack(departments) { stack in try await body(stack.rpc) }
    }

    /// What a test of the whole flow gets: an RPC client and the aggregator's HTTP address.
    struct Stack: Sendable {
        var rpc: RPCClient
        /// "http://127.0.0.1:<port>".
        var aggregatorURL: URL
    }

    /// ``run(_:_:)`` with the aggregator's HTTP address as well.
    static func runStack(
        _ departments: [(service: String, build: @Sendable (ServiceConfiguration, Logger) -> ServiceApplication)],
        _ body: (Stack) async throws -> Void
    ) async throws {
        try await ServiceStack.exclusively {
            let names = departments.map(\.service)
            try await ServiceStack.resetSchemas(["aggregator"] + names)
            // Events earlier tests left behind must not reach this test's fresh schemas (the aggregator's included).
            for name in ["aggregator"] + names { try await ServiceStack.purgeQueue("planmonitor.\(name).\(ServiceStack.orgUnit).events") }
            let aggregator = buildAggregator(configuration: try ServiceStack.configuration(service: "aggregator"), logger: ServiceStack.logger)
            var applications = [aggregator]
            for department in departments {
                applications.append(department.build(try ServiceStack.configuration(service: department.service), ServiceStack.logger))
            }
            let services = RunningServices(applications)
            do {
                try await ServiceStack.withRPC { rpc in
                    try await ServiceStack.waitUntilServing("aggregator", rpc: rpc)
                    for name in names {
                        try await ServiceStack.waitUntilServing(name, rpc: rpc)
                        _ = try await waitFor(timeout: .seconds(20)) {
                            try await ServiceStack.consumerCount(queue: "planmonitor.\(name).\(ServiceStack.orgUnit).events") > 0 ? true : nil
                        }
                    }
                    let directives = Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: ServiceStack.target("aggregator")))
                    var request = Planmonitor_Directive_V1_ImportDirectiveRequest()
                    request.text = try Data(contentsOf: ServiceStack.directiveFile)
                    request.fileName = ServiceStack.directiveFile.lastPathComponent
                    _ = try await directives.importDirective(request, options: RPCCallOptions(timeout: .seconds(30)))
                    for name in names {
                        let shares = Planmonitor_Department_V1_DirectiveShareService.Client(transport: rpc.transport(to: ServiceStack.target(name)))
                        _ = try await waitFor(timeout: .seconds(20)) {
                            try await shares.getDirectiveShare(.init(), options: RPCCallOptions(timeout: .seconds(2))).share.revision == 1 ? true : nil
                        }
                    }
                    let port = try await waitFor(timeout: .seconds(10)) { aggregator.httpPort }
                    try await body(Stack(rpc: rpc, aggregatorURL: URL(string: "http://127.0.0.1:\(port)")!))
                }
            } catch {
                try await services.stop()
                throw error
            }
            try await services.stop()
        }
    }

    /// Call options naming a user and agency, as the audit trail records them.
    static func options(user: String = "nguyen.van.a", agency: String) -> RPCCallOptions {
        RPCCallOptions(timeout: .seconds(20), metadata: ["user": user, "agency": agency])
    }

    /// The messages a service's outbox holds with `routingKey`, decoded as `Event`, oldest first.
    static func outboxEvents<Event: SwiftProtobuf.Message & Sendable>(_ type: Event.Type, service: String, routingKey: String) async throws -> [Event] {
        try await ServiceStack.withAdminDatabase { client in
            let rows = try await client.query(
                "SELECT body FROM \(unescaped: "\"\(service)\"").outbox WHERE routing_key = \(routingKey) ORDER BY sequence", logger: ServiceStack.logger)
            var events: [Event] = []
            for try await body in rows.decode(Data.self) { events.append(try Event(serializedBytes: body)) }
            return events
        }
    }

    /// The first field violation's reason for `field`, or of any field containing `field`.
    static func reason(_ error: RPCError, field: String) -> String? {
        error.fieldViolations.first { $0.field == field }?.reason ?? error.fieldViolations.first { $0.field.contains(field) }?.reason
    }
}

extension DepartmentFixture.Stack {
    /// GETs `path` from the aggregator; the status and body.
    func get(_ path: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: path, relativeTo: aggregatorURL)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
