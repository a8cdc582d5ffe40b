import Foundation
import Hummingbird
import NIOCore

/// The picture over HTTP: JSON for programs (described by `/openapi.json`), the dashboard and the briefing for people.
///
/// | path | answer |
/// | --- | --- |
/// | `GET /api/picture?month=2018-06&unit=31` | ``Picture`` |
/// | `GET /api/targets/{code}?month=` | ``TargetDrillDown`` |
/// | `GET /api/districts/{code}?month=` | ``Picture`` of the district |
/// | `GET /api/agencies/{code}?month=` | ``AgencyView`` |
/// | `GET /api/compliance?month=&unit=` | ``CompliancePicture`` |
/// | `GET /api/projects` | [``ProjectPicture``] |
/// | `GET /api/briefing?month=&format=html|md` | the monthly briefing |
/// | `GET /openapi.json` | the OpenAPI document |
/// | `GET /` | the dashboard (`?month=&unit=`) |
public struct PictureAPI: Sendable {
    let queries: PictureQueries

    /// The API over `queries`.
    public init(queries: PictureQueries) {
        self.queries = queries
    }

    /// Adds the routes to `router`.
    public func register(on router: Router<BasicRequestContext>) {
        router.get("api/picture") { request, _ in
            try await json { try await queries.picture(month: request.uri.queryParameters["month"].map(String.init), orgUnitCode: request.uri.queryParameters["unit"].map(String.init)) }
        }
        router.get("api/targets/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            return try await json { try await queries.drillDown(target: code, month: request.uri.queryParameters["month"].map(String.init)) }
        }
        router.get("api/districts/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            return try await json { try await queries.picture(month: request.uri.queryParameters["month"].map(String.init), orgUnitCode: code) }
        }
        router.get("api/agencies/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            return try await json { try await queries.agency(code: code, month: request.uri.queryParameters["month"].map(String.init)) }
        }
        router.get("api/compliance") { request, _ in
            try await json {
                try await queries.compliance(month: request.uri.queryParameters["month"].map(String.init), orgUnitCode: request.uri.queryParameters["unit"].map(String.init))
            }
        }
        router.get("api/projects") { request, _ in
            try await json { try await queries.projects() }
        }
        router.get("api/briefing") { request, _ in
            let format = request.uri.queryParameters["format"].map(String.init) ?? "html"
            return try await document(format == "md" ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8") {
                guard format == "md" || format == "html" else { throw PictureQueries.QueryError(status: 400, description: "format '\(format)' is neither html nor md") }
                let briefing = try await queries.briefing(month: request.uri.queryParameters["month"].map(String.init), orgUnitCode: request.uri.queryParameters["unit"].map(String.init))
                return format == "md" ? briefing.markdown() : briefing.html()
            }
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        router.get("/") { request, _ in
            try await document("text/html; charset=utf-8") {
                Dashboard(picture: try await queries.picture(month: request.uri.queryParameters["month"].map(String.init), orgUnitCode: request.uri.queryParameters["unit"].map(String.init))).html()
            }
        }
    }

    /// The value as JSON; a ``PictureQueries/QueryError`` as its status with `{"error": …}`.
    private func json(_ value: () async throws -> some Encodable) async throws -> Response {
        do {
            let data = try Self.encoder.encode(try await value())
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch let error as PictureQueries.QueryError {
            return Self.failure(error)
        }
    }

    private func document(_ contentType: String, _ text: () async throws -> String) async throws -> Response {
        do {
            let body = try await text()
            return Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        } catch let error as PictureQueries.QueryError {
            return Self.failure(error)
        }
    }

    private static func failure(_ error: PictureQueries.QueryError) -> Response {
        let body = (try? encoder.encode(["error": error.description])) ?? Data()
        return Response(status: HTTPResponse.Status(code: error.status), headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Sorted keys and ISO 8601 dates.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
