import CityPicture
import DepartmentCore
import Foundation
import PlanContracts
import PlanPersistence
import PostgresNIO
import Testing

/// The aggregator's figures table against the real PostgreSQL, in a schema of its own.
@Suite("Read models: applying ObservationsRecorded")
struct ReadModelStoreTests {
    static func figure(_ target: Int32, _ org: String, month: Int32, _ value: String) -> Planmonitor_Common_V1_Observation {
        .with {
            $0.targetNumber = target
            $0.orgUnitCode = org
            $0.period = PeriodText.month(year: 2018, month: month)
            $0.value = Planmonitor_Common_V1_Quantity(value: value, unit: "percent")
            $0.origin = .reported
            $0.agencyCode = "dept-health"
        }
    }

    static func event(_ observations: [Planmonitor_Common_V1_Observation], withdrawn: [Planmonitor_Common_V1_Observation] = []) -> Planmonitor_Department_V1_ObservationsRecorded {
        .with {
            $0.service = "social"
            $0.observations = observations
            $0.withdrawn = withdrawn
        }
    }

    @Test("a key given twice in one event keeps its last figure; withdrawn figures go; an older event changes nothing newer")
    func applyInOneStatement() async throws {
        try await ServiceStack.withAdminDatabase { client in
            let schema = try SchemaName("rmtest_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))")
            try await client.query("CREATE SCHEMA \(unescaped: schema.quoted)", logger: ServiceStack.logger)
            do {
                _ = try await MigrationRunner(client: client, schema: schema, logger: ServiceStack.logger).apply(ReadModelStore.migrations)
                let store = ReadModelStore(schema: schema)
                func apply(_ event: Planmonitor_Department_V1_ObservationsRecorded, at seconds: TimeInterval) async throws {
                    let provenance = ReadModelStore.Provenance(messageID: UUID(), publisher: "social", receivedAt: Date(timeIntervalSince1970: 1_530_000_000 + seconds))
                    try await client.withTransaction(logger: ServiceStack.logger) { connection in
                        try await store.apply(event, provenance: provenance, on: connection, logger: ServiceStack.logger)
                    }
                }
                func stored() async throws -> [String] {
                    try await store.observations(years: [2018], client: client, logger: ServiceStack.logger)
                        .map { "\($0.observation.targetNumber) \($0.observation.orgUnitCode) \(PeriodText.key($0.observation.period)) = \($0.observation.value.value)" }
                }

                try await apply(Self.event([Self.figure(14, "305", month: 6, "95"), Self.figure(14, "315", month: 6, "60"), Self.figure(14, "305", month: 6, "96")]), at: 100)
                #expect(try await stored() == ["14 305 month:2018-06 = 96", "14 315 month:2018-06 = 60"])

                try await apply(Self.event([Self.figure(14, "305", month: 7, "97")], withdrawn: [Self.figure(14, "315", month: 6, "")]), at: 200)
                #expect(try await stored() == ["14 305 month:2018-06 = 96", "14 305 month:2018-07 = 97"])

                // An event received before those (a redelivery after a restart) neither overwrites nor withdraws them.
                try await apply(Self.event([Self.figure(14, "305", month: 6, "90")], withdrawn: [Self.figure(14, "305", month: 7, "")]), at: 50)
                #expect(try await stored() == ["14 305 month:2018-06 = 96", "14 305 month:2018-07 = 97"])

                try await apply(Self.event([], withdrawn: [Self.figure(14, "305", month: 6, ""), Self.figure(14, "305", month: 7, "")]), at: 300)
                #expect(try await stored() == [])
            } catch {
                _ = try? await client.query("DROP SCHEMA \(unescaped: schema.quoted) CASCADE", logger: ServiceStack.logger)
                throw error
            }
            try await client.query("DROP SCHEMA \(unescaped: schema.quoted) CASCADE", logger: ServiceStack.logger)
        }
    }
}
