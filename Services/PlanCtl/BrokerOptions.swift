import AMQPClient
import ArgumentParser
import Foundation
import Logging
import PlanContracts
import PlanMessaging

/// Where the services are: the org unit whose instances are called, and the broker, from `PLANMONITOR_AMQP_*`.
struct BrokerOptions: ParsableArguments {
    @Option(help: "GSO code of the org unit whose service instances to call (31: Hải Phòng, 305: Lê Chân…); PLANMONITOR_ORG_UNIT by default.")
    var orgUnit = ProcessInfo.processInfo.environment["PLANMONITOR_ORG_UNIT"].flatMap { $0.isEmpty ? nil : $0 } ?? "31"

    /// Opens a broker connection as `planctl` (or PLANMONITOR_AMQP_USER), runs `body` with an RPC client and closes
    /// the connection. An unreachable broker is a ``CommandFailure``.
    func withRPC<Value>(_ body: (RPCClient) async throws -> Value) async throws -> Value {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String, _ fallback: String) -> String {
            environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        }
        let user = value("PLANMONITOR_AMQP_USER", "planctl")
        let portText = value("PLANMONITOR_AMQP_PORT", "5673")
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw CommandFailure(message: "PLANMONITOR_AMQP_PORT='\(portText)' is not a port number")
        }
        let configuration = AMQPConfiguration(
            host: value("PLANMONITOR_AMQP_HOST", "127.0.0.1"), port: port,
            virtualHost: value("PLANMONITOR_AMQP_VHOST", "planmonitor"),
            username: user, password: value("PLANMONITOR_AMQP_PASSWORD", "planmonitor-\(user)-dev"),
            connectionName: "planctl-\(ProcessInfo.processInfo.processIdentifier)",
            reconnectBackoff: (initial: .milliseconds(200), maximum: .seconds(1))
        )
        var logger = Logger(label: "planmonitor.planctl", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = Logger.Level(rawValue: value("PLANMONITOR_LOG_LEVEL", "error")) ?? .error
        let connection = AMQPConnection(configuration: configuration, logger: logger)
        do {
            try await connection.waitUntilConnected(timeout: .seconds(5))
        } catch {
            await connection.close()
            throw CommandFailure(message: "không kết nối được RabbitMQ amqp://\(user)@\(configuration.host):\(port)/\(configuration.virtualHost): \(error)")
        }
        let rpc = RPCClient(connection: connection, identity: ServiceIdentity(service: "planctl", orgUnit: orgUnit, brokerUser: user), logger: logger)
        do {
            let result = try await body(rpc)
            rpc.shutdown()
            await connection.close()
            return result
        } catch {
            rpc.shutdown()
            await connection.close()
            throw error
        }
    }

    /// The instance of `service` that serves the org unit.
    func target(_ service: String) -> RPCTarget {
        RPCTarget(service: service, orgUnit: orgUnit)
    }

    /// The record RPCs of `service`'s instance for the org unit, through `rpc`.
    func records(of service: RecordService, on rpc: RPCClient) -> any DepartmentRecordsClient {
        service.clientType.init(transport: rpc.transport(to: target(service.rawValue)))
    }
}

/// A duration in seconds given on the command line.
struct Seconds: ExpressibleByArgument {
    var duration: Duration

    init?(argument: String) {
        guard let seconds = Double(argument), seconds > 0, seconds <= 600 else { return nil }
        duration = .milliseconds(Int64(seconds * 1000))
    }

    init(_ seconds: Int) {
        duration = .seconds(seconds)
    }

    var defaultValueDescription: String { "\(duration.components.seconds)" }
}
