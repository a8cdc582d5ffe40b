import Foundation
import PlanPersistence
import Testing

@Suite("Schema names and configuration")
struct ConfigurationTests {
    @Test("valid schema names", arguments: ["budget", "_x", "a1_b2", "pptest_0123456789abcdef", String(repeating: "a", count: 63), "security", "social"])
    func validNames(_ name: String) throws {
        let schema = try SchemaName(name)
        #expect(schema.description == name)
        #expect(schema.quoted == "\"\(name)\"")
    }

    @Test("invalid schema names", arguments: [
        "", "Budget", "1abc", "a-b", "a b", "a;drop", "a\"b", "é", String(repeating: "a", count: 64), "pg_budget", "user", "order", "select",
    ])
    func invalidNames(_ name: String) {
        #expect(throws: InvalidSchemaNameError.self) { try SchemaName(name) }
        #expect(!SchemaName.isValid(name))
    }

    @Test("fromEnvironment reads the prefixed variables with defaults")
    func fromEnvironment() throws {
        let defaults = try DatabaseConfiguration.fromEnvironment(schema: "budget", environment: ["PLANMONITOR_PG_PASSWORD": "secret"])
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 55432)
        #expect(defaults.database == "planmonitor")
        #expect(defaults.username == "budget")
        #expect(defaults.password == "secret")
        #expect(try defaults.schemaName == SchemaName("budget"))

        let custom = try DatabaseConfiguration.fromEnvironment(prefix: "X_PG", schema: "social", environment: [
            "X_PG_HOST": "db.local", "X_PG_PORT": "6543", "X_PG_DATABASE": "city", "X_PG_USER": "svc", "X_PG_PASSWORD": "pw",
        ])
        #expect(custom.host == "db.local")
        #expect(custom.port == 6543)
        #expect(custom.database == "city")
        #expect(custom.username == "svc")
        let client = custom.postgresClientConfiguration
        #expect(client.host == "db.local")
        #expect(client.port == 6543)
        #expect(client.username == "svc")
        #expect(client.password == "pw")
        #expect(client.database == "city")
        #expect(client.options.additionalStartupParameters.contains { $0.0 == "search_path" && $0.1 == "\"social\", public" })
    }

    @Test("fromEnvironment rejects a missing password, a bad port and a bad schema")
    func fromEnvironmentErrors() {
        #expect(throws: DatabaseConfigurationError.missingVariable("PLANMONITOR_PG_PASSWORD")) {
            try DatabaseConfiguration.fromEnvironment(schema: "budget", environment: [:])
        }
        #expect(throws: DatabaseConfigurationError.invalidValue(variable: "PLANMONITOR_PG_PORT", value: "70000")) {
            try DatabaseConfiguration.fromEnvironment(schema: "budget", environment: ["PLANMONITOR_PG_PASSWORD": "x", "PLANMONITOR_PG_PORT": "70000"])
        }
        #expect(throws: InvalidSchemaNameError.self) {
            try DatabaseConfiguration.fromEnvironment(schema: "Budget", environment: ["PLANMONITOR_PG_PASSWORD": "x"])
        }
    }
}
