import Foundation
import Logging
import PlanContracts
import PlanPersistence
import PostgresNIO
import SwiftProtobuf

/// The current figure of each observation key in a department's `observations` table.
///
/// The key is (origin, agency, target, sub-target, indicator, unit, unit of government, period): a newer figure with
/// the same key replaces the older one and bumps its version; an identical figure changes nothing.
public struct ObservationStore: Sendable {
    /// The department's schema.
    public let schema: SchemaName

    /// The store of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// Stores `observations` in the caller's transaction and returns those that are new or differ from the stored
    /// figure (value, numerator, denominator, estimate flag or source), with fresh ids.
    ///
    /// The stored figures of the years concerned are read in one query (and locked), so a derivation that
    /// recomputes a whole year costs one read and one write per changed figure.
    public func record(_ observations: [Planmonitor_Common_V1_Observation], on connection: PostgresConnection, logger: Logger) async throws -> [Planmonitor_Common_V1_Observation] {
        guard !observations.isEmpty else { return [] }
        let years = Array(Set(observations.map { PeriodText.year($0.period) })).sorted()
        let rows = try await connection.query(
            """
            SELECT version, observation FROM \(unescaped: schema.quoted).observations
            WHERE year = ANY(\(years)) ORDER BY origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key
            FOR UPDATE
            """,
            logger: logger
        )
        var stored: [ObservationKey: (version: Int32, observation: Planmonitor_Common_V1_Observation)] = [:]
        for try await (version, bytes) in rows.decode((Int32, Data).self) {
            let observation = try Planmonitor_Common_V1_Observation(serializedBytes: bytes)
            stored[ObservationKey(observation)] = (version, observation)
        }
        var changed: [Planmonitor_Common_V1_Observation] = []
        for var observation in observations {
            let key = ObservationKey(observation)
            let previous = stored[key]
            if let previous, Self.sameFigure(previous.observation, observation) { continue }
            if observation.id.isEmpty { observation.id = UUID().uuidString.lowercased() }
            let version = (previous?.version ?? 0) + 1
            try await connection.query(
                """
                INSERT INTO \(unescaped: schema.quoted).observations
                    (origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key, year,
                     version, value, observation, updated_at)
                VALUES (\(key.origin), \(key.agencyCode), \(key.targetNumber), \(key.subTargetCode), \(key.indicator), \(key.unit),
                        \(key.orgUnitCode), \(key.periodKey), \(key.year), \(version), \(observation.value.value), \(try observation.serializedData()), now())
                ON CONFLICT (origin, agency_code, target_number, sub_target_code, indicator, unit, org_unit_code, period_key)
                DO UPDATE SET version = EXCLUDED.version, value = EXCLUDED.value, observation = EXCLUDED.observation,
                              updated_at = EXCLUDED.updated_at, year = EXCLUDED.year
                """,
                logger: logger
            )
            stored[key] = (version, observation)
            changed.append(observation)
        }
        return changed
    }

    /// Deletes the figures of `origins` for `year` whose keys are not in `keeping` (figures the records no longer
    /// determine), in the caller's transaction; returns them.
    public func withdraw(
        origins: [Planmonitor_Common_V1_ObservationOrigin], year: Int32, keeping: Set<ObservationKey>,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [Planmonitor_Common_V1_Observation] {
        let codes = origins.map(ObservationKey.originCode)
        let rows = try await connection.query(
            "SELECT observation FROM \(unescaped: schema.quoted).observations WHERE year = \(year) AND origin = ANY(\(codes)) FOR UPDATE",
            logger: logger
        )
        var withdrawn: [Planmonitor_Common_V1_Observation] = []
        for try await bytes in rows.decode(Data.self) {
            let observation = try Planmonitor_Common_V1_Observation(serializedBytes: bytes)
            if !keeping.contains(ObservationKey(observation)) { withdrawn.append(observation) }
        }
        try await remove(withdrawn, on: connection, logger: logger)
        return withdrawn
    }

    /// Deletes the stored figures with the keys of `observations`, in the caller's transaction.
    public func remove(_ observations: [Planmonitor_Common_V1_Observation], on connection: PostgresConnection, logger: Logger) async throws {
        for observation in observations {
            let key = ObservationKey(observation)
            try await connection.query(
                """
                DELETE FROM \(unescaped: schema.quoted).observations
                WHERE origin = \(key.origin) AND agency_code = \(key.agencyCode) AND target_number = \(key.targetNumber)
                  AND sub_target_code = \(key.subTargetCode) AND indicator = \(key.indicator) AND unit = \(key.unit)
                  AND org_unit_code = \(key.orgUnitCode) AND period_key = \(key.periodKey)
                """,
                logger: logger
            )
        }
    }

    /// The current figures of a year, optionally of one target and unit.
    public func list(year: Int32, targetNumber: Int32?, orgUnitCode: String?, client: PostgresClient, logger: Logger) async throws -> [Planmonitor_Common_V1_Observation] {
        let rows = try await client.query(
            """
            SELECT observation FROM \(unescaped: schema.quoted).observations
            WHERE year = \(year) AND (\(targetNumber)::int4 IS NULL OR target_number = \(targetNumber))
              AND (\(orgUnitCode)::text IS NULL OR org_unit_code = \(orgUnitCode))
            ORDER BY target_number, sub_target_code, org_unit_code, period_key, indicator, origin, agency_code
            """,
            logger: logger
        )
        var observations: [Planmonitor_Common_V1_Observation] = []
        for try await bytes in rows.decode(Data.self) {
            observations.append(try Planmonitor_Common_V1_Observation(serializedBytes: bytes))
        }
        return observations
    }

    /// True when the two carry the same figure (ids, times and derivation wording aside).
    static func sameFigure(_ lhs: Planmonitor_Common_V1_Observation, _ rhs: Planmonitor_Common_V1_Observation) -> Bool {
        lhs.value == rhs.value && lhs.numerator == rhs.numerator && lhs.denominator == rhs.denominator
            && lhs.estimate == rhs.estimate && lhs.source == rhs.source && lhs.period == rhs.period
    }
}

/// The identity of an observation in the `observations` table.
public struct ObservationKey: Sendable, Hashable {
    /// "reported", "derived" or "published".
    public var origin: String
    /// The agency's code.
    public var agencyCode: String
    /// Target number (0 = none).
    public var targetNumber: Int32
    /// Sub-target code or "".
    public var subTargetCode: String
    /// Indicator name or "".
    public var indicator: String
    /// Unit code.
    public var unit: String
    /// GSO code.
    public var orgUnitCode: String
    /// The period as text (``PeriodText/key(_:)``).
    public var periodKey: String
    /// The period's year.
    public var year: Int32

    /// The key of `observation`.
    public init(_ observation: Planmonitor_Common_V1_Observation) {
        origin = Self.originCode(observation.origin)
        agencyCode = observation.agencyCode
        targetNumber = observation.targetNumber
        subTargetCode = observation.subTargetCode
        indicator = observation.indicator
        unit = observation.value.unit
        orgUnitCode = observation.orgUnitCode
        periodKey = PeriodText.key(observation.period)
        year = PeriodText.year(observation.period)
    }

    /// The column value of an origin.
    public static func originCode(_ origin: Planmonitor_Common_V1_ObservationOrigin) -> String {
        switch origin {
        case .reported: "reported"
        case .derived: "derived"
        case .published: "published"
        case .unspecified, .UNRECOGNIZED: "unspecified"
        }
    }
}

/// Periods as text, and their years and last months.
public enum PeriodText {
    /// A stable text key: "month:2018-04", "cumulative:2018-01..06", "cumulative:2018-01-01..2018-03-26",
    /// "half-year:2018-H1", "quarter:2018-Q2", "year:2018", "day:2018-06-30".
    public static func key(_ period: Planmonitor_Common_V1_Period) -> String {
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let exact = period.hasDateFrom && period.hasDateTo ? ":\(LocalDay.iso(period.dateFrom))..\(LocalDay.iso(period.dateTo))" : ""
        switch period.kind {
        case .month(let month): return "month:\(month.year)-\(two(month.month))\(exact)"
        case .quarter(let quarter): return "quarter:\(quarter.year)-Q\(quarter.quarter)\(exact)"
        case .year(let year): return "year:\(year.year)\(exact)"
        case .cumulative(let cumulative): return "cumulative:\(cumulative.year)-01..\(two(cumulative.throughMonth))\(exact)"
        case .halfYear(let half): return "half-year:\(half.year)-H\(half.half)\(exact)"
        case .day(let day): return "day:\(LocalDay.iso(day.date))"
        case nil: return "unspecified"
        }
    }

    /// The period's year (0 when unset).
    public static func year(_ period: Planmonitor_Common_V1_Period) -> Int32 {
        switch period.kind {
        case .month(let month): month.year
        case .quarter(let quarter): quarter.year
        case .year(let year): year.year
        case .cumulative(let cumulative): cumulative.year
        case .halfYear(let half): half.year
        case .day(let day): day.date.year
        case nil: 0
        }
    }

    /// The last month the period covers (12 for a year, 6 for H1, the day's month for a day), 0 when unset.
    public static func lastMonth(_ period: Planmonitor_Common_V1_Period) -> Int32 {
        if period.hasDateTo { return period.dateTo.month }
        switch period.kind {
        case .month(let month): return month.month
        case .quarter(let quarter): return quarter.quarter * 3
        case .year: return 12
        case .cumulative(let cumulative): return cumulative.throughMonth
        case .halfYear(let half): return half.half * 6
        case .day(let day): return day.date.month
        case nil: return 0
        }
    }

    /// January through `month` of `year`.
    public static func cumulative(year: Int32, through month: Int32) -> Planmonitor_Common_V1_Period {
        var period = Planmonitor_Common_V1_Period()
        period.cumulative = .with { $0.year = year; $0.throughMonth = month }
        return period
    }

    /// One month.
    public static func month(year: Int32, month: Int32) -> Planmonitor_Common_V1_Period {
        var period = Planmonitor_Common_V1_Period()
        period.month = .with { $0.year = year; $0.month = month }
        return period
    }
}
