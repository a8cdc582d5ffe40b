import SwiftProtobuf

/// A unary RPC method: its wire path and message types.
///
/// Generated for every `rpc` of every `service` in `Proto/` (see `scripts/generate-protos`),
/// e.g. `Planmonitor_Testing_V1_EchoService.Method.Echo`; nobody writes a method path by hand.
public protocol RPCMethod: Sendable {
    /// The request message.
    associatedtype Request: SwiftProtobuf.Message & Sendable
    /// The response message.
    associatedtype Response: SwiftProtobuf.Message & Sendable
    /// "/planmonitor.testing.v1.EchoService/Echo"
    static var path: String { get }
}

extension RPCMethod {
    /// The fully-qualified service name: "planmonitor.testing.v1.EchoService".
    public static var serviceName: String {
        let parts = RPCPath.split(path)
        return parts?.service ?? ""
    }

    /// The method's proto name: "Echo".
    public static var methodName: String {
        let parts = RPCPath.split(path)
        return parts?.method ?? ""
    }

    /// Fully-qualified proto name of the request message: "planmonitor.testing.v1.EchoRequest".
    public static var requestTypeName: String { Request.protoMessageName }

    /// Fully-qualified proto name of the response message: "planmonitor.testing.v1.EchoResponse".
    public static var responseTypeName: String { Response.protoMessageName }
}

/// A generated RPC service: its proto name and its methods.
///
/// Every generated service enum conforms (e.g. `Planmonitor_Health_V1_HealthService`);
/// `PlanRPCServices.all` lists them.
public protocol RPCService: Sendable {
    /// Fully-qualified proto name: "planmonitor.health.v1.HealthService".
    static var serviceName: String { get }
    /// Every method of the service, in proto order.
    static var methods: [any RPCMethod.Type] { get }
}

/// Helpers for method paths of the form "/<package>.<Service>/<Method>".
public enum RPCPath {
    /// The path of `method` in `service`: `make(service: "planmonitor.testing.v1.EchoService", method: "Echo")`
    /// is "/planmonitor.testing.v1.EchoService/Echo".
    public static func make(service: String, method: String) -> String {
        "/\(service)/\(method)"
    }

    /// Splits "/<service>/<method>" into its parts; `nil` if `path` does not have that form.
    public static func split(_ path: String) -> (service: String, method: String)? {
        guard path.hasPrefix("/") else { return nil }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
