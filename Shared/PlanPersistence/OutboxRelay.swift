import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Publishes pending outbox rows in order and marks them sent. Woken by LISTEN/NOTIFY, with a polling fallback.
/// Safe with two relays running at once.
///
/// One relay cycle is one transaction:
/// 1. take the schema's relay lease, `pg_try_advisory_xact_lock` — when another relay holds it, the cycle ends
///    and this relay waits (only one relay publishes at a time, so order is kept);
/// 2. select the oldest unsent, unparked rows: `ORDER BY sequence LIMIT batchSize FOR UPDATE SKIP LOCKED`;
/// 3. publish them through the ``OutboxPublisher`` (which pipelines confirms);
/// 4. mark sent the rows confirmed before the first failure; for the first failed row record `attempts`,
///    `last_error` and, after `maxAttempts` failures, park it (`failed_at`); the rows after it wait;
/// 5. commit.
///
/// A failed row is retried after an exponential backoff (``Configuration/retryBackoff`` doubled per attempt, at
/// most ``Configuration/maxRetryBackoff``), kept in the row (`next_attempt_at`) so that every relay honours it; the
/// rows after it wait too. If the process dies (or the task is cancelled) between publishing and committing, the
/// rows stay unsent and are published again by the next cycle: delivery is at least once, and consumers dedup
/// with their ``Inbox``.
///
/// ``run()`` listens on ``Outbox/notificationChannel`` and also polls every ``Configuration/pollInterval``;
/// at most once per ``Configuration/cleanupInterval`` it deletes rows sent more than
/// ``Configuration/sentRetention`` ago. On graceful shutdown (ServiceLifecycle) it finishes the current batch and
/// returns; on task cancellation it returns without committing a batch in flight.
///
/// Metrics (dimension `schema`): counters `planmonitor_outbox_published_total`,
/// `planmonitor_outbox_failures_total`, `planmonitor_outbox_parked_total`, and gauge
/// `planmonitor_outbox_backlog` (rows pending, refreshed each cycle).
public final class OutboxRelay: Service {
    /// Tuning of an ``OutboxRelay``.
    public struct Configuration: Sendable {
        /// The most rows published per cycle (and per transaction).
        public var batchSize: Int
        /// How often to look for rows when no notification arrives.
        public var pollInterval: Duration
        /// The wait before the first retry of a failed row; doubled for each further failure.
        public var retryBackoff: Duration
        /// After this many failed attempts a row is parked: skipped from then on, logged at error level.
        public var maxAttempts: Int
        /// The longest wait between two attempts of a row.
        public var maxRetryBackoff: Duration
        /// How long sent rows are kept before the relay deletes them.
        public var sentRetention: Duration
        /// How often at most the relay deletes old sent rows.
        public var cleanupInterval: Duration

        /// Creates a configuration.
        public init(
            batchSize: Int = 500,
            pollInterval: Duration = .seconds(1),
            retryBackoff: Duration = .seconds(1),
            maxAttempts: Int = 10,
            maxRetryBackoff: Duration = .seconds(300),
            sentRetention: Duration = .seconds(7 * 24 * 3600),
            cleanupInterval: Duration = .seconds(60)
        ) {
            self.batchSize = max(1, batchSize)
            self.pollInterval = pollInterval
            self.retryBackoff = retryBackoff
            self.maxAttempts = max(1, maxAttempts)
            self.maxRetryBackoff = maxRetryBackoff
            self.sentRetention = sentRetention
            self.cleanupInterval = cleanupInterval
        }
    }

    /// The schema whose outbox is relayed.
    public let schema: SchemaName
    private let client: PostgresClient
    private let publisher: any OutboxPublisher
    private let configuration: Configuration
    private let logger: Logger
    private let outbox: Outbox
    private let leaseKey: Int64
    private let publishedCounter: Counter
    private let failuresCounter: Counter
    private let parkedCounter: Counter
    private let backlogGauge: Gauge

    /// Creates a relay for the outbox of `schema`. Run it with ``run()`` (e.g. in a `ServiceGroup`) — the client
    /// must be running too.
    public init(
        client: PostgresClient,
        schema: SchemaName,
        publisher: any OutboxPublisher,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        self.client = client
        self.schema = schema
        self.publisher = publisher
        var configuration = configuration
        configuration.batchSize = max(1, configuration.batchSize)
        configuration.maxAttempts = max(1, configuration.maxAttempts)
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "schema"] = "\(schema)"
        self.logger = logger
        self.outbox = Outbox(schema: schema)
        self.leaseKey = AdvisoryLockKey.make("outbox-relay", schema)
        let dimensions = [("schema", schema.rawValue)]
        self.publishedCounter = Counter(label: "planmonitor_outbox_published_total", dimensions: dimensions)
        self.failuresCounter = Counter(label: "planmonitor_outbox_failures_total", dimensions: dimensions)
        self.parkedCounter = Counter(label: "planmonitor_outbox_parked_total", dimensions: dimensions)
        self.backlogGauge = Gauge(label: "planmonitor_outbox_backlog", dimensions: dimensions)
    }

    /// Relays until graceful shutdown or cancellation. Database errors are logged and retried; they don't end it.
    public func run() async throws {
        let state = RunState()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.listen(state) }
                // Let LISTEN be in place first, so no notification is missed after the first cycle.
                let listening = await state.listening.wait(timeout: .seconds(5))
                self.logger.debug("outbox relay starting", metadata: ["listening": "\(listening)"])
                await self.relayLoop(state)
                self.logger.debug("outbox relay loop ended; stopping LISTEN")
                group.cancelAll()
            }
        } onGracefulShutdown: {
            state.beginShutdown()
            state.wake.signal()
        }
        logger.debug("outbox relay stopped")
    }

    /// Runs one relay cycle now (see the type's documentation).
    /// - Returns: The number of rows published and marked sent (0 when another relay holds the lease).
    @discardableResult
    public func relayOnce() async throws -> Int {
        try await runCycle().sent
    }

    // MARK: - Loop

    private final class RunState: Sendable {
        let wake = WakeSignal()
        let listening = WakeSignal()
        private let shuttingDown = Atomic<Bool>(false)

        var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }
        func beginShutdown() { shuttingDown.store(true, ordering: .releasing) }
    }

    private func relayLoop(_ state: RunState) async {
        let clock = ContinuousClock()
        var lastCleanup: ContinuousClock.Instant?
        while !state.isShuttingDown && !Task.isCancelled {
            var delay = configuration.pollInterval
            do {
                logger.trace("relay cycle starting")
                let outcome = try await runCycle()
                logger.trace("relay cycle done", metadata: ["sent": "\(outcome.sent)"])
                if outcome.leaseHeld {
                    delay = configuration.pollInterval
                } else if let retryAfter = outcome.retryAfter {
                    delay = min(retryAfter, configuration.pollInterval)
                } else if outcome.failed || (outcome.sent > 0 && outcome.fetched >= configuration.batchSize) {
                    delay = .zero
                }
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                logger.warning("outbox relay cycle failed", metadata: ["error": "\(describe(error))"])
                delay = max(configuration.retryBackoff, .milliseconds(100))
            }

            if lastCleanup.map({ $0.duration(to: clock.now) >= configuration.cleanupInterval }) ?? true {
                lastCleanup = clock.now
                do {
                    let purged = try await outbox.purgeSent(olderThan: configuration.sentRetention, client: client, logger: logger)
                    if purged > 0 { logger.debug("purged sent outbox rows", metadata: ["rows": "\(purged)"]) }
                } catch {
                    logger.warning("purging sent outbox rows failed", metadata: ["error": "\(describe(error))"])
                }
            }

            if state.isShuttingDown || Task.isCancelled { break }
            if delay > .zero {
                logger.trace("relay waiting", metadata: ["delay": "\(delay)"])
                let rung = await state.wake.wait(timeout: delay)
                logger.trace("relay woke", metadata: ["rung": "\(rung)", "cancelled": "\(Task.isCancelled)"])
            } else {
                await Task.yield()
            }
        }
    }

    private func listen(_ state: RunState) async {
        let channel = outbox.notificationChannel
        while !Task.isCancelled {
            do {
                logger.trace("LISTEN leasing a connection")
                try await client.withConnection { connection in
                    logger.trace("LISTEN leased a connection")
                    do {
                        try await connection.listen(on: channel) { notifications in
                            logger.debug("listening for outbox notifications", metadata: ["channel": "\(channel)"])
                            state.listening.signal()
                            // Catch up with whatever was notified while no LISTEN was in place.
                            state.wake.signal()
                            for try await _ in notifications {
                                state.wake.signal()
                            }
                            logger.debug("outbox notifications ended", metadata: ["cancelled": "\(Task.isCancelled)"])
                        }
                    } catch {
                        // Never hand a dying connection back to the pool (see planTransaction).
                        await connection.retireIfLost(after: error, logger: logger)
                        throw error
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("outbox LISTEN failed; retrying", metadata: ["channel": "\(channel)", "error": "\(describe(error))"])
            }
            if Task.isCancelled { return }
            logger.trace("LISTEN retry sleep")
            try? await Task.sleep(for: max(configuration.retryBackoff, .milliseconds(100)))
        }
        logger.trace("LISTEN loop ended")
    }

    // MARK: - One cycle

    private struct CycleOutcome: Sendable {
        var leaseHeld = false
        var fetched = 0
        var sent = 0
        var failed = false
        var parked: PendingOutboxMessage?
        var failure: String?
        var retryAfter: Duration?
        var backlog: Int?
    }

    /// A selected row: decoded, or the reason it could not be.
    private struct SelectedRow: Sendable {
        var sequence: Int64
        var attempts: Int
        var message: Result<OutboxMessage, OutboxRelayError>
        var waitSeconds: Double?
    }

    private func runCycle() async throws -> CycleOutcome {
        let outcome = try await client.planTransaction(logger: logger) { connection -> CycleOutcome in
            var outcome = CycleOutcome()
            let lease = try await connection.query("SELECT pg_try_advisory_xact_lock(\(leaseKey))", logger: logger)
            guard try await Outbox.single(Bool.self, from: lease) == true else {
                outcome.leaseHeld = true
                return outcome
            }

            let selected = try await selectBatch(on: connection)
            outcome.fetched = selected.count

            var batch: [PendingOutboxMessage] = []
            var stop: (row: SelectedRow, error: OutboxRelayError)?
            for row in selected {
                if let wait = row.waitSeconds, wait > 0 {
                    if batch.isEmpty { outcome.retryAfter = .milliseconds(Int64((wait * 1000).rounded(.up))) }
                    break
                }
                switch row.message {
                case .success(let message):
                    batch.append(PendingOutboxMessage(sequence: row.sequence, message: message, attempts: row.attempts))
                case .failure(let error):
                    stop = (row, error)
                }
                if stop != nil { break }
            }

            var sentSequences: [Int64] = []
            var failedRow: (sequence: Int64, attempts: Int, message: OutboxMessage?, error: String, unavailable: Bool)?
            if !batch.isEmpty {
                let results = await publisher.publish(batch.map(\.message))
                // A cancelled relay behaves like a crashed one: nothing is marked, the rows go out again later.
                try Task.checkCancellation()
                for (index, row) in batch.enumerated() {
                    let result = index < results.count ? results[index] : .failure(OutboxRelayError.missingPublishResult)
                    if case .failure(let error) = result {
                        failedRow = (row.sequence, row.attempts, row.message, describe(error), error is any OutboxPublisherUnavailableError)
                        break
                    }
                    sentSequences.append(row.sequence)
                }
            }
            if failedRow == nil, let stop {
                failedRow = (stop.row.sequence, stop.row.attempts, nil, stop.error.description, false)
            }

            if !sentSequences.isEmpty {
                try await connection.query(
                    """
                    UPDATE \(unescaped: schema.quoted).outbox SET sent_at = clock_timestamp()
                    WHERE sequence = ANY(\(sentSequences)) AND sent_at IS NULL
                    """,
                    logger: logger
                )
                outcome.sent = sentSequences.count
            }

            if let failedRow {
                outcome.failed = true
                outcome.failure = failedRow.error
                // An unavailable broker is not the row's fault: retry, but don't count it toward parking.
                let attempts = failedRow.unavailable ? failedRow.attempts : failedRow.attempts + 1
                let error = String(failedRow.error.prefix(2000))
                if attempts >= configuration.maxAttempts {
                    try await connection.query(
                        """
                        UPDATE \(unescaped: schema.quoted).outbox
                        SET attempts = \(attempts), last_error = \(error), last_attempt_at = clock_timestamp(),
                            next_attempt_at = NULL, failed_at = clock_timestamp()
                        WHERE sequence = \(failedRow.sequence)
                        """,
                        logger: logger
                    )
                    if let message = failedRow.message {
                        outcome.parked = PendingOutboxMessage(sequence: failedRow.sequence, message: message, attempts: attempts)
                    } else {
                        outcome.parked = PendingOutboxMessage(
                            sequence: failedRow.sequence,
                            message: OutboxMessage(exchange: "", routingKey: "", messageType: "", body: []),
                            attempts: attempts
                        )
                    }
                } else {
                    let backoff = min(
                        configuration.retryBackoff.inSeconds * pow(2, Double(min(max(attempts - 1, 0), 30))),
                        configuration.maxRetryBackoff.inSeconds
                    )
                    try await connection.query(
                        """
                        UPDATE \(unescaped: schema.quoted).outbox
                        SET attempts = \(attempts), last_error = \(error), last_attempt_at = clock_timestamp(),
                            next_attempt_at = clock_timestamp() + make_interval(secs => \(backoff))
                        WHERE sequence = \(failedRow.sequence)
                        """,
                        logger: logger
                    )
                }
            }

            let backlog = try await connection.query(
                """
                SELECT count(*) FROM \(unescaped: schema.quoted).outbox WHERE sent_at IS NULL AND failed_at IS NULL
                """,
                logger: logger
            )
            outcome.backlog = try await Outbox.single(Int64.self, from: backlog).map(Int.init)
            return outcome
        }

        if let backlog = outcome.backlog { backlogGauge.record(backlog) }
        if outcome.sent > 0 { publishedCounter.increment(by: outcome.sent) }
        if outcome.failed {
            failuresCounter.increment()
            if let parked = outcome.parked {
                parkedCounter.increment()
                logger.error(
                    "outbox row parked after repeated publish failures; it will not be retried until requeued",
                    metadata: [
                        "sequence": "\(parked.sequence)",
                        "message_id": "\(parked.message.messageID)",
                        "message_type": "\(parked.message.messageType)",
                        "attempts": "\(parked.attempts)",
                        "error": "\(outcome.failure ?? "")",
                    ]
                )
            } else {
                logger.warning("outbox publish failed; will retry", metadata: ["error": "\(outcome.failure ?? "")"])
            }
        }
        return outcome
    }

    private func selectBatch(on connection: PostgresConnection) async throws -> [SelectedRow] {
        let rows = try await connection.query(
            """
            SELECT sequence, message_id, exchange, routing_key, message_type, headers::text, body, created_at, attempts,
                   EXTRACT(EPOCH FROM (next_attempt_at - clock_timestamp()))::float8
            FROM \(unescaped: schema.quoted).outbox
            WHERE sent_at IS NULL AND failed_at IS NULL
            ORDER BY sequence
            LIMIT \(configuration.batchSize)
            FOR UPDATE SKIP LOCKED
            """,
            logger: logger
        )
        let decoder = JSONDecoder()
        var selected: [SelectedRow] = []
        for try await (sequence, messageID, exchange, routingKey, messageType, headersJSON, body, createdAt, attempts, wait)
            in rows.decode((Int64, UUID, String, String, String, String, ByteBuffer, Date, Int32, Double?).self)
        {
            let message: Result<OutboxMessage, OutboxRelayError>
            if let headers = try? decoder.decode([String: String].self, from: Data(headersJSON.utf8)) {
                message = .success(OutboxMessage(
                    messageID: messageID,
                    exchange: exchange,
                    routingKey: routingKey,
                    messageType: messageType,
                    headers: headers,
                    body: Array(body.readableBytesView),
                    createdAt: createdAt
                ))
            } else {
                message = .failure(.invalidHeaders(headersJSON))
            }
            selected.append(SelectedRow(sequence: sequence, attempts: Int(attempts), message: message, waitSeconds: wait))
        }
        return selected
    }
}

/// Failures the relay records against an outbox row itself.
public enum OutboxRelayError: Error, CustomStringConvertible {
    /// The publisher returned fewer results than messages.
    case missingPublishResult
    /// The row's `headers` is not a JSON object of strings.
    case invalidHeaders(String)

    public var description: String {
        switch self {
        case .missingPublishResult: "the publisher returned no result for this message"
        case .invalidHeaders(let json): "headers are not a JSON object of strings: \(json.prefix(200))"
        }
    }
}
