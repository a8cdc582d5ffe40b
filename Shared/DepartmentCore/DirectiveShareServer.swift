import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO

/// Serves `planmonitor.department.v1.DirectiveShareService` from a department's ``DirectiveShareStore``.
public struct DirectiveShareServer: Planmonitor_Department_V1_DirectiveShareService.Handler {
    /// The department served.
    public let department: Department
    /// The org unit the instance serves, whose directive it keeps.
    public let orgUnitCode: String
    /// The unit above it (the city of a district instance), whose directive a district follows when it has none of its own.
    public let parentCode: String?
    private let store: DirectiveShareStore
    private let database: PostgresClient
    private let logger: Logger

    /// Creates a server reading `store` through `database`.
    public init(department: Department, orgUnitCode: String, parentCode: String? = nil, store: DirectiveShareStore, database: PostgresClient, logger: Logger) {
        self.department = department
        self.orgUnitCode = orgUnitCode
        self.parentCode = parentCode
        self.store = store
        self.database = database
        self.logger = logger
    }

    public func getDirectiveShare(
        _ request: Planmonitor_Department_V1_GetDirectiveShareRequest, context: RPCServerContext
    ) async throws -> Planmonitor_Department_V1_GetDirectiveShareResponse {
        guard request.year >= 0, request.revision >= 0 else {
            throw RPCError(.invalidArgument, "year and revision must not be negative (0 means the latest)", fieldViolations: [
                .init(field: request.year < 0 ? "year" : "revision", reason: "negative: \(min(request.year, request.revision))"),
            ])
        }
        let (department, store, logger) = (department, store, logger)
        let candidates = [orgUnitCode] + (parentCode.map { [$0] } ?? [])
        return try await database.planTransaction(logger: logger) { connection in
            // One snapshot for the several reads.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            // The instance's own directive, else (a district) the city's.
            var org = candidates[0]
            for code in candidates where try await store.latestYear(orgUnitCode: code, on: connection, logger: logger) != nil {
                org = code
                break
            }
            var year = request.year
            if year == 0 {
                guard let latest = try await store.latestYear(orgUnitCode: org, on: connection, logger: logger) else {
                    throw RPCError(.notFound, "\(department) has received no directive for org unit \(org)")
                }
                year = latest
            }
            let revisions = try await store.revisions(orgUnitCode: org, year: year, on: connection, logger: logger)
            guard let latest = revisions.last else {
                throw RPCError(.notFound, "\(department) has received no directive of \(year) for org unit \(org)")
            }
            let revision = request.revision == 0 ? latest : request.revision
            guard let share = try await store.share(
                of: department, orgUnitCode: org, year: year, revision: revision, on: connection, logger: logger
            ) else {
                let received = revisions.map(String.init).joined(separator: ", ")
                throw RPCError(.notFound, "\(department) has no revision \(revision) of the \(year) directive for org unit \(org) (received: \(received))")
            }
            var response = Planmonitor_Department_V1_GetDirectiveShareResponse()
            response.share = share
            response.receivedRevisions = revisions
            return response
        }
    }
}
