import ArgumentParser
import DepartmentCore
import Foundation
import PlanContracts

/// Who is calling: the department services record the user and the agency with every change they make.
struct CallerOptions: ParsableArguments {
    @Option(help: "User name the services record as the actor; $USER by default (the broker user when empty).")
    var user = ProcessInfo.processInfo.environment["USER"] ?? ""

    @Option(help: "Code of your agency, recorded with what you change (e.g. dept-finance, tax-department).")
    var agency: String?

    /// Call options carrying the user and agency as metadata, waiting `timeout` for the answer.
    func callOptions(timeout: Seconds) -> RPCCallOptions {
        Self.callOptions(user: user, agency: agency, timeout: timeout)
    }

    /// Call options with the metadata keys the services audit (``Planmonitor_Common_V1_AuditMetadata/userMetadataKey``
    /// and ``Planmonitor_Common_V1_AuditMetadata/agencyMetadataKey``); an empty user or agency is left out.
    static func callOptions(user: String, agency: String?, timeout: Seconds) -> RPCCallOptions {
        var metadata: [String: String] = [:]
        if !user.isEmpty { metadata[Planmonitor_Common_V1_AuditMetadata.userMetadataKey] = user }
        if let agency, !agency.isEmpty { metadata[Planmonitor_Common_V1_AuditMetadata.agencyMetadataKey] = agency }
        return RPCCallOptions(timeout: timeout.duration, metadata: metadata)
    }
}
