// What the end-to-end benchmarks share beyond BenchSupport: database clients and broker connections on the local
// stack as separate services would have them, and a department's monthly figures as the aggregator receives them.
import AMQPClient
import BenchSupport
import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO

extension Stack {
    /// A client of the test database as the superuser, with `schema` first on its search path.
    public static func databaseClient(schema: SchemaName, applicationName: String) -> PostgresClient {
        var configuration = DatabaseConfiguration(
            host: pgHost, port: pgPort, database: pgTestDatabase,
            username: pgAdminUser, password: pgAdminPassword, schema: schema.rawValue
        ).postgresClientConfiguration
        configuration.options.additionalStartupParameters = [
            ("search_path", "\"\(schema.rawValue)\", public"),
            ("application_name", applicationName),
        ]
        return PostgresClient(configuration: configuration)
    }

    /// A connection to a broker node of the stack (the city's unless `port` says otherwise) as the admin user.
    public static func amqpConnection(name: String, port: Int = amqpPort, publishTimeout: Duration = .seconds(60), logger: Logger) -> AMQPConnection {
        AMQPConnection(
            configuration: AMQPConfiguration(
                host: amqpHost, port: port, virtualHost: virtualHost,
                username: adminUser, password: adminPassword, connectionName: name,
                publishTimeout: publishTimeout
            ),
            logger: logger
        )
    }
}

/// One unit's figures for one month of `year`, `targets` of them: the `ObservationsRecorded` a department publishes
/// with its monthly report (targets cycle through a cumulative amount, a growth rate and a monthly ratio).
public func monthlyFigures(unit: String, year: Int32, month: Int32, targets: Int) -> Planmonitor_Department_V1_ObservationsRecorded {
    .with {
        $0.service = "investment"
        $0.observations = (1...targets).map { number in
            .with {
                $0.targetNumber = Int32(number)
                $0.orgUnitCode = unit
                $0.origin = .reported
                $0.agencyCode = "dept-planning-investment"
                switch number % 3 {
                case 0:
                    $0.period = PeriodText.cumulative(year: year, through: month)
                    $0.value = Planmonitor_Common_V1_Quantity(value: String(100 * Int(month) + number), unit: "billion_vnd")
                case 1:
                    $0.period = PeriodText.cumulative(year: year, through: month)
                    $0.value = Planmonitor_Common_V1_Quantity(value: "7.\(number % 10)", unit: "percent")
                default:
                    $0.period = PeriodText.month(year: year, month: month)
                    $0.numerator = String(80_000 + 100 * Int(month))
                    $0.denominator = "100000"
                    $0.value = Planmonitor_Common_V1_Quantity(value: String(format: "%.1f", Double(80_000 + 100 * Int(month)) / 1000), unit: "percent")
                }
            }
        }
    }
}

/// When the relay marked the last of `ids` sent in `schema`'s outbox (after the broker's confirm), by the database's
/// clock; nil when none is sent.
public func lastSent(_ ids: [UUID], schema: SchemaName, client: PostgresClient, logger: Logger) async throws -> Date? {
    let rows = try await client.query(
        "SELECT max(sent_at) FROM \(unescaped: schema.quoted).outbox WHERE message_id = ANY(\(ids))", logger: logger
    )
    var lastSent: Date?
    for try await (value) in rows.decode(Date?.self) { lastSent = value }
    return lastSent
}
