import AMQPClient
import Foundation
import PlanContracts
import PlanMessaging
import Testing

/// The echo service the RPC tests call.
struct EchoHandler: Planmonitor_Testing_V1_EchoService.Handler {
    let served: Locked<Int>
    let name: String

    func echo(_ request: Planmonitor_Testing_V1_EchoRequest, context: RPCServerContext) async throws -> Planmonitor_Testing_V1_EchoResponse {
        let count = served.withLock { value -> Int in
            value += 1
            return value
        }
        var response = Planmonitor_Testing_V1_EchoResponse()
        response.text = request.text
        response.counterID = request.counterID
        response.count = Int64(count)
        response.servedBy = name
        response.callerUser = context.callerUser ?? ""
        response.metadata = context.metadata
        return response
    }

    func fail(_ request: Planmonitor_Testing_V1_FailRequest, context: RPCServerContext) async throws -> Planmonitor_Testing_V1_FailResponse {
        served.withLock { $0 += 1 }
        if request.plainError { throw PlainFailure() }
        throw RPCError(RPCStatusCode(rawValue: request.code) ?? .unknown, request.message,
                       fieldViolations: request.violations.map { RPCError.FieldViolation(field: $0.field, reason: $0.reason) })
    }

    func slow(_ request: Planmonitor_Testing_V1_SlowRequest, context: RPCServerContext) async throws -> Planmonitor_Testing_V1_SlowResponse {
        served.withLock { $0 += 1 }
        try await Task.sleep(for: .milliseconds(request.milliseconds))
        var response = Planmonitor_Testing_V1_SlowResponse()
        response.sleptMilliseconds = request.milliseconds
        return response
    }

    struct PlainFailure: Error, CustomStringConvertible {
        var description: String { "the disk is on fire" }
    }
}

/// A running RPC server for a fresh service name, and a client for it.
struct RPCFixture {
    let identity: ServiceIdentity
    let served = Locked(0)
    let serverConnections: (consumer: AMQPConnection, publisher: AMQPConnection)
    let client: RPCClient
    let clientConnection: AMQPConnection
    let server: RPCServer
    var target: RPCTarget { RPCTarget(service: identity.service, orgUnit: identity.orgUnit) }
    var echo: Planmonitor_Testing_V1_EchoService.Client { .init(transport: client.transport(to: target)) }

    static func make(registerSlow: Bool = true) async throws -> RPCFixture {
        let service = TestStack.uniqueService("rpc")
        let identity = ServiceIdentity(service: service, orgUnit: "31", brokerUser: TestStack.adminUser)
        let consumer = try await TestStack.connect("\(service)-server-consumer")
        let publisher = try await TestStack.connect("\(service)-server-publisher")
        let clientConnection = try await TestStack.connect("\(service)-client")
        let served = Locked(0)
        var table = RPCHandlerTable()
        let handler = EchoHandler(served: served, name: service)
        table.register(Planmonitor_Testing_V1_EchoService.Method.Echo.self) { try await handler.echo($0, context: $1) }
        table.register(Planmonitor_Testing_V1_EchoService.Method.Fail.self) { try await handler.fail($0, context: $1) }
        if registerSlow { table.register(Planmonitor_Testing_V1_EchoService.Method.Slow.self) { try await handler.slow($0, context: $1) } }
        let server = RPCServer(identity: identity, handlers: table, consumerConnection: consumer, publisherConnection: publisher, logger: TestStack.logger)
        let callerIdentity = ServiceIdentity(service: "planctl", orgUnit: "31", brokerUser: TestStack.adminUser)
        return RPCFixture(
            identity: identity, servedCounter: served, serverConnections: (consumer, publisher),
            client: RPCClient(connection: clientConnection, identity: callerIdentity, logger: TestStack.logger),
            clientConnection: clientConnection, server: server
        )
    }

    init(identity: ServiceIdentity, servedCounter: Locked<Int>, serverConnections: (consumer: AMQPConnection, publisher: AMQPConnection), client: RPCClient, clientConnection: AMQPConnection, server: RPCServer) {
        self.identity = identity
        self.servedShared = servedCounter
        self.serverConnections = serverConnections
        self.client = client
        self.clientConnection = clientConnection
        self.server = server
    }

    private let servedShared: Locked<Int>
    var servedCount: Int { servedShared.withLock { $0 } }

    func close() async {
        client.shutdown()
        await clientConnection.close()
        await serverConnections.consumer.close()
        await serverConnections.publisher.close()
    }
}

@Suite("RPC over the broker")
struct RPCTests {
    @Test("a call succeeds, with the caller's broker user and metadata")
    func success() async throws {
        let fixture = try await RPCFixture.make()
        let server = fixture.server
        try await whileRunning([{ try await server.run() }]) {
            try await fixture.serverConnections.consumer.declare(server.topology)
            var request = Planmonitor_Testing_V1_EchoRequest()
            request.text = "Báo cáo tháng 6"
            let response = try await fixture.echo.echo(request, options: RPCCallOptions(timeout: .seconds(5), metadata: ["agency": "dept-finance"]))
            #expect(response.text == "Báo cáo tháng 6")
            #expect(response.servedBy == fixture.identity.service)
            #expect(response.callerUser == TestStack.adminUser)
            #expect(response.metadata["agency"] == "dept-finance")
            // Many calls at once share the reply consumer.
            let texts = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        var request = Planmonitor_Testing_V1_EchoRequest()
                        request.text = "call \(index)"
                        return try await fixture.echo.echo(request).text
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(texts.count == 50)
        }
        await fixture.close()
    }

    @Test("concurrent first calls on a fresh client share one reply subscription")
    func concurrentFirstCalls() async throws {
        let fixture = try await RPCFixture.make()
        let server = fixture.server
        try await whileRunning([{ try await server.run() }]) {
            try await fixture.serverConnections.consumer.declare(server.topology)
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        var request = Planmonitor_Testing_V1_EchoRequest()
                        request.text = "first \(index)"
                        return try await fixture.echo.echo(request, options: RPCCallOptions(timeout: .seconds(5))).text
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(answers.count == 8)
        }
        await fixture.close()
    }

    @Test("once its server stops, a call to the service fails at once with UNAVAILABLE")
    func stoppedServer() async throws {
        let fixture = try await RPCFixture.make()
        let server = fixture.server
        try await whileRunning([{ try await server.run() }]) {
            try await fixture.serverConnections.consumer.declare(server.topology)
            _ = try await fixture.echo.echo(Planmonitor_Testing_V1_EchoRequest(), options: RPCCallOptions(timeout: .seconds(5)))
        }
        // The server's consumer is gone with it, and the broker deletes its queue.
        await fixture.serverConnections.consumer.close()
        let error = try await waitFor(timeout: .seconds(5)) { () async -> RPCError? in
            do {
                _ = try await fixture.echo.echo(Planmonitor_Testing_V1_EchoRequest(), options: RPCCallOptions(timeout: .seconds(3)))
                return nil
            } catch let error as RPCError {
                return error.code == .unavailable ? error : nil
            } catch {
                return nil
            }
        }
        #expect(error.code == .unavailable)
        await fixture.close()
    }

    @Test("an unknown method is UNIMPLEMENTED")
    func unknownMethod() async throws {
        let fixture = try await RPCFixture.make(registerSlow: false)
        let server = fixture.server
        try await whileRunning([{ try await server.run() }]) {
            try await fixture.serverConnections.consumer.declare(server.topology)
            let error = await #expect(throws: RPCError.self) { try await fixture.echo.slow(Planmonitor_Testing_V1_SlowRequest()) }
            #expect(error?.code == .unimplemented)
            #expect(error?.message.contains("/planmonitor.testing.v1.EchoService/Slow") == true)
        }
        await fixture.close()
    }

    @Test("a handler's error comes back with its status, message and field violations; other errors are INTERNAL")
    func handlerErrors() async throws {
        let fixture = try await RPCFixture.make()
        let server = fixture.server
        try await whileRunning([{ try await server.run() }]) {
            try await fixture.serverConnections.consumer.declare(server.topology)
            var request = Planmonitor_Testing_V1_FailRequest()
            request.code = RPCStatusCode.invalidArgument.rawValue
            request.message = "amount: must not be negative"
            var violation = Planmonitor_Rpc_V1_FieldViolation()
            violation.field = "amount"
            violation.reason = "must not be negative (got -5)"
            request.violations = [violation]
            let error = await #expect(throws: RPCError.self) { try await fixture.echo.fail(request) }
            #expect(error == RPCError(.invalidArgument, "amount: must not be negative", fieldViolations: [.init(field: "amount", reason: "must not be negative (got -5)")]))
            var plain = Planmonitor_Testing_V1_FailRequest()
            plain.plainError = true
            let internalError = await #expect(throws: RPCError.self) { try await fixture.echo.fail(plain) }
            #expect(internalError?.code == .internal)
            #expect(internalError?.message.contains("the disk is on fire") == true)
        }
        await fixture.close()
    }

    @Test("no server: UNAVAILABLE at once; a server that does not answer: DEADLINE_EXCEEDED at the deadline")
    func serverDown() async throws {
        let fixture = try await RPCFixture.make()
        let started = ContinuousClock.now
        let unavailable = await #expect(throws: RPCError.self) {
            try await fixture.echo.echo(Planmonitor_Testing_V1_EchoRequest(), options: RPCCallOptions(timeout: .seconds(15)))
        }
        #expect(unavailable?.code == .unavailable)
        // At once: well before the 15 s deadline (with room for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(5))
        // The queue exists (a server was there once) but nobody consumes it.
        try await fixture.serverConnections.consumer.declare(fixture.server.topology)
        let waited = ContinuousClock.now
        let deadline = await #expect(throws: RPCError.self) {
            try await fixture.echo.echo(Planmonitor_Testing_V1_EchoRequest(), options: RPCCallOptions(timeout: .milliseconds(700)))
        }
        #expect(deadline?.code == .deadlineExceeded)
        let elapsed = ContinuousClock.now - waited
        #expect(elapsed >= .milliseconds(650) && elapsed < .milliseconds(2500), "returned after \(elapsed)")
        await fixture.close()
    }

    @Test("an undecodable request is INVALID_ARGUMENT; an expired request is not executed")
    func rawRequests() async throws {
        let fixture = try await RPCFixture.make()
        let server = fixture.server
        let raw = try await TestStack.connect("\(fixture.identity.service)-raw")
        try await fixture.serverConnections.consumer.declare(server.topology)
        let replies = try await raw.consume(queue: Wire.directReplyTo)
        var replyIterator = replies.makeAsyncIterator()
        func request(correlationID: String, deadline: Date, body: [UInt8]) -> AMQPOutgoingMessage {
            AMQPOutgoingMessage(
                exchange: Wire.rpcExchange, routingKey: Wire.rpcRoutingKey(service: fixture.identity.service, orgUnit: "31"),
                properties: AMQPProperties(
                    headers: [Wire.Header.rpcMethod: .string(Planmonitor_Testing_V1_EchoService.Method.Echo.path),
                              Wire.Header.rpcDeadline: .int64(Int64(deadline.timeIntervalSince1970 * 1000))],
                    persistent: false, correlationID: correlationID, replyTo: Wire.directReplyTo,
                    type: Planmonitor_Testing_V1_EchoRequest.protoMessageName
                ),
                body: body
            )
        }
        // Published while no server runs, with a deadline that passes before it starts.
        try await raw.publish(request(correlationID: "expired", deadline: Date().addingTimeInterval(0.3), body: []))
        try await Task.sleep(for: .milliseconds(500))
        try await whileRunning([{ try await server.run() }]) {
            try await raw.publish(request(correlationID: "garbage", deadline: Date().addingTimeInterval(5), body: [0xFF, 0xFF, 0xFF]))
            let reply = try #require(try await replyIterator.next())
            #expect(reply.properties.correlationID == "garbage")
            #expect(reply.properties.headers[Wire.Header.rpcStatus]?.int64Value == Int64(RPCStatusCode.invalidArgument.rawValue))
            let message = reply.properties.headers[Wire.Header.rpcStatusMessage]?.stringValue ?? ""
            #expect(message.contains(Planmonitor_Testing_V1_EchoRequest.protoMessageName), "\(message)")
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(fixture.servedCount == 0, "the expired request was executed")
        replies.cancel()
        await raw.close()
        await fixture.close()
    }
}
