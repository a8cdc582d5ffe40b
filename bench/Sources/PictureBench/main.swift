// The aggregator's picture under load: events per second applied to the read models, and the latency of the picture
// (read the figures from PostgreSQL, judge every target, encode the JSON the endpoint returns) for a city of 15
// districts with a full year of data, and at national scale (63 provinces, 700 districts, 50 indicators, 12 months).
import BenchFixtures
import BenchSupport
import CityPicture
import DepartmentCore
import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

let options = Options()
let rounds = options.int("rounds", 30)
let nationalRounds = options.int("national-rounds", 5)
let skipNational = options.string("skip-national", "no") == "yes"
let logger = Stack.logger("picture-bench")
let schema = try SchemaName("bench_picture_\(runIdentifier())")
let store = ReadModelStore(schema: schema)
let year: Int32 = 2018

/// A directive of `count` targets cycling through the bases, with plausible values.
func directive(targets count: Int) -> Planmonitor_Directive_V1_Directive {
    var directive = Planmonitor_Directive_V1_Directive()
    directive.id = "bench-\(year)"
    directive.year = year
    directive.revision = 1
    directive.reportingCalendar = [.with { $0.kind = .monthly; $0.day = 20 }]
    directive.targets = (1...count).map { number in
        .with {
            $0.number = Int32(number)
            $0.nameVi = "Chỉ tiêu \(number)"
            switch number % 3 {
            case 0: $0.basis = .cumulativeAmount; $0.comparator = .reach; $0.value = "1200"; $0.unitCode = "billion_vnd"; $0.unitText = "tỷ đồng"
            case 1: $0.basis = .growthOverPreviousYear; $0.comparator = .atLeast; $0.value = "7"; $0.unitCode = "percent"; $0.unitText = "%"
            default: $0.basis = .level; $0.comparator = .reach; $0.value = "85"; $0.unitCode = "percent"; $0.unitText = "%"
            }
            $0.ownerService = "investment"
        }
    }
    return directive
}

/// Applies every (unit, month) event the way the aggregator does (log + apply, one transaction each).
func applyEvents(units: [String], targets: Int, client: PostgresClient) async throws -> (events: Int, figures: Int, seconds: Double) {
    let start = Sample()
    var events = 0
    for month in Int32(1)...12 {
        for unit in units {
            let body = try monthlyFigures(unit: unit, year: year, month: month, targets: targets).serializedData()
            let id = UUID()
            try await client.planTransaction(logger: logger) { connection in
                _ = try await store.log(messageID: id, messageType: Planmonitor_Department_V1_ObservationsRecorded.protoMessageName,
                                        routingKey: "investment.observations-recorded.\(unit)", publisher: "investment", receivedAt: Date(), body: body,
                                        on: connection, logger: logger)
                try await PictureEvents.apply(messageType: Planmonitor_Department_V1_ObservationsRecorded.protoMessageName, body: body,
                                              provenance: .init(messageID: id, publisher: "investment", receivedAt: Date()), store: store,
                                              on: connection, logger: logger)
            }
            events += 1
        }
    }
    let end = Sample()
    report("picture.apply-events", count: events, from: start, to: end, extra: [("figures_per_event", String(targets))])
    return (events, events * targets, end.seconds(since: start))
}

/// Times `rounds` pictures of `scope`'s own unit: read, judge, encode.
func measurePicture(_ label: String, directive: Planmonitor_Directive_V1_Directive, scope: OrgUnitScope, rounds: Int, client: PostgresClient) async throws {
    var timings: [Double] = []
    var bytes = 0
    var figures = 0
    let start = Sample()
    for _ in 0..<rounds {
        let began = ContinuousClock.now
        let observations = try await store.observations(years: [year - 1, year], orgUnitCodes: scope.codes, client: client, logger: logger)
        let picture = PictureBuilder(directive: directive, observations: observations, reports: [], now: Date(), scope: scope)
            .picture(orgUnitCode: scope.orgUnitCode, month: 12)
        bytes = try JSONEncoder().encode(picture).count
        figures = observations.count
        timings.append((ContinuousClock.now - began).milliseconds)
    }
    let end = Sample()
    timings.sort()
    report(label, count: rounds, from: start, to: end, extra: [
        ("p50_ms", format(percentile(timings, 0.5) ?? 0, 1)), ("p99_ms", format(percentile(timings, 0.99) ?? 0, 1)),
        ("figures_read", String(figures)), ("json_bytes", String(bytes)),
    ])
}

/// Loads the national data set straight into the read model, in batches (the apply path is measured on the city).
func loadNational(provinces: [(String, [String])], targets: Int, client: PostgresClient) async throws -> Int {
    var rows = 0
    var batch: (services: [String], origins: [String], agencies: [String], targets: [Int32], units: [String], periods: [String], years: [Int32], bodies: [String]) = ([], [], [], [], [], [], [], [])
    func flush() async throws {
        guard !batch.bodies.isEmpty else { return }
        let id = UUID()
        try await client.query(
            """
            INSERT INTO \(unescaped: schema.quoted).rm_observations
                (service, origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key, year, observation, message_id, received_at)
            SELECT s, o, a, t, '', '', 'x', u, p, y, decode(b, 'hex'), \(id), now()
            FROM unnest(\(batch.services)::text[], \(batch.origins)::text[], \(batch.agencies)::text[], \(batch.targets)::int4[], \(batch.units)::text[],
                        \(batch.periods)::text[], \(batch.years)::int4[], \(batch.bodies)::text[]) AS r(s, o, a, t, u, p, y, b)
            """,
            logger: logger)
        rows += batch.bodies.count
        batch = ([], [], [], [], [], [], [], [])
    }
    for (province, districts) in provinces {
        for unit in [province] + districts {
            for month in Int32(1)...12 {
                for observation in monthlyFigures(unit: unit, year: year, month: month, targets: targets).observations {
                    batch.services.append("investment")
                    batch.origins.append("reported")
                    batch.agencies.append(observation.agencyCode)
                    batch.targets.append(observation.targetNumber)
                    batch.units.append(unit)
                    batch.periods.append(PeriodText.key(observation.period))
                    batch.years.append(year)
                    batch.bodies.append(try observation.serializedData().map { String(format: "%02x", $0) }.joined())
                }
                if batch.bodies.count >= 5_000 { try await flush() }
            }
        }
    }
    try await flush()
    return rows
}

let client = PostgresClient(configuration: .init(host: Stack.pgHost, port: Stack.pgPort, username: Stack.pgAdminUser, password: Stack.pgAdminPassword, database: Stack.pgTestDatabase, tls: .disable))
let running = Task { await client.run() }
defer { running.cancel() }
do {
    try await client.query("CREATE SCHEMA \(unescaped: schema.quoted)", logger: logger)
    try await MigrationRunner(client: client, schema: schema, logger: logger).apply(ReadModelStore.migrations)

    // The city: 15 districts, 18 targets, 12 months.
    let districts = (1...15).map { String(format: "d%02d", $0) }
    let city = OrgUnitScope(orgUnitCode: "31", name: "Thành phố", below: Dictionary(uniqueKeysWithValues: districts.map { ($0, "Quận \($0)") }))
    note("city: applying \(16 * 12) events of 18 figures")
    _ = try await applyEvents(units: city.codes, targets: 18, client: client)
    note("city: \(rounds) pictures")
    try await measurePicture("picture.city-15-districts", directive: directive(targets: 18), scope: city, rounds: rounds, client: client)

    if !skipNational {
        // The nation: 63 provinces, 700 districts, 50 indicators, 12 months (~458,000 figures).
        let provinces = (1...63).map { province -> (String, [String]) in
            let count = province <= 7 ? 12 : 11
            return (String(format: "p%02d", province), (1...count).map { String(format: "p%02d-d%02d", province, $0) })
        }
        note("nation: loading \(provinces.reduce(0) { $0 + 1 + $1.1.count }) units × 50 indicators × 12 months")
        try await client.query("TRUNCATE \(unescaped: schema.quoted).rm_observations", logger: logger)
        let loaded = try await loadNational(provinces: provinces, targets: 50, client: client)
        try await client.query("ANALYZE \(unescaped: schema.quoted).rm_observations", logger: logger)
        note("nation: \(loaded) figures loaded; \(rounds) province pictures, \(nationalRounds) national pictures")
        let (province, provinceDistricts) = provinces[0]
        let provinceScope = OrgUnitScope(orgUnitCode: province, name: "Tỉnh", below: Dictionary(uniqueKeysWithValues: provinceDistricts.map { ($0, $0) }))
        try await measurePicture("picture.province-of-700-districts", directive: directive(targets: 50), scope: provinceScope, rounds: rounds, client: client)
        let nation = OrgUnitScope(orgUnitCode: "vn", name: "Cả nước", below: Dictionary(uniqueKeysWithValues: provinces.map { ($0.0, $0.0) }))
        try await measurePicture("picture.nation-63-provinces", directive: directive(targets: 50), scope: nation, rounds: nationalRounds, client: client)
    }
} catch {
    note("picture bench failed: \(String(reflecting: error))")
    _ = try? await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema.quoted) CASCADE", logger: logger)
    exit(1)
}
_ = try? await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema.quoted) CASCADE", logger: logger)
