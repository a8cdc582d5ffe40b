/// An RPC failure with its status code and a message for humans.
///
/// Handlers throw it to fail a call with a specific code; transports rethrow it on the
/// client side. On the wire it is a `Planmonitor_Rpc_V1_RpcStatus` (see `init(status:)`
/// and `status`).
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status code; never `.ok` in practice.
    public var code: RPCStatusCode
    /// What went wrong, for humans; not for programs to parse.
    public var message: String
    /// Which request fields were wrong, for `.invalidArgument` / `.failedPrecondition`.
    public var fieldViolations: [FieldViolation]

    /// Makes an error: `RPCError(.notFound, "no directive for 2019")`.
    public init(_ code: RPCStatusCode, _ message: String, fieldViolations: [FieldViolation] = []) {
        self.code = code
        self.message = message
        self.fieldViolations = fieldViolations
    }

    /// One invalid field of a request.
    public struct FieldViolation: Sendable, Equatable {
        /// Path of the field in the request: "observation.value.value".
        public var field: String
        /// Why it is invalid: "not a decimal string: \"3,96\"".
        public var reason: String

        /// Makes a field violation.
        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// "INVALID_ARGUMENT: request is not valid (value: not a decimal string)".
    public var description: String {
        var text = "\(code): \(message)"
        if !fieldViolations.isEmpty {
            text += " (" + fieldViolations.map { "\($0.field): \($0.reason)" }.joined(separator: "; ") + ")"
        }
        return text
    }
}

extension RPCError {
    /// The error read from a status on the wire; unknown code numbers become `.unknown`.
    public init(status: Planmonitor_Rpc_V1_RpcStatus) {
        self.init(
            RPCStatusCode(wireValue: status.code),
            status.message,
            fieldViolations: status.details.map { FieldViolation(field: $0.field, reason: $0.reason) }
        )
    }

    /// The error as a status message for the wire.
    public var status: Planmonitor_Rpc_V1_RpcStatus {
        var status = Planmonitor_Rpc_V1_RpcStatus()
        status.code = code.rawValue
        status.message = message
        status.details = fieldViolations.map { violation in
            var detail = Planmonitor_Rpc_V1_FieldViolation()
            detail.field = violation.field
            detail.reason = violation.reason
            return detail
        }
        return status
    }
}
