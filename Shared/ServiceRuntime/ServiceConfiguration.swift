import AMQPClient
import Foundation
import Logging
import PlanMessaging
import PlanPersistence

/// Everything a service process needs to know to start, read from `PLANMONITOR_*` environment variables.
public struct ServiceConfiguration: Sendable {
    public var identity: ServiceIdentity
    /// Broker settings; each of the process's connections gets its own name from it.
    public var amqp: AMQPConfiguration
    public var database: DatabaseConfiguration
    public var httpHost: String
    /// 0 picks a free port (tests).
    public var httpPort: Int
    public var logLevel: Logger.Level
    /// Every `PLANMONITOR_*` variable the process was started with: the service's own settings
    /// (`PLANMONITOR_INFRA_BEHIND_MARGIN`, `PLANMONITOR_DEMO_RECEIPT_TIMES`…) are read from here, not from the process
    /// environment, so that tests can give each in-process service its own.
    public var settings: [String: String]

    public init(identity: ServiceIdentity, amqp: AMQPConfiguration, database: DatabaseConfiguration, httpHost: String = "127.0.0.1", httpPort: Int = 0, logLevel: Logger.Level = .info, settings: [String: String] = [:]) {
        self.settings = settings
        self.identity = identity
        self.amqp = amqp
        self.database = database
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.logLevel = logLevel
    }

    /// Reads the configuration of service `service`. Variables (defaults match `scripts/stack`):
    /// `PLANMONITOR_ORG_UNIT` (31), `PLANMONITOR_AMQP_HOST` (127.0.0.1), `PLANMONITOR_AMQP_PORT` (5673),
    /// `PLANMONITOR_AMQP_VHOST` (planmonitor), `PLANMONITOR_AMQP_USER` (the service name),
    /// `PLANMONITOR_AMQP_PASSWORD` (planmonitor-<user>-dev), the `PLANMONITOR_PG_*` variables of
    /// `DatabaseConfiguration.fromEnvironment` (user: the service name, password: planmonitor-<user>-dev), `PLANMONITOR_HTTP_HOST` (127.0.0.1), `PLANMONITOR_HTTP_PORT` (0),
    /// `PLANMONITOR_LOG_LEVEL` (info).
    public static func fromEnvironment(service: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceConfiguration {
        func value(_ name: String, _ fallback: String) -> String { environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback }
        func integer(_ name: String, _ fallback: Int) throws -> Int {
            let raw = value(name, String(fallback))
            guard let number = Int(raw), number >= 0, number <= 65_535 else {
                throw ConfigurationError(variable: name, value: raw, expected: "a port number from 0 to 65535")
            }
            return number
        }
        let orgUnit = value("PLANMONITOR_ORG_UNIT", "31")
        guard orgUnit.allSatisfy(\.isNumber), !orgUnit.isEmpty else {
            throw ConfigurationError(variable: "PLANMONITOR_ORG_UNIT", value: orgUnit, expected: "a GSO code such as 31 or 305")
        }
        let user = value("PLANMONITOR_AMQP_USER", service)
        let levelName = value("PLANMONITOR_LOG_LEVEL", "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ConfigurationError(variable: "PLANMONITOR_LOG_LEVEL", value: levelName, expected: "trace, debug, info, notice, warning, error or critical")
        }
        let identity = ServiceIdentity(service: service, orgUnit: orgUnit, brokerUser: user)
        var databaseEnvironment = environment
        let databaseUser = value("PLANMONITOR_PG_USER", service)
        databaseEnvironment["PLANMONITOR_PG_USER"] = databaseUser
        databaseEnvironment["PLANMONITOR_PG_PASSWORD"] = value("PLANMONITOR_PG_PASSWORD", "planmonitor-\(databaseUser)-dev")
        return ServiceConfiguration(
            identity: identity,
            amqp: AMQPConfiguration(
                host: value("PLANMONITOR_AMQP_HOST", "127.0.0.1"),
                port: try integer("PLANMONITOR_AMQP_PORT", 5673),
                virtualHost: value("PLANMONITOR_AMQP_VHOST", "planmonitor"),
                username: user,
                password: value("PLANMONITOR_AMQP_PASSWORD", "planmonitor-\(user)-dev"),
                connectionName: "\(service)-\(orgUnit)"
            ),
            database: try DatabaseConfiguration.fromEnvironment(schema: service, environment: databaseEnvironment),
            httpHost: value("PLANMONITOR_HTTP_HOST", "127.0.0.1"),
            httpPort: try integer("PLANMONITOR_HTTP_PORT", 0),
            logLevel: level,
            settings: environment.filter { $0.key.hasPrefix("PLANMONITOR_") && !$0.key.hasSuffix("_PASSWORD") }
        )
    }

    /// The broker settings for one of the process's connections.
    public func amqpConfiguration(role: String) -> AMQPConfiguration {
        var configuration = amqp
        configuration.connectionName = "\(identity.service)-\(identity.orgUnit)-\(role)"
        return configuration
    }
}

/// An environment variable with a value the service cannot use.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var variable: String
    public var value: String
    public var expected: String
    public var description: String { "\(variable)='\(value)' is not valid: expected \(expected)" }
}
