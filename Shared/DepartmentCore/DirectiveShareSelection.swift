import Foundation
import PlanContracts
import SwiftProtobuf

extension Planmonitor_Department_V1_DirectiveShare {
    /// The part of `directive` that `department` follows.
    ///
    /// - Targets: those whose `owner_service` is the department, with all their sub-targets; a target owned by
    ///   another service but with sub-targets owned by the department comes with those sub-targets only.
    /// - Tasks: those with at least one lead agency that `directive.agencies` maps to the department.
    /// - Agencies: the department's agencies among the leads of those tasks, in the directive's order.
    public init(selecting department: Department, from directive: Planmonitor_Directive_V1_Directive, receivedAt: Date) {
        self.init()
        let service = department.rawValue
        self.service = service
        directiveID = directive.id
        orgUnitCode = directive.orgUnitCode
        year = directive.year
        revision = directive.revision
        textSha256 = directive.textSha256
        if directive.hasImportedAt { importedAt = directive.importedAt }
        self.receivedAt = Google_Protobuf_Timestamp(date: receivedAt)

        targets = directive.targets.compactMap { target in
            if target.ownerService == service { return target }
            let owned = target.subTargets.filter { $0.ownerService == service }
            guard !owned.isEmpty else { return nil }
            var part = target
            part.subTargets = owned
            return part
        }

        let ownAgencyCodes = Set(directive.agencies.filter { $0.service == service }.map(\.code))
        tasks = directive.sections.flatMap(\.blocks).flatMap(\.tasks).filter { task in
            task.leadAgencyCodes.contains { ownAgencyCodes.contains($0) }
        }
        let leading = Set(tasks.flatMap(\.leadAgencyCodes))
        agencies = directive.agencies.filter { ownAgencyCodes.contains($0.code) && leading.contains($0.code) }
    }
}
