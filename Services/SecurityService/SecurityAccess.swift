import DepartmentCore
import Foundation
import Logging
import PlanContracts

/// Who may write or read case-level security records: a call whose metadata says `role` = "security" and whose
/// broker user (the authenticated AMQP `user_id`, which a caller cannot choose) is one the service allows. The role
/// alone is not enough — any caller can write metadata — and the broker user alone is not either, so that a tool
/// running as an allowed user still says on whose behalf it reads cases.
struct SecurityAccess: Sendable {
    /// The role that may touch case-level records.
    static let securityRole = "security"
    /// The environment variable listing the allowed broker users, separated by commas.
    static let readersVariable = "PLANMONITOR_SECURITY_CASE_READERS"
    /// The allowed broker users when the variable is unset: the security service's own user and the officers'
    /// command line, `planctl-security`.
    static let defaultReaders: Set<String> = ["security", "planctl-security"]

    /// The broker users whose calls may carry the security role.
    let allowedBrokerUsers: Set<String>
    /// Where refusals are logged (method, caller and request id; never the request).
    let logger: Logger

    /// The access of `allowedBrokerUsers`.
    init(allowedBrokerUsers: Set<String>, logger: Logger) {
        self.allowedBrokerUsers = allowedBrokerUsers
        self.logger = logger
    }

    /// The allowed broker users of `PLANMONITOR_SECURITY_CASE_READERS` ("security,planctl-security"), or
    /// ``defaultReaders`` when it is unset or empty.
    static func readers(environment: [String: String]) -> Set<String> {
        let listed = (environment[readersVariable] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return listed.isEmpty ? defaultReaders : Set(listed)
    }

    /// Throws PERMISSION_DENIED unless `call` has the security role; `what` says what the call would touch.
    func requireSecurityRole(_ call: RPCServerContext, for what: String) throws {
        let role = call.metadata[Planmonitor_Common_V1_AuditMetadata.roleMetadataKey] ?? ""
        let user = call.callerUser ?? ""
        guard role == Self.securityRole, allowedBrokerUsers.contains(user) else {
            logger.warning("refused a call without the security role", metadata: [
                "method": "\(call.method)", "callerUser": "\(user)", "role": "\(role)", "requestID": "\(call.requestID)",
            ])
            let roleText = role.isEmpty ? "none" : role
            throw RPCError(.permissionDenied, "\(what) needs the security role: call metadata role=security from a broker user "
                + "allowed to read security records (caller: broker user '\(user)', role \(roleText))")
        }
    }
}
