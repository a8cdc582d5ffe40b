import Foundation
import PostgresNIO

/// Connection settings for a service's database and schema.
///
/// A service connects as its own role to the shared database and keeps its tables in its own schema. Connections
/// made from ``postgresClientConfiguration`` have `search_path` set to the schema (then `public`), so the
/// service's own queries may leave table names unqualified; PlanPersistence itself always qualifies them.
public struct DatabaseConfiguration: Sendable {
    /// The server's host name or address, e.g. `127.0.0.1`.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The database name.
    public var database: String
    /// The role to log in as.
    public var username: String
    /// The role's password.
    public var password: String
    /// The service's schema; see ``schemaName``.
    public var schema: String

    /// Creates a configuration from explicit values.
    public init(host: String, port: Int, database: String, username: String, password: String, schema: String) {
        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.schema = schema
    }

    /// Reads a configuration from environment variables named after `prefix`:
    ///
    /// | variable | default |
    /// | --- | --- |
    /// | `<prefix>_HOST` | `127.0.0.1` |
    /// | `<prefix>_PORT` | `55432` |
    /// | `<prefix>_DATABASE` | `planmonitor` |
    /// | `<prefix>_USER` | the schema name |
    /// | `<prefix>_PASSWORD` | none: required |
    ///
    /// - Parameters:
    ///   - prefix: The variables' common prefix.
    ///   - schema: The service's schema; validated as a ``SchemaName``.
    ///   - environment: Where to read the variables; the process environment by default.
    /// - Throws: ``DatabaseConfigurationError`` for a missing password or a malformed port, and
    ///   ``InvalidSchemaNameError`` for a bad schema name.
    public static func fromEnvironment(
        prefix: String = "PLANMONITOR_PG",
        schema: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DatabaseConfiguration {
        _ = try SchemaName(schema)
        func value(_ name: String) -> String? {
            guard let value = environment["\(prefix)_\(name)"], !value.isEmpty else { return nil }
            return value
        }
        let portText = value("PORT") ?? "55432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw DatabaseConfigurationError.invalidValue(variable: "\(prefix)_PORT", value: portText)
        }
        guard let password = value("PASSWORD") else {
            throw DatabaseConfigurationError.missingVariable("\(prefix)_PASSWORD")
        }
        return DatabaseConfiguration(
            host: value("HOST") ?? "127.0.0.1",
            port: port,
            database: value("DATABASE") ?? "planmonitor",
            username: value("USER") ?? schema,
            password: password,
            schema: schema
        )
    }

    /// The validated schema name.
    /// - Throws: ``InvalidSchemaNameError`` when ``schema`` is not a safe identifier.
    public var schemaName: SchemaName {
        get throws { try SchemaName(schema) }
    }

    /// A `PostgresClient` configuration for these settings: no TLS (the database is reached on loopback),
    /// `search_path` set to the schema then `public`, and `application_name` `planmonitor-<schema>`.
    public var postgresClientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: .disable
        )
        configuration.options.additionalStartupParameters = [
            ("search_path", "\"\(schema)\", public"),
            ("application_name", "planmonitor-\(schema)"),
        ]
        return configuration
    }
}

/// Thrown by ``DatabaseConfiguration/fromEnvironment(prefix:schema:environment:)``.
public enum DatabaseConfigurationError: Error, Equatable, CustomStringConvertible {
    /// A required variable is not set (or empty).
    case missingVariable(String)
    /// A variable's value cannot be used.
    case invalidValue(variable: String, value: String)

    public var description: String {
        switch self {
        case .missingVariable(let name): "environment variable \(name) is not set"
        case .invalidValue(let name, let value): "environment variable \(name) has an invalid value \"\(value)\""
        }
    }
}
