import AMQPClient
import Foundation
import Logging
import PlanContracts
import PlanMessaging
import PostgresNIO
import ServiceLifecycle
import ServiceRuntime
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The local stack (`scripts/stack up`, `source .stack/env`) as these tests use it: the real service broker users
/// and database roles, on the test database, for an org unit of their own.
enum ServiceStack {
    static let environment = ProcessInfo.processInfo.environment
    static func value(_ name: String, _ fallback: String) -> String {
        environment[name].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    /// A GSO-like code no deployment uses (real codes have 2, 3 or 5 digits): the services under test get queues,
    /// routing keys and directive ids of their own, apart from any instance running for "31" on the same broker.
    static let orgUnit = "9931"
    static let testDatabase = value("PLANMONITOR_PG_TEST_DATABASE", "planmonitor_test")
    static let pgHost = value("PLANMONITOR_PG_HOST", "127.0.0.1")
    static let pgPort = Int(value("PLANMONITOR_PG_PORT", "55432")) ?? 55432
    static let pgAdminUser = value("PLANMONITOR_PG_ADMIN_USER", "postgres")
    static let pgAdminPassword = value("PLANMONITOR_PG_ADMIN_PASSWORD", "planmonitor-postgres-dev")
    static let amqpHost = value("PLANMONITOR_AMQP_HOST", "127.0.0.1")
    static let amqpPort = Int(value("PLANMONITOR_AMQP_PORT", "5673")) ?? 5673
    static let virtualHost = value("PLANMONITOR_AMQP_VHOST", "planmonitor")
    static let managementURL = value("PLANMONITOR_AMQP_MANAGEMENT_URL", "http://127.0.0.1:15673")
    static let amqpAdminUser = value("PLANMONITOR_AMQP_ADMIN_USER", "planmonitor-admin")
    static let amqpAdminPassword = value("PLANMONITOR_AMQP_ADMIN_PASSWORD", "planmonitor-admin-dev")

    /// The repository's root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The 2018 directive of Hải Phòng.
    static let directiveFile = repositoryRoot.appendingPathComponent("Shared/ReferenceData/directive/chi-thi-2018-hai-phong.txt")

    static var logger: Logger {
        var logger = Logger(label: "planmonitor.service-tests")
        logger.logLevel = Logger.Level(rawValue: value("PLANMONITOR_TEST_LOG_LEVEL", "error")) ?? .error
        return logger
    }

    /// The environment a service process of the tests reads: the stack's variables, the test database, the tests'
    /// org unit, an HTTP port picked by the system, and nothing that would replace the service's own broker user,
    /// database role or their passwords.
    static func serviceEnvironment() -> [String: String] {
        var variables = environment
        for name in ["PLANMONITOR_AMQP_USER", "PLANMONITOR_AMQP_PASSWORD", "PLANMONITOR_PG_USER", "PLANMONITOR_PG_PASSWORD"] {
            variables[name] = nil
        }
        variables["PLANMONITOR_PG_DATABASE"] = testDatabase
        variables["PLANMONITOR_ORG_UNIT"] = orgUnit
        variables["PLANMONITOR_HTTP_PORT"] = "0"
        variables["PLANMONITOR_LOG_LEVEL"] = "info"
        return variables
    }

    /// A service's configuration as its executable would read it from ``serviceEnvironment()``.
    static func configuration(service: String) throws -> ServiceConfiguration {
        try ServiceConfiguration.fromEnvironment(service: service, environment: serviceEnvironment())
    }

    /// Runs `body` while holding a PostgreSQL advisory lock, so that two test runs on one stack (two `swift test` at
    /// once) do not reset each other's schemas or share the services' queues. The lock goes with the session, also
    /// when the process dies.
    static func exclusively<Value: Sendable>(_ body: () async throws -> Value) async throws -> Value {
        try await withAdminDatabase { client in
            try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(hashtextextended('planmonitor:service-tests', 0))", logger: logger)
                do {
                    let value = try await body()
                    try await connection.query("SELECT pg_advisory_unlock(hashtextextended('planmonitor:service-tests', 0))", logger: logger)
                    return value
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(hashtextextended('planmonitor:service-tests', 0))", logger: logger)
                    throw error
                }
            }
        }
    }

    /// Drops and recreates the services' schemas in the test database, as the PostgreSQL superuser, each owned by
    /// the service's role (as `scripts/stack` provisions them).
    static func resetSchemas(_ services: [String]) async throws {
        try await withAdminDatabase { client in
            for service in services {
                try await client.query("DROP SCHEMA IF EXISTS \(unescaped: "\"\(service)\"") CASCADE", logger: logger)
                try await client.query("CREATE SCHEMA \(unescaped: "\"\(service)\"") AUTHORIZATION \(unescaped: "\"\(service)\"")", logger: logger)
            }
        }
    }

    /// Runs `body` with a PostgreSQL client on the test database logged in as the superuser.
    static func withAdminDatabase<Value: Sendable>(_ body: (PostgresClient) async throws -> Value) async throws -> Value {
        let client = PostgresClient(configuration: .init(
            host: pgHost, port: pgPort, username: pgAdminUser, password: pgAdminPassword, database: testDatabase, tls: .disable))
        let running = Task { await client.run() }
        defer { running.cancel() }
        return try await body(client)
    }

    /// The first column of the first row of `sql`, run as the superuser on the test database.
    static func scalar<Value: PostgresDecodable & Sendable>(_ type: Value.Type, _ sql: PostgresQuery) async throws -> Value? {
        try await withAdminDatabase { client in
            var result: Value?
            for try await value in try await client.query(sql, logger: logger).decode(Value.self) { result = value }
            return result
        }
    }

    /// Throws away whatever earlier runs left in a queue of the tests' org unit (through the management API).
    static func purgeQueue(_ name: String) async throws {
        var request = URLRequest(url: URL(string: "\(managementURL)/api/queues/\(virtualHost)/\(name)/contents")!)
        request.httpMethod = "DELETE"
        request.setValue("Basic " + Data("\(amqpAdminUser):\(amqpAdminPassword)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        // 404: the queue does not exist yet; the service declares it.
        guard status == 204 || status == 404 else { throw UnexpectedStatus(url: request.url!.absoluteString, status: status) }
    }

    /// How many consumers a queue has (0 when it does not exist).
    static func consumerCount(queue name: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "\(managementURL)/api/queues/\(virtualHost)/\(name)")!)
        request.setValue("Basic " + Data("\(amqpAdminUser):\(amqpAdminPassword)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { return 0 }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["consumers"] as? Int ?? 0
    }

    /// An RPC client connected as the broker user `planctl`, as the command line calls the services.
    static func withRPC<Value: Sendable>(_ body: (RPCClient) async throws -> Value) async throws -> Value {
        let connection = AMQPConnection(configuration: AMQPConfiguration(
            host: amqpHost, port: amqpPort, virtualHost: virtualHost, username: "planctl", password: "planmonitor-planctl-dev",
            connectionName: "service-tests-planctl"), logger: logger)
        try await connection.waitUntilConnected(timeout: .seconds(10))
        let rpc = RPCClient(connection: connection, identity: ServiceIdentity(service: "planctl", orgUnit: orgUnit, brokerUser: "planctl"), logger: logger)
        do {
            let value = try await body(rpc)
            rpc.shutdown()
            await connection.close()
            return value
        } catch {
            rpc.shutdown()
            await connection.close()
            throw error
        }
    }

    static func target(_ service: String) -> RPCTarget {
        RPCTarget(service: service, orgUnit: orgUnit)
    }

    /// Waits until the instance of `service` answers HealthService.Check with SERVING.
    static func waitUntilServing(_ service: String, rpc: RPCClient, timeout: Duration = .seconds(30)) async throws {
        let health = Planmonitor_Health_V1_HealthService.Client(transport: rpc.transport(to: target(service)))
        _ = try await waitFor(timeout: timeout) { () async throws -> Bool? in
            let answer = try await health.check(.init(), options: RPCCallOptions(timeout: .seconds(1)))
            return answer.status == .serving ? true : nil
        }
    }
}

/// Service applications running in this process, each in its own service group, until ``stop()``.
final class RunningServices: Sendable {
    private let groups: [ServiceGroup]
    private let tasks: [Task<Void, any Error>]

    init(_ applications: [ServiceApplication]) {
        groups = applications.map { ServiceGroup(configuration: .init(services: [$0], logger: ServiceStack.logger)) }
        tasks = groups.map { group in Task { try await group.run() } }
    }

    /// Shuts every application down gracefully and waits until each has stopped.
    func stop() async throws {
        for group in groups { await group.triggerGracefulShutdown() }
        for task in tasks { try await task.value }
    }
}

/// The output and exit status of a finished process.
struct ProcessResult: Sendable {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// The built executable `name` of this package (`planctl`, `budget-service`…), next to the test bundle.
func builtProduct(_ name: String) throws -> URL {
    let candidates = [
        Bundle.main.bundleURL.deletingLastPathComponent(),
        Bundle.main.bundleURL,
        ServiceStack.repositoryRoot.appendingPathComponent(".build/debug"),
    ]
    for directory in candidates {
        let url = directory.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    throw MissingProduct(name: name, searched: candidates.map(\.path))
}

/// Runs `planctl` with `arguments` and the stack's environment (broker user `planctl`); waits for it to finish.
func planctl(_ arguments: String...) async throws -> ProcessResult {
    try await run(builtProduct("planctl"), arguments: arguments, environment: ServiceStack.environment)
}

/// Runs an executable to completion, collecting its output.
///
/// The blocking waits happen on Dispatch's threads, not on Swift's cooperative pool: with two cores, a blocked pool
/// would starve the services this process runs while the executable talks to them.
func run(_ executable: URL, arguments: [String], environment: [String: String]) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            // Read both pipes to the end before waiting, so that a full pipe cannot block the process.
            let errorText = LogCollector()
            let errorsRead = DispatchGroup()
            errorsRead.enter()
            DispatchQueue.global().async {
                errorText.append(errors.fileHandleForReading.readDataToEndOfFile())
                errorsRead.leave()
            }
            let outputData = output.fileHandleForReading.readDataToEndOfFile()
            errorsRead.wait()
            process.waitUntilExit()
            continuation.resume(returning: ProcessResult(
                status: process.terminationStatus,
                standardOutput: String(decoding: outputData, as: UTF8.self),
                standardError: errorText.text))
        }
    }
}

/// What a child process writes, collected from a pipe on another thread.
final class LogCollector: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) {
        data.withLock { $0.append(chunk) }
    }

    var text: String {
        data.withLock { String(decoding: $0, as: UTF8.self) }
    }
}

/// The body and status of an HTTP GET.
func httpGet(_ url: String) async throws -> (body: String, status: Int) {
    let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
    return (String(decoding: data, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode ?? 0)
}

/// Polls `probe` every 100 ms until it returns a value (errors count as no value) or `timeout` passes.
func waitFor<Value: Sendable>(timeout: Duration, _ probe: () async throws -> Value?) async throws -> Value {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await probe() { return value }
        } catch {
            lastError = error
        }
        guard ContinuousClock.now < deadline else { throw TimedOut(timeout: timeout, lastError: lastError.map { "\($0)" }) }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// ``waitFor(timeout:_:)`` gave up.
struct TimedOut: Error, CustomStringConvertible {
    var timeout: Duration
    var lastError: String?
    var description: String { "nothing within \(timeout)" + (lastError.map { "; last error: \($0)" } ?? "") }
}

struct UnexpectedStatus: Error, CustomStringConvertible {
    var url: String
    var status: Int
    var description: String { "HTTP \(status) from \(url)" }
}

struct MissingProduct: Error, CustomStringConvertible {
    var name: String
    var searched: [String]
    var description: String { "\(name) is not built (looked in \(searched.joined(separator: ", "))); run swift build --build-tests" }
}
