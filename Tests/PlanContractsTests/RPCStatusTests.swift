import PlanContracts
import Testing

@Suite("RPC status codes and errors")
struct RPCStatusTests {
    @Test("descriptions are the canonical gRPC names")
    func descriptions() {
        let expected: [RPCStatusCode: String] = [
            .ok: "OK", .cancelled: "CANCELLED", .unknown: "UNKNOWN", .invalidArgument: "INVALID_ARGUMENT",
            .deadlineExceeded: "DEADLINE_EXCEEDED", .notFound: "NOT_FOUND", .alreadyExists: "ALREADY_EXISTS",
            .permissionDenied: "PERMISSION_DENIED", .resourceExhausted: "RESOURCE_EXHAUSTED",
            .failedPrecondition: "FAILED_PRECONDITION", .aborted: "ABORTED", .outOfRange: "OUT_OF_RANGE",
            .unimplemented: "UNIMPLEMENTED", .internal: "INTERNAL", .unavailable: "UNAVAILABLE",
            .dataLoss: "DATA_LOSS", .unauthenticated: "UNAUTHENTICATED",
        ]
        #expect(expected.count == RPCStatusCode.allCases.count)
        for code in RPCStatusCode.allCases {
            #expect(code.description == expected[code])
            #expect("\(code)" == expected[code])
        }
    }

    @Test("raw values are the gRPC numbers 0…16")
    func rawValues() {
        #expect(RPCStatusCode.allCases.map(\.rawValue) == Array(0...16))
        #expect(RPCStatusCode.invalidArgument.rawValue == 3)
        #expect(RPCStatusCode.internal.rawValue == 13)
        #expect(RPCStatusCode.unauthenticated.rawValue == 16)
    }

    @Test("codes read from names and wire numbers; unknown numbers are UNKNOWN")
    func parsing() {
        for code in RPCStatusCode.allCases {
            #expect(RPCStatusCode(name: code.description) == code)
            #expect(RPCStatusCode(wireValue: code.rawValue) == code)
        }
        #expect(RPCStatusCode(name: "invalid_argument") == nil)
        #expect(RPCStatusCode(wireValue: 17) == .unknown)
        #expect(RPCStatusCode(wireValue: -1) == .unknown)
    }

    @Test("RPCError describes itself with code, message and violations")
    func errorDescription() {
        #expect(RPCError(.notFound, "no directive for 2019").description == "NOT_FOUND: no directive for 2019")
        let error = RPCError(
            .invalidArgument,
            "bad observation",
            fieldViolations: [
                .init(field: "value.value", reason: "not a decimal string: \"3,96\""),
                .init(field: "org_unit_code", reason: "unknown"),
            ]
        )
        #expect(
            error.description
                == "INVALID_ARGUMENT: bad observation (value.value: not a decimal string: \"3,96\"; org_unit_code: unknown)"
        )
    }

    @Test("RPCError ↔ RpcStatus round trip, also through bytes")
    func statusRoundTrip() throws {
        let error = RPCError(
            .failedPrecondition,
            "chỉ thị chưa được nhập",
            fieldViolations: [.init(field: "year", reason: "no directive imported")]
        )
        let status = error.status
        #expect(status.code == 9)
        #expect(status.details.count == 1)
        let bytes: [UInt8] = try status.serializedBytes()
        #expect(RPCError(status: try Planmonitor_Rpc_V1_RpcStatus(serializedBytes: bytes)) == error)

        var odd = Planmonitor_Rpc_V1_RpcStatus()
        odd.code = 42
        odd.message = "from the future"
        #expect(RPCError(status: odd) == RPCError(.unknown, "from the future"))
    }
}
