import PlanContracts
import SwiftProtobuf
import Testing

@Suite("Generated clients")
struct ClientTests {
    @Test("Client calls pass the generated method type, the request and the options")
    func clientPassesMethodType() async throws {
        let transport = RecordingTransport()
        var canned = Planmonitor_Testing_V1_EchoResponse()
        canned.text = "pong"
        try transport.respond(to: Planmonitor_Testing_V1_EchoService.Method.Echo.self, with: canned)

        let client = Planmonitor_Testing_V1_EchoService.Client(transport: transport)
        var request = Planmonitor_Testing_V1_EchoRequest()
        request.text = "ping"
        request.counterID = "c-7"
        let response = try await client.echo(
            request,
            options: RPCCallOptions(timeout: .milliseconds(250), metadata: ["x-request-id": "r1"])
        )

        #expect(response.text == "pong")
        let call = try #require(transport.calls.first)
        #expect(transport.calls.count == 1)
        #expect(call.methodType == ObjectIdentifier(Planmonitor_Testing_V1_EchoService.Method.Echo.self))
        #expect(call.methodTypeName.hasSuffix("Planmonitor_Testing_V1_EchoService.Method.Echo"))
        #expect(call.path == "/planmonitor.testing.v1.EchoService/Echo")
        #expect(try Planmonitor_Testing_V1_EchoRequest(serializedBytes: call.requestBytes) == request)
        #expect(call.options.timeout == .milliseconds(250))
        #expect(call.options.metadata == ["x-request-id": "r1"])
    }

    @Test("each client method uses its own method type; default options are 10 s and no metadata")
    func eachMethodHasItsType() async throws {
        let transport = RecordingTransport()
        try transport.respond(to: Planmonitor_Testing_V1_EchoService.Method.Fail.self, with: .init())
        try transport.respond(to: Planmonitor_Testing_V1_EchoService.Method.Slow.self, with: .init())
        try transport.respond(to: Planmonitor_Health_V1_HealthService.Method.Check.self, with: .init())
        try transport.respond(to: Planmonitor_Directive_V1_DirectiveService.Method.GetDirective.self, with: .init())
        try transport.respond(to: Planmonitor_Directive_V1_DirectiveService.Method.ImportDirective.self, with: .init())
        try transport.respond(to: Planmonitor_Directive_V1_DirectiveService.Method.ListRevisions.self, with: .init())

        _ = try await Planmonitor_Testing_V1_EchoService.Client(transport: transport).fail(.init())
        _ = try await Planmonitor_Testing_V1_EchoService.Client(transport: transport).slow(.init())
        _ = try await Planmonitor_Health_V1_HealthService.Client(transport: transport).check(.init())
        let directives = Planmonitor_Directive_V1_DirectiveService.Client(transport: transport)
        _ = try await directives.getDirective(.init())
        _ = try await directives.importDirective(.init())
        _ = try await directives.listRevisions(.init())

        let expected: [any RPCMethod.Type] = [
            Planmonitor_Testing_V1_EchoService.Method.Fail.self,
            Planmonitor_Testing_V1_EchoService.Method.Slow.self,
            Planmonitor_Health_V1_HealthService.Method.Check.self,
            Planmonitor_Directive_V1_DirectiveService.Method.GetDirective.self,
            Planmonitor_Directive_V1_DirectiveService.Method.ImportDirective.self,
            Planmonitor_Directive_V1_DirectiveService.Method.ListRevisions.self,
        ]
        let calls = transport.calls
        #expect(calls.map(\.methodType) == expected.map { ObjectIdentifier($0) })
        #expect(calls.map { $0.path } == expected.map { $0.path })
        for call in calls {
            #expect(call.options.timeout == .seconds(10))
            #expect(call.options.metadata.isEmpty)
        }
    }

    @Test("transport errors reach the caller unchanged")
    func errorsPropagate() async throws {
        let client = Planmonitor_Health_V1_HealthService.Client(transport: RecordingTransport())
        let error = await #expect(throws: RPCError.self) {
            _ = try await client.check(.init())
        }
        #expect(error?.code == .unimplemented)
    }
}
