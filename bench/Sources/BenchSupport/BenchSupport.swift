import Foundation
import Logging
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

// MARK: - Options

/// `--name value` command-line options, with typed defaults; `--help` prints what was asked for.
public struct Options: Sendable {
    private var values: [String: String] = [:]

    public init(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--") else {
                Self.fail("unexpected argument '\(argument)'")
            }
            let name = String(argument.dropFirst(2))
            if let equals = name.firstIndex(of: "=") {
                values[String(name[..<equals])] = String(name[name.index(after: equals)...])
                index += 1
            } else if index + 1 < arguments.count {
                values[name] = arguments[index + 1]
                index += 2
            } else {
                Self.fail("option --\(name) needs a value")
            }
        }
    }

    public func string(_ name: String, _ fallback: String) -> String { values[name] ?? fallback }

    public func int(_ name: String, _ fallback: Int) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else { Self.fail("--\(name) expects a whole number, got '\(text)'") }
        return value
    }

    public func double(_ name: String, _ fallback: Double) -> Double {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text) else { Self.fail("--\(name) expects a number, got '\(text)'") }
        return value
    }

    /// A comma-separated list; an empty value gives an empty list.
    public func list(_ name: String, _ fallback: [String]) -> [String] {
        guard let text = values[name] else { return fallback }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        exit(2)
    }
}

// MARK: - The local stack

/// The local stack's settings: the `PLANMONITOR_*` variables of `.stack/env`, with `scripts/stack`'s defaults.
public enum Stack {
    static let environment = ProcessInfo.processInfo.environment

    static func value(_ name: String, _ fallback: String) -> String {
        guard let value = environment[name], !value.isEmpty else { return fallback }
        return value
    }

    public static let amqpHost = value("PLANMONITOR_AMQP_HOST", "127.0.0.1")
    public static let amqpPort = Int(value("PLANMONITOR_AMQP_PORT", "5673")) ?? 5673
    public static let virtualHost = value("PLANMONITOR_AMQP_VHOST", "planmonitor")
    public static let adminUser = value("PLANMONITOR_AMQP_ADMIN_USER", "planmonitor-admin")
    public static let adminPassword = value("PLANMONITOR_AMQP_ADMIN_PASSWORD", "planmonitor-admin-dev")
    public static let managementURL = value("PLANMONITOR_AMQP_MANAGEMENT_URL", "http://127.0.0.1:15673")
    public static let pgHost = value("PLANMONITOR_PG_HOST", "127.0.0.1")
    public static let pgPort = Int(value("PLANMONITOR_PG_PORT", "55432")) ?? 55432
    public static let pgAdminUser = value("PLANMONITOR_PG_ADMIN_USER", "postgres")
    public static let pgAdminPassword = value("PLANMONITOR_PG_ADMIN_PASSWORD", "planmonitor-postgres-dev")
    public static let pgTestDatabase = value("PLANMONITOR_PG_TEST_DATABASE", "planmonitor_test")

    /// A logger that prints warnings and worse (`BENCH_LOG_LEVEL` overrides).
    public static func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: value("BENCH_LOG_LEVEL", "warning")) ?? .warning
        return logger
    }

    /// One request to a node's management API (`base`: its URL, the city's by default) as the admin user.
    public static func management(_ method: String, _ path: String, base: String = managementURL) async throws -> (status: Int, body: Data) {
        guard let url = URL(string: base + path) else { throw BenchFailure("bad management URL \(base)\(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        let credentials = Data("\(adminUser):\(adminPassword)".utf8).base64EncodedString()
        request.setValue("Basic \(credentials)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 10
        let (body, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, body)
    }

    /// `name` percent-encoded for a management API path (vhost, queue and exchange names).
    public static func pathComponent(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
    }

    /// Deletes a queue through the management API (AMQPClient has no queue.delete); best effort.
    public static func deleteQueue(_ name: String, base: String = managementURL) async {
        do {
            let (status, _) = try await management("DELETE", "/api/queues/\(pathComponent(virtualHost))/\(pathComponent(name))", base: base)
            if status >= 300, status != 404 {
                FileHandle.standardError.write(Data("warning: deleting queue \(name) answered HTTP \(status)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("warning: could not delete queue \(name): \(error)\n".utf8))
        }
    }
}

// MARK: - Measuring

/// A point in time with the CPU used so far: by this process, by the broker (when its pid is known) and by the
/// whole machine.
public struct Sample: Sendable {
    public let instant: ContinuousClock.Instant
    let processCPU: Double
    let brokerCPU: Double
    let systemBusy: UInt64
    let systemTotal: UInt64

    /// The pids of the broker nodes whose CPU is counted, from `--broker-pid` or `BENCH_BROKER_PID` (comma-separated;
    /// empty: unknown).
    nonisolated(unsafe) public static var brokerPIDs: [Int32] = pids(ProcessInfo.processInfo.environment["BENCH_BROKER_PID"] ?? "")

    /// Takes the broker pids from `--broker-pid` when given.
    public static func brokerPIDs(from options: Options) {
        let given = pids(options.string("broker-pid", ""))
        if !given.isEmpty { brokerPIDs = given }
    }

    static func pids(_ text: String) -> [Int32] {
        text.split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
    }

    public init() {
        instant = ContinuousClock.now
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        processCPU = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        brokerCPU = Self.brokerPIDs.reduce(0) { $0 + Self.cpuSeconds(of: $1) }
        (systemBusy, systemTotal) = Self.systemJiffies()
    }

    static func cpuSeconds(of pid: Int32) -> Double {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // After ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return 0 }
        return (utime + stime) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func systemJiffies() -> (busy: UInt64, total: UInt64) {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first else { return (0, 0) }
        let values = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }
        guard values.count == 8 else { return (0, 0) }
        let total = values.reduce(0, +)
        return (total - values[3] - values[4], total)
    }

    public func seconds(since start: Sample) -> Double { (instant - start.instant).seconds }
}

extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    public var milliseconds: Double { seconds * 1000 }
}

/// Prints one result line, `RESULT label=… count=… seconds=… rate=… cpu_us=… broker_cpu=… sys_busy=… [extra…]`,
/// the format `bench/c/bare_amqp.c` prints too; `bench/run` collects them. `broker_cpu` is the CPU of every broker
/// node in `Sample.brokerPIDs` together, in % of one core.
public func report(_ label: String, count: Int, from start: Sample, to end: Sample, seconds: Double? = nil, extra: [(String, String)] = []) {
    let seconds = seconds ?? end.seconds(since: start)
    let busy = end.systemTotal > start.systemTotal
        ? 100 * Double(end.systemBusy - start.systemBusy) / Double(end.systemTotal - start.systemTotal) : 0
    let broker = Sample.brokerPIDs.isEmpty ? -1 : 100 * (end.brokerCPU - start.brokerCPU) / seconds
    var line = "RESULT label=\(label) count=\(count) seconds=\(format(seconds, 3)) rate=\(format(Double(count) / seconds, 0))"
    line += " cpu_us=\(format(1e6 * (end.processCPU - start.processCPU) / Double(count), 2))"
    line += " broker_cpu=\(format(broker, 0)) sys_busy=\(format(busy, 0))"
    for (key, value) in extra { line += " \(key)=\(value)" }
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

public func format(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

/// The `fraction` percentile (0…1) of `values` by the nearest-rank method; nil when empty.
public func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((fraction * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

/// `p50_ms`, `p90_ms`, `p99_ms` and `max_ms` of sorted latencies in milliseconds, as extra fields of a result line.
public func latencyFields(_ sorted: [Double], suffix: String = "") -> [(String, String)] {
    func ms(_ fraction: Double) -> String { format(percentile(sorted, fraction) ?? .nan, 1) }
    return [("p50_ms\(suffix)", ms(0.5)), ("p90_ms\(suffix)", ms(0.9)), ("p99_ms\(suffix)", ms(0.99)), ("max_ms\(suffix)", format(sorted.last ?? .nan, 1))]
}

/// A short random identifier for this run's queue and schema names (lowercase letters and digits).
public func runIdentifier() -> String {
    if let given = ProcessInfo.processInfo.environment["BENCH_RUN_ID"], !given.isEmpty { return given }
    return String(UUID().uuidString.lowercased().filter { $0 != "-" }.prefix(8))
}

/// Prints a progress note to standard error (the runner shows it; it does not parse it).
public func note(_ message: String) {
    FileHandle.standardError.write(Data("  · \(message)\n".utf8))
}

/// A benchmark that cannot go on (or whose check failed).
public struct BenchFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Hands out consecutive numbers to concurrent tasks.
public final class Ticket: Sendable {
    private let next = Atomic<Int>(0)
    public init() {}
    public func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}

// MARK: - Commit to commit

/// Producer and consumer commit instants by message id, from one clock: the latency of every event end to end.
public final class LatencyTracker: Sendable {
    private struct State {
        var produced: [UUID: ContinuousClock.Instant] = [:]
        var consumed: [UUID: ContinuousClock.Instant] = [:]
        var duplicates = 0
    }

    /// What a phase's events took: latencies (ms, sorted), the last producer and consumer commits, and how many
    /// events were consumed twice so far (all phases).
    public struct Phase: Sendable {
        public var latencies: [Double]
        public var lastProduced: ContinuousClock.Instant
        public var lastConsumed: ContinuousClock.Instant
        public var duplicates: Int
    }

    private let state = Mutex(State())

    public init() {}

    /// The producer committed `ids` at `instant`.
    public func produced(_ ids: [UUID], at instant: ContinuousClock.Instant) {
        state.withLock { state in for id in ids { state.produced[id] = instant } }
    }

    /// The consumer committed `id` at `instant` (a second commit of the same id counts as a duplicate).
    public func consumed(_ id: UUID, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            if state.consumed.updateValue(instant, forKey: id) != nil { state.duplicates += 1 }
        }
    }

    /// Distinct events consumed so far (cheap: for waiting).
    public var consumedCount: Int { state.withLock { $0.consumed.count } }

    /// Distinct events produced so far.
    public var producedCount: Int { state.withLock { $0.produced.count } }

    /// The timings of `ids`; nil while some are not consumed (or were never produced).
    public func phase(_ ids: [UUID]) -> Phase? {
        state.withLock { state in
            var latencies: [Double] = []
            latencies.reserveCapacity(ids.count)
            var lastProduced: ContinuousClock.Instant?
            var lastConsumed: ContinuousClock.Instant?
            for id in ids {
                guard let produced = state.produced[id], let consumed = state.consumed[id] else { return nil }
                latencies.append((consumed - produced).milliseconds)
                lastProduced = max(lastProduced ?? produced, produced)
                lastConsumed = max(lastConsumed ?? consumed, consumed)
            }
            guard let lastProduced, let lastConsumed else { return nil }
            return Phase(latencies: latencies.sorted(), lastProduced: lastProduced, lastConsumed: lastConsumed, duplicates: state.duplicates)
        }
    }

    /// Waits until `total` distinct events have been consumed; throws after `timeout`.
    public func waitUntilConsumed(_ total: Int, timeout: Duration, what: String) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while consumedCount < total {
            guard ContinuousClock.now < deadline else {
                throw BenchFailure("\(what): the consumer committed \(consumedCount) of \(total) events before the deadline")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
