import Foundation
import PlanContracts
import PlanMessaging

/// The tasks of a year's directive, for checking the task key of a project whose task the service's own share does
/// not hold: key works whose task another department's agency leads (the hospitals of the Department of Health, the
/// industrial parks of the Economic Zones Authority) are still in the infrastructure register.
///
/// It asks the aggregator of the directive's org unit for the whole directive (`DirectiveService/GetDirective`) and
/// keeps its tasks until the service's share shows a newer revision.
actor DirectiveTaskDirectory {
    /// What a lookup found.
    enum Lookup: Sendable {
        /// The task.
        case found(Planmonitor_Directive_V1_Task)
        /// The directive (of this revision) has no task with the key.
        case notFound(revision: Int32)
        /// The aggregator has no directive of the year.
        case noDirective
    }

    private let rpc: RPCClient
    /// The tasks of each directive asked for, by "<org unit>/<year>", with the revision they are of.
    private var directives: [String: (revision: Int32, tasks: [String: Planmonitor_Directive_V1_Task])] = [:]

    /// A directory asking through `rpc`.
    init(rpc: RPCClient) {
        self.rpc = rpc
    }

    /// The task `key` of the `year` directive of `orgUnitCode`, from a copy at least as new as `knownRevision`.
    ///
    /// Throws `RPCError` UNAVAILABLE when the aggregator does not answer.
    func task(_ key: String, orgUnitCode: String, year: Int32, knownRevision: Int32) async throws -> Lookup {
        let directiveKey = "\(orgUnitCode)/\(year)"
        let cached = directives[directiveKey]
        if cached == nil || (cached?.revision ?? 0) < knownRevision {
            let client = Planmonitor_Directive_V1_DirectiveService.Client(transport: rpc.transport(to: RPCTarget(service: "aggregator", orgUnit: orgUnitCode)))
            let directive: Planmonitor_Directive_V1_Directive
            do {
                directive = try await client.getDirective(.with { $0.year = year }, options: RPCCallOptions(timeout: .seconds(10))).directive
            } catch let error as RPCError where error.code == .notFound {
                return .noDirective
            } catch {
                throw RPCError(.unavailable, "task \(key) cannot be checked: the aggregator of \(orgUnitCode) did not give the \(year) directive (\(error))")
            }
            let tasks = directive.sections.flatMap(\.blocks).flatMap(\.tasks)
            directives[directiveKey] = (directive.revision, Dictionary(tasks.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }))
        }
        guard let directive = directives[directiveKey] else { return .noDirective }
        return directive.tasks[key].map(Lookup.found) ?? .notFound(revision: directive.revision)
    }
}
