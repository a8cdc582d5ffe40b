import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// Appends to a department's `audit_log`: who did what, when, in which request.
public struct AuditLog: Sendable {
    /// The department's schema.
    public let schema: SchemaName

    /// The log of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// Records one action in the caller's transaction.
    ///
    /// - Parameters:
    ///   - action: what was done: "record.created", "record.amended", "csv.imported", "report.submitted", "report.corrected".
    ///   - subject: what it was done to: a record id, a report id, a file name.
    ///   - detail: what changed, in words or JSON.
    public func append(
        action: String, subject: String, detail: String, by actor: Planmonitor_Common_V1_AuditMetadata,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).audit_log (at, user_name, agency_code, request_id, action, subject, detail)
            VALUES (\(actor.at.date), \(actor.user), \(actor.agencyCode), \(actor.requestID), \(action), \(subject), \(detail))
            """,
            logger: logger
        )
    }
}

extension Planmonitor_Common_V1_AuditMetadata {
    /// Call metadata key naming the person acting (`x-rpc-meta-user`); the caller's broker user otherwise.
    public static let userMetadataKey = "user"
    /// Call metadata key naming the actor's agency code (`x-rpc-meta-agency`), e.g. "dept-finance".
    public static let agencyMetadataKey = "agency"
    /// Call metadata key naming the role the actor acts in (`x-rpc-meta-role`), e.g. "security"; a service that
    /// checks it also checks the caller's broker user.
    public static let roleMetadataKey = "role"

    /// Who made `call`, and when the service received it.
    public init(call: RPCServerContext) {
        self.init()
        user = call.metadata[Self.userMetadataKey].flatMap { $0.isEmpty ? nil : $0 } ?? call.callerUser ?? ""
        agencyCode = call.metadata[Self.agencyMetadataKey] ?? ""
        requestID = call.requestID
        at = Google_Protobuf_Timestamp(date: call.receivedAt)
    }
}
