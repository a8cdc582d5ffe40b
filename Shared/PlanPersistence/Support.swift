import Logging
import PostgresNIO
import Synchronization

extension PostgresClient {
    /// Runs `body` in a transaction on one pooled connection: `BEGIN`, then `COMMIT` when `body` returns, or
    /// `ROLLBACK` when it throws — rethrowing `body`'s own error (PostgresNIO's `withTransaction` wraps it in a
    /// `PostgresTransactionError`).
    ///
    /// A connection that is lost (or whose `ROLLBACK` fails) is closed, and its closing awaited, before the lease is
    /// released: PostgresNIO 1.33.2 can otherwise hand the dying connection to the next lease, whose query then never
    /// completes (see docs/persistence.md).
    public func planTransaction<Value: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await self.withConnection { connection in
            guard !connection.isClosed else { throw PersistenceError.connectionClosed }
            do {
                try await connection.query("BEGIN", logger: logger)
            } catch {
                await connection.retireIfLost(after: error, logger: logger)
                throw error
            }
            let value: Value
            do {
                value = try await body(connection)
            } catch {
                if isConnectionLost(error) {
                    await connection.retire(logger: logger)
                    throw error
                }
                do {
                    try await connection.query("ROLLBACK", logger: logger)
                } catch let rollbackError {
                    logger.warning(
                        "ROLLBACK failed; closing the connection",
                        metadata: ["error": "\(describe(rollbackError))"]
                    )
                    await connection.retire(logger: logger)
                }
                throw error
            }
            do {
                // A failing COMMIT leaves no transaction open: the server has rolled it back.
                try await connection.query("COMMIT", logger: logger)
            } catch {
                await connection.retireIfLost(after: error, logger: logger)
                throw error
            }
            return value
        }
    }
}

extension PostgresConnection {
    /// Closes the connection and waits until it is closed — by then the pool has dropped it, so releasing the lease
    /// afterwards cannot hand it to anyone else.
    func retire(logger: Logger) async {
        logger.debug("closing a lost connection before releasing it", metadata: ["connection": "\(id)"])
        try? await close()
        try? await closeFuture.get()
    }

    func retireIfLost(after error: any Error, logger: Logger) async {
        if isConnectionLost(error) { await retire(logger: logger) }
    }
}

/// Whether `error` means the connection it came from is unusable (closed, broken, or terminated by the server).
func isConnectionLost(_ error: any Error) -> Bool {
    if error is PersistenceError { return true }
    guard let error = error as? PSQLError else { return false }
    switch error.code {
    case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown,
         .messageDecodingFailure, .unexpectedBackendMessage:
        return true
    case .server:
        let severity = error.serverInfo?[.severity]
        return severity == "FATAL" || severity == "PANIC"
    default:
        return false
    }
}

/// Errors of PlanPersistence's own connection handling.
public enum PersistenceError: Error, CustomStringConvertible {
    /// The pool handed out a connection that was already closed; the operation was not attempted.
    case connectionClosed

    public var description: String {
        switch self {
        case .connectionClosed: "the pooled connection was already closed"
        }
    }
}

/// A readable, single-line description of an error. `PSQLError`'s `description` is deliberately generic
/// ("Generic description to prevent accidental leakage…"), so its server fields are spelled out here.
func describe(_ error: any Error) -> String {
    if let error = error as? PSQLError {
        if let info = error.serverInfo {
            let state = info[.sqlState].map { " [\($0)]" } ?? ""
            let detail = info[.detail].map { " — \($0)" } ?? ""
            return "\(info[.severity] ?? "ERROR")\(state): \(info[.message] ?? "unknown server error")\(detail)"
        }
        if let underlying = error.underlying {
            return "PSQLError \(error.code): \(describe(underlying))"
        }
        return "PSQLError \(error.code)"
    }
    return String(describing: error)
}

/// Stable 64-bit advisory-lock keys (FNV-1a of a purpose and a schema), equal in every process.
enum AdvisoryLockKey {
    static func make(_ purpose: String, _ schema: SchemaName) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "planmonitor:\(purpose):\(schema.rawValue)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}

/// A one-slot doorbell: ``signal()`` rings it; ``wait(timeout:)`` returns when it has rung (consuming the ring),
/// after `timeout`, or when the task is cancelled. Meant for a single waiter at a time.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Waits for a ring; returns `true` when the ring (not the timeout or cancellation) ended the wait.
    @discardableResult
    func wait(timeout: Duration) async -> Bool {
        if consumePending() { return true }
        if timeout <= .zero || Task.isCancelled { return false }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func consumePending() -> Bool {
        state.withLock { state in
            let pending = state.pending
            state.pending = false
            return pending
        }
    }

    /// Returns `true` when rung, `false` when cancelled.
    private func waitForRing() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            return !Task.isCancelled
        } onCancel: {
            let waiter = state.withLock { state in
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
