import Foundation

/// An `RPCTransport` that calls the handlers of an `RPCHandlerTable` in the same process,
/// through the same serialization as a real transport: for unit tests of clients and
/// handlers without a broker.
///
/// It behaves like the AMQP transport towards its caller: unknown path → `.unimplemented`;
/// `options.timeout` passing → `.deadlineExceeded` (the handler's task is cancelled);
/// an `RPCError` from the handler → rethrown as is; a `CancellationError` → `.cancelled`;
/// any other error → `.internal` with the error's description.
public struct InProcessRPCTransport: RPCTransport {
    /// The handlers called.
    public var table: RPCHandlerTable
    /// Reported to handlers as `RPCServerContext.callerUser`.
    public var callerUser: String?

    /// Makes a transport that serves calls from `table`.
    public init(table: RPCHandlerTable, callerUser: String? = nil) {
        self.table = table
        self.callerUser = callerUser
    }

    public func unary<Method: RPCMethod>(
        _ method: Method.Type,
        request: Method.Request,
        options: RPCCallOptions
    ) async throws -> Method.Response {
        guard let handler = table.handler(for: Method.path) else {
            throw RPCError(.unimplemented, "no handler for \(Method.path)")
        }
        let requestBytes: [UInt8]
        do {
            requestBytes = try request.serializedBytes()
        } catch {
            throw RPCError(.internal, "request for \(Method.path) could not be serialized: \(error)")
        }
        let timeout = options.timeout
        let context = RPCServerContext(
            method: Method.path,
            metadata: options.metadata,
            deadline: ContinuousClock.now.advanced(by: timeout),
            callerUser: callerUser,
            requestID: UUID().uuidString
        )
        let responseBytes: [UInt8]
        do {
            responseBytes = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                group.addTask {
                    try await handler(requestBytes, context)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw RPCError(.deadlineExceeded, "\(Method.path) did not answer within \(timeout)")
                }
                defer { group.cancelAll() }
                guard let first = try await group.next() else {
                    throw RPCError(.internal, "\(Method.path) produced no result")
                }
                return first
            }
        } catch let error as RPCError {
            throw error
        } catch is CancellationError {
            throw RPCError(.cancelled, "\(Method.path) was cancelled")
        } catch {
            throw RPCError(.internal, String(describing: error))
        }
        do {
            return try Method.Response(serializedBytes: responseBytes)
        } catch {
            throw RPCError(.internal, "response of \(Method.path) is not a valid \(Method.Response.protoMessageName): \(error)")
        }
    }
}
