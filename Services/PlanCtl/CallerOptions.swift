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

    @Option(help: """
        The role you act in: 'security' to enter or read case-level security records (the security service also \
        requires an allowed broker user: PLANMONITOR_AMQP_USER=planctl-security).
        """)
    var role: String?

    /// Call options carrying the user, agency and role as metadata, waiting `timeout` for the answer.
    func callOptions(timeout: Seconds) -> RPCCallOptions {
        Self.callOptions(user: user, agency: agency, role: role, timeout: timeout)
    }

    /// Call options with the metadata keys the services audit and check (``Planmonitor_Common_V1_AuditMetadata/userMetadataKey``,
    /// ``Planmonitor_Common_V1_AuditMetadata/agencyMetadataKey`` and ``Planmonitor_Common_V1_AuditMetadata/roleMetadataKey``);
    /// an empty user, agency or role is left out.
    static func callOptions(user: String, agency: String?, role: String? = nil, timeout: Seconds) -> RPCCallOptions {
        var metadata: [String: String] = [:]
        if !user.isEmpty { metadata[Planmonitor_Common_V1_AuditMetadata.userMetadataKey] = user }
        if let agency, !agency.isEmpty { metadata[Planmonitor_Common_V1_AuditMetadata.agencyMetadataKey] = agency }
        if let role, !role.isEmpty { metadata[Planmonitor_Common_V1_AuditMetadata.roleMetadataKey] = role }
        return RPCCallOptions(timeout: timeout.duration, metadata: metadata)
    }
}
