import PlanContracts
import SwiftProtobuf
import Testing

@Suite("RPCHandlerTable")
struct RPCHandlerTableTests {
    private func table() -> RPCHandlerTable {
        var table = RPCHandlerTable()
        TestEchoServer().register(into: &table)
        return table
    }

    private func context(_ path: String) -> RPCServerContext {
        RPCServerContext(method: path, metadata: ["k": "v"], deadline: nil, callerUser: "planctl", requestID: "req-1")
    }

    @Test("registered path → the handler's response bytes decode")
    func dispatchesRegisteredPath() async throws {
        let path = Planmonitor_Testing_V1_EchoService.Method.Echo.path
        let handler = try #require(table().handler(for: path))
        var request = Planmonitor_Testing_V1_EchoRequest()
        request.text = "Xin chào Hải Phòng"
        request.counterID = "c1"

        let responseBytes = try await handler(try request.serializedBytes(), context(path))
        let response = try Planmonitor_Testing_V1_EchoResponse(serializedBytes: responseBytes)

        #expect(response.text == "Xin chào Hải Phòng")
        #expect(response.counterID == "c1")
        #expect(response.count == 1)
        #expect(response.callerUser == "planctl")
        #expect(response.metadata == ["k": "v"])
    }

    @Test("registered paths are the generated method paths, sorted")
    func listsPaths() {
        #expect(
            table().paths == [
                "/planmonitor.testing.v1.EchoService/Echo",
                "/planmonitor.testing.v1.EchoService/Fail",
                "/planmonitor.testing.v1.EchoService/Slow",
            ]
        )
        #expect(table().contains("/planmonitor.testing.v1.EchoService/Slow"))
    }

    @Test(
        "unknown path → nil",
        arguments: [
            "/planmonitor.testing.v1.EchoService/Nope",
            "/planmonitor.health.v1.HealthService/Check",
            "planmonitor.testing.v1.EchoService/Echo",
            "",
        ]
    )
    func unknownPathHasNoHandler(path: String) {
        #expect(table().handler(for: path) == nil)
    }

    @Test(
        "undecodable request → INVALID_ARGUMENT naming the expected message type",
        arguments: [
            [0x0A, 0x05, 0x41] as [UInt8],  // field 1, length 5, but only 1 byte follows
            [0xFF, 0xFF, 0xFF],  // malformed varint tag
            [0x0A, 0x02, 0xC3, 0x28],  // field 1 (string) with invalid UTF-8
        ]
    )
    func undecodableRequest(bytes: [UInt8]) async throws {
        let path = Planmonitor_Testing_V1_EchoService.Method.Echo.path
        let handler = try #require(table().handler(for: path))
        let error = await #expect(throws: RPCError.self) {
            _ = try await handler(bytes, context(path))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("planmonitor.testing.v1.EchoRequest") == true)
        #expect(error?.message.contains(path) == true)
    }

    @Test("RPCError thrown by a handler passes through unchanged")
    func rpcErrorPassesThrough() async throws {
        let path = Planmonitor_Testing_V1_EchoService.Method.Fail.path
        let handler = try #require(table().handler(for: path))
        var request = Planmonitor_Testing_V1_FailRequest()
        request.code = RPCStatusCode.notFound.rawValue
        request.message = "không có chỉ thị năm 2019"
        var violation = Planmonitor_Rpc_V1_FieldViolation()
        violation.field = "year"
        violation.reason = "no directive"
        request.violations = [violation]

        let error = await #expect(throws: RPCError.self) {
            _ = try await handler(try request.serializedBytes(), context(path))
        }
        #expect(
            error
                == RPCError(
                    .notFound,
                    "không có chỉ thị năm 2019",
                    fieldViolations: [.init(field: "year", reason: "no directive")]
                )
        )
    }

    @Test("other errors thrown by a handler are left to the transport")
    func otherErrorsPassThrough() async throws {
        let path = Planmonitor_Testing_V1_EchoService.Method.Fail.path
        let handler = try #require(table().handler(for: path))
        var request = Planmonitor_Testing_V1_FailRequest()
        request.plainError = true
        request.message = "boom"
        await #expect(throws: TestEchoServer.PlainError.self) {
            _ = try await handler(try request.serializedBytes(), context(path))
        }
    }

    @Test("registering a path again replaces its handler; merge adds handlers")
    func replaceAndMerge() async throws {
        var table = RPCHandlerTable()
        table.register(Planmonitor_Testing_V1_EchoService.Method.Echo.self) { request, _ in
            var response = Planmonitor_Testing_V1_EchoResponse()
            response.text = "first"
            return response
        }
        table.register(Planmonitor_Testing_V1_EchoService.Method.Echo.self) { request, _ in
            var response = Planmonitor_Testing_V1_EchoResponse()
            response.text = "second: " + request.text
            return response
        }
        #expect(table.paths == ["/planmonitor.testing.v1.EchoService/Echo"])

        let path = Planmonitor_Testing_V1_EchoService.Method.Echo.path
        let handler = try #require(table.handler(for: path))
        var request = Planmonitor_Testing_V1_EchoRequest()
        request.text = "x"
        let response = try Planmonitor_Testing_V1_EchoResponse(
            serializedBytes: try await handler(try request.serializedBytes(), context(path))
        )
        #expect(response.text == "second: x")

        var other = RPCHandlerTable()
        other.register(Planmonitor_Health_V1_HealthService.Method.Check.self) { _, _ in
            Planmonitor_Health_V1_HealthCheckResponse()
        }
        table.merge(other)
        #expect(table.paths == ["/planmonitor.health.v1.HealthService/Check", "/planmonitor.testing.v1.EchoService/Echo"])
    }

    @Test("static register works for a type that implements several handlers")
    func staticRegisterForMultiHandler() {
        struct Both: Planmonitor_Testing_V1_EchoService.Handler, Planmonitor_Health_V1_HealthService.Handler {
            let inner = TestEchoServer()
            func echo(_ request: Planmonitor_Testing_V1_EchoRequest, context: RPCServerContext) async throws
                -> Planmonitor_Testing_V1_EchoResponse
            { try await inner.echo(request, context: context) }
            func fail(_ request: Planmonitor_Testing_V1_FailRequest, context: RPCServerContext) async throws
                -> Planmonitor_Testing_V1_FailResponse
            { try await inner.fail(request, context: context) }
            func slow(_ request: Planmonitor_Testing_V1_SlowRequest, context: RPCServerContext) async throws
                -> Planmonitor_Testing_V1_SlowResponse
            { try await inner.slow(request, context: context) }
            func check(_ request: Planmonitor_Health_V1_HealthCheckRequest, context: RPCServerContext) async throws
                -> Planmonitor_Health_V1_HealthCheckResponse
            { Planmonitor_Health_V1_HealthCheckResponse() }
        }
        var table = RPCHandlerTable()
        Planmonitor_Testing_V1_EchoService.register(Both(), into: &table)
        Planmonitor_Health_V1_HealthService.register(Both(), into: &table)
        #expect(table.paths.count == 4)
    }
}
