import Foundation
import PlanContracts
import Synchronization

/// An EchoService handler for tests: counts per counter id, fails and sleeps on request.
final class TestEchoServer: Planmonitor_Testing_V1_EchoService.Handler {
    struct PlainError: Error, CustomStringConvertible {
        var text: String
        var description: String { "plain error: \(text)" }
    }

    private let counters = Mutex<[String: Int64]>([:])
    let instanceID: String

    init(instanceID: String = "test-instance") {
        self.instanceID = instanceID
    }

    func echo(
        _ request: Planmonitor_Testing_V1_EchoRequest,
        context: RPCServerContext
    ) async throws -> Planmonitor_Testing_V1_EchoResponse {
        var response = Planmonitor_Testing_V1_EchoResponse()
        response.text = request.text
        response.counterID = request.counterID
        if !request.counterID.isEmpty {
            response.count = counters.withLock { counters in
                counters[request.counterID, default: 0] += 1
                return counters[request.counterID, default: 0]
            }
        }
        response.servedBy = instanceID
        response.callerUser = context.callerUser ?? ""
        response.metadata = context.metadata
        return response
    }

    func fail(
        _ request: Planmonitor_Testing_V1_FailRequest,
        context: RPCServerContext
    ) async throws -> Planmonitor_Testing_V1_FailResponse {
        if request.plainError {
            throw PlainError(text: request.message)
        }
        if request.code != 0 {
            throw RPCError(
                RPCStatusCode(wireValue: request.code),
                request.message,
                fieldViolations: request.violations.map { .init(field: $0.field, reason: $0.reason) }
            )
        }
        var response = Planmonitor_Testing_V1_FailResponse()
        response.message = request.message
        return response
    }

    func slow(
        _ request: Planmonitor_Testing_V1_SlowRequest,
        context: RPCServerContext
    ) async throws -> Planmonitor_Testing_V1_SlowResponse {
        let clock = ContinuousClock()
        let start = clock.now
        var response = Planmonitor_Testing_V1_SlowResponse()
        do {
            try await Task.sleep(for: .milliseconds(request.milliseconds))
        } catch {
            response.cancelled = true
        }
        let elapsed = start.duration(to: clock.now)
        response.sleptMilliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        response.text = request.text
        return response
    }
}

/// A transport that records which method type and request each call carried, and answers
/// with a canned response per path (or an error).
final class RecordingTransport: RPCTransport {
    struct Call: Sendable {
        var methodType: ObjectIdentifier
        var methodTypeName: String
        var path: String
        var requestBytes: [UInt8]
        var options: RPCCallOptions
    }

    private let state = Mutex<(calls: [Call], responses: [String: [UInt8]])>(([], [:]))

    var calls: [Call] { state.withLock { $0.calls } }

    func respond<Method: RPCMethod>(to method: Method.Type, with response: Method.Response) throws {
        let bytes: [UInt8] = try response.serializedBytes()
        state.withLock { $0.responses[Method.path] = bytes }
    }

    func unary<Method: RPCMethod>(
        _ method: Method.Type,
        request: Method.Request,
        options: RPCCallOptions
    ) async throws -> Method.Response {
        let bytes: [UInt8] = try request.serializedBytes()
        let canned = state.withLock { state in
            state.calls.append(
                Call(
                    methodType: ObjectIdentifier(method),
                    methodTypeName: String(reflecting: method),
                    path: Method.path,
                    requestBytes: bytes,
                    options: options
                )
            )
            return state.responses[Method.path]
        }
        guard let canned else {
            throw RPCError(.unimplemented, "no canned response for \(Method.path)")
        }
        return try Method.Response(serializedBytes: canned)
    }
}

/// The repository's `Proto/` directory, found from this file (through the scratch package's symlinks too).
func protoDirectory(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // PlanContractsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Proto")
}
