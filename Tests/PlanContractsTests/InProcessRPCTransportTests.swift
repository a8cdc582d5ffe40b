import PlanContracts
import Testing

@Suite("InProcessRPCTransport")
struct InProcessRPCTransportTests {
    private func client(callerUser: String? = "aggregator") -> Planmonitor_Testing_V1_EchoService.Client {
        var table = RPCHandlerTable()
        TestEchoServer().register(into: &table)
        return .init(transport: InProcessRPCTransport(table: table, callerUser: callerUser))
    }

    @Test("a call reaches the handler with the caller, metadata and a deadline")
    func echo() async throws {
        let client = client()
        var request = Planmonitor_Testing_V1_EchoRequest()
        request.text = "Chỉ thị số 01/CT-UBND"
        request.counterID = "k"
        let first = try await client.echo(request, options: .init(metadata: ["trace": "t1"]))
        let second = try await client.echo(request)
        #expect(first.text == request.text)
        #expect(first.callerUser == "aggregator")
        #expect(first.metadata == ["trace": "t1"])
        #expect(first.count == 1 && second.count == 2)
    }

    @Test("a handler's RPCError reaches the caller unchanged")
    func failWithCode() async throws {
        var request = Planmonitor_Testing_V1_FailRequest()
        request.code = RPCStatusCode.permissionDenied.rawValue
        request.message = "chỉ Sở Tài chính được nhập số liệu"
        let error = await #expect(throws: RPCError.self) {
            _ = try await client().fail(request)
        }
        #expect(error == RPCError(.permissionDenied, "chỉ Sở Tài chính được nhập số liệu"))
    }

    @Test("other handler errors become INTERNAL with the error's description")
    func plainError() async throws {
        var request = Planmonitor_Testing_V1_FailRequest()
        request.plainError = true
        request.message = "disk on fire"
        let error = await #expect(throws: RPCError.self) {
            _ = try await client().fail(request)
        }
        #expect(error == RPCError(.internal, "plain error: disk on fire"))
    }

    @Test("a handler slower than the timeout → DEADLINE_EXCEEDED, and the handler is cancelled")
    func timeout() async throws {
        var request = Planmonitor_Testing_V1_SlowRequest()
        request.milliseconds = 5_000
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: RPCError.self) {
            _ = try await client().slow(request, options: .init(timeout: .milliseconds(100)))
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(start.duration(to: clock.now) < .seconds(4))
    }

    @Test("a handler within the timeout answers")
    func fastEnough() async throws {
        var request = Planmonitor_Testing_V1_SlowRequest()
        request.milliseconds = 20
        request.text = "ok"
        let response = try await client().slow(request, options: .init(timeout: .seconds(5)))
        #expect(response.text == "ok")
        #expect(!response.cancelled)
        #expect(response.sleptMilliseconds >= 20)
    }

    @Test("a method without a handler → UNIMPLEMENTED")
    func unimplemented() async throws {
        let health = Planmonitor_Health_V1_HealthService.Client(transport: InProcessRPCTransport(table: RPCHandlerTable()))
        let error = await #expect(throws: RPCError.self) {
            _ = try await health.check(.init())
        }
        #expect(error?.code == .unimplemented)
        #expect(error?.message.contains("/planmonitor.health.v1.HealthService/Check") == true)
    }
}
