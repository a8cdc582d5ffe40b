import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs `scripts/stack` from tests (to stop, freeze, alarm or restart a broker node).
public enum StackScript {
    /// The repository's root, from this file's location.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var path: String {
        ProcessInfo.processInfo.environment["PLANMONITOR_STACK_SCRIPT"] ?? root.appendingPathComponent("scripts/stack").path
    }

    /// The script's exit status and output when it failed.
    public struct Failure: Error, CustomStringConvertible {
        public var arguments: [String]
        public var status: Int32
        public var output: String
        public var description: String { "scripts/stack \(arguments.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs the script and returns its output. It takes seconds (a broker restart), so it is waited for on a thread
    /// of its own, not on the cooperative pool the other tests running in parallel need.
    @discardableResult
    public static func run(_ arguments: String...) async throws -> String {
        let path = path
        let (status, output): (Int32, String) = try await withCheckedThrowingContinuation { continuation in
            Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = [path] + arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, output))
            }.start()
        }
        guard status == 0 else { throw Failure(arguments: arguments, status: status, output: output) }
        return output
    }
}

/// Runs `body` with the `scratch` broker node started and to itself: tests that stop, freeze or alarm it take an
/// exclusive file lock first, so that suites of different test targets running in parallel do not disturb each other.
public func withScratchNode<Value: Sendable>(_ body: () async throws -> Value) async throws -> Value {
    let lockPath = StackScript.root.appendingPathComponent(".stack/scratch-node.lock").path
    try FileManager.default.createDirectory(atPath: (lockPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o644)
    guard descriptor >= 0 else { throw StackScript.Failure(arguments: ["lock", lockPath], status: errno, output: "cannot open the lock file") }
    defer { close(descriptor) }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        Thread {
            _ = flock(descriptor, LOCK_EX)
            continuation.resume()
        }.start()
    }
    defer { _ = flock(descriptor, LOCK_UN) }
    try await StackScript.run("node", "start", "scratch")
    return try await body()
}
