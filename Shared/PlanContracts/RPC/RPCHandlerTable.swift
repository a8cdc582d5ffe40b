import SwiftProtobuf

/// The handlers a server serves, by method path.
///
/// Register typed handlers (usually through a generated `Handler`'s `register(into:)`);
/// the transport looks up the raw handler of an incoming request's path and calls it with
/// the request bytes. An undecodable request fails with `RPCError(.invalidArgument, …)`
/// naming the expected message type; a response that cannot be serialized fails with
/// `RPCError(.internal, …)`; other errors thrown by the handler pass through unchanged
/// (the transport maps non-`RPCError`s to INTERNAL). An unknown path has no handler:
/// `handler(for:)` returns `nil` and the transport answers UNIMPLEMENTED.
public struct RPCHandlerTable: Sendable {
    /// A handler on serialized messages.
    public typealias RawHandler = @Sendable (_ requestBytes: [UInt8], _ context: RPCServerContext) async throws -> [UInt8]

    private var handlers: [String: RawHandler] = [:]

    /// An empty table.
    public init() {}

    /// Serves `method` with `handler`. Registering a path again replaces its handler.
    public mutating func register<Method: RPCMethod>(
        _ method: Method.Type,
        handler: @escaping @Sendable (Method.Request, RPCServerContext) async throws -> Method.Response
    ) {
        handlers[Method.path] = { requestBytes, context in
            let request: Method.Request
            do {
                request = try Method.Request(serializedBytes: requestBytes)
            } catch {
                throw RPCError(
                    .invalidArgument,
                    "request to \(Method.path) is not a valid \(Method.Request.protoMessageName) message: \(error)"
                )
            }
            let response = try await handler(request, context)
            do {
                return try response.serializedBytes()
            } catch {
                throw RPCError(
                    .internal,
                    "response of \(Method.path) could not be serialized as \(Method.Response.protoMessageName): \(error)"
                )
            }
        }
    }

    /// The handler for `path`, or `nil` if no method with that path is registered.
    public func handler(for path: String) -> RawHandler? {
        handlers[path]
    }

    /// The registered method paths, sorted.
    public var paths: [String] {
        handlers.keys.sorted()
    }

    /// True if `path` has a handler.
    public func contains(_ path: String) -> Bool {
        handlers[path] != nil
    }

    /// Adds every handler of `other`; `other`'s handlers win on equal paths.
    public mutating func merge(_ other: RPCHandlerTable) {
        handlers.merge(other.handlers) { _, new in new }
    }
}
