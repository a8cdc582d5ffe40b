import Foundation
import PlanContracts

/// Serves `planmonitor.aggregator.v1.PictureService`: the rebuild of the read models and the briefing.
public struct PictureServer: Planmonitor_Aggregator_V1_PictureService.Handler {
    let queries: PictureQueries
    let events: PictureEvents

    /// A server over the queries and the events' rebuild.
    public init(queries: PictureQueries, events: PictureEvents) {
        self.queries = queries
        self.events = events
    }

    public func rebuildReadModels(_ request: Planmonitor_Aggregator_V1_RebuildReadModelsRequest, context: RPCServerContext) async throws -> Planmonitor_Aggregator_V1_RebuildReadModelsResponse {
        try await events.rebuild(client: queries.database, logger: queries.logger)
    }

    public func getBriefing(_ request: Planmonitor_Aggregator_V1_GetBriefingRequest, context: RPCServerContext) async throws -> Planmonitor_Aggregator_V1_GetBriefingResponse {
        guard (1...12).contains(request.month), (2000...2100).contains(request.year) else {
            throw RPCError(.invalidArgument, "which month?", fieldViolations: [
                .init(field: (1...12).contains(request.month) ? "year" : "month", reason: "\(request.year)-\(request.month) is not a month of a plausible year"),
            ])
        }
        let month = String(format: "%04d-%02d", request.year, request.month)
        let briefing: Briefing
        do {
            briefing = try await queries.briefing(month: month, orgUnitCode: request.orgUnitCode.isEmpty ? nil : request.orgUnitCode)
        } catch let error as PictureQueries.QueryError {
            throw RPCError(error.status == 404 ? .notFound : .invalidArgument, error.description)
        }
        var response = Planmonitor_Aggregator_V1_GetBriefingResponse()
        let name = String(format: "bao-cao-thang-%02d-%04d", request.month, request.year)
        if request.format == .markdown {
            response.document = Data(briefing.markdown().utf8)
            response.contentType = "text/markdown; charset=utf-8"
            response.fileName = name + ".md"
        } else {
            response.document = Data(briefing.html().utf8)
            response.contentType = "text/html; charset=utf-8"
            response.fileName = name + ".html"
        }
        return response
    }
}
