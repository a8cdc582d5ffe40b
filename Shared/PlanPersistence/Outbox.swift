import Foundation
import Logging
import PostgresNIO

/// An event to be published, written in the caller's transaction.
///
/// PostgreSQL keeps timestamps to the microsecond: a message read back from the outbox has `createdAt` rounded
/// to whole microseconds, so compare read-back messages with that in mind.
public struct OutboxMessage: Sendable, Equatable {
    /// The message's identity, carried as the AMQP `message-id`; consumers dedup on it through their inbox.
    public var messageID: UUID
    /// The exchange to publish to.
    public var exchange: String
    /// The routing key.
    public var routingKey: String
    /// The protobuf full name of the body's message type, e.g. `planmonitor.budget.v1.AllocationChanged`.
    public var messageType: String
    /// Extra headers to publish with the message.
    public var headers: [String: String]
    /// The serialized protobuf body.
    public var body: [UInt8]
    /// When the event happened.
    public var createdAt: Date

    /// Creates a message; `messageID` and `createdAt` default to a fresh UUID and now.
    public init(
        messageID: UUID = UUID(),
        exchange: String,
        routingKey: String,
        messageType: String,
        headers: [String: String] = [:],
        body: [UInt8],
        createdAt: Date = Date()
    ) {
        self.messageID = messageID
        self.exchange = exchange
        self.routingKey = routingKey
        self.messageType = messageType
        self.headers = headers
        self.body = body
        self.createdAt = createdAt
    }
}

/// A pending outbox row as the relay reads it.
public struct PendingOutboxMessage: Sendable {
    /// The row's position in the outbox; rows are published in this order.
    public var sequence: Int64
    /// The message.
    public var message: OutboxMessage
    /// How many publish attempts have failed so far.
    public var attempts: Int

    /// Creates a pending row (the relay makes these; public for tests and tools).
    public init(sequence: Int64, message: OutboxMessage, attempts: Int) {
        self.sequence = sequence
        self.message = message
        self.attempts = attempts
    }
}

/// What the relay publishes through; the AMQP implementation awaits publisher confirms and returns one result
/// per message, in order.
///
/// The relay marks sent the messages before the first failure and retries from the failed one, so messages after
/// a failure in the same batch are published again later (the downstream inbox dedups them). An implementation
/// should therefore stop publishing at the first failure and report the rest as failed too. A missing result
/// counts as a failure.
public protocol OutboxPublisher: Sendable {
    /// Publishes `messages` in order and returns one result per message, in the same order: `.success` once the
    /// broker has confirmed the message.
    func publish(_ messages: [OutboxMessage]) async -> [Result<Void, any Error>]
}

/// Marks a publish failure that is not the message's fault — the broker is unreachable, the connection is
/// blocked. The relay retries such a row with backoff indefinitely, without counting the attempt toward parking,
/// so a broker outage parks nothing. Other errors count toward ``OutboxRelay/Configuration/maxAttempts``.
public protocol OutboxPublisherUnavailableError: Error {}

/// The outbox of one schema: the `outbox` table created by ``Migration/messagingTables``.
public struct Outbox: Sendable {
    /// The schema whose outbox this is.
    public let schema: SchemaName

    /// Rows per multi-row `INSERT` (7 parameters each, well below PostgreSQL's 65,535).
    static let insertChunkSize = 1000

    /// Creates the outbox of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// The `LISTEN`/`NOTIFY` channel the relay listens on: `<schema>_outbox`, cut to PostgreSQL's 63-byte limit.
    public var notificationChannel: String { String("\(schema.rawValue)_outbox".prefix(63)) }

    var enqueueLockKey: Int64 { AdvisoryLockKey.make("outbox-enqueue", schema) }

    /// Inserts the messages in the caller's transaction and NOTIFYs the relay (pg_notify, delivered at commit).
    ///
    /// Call it on a connection inside a transaction (e.g. `client.withTransaction { connection in … }`), after
    /// the state change it announces, and preferably last: it takes a transaction-scoped advisory lock of the
    /// schema's outbox, held until commit, so that outbox sequence numbers are given out in commit order and the
    /// relay can never publish a later event before an earlier one that was still being committed. Writers that
    /// enqueue are thereby serialized from the enqueue to their commit.
    ///
    /// - Throws: PostgresNIO's errors; a duplicate `messageID` violates the outbox's unique constraint.
    public func enqueue(_ messages: [OutboxMessage], on connection: PostgresConnection, logger: Logger) async throws {
        guard !messages.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(\(enqueueLockKey))", logger: logger)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var start = messages.startIndex
        while start < messages.endIndex {
            let end = min(start + Self.insertChunkSize, messages.endIndex)
            var sql = """
                INSERT INTO \(schema.quoted).outbox
                    (message_id, exchange, routing_key, message_type, headers, body, created_at) VALUES
                """
            var bindings = PostgresBindings(capacity: (end - start) * 7)
            for (offset, message) in messages[start..<end].enumerated() {
                let p = offset * 7
                sql += offset == 0 ? "\n" : ",\n"
                sql += "($\(p + 1), $\(p + 2), $\(p + 3), $\(p + 4), $\(p + 5)::jsonb, $\(p + 6), $\(p + 7))"
                let headers = String(decoding: try encoder.encode(message.headers), as: UTF8.self)
                bindings.append(message.messageID)
                bindings.append(message.exchange)
                bindings.append(message.routingKey)
                bindings.append(message.messageType)
                bindings.append(headers)
                // [UInt8] would bind as "char"[]; a ByteBuffer binds as bytea.
                bindings.append(ByteBuffer(bytes: message.body))
                bindings.append(message.createdAt)
            }
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            start = end
        }
        try await connection.query("SELECT pg_notify(\(notificationChannel), '')", logger: logger)
    }

    /// Inserts one message in the caller's transaction; see the array variant.
    public func enqueue(_ message: OutboxMessage, on connection: PostgresConnection, logger: Logger) async throws {
        try await enqueue([message], on: connection, logger: logger)
    }

    /// The number of rows waiting to be published (neither sent nor parked).
    public func pendingCount(client: PostgresClient, logger: Logger) async throws -> Int {
        try await count(where: "sent_at IS NULL AND failed_at IS NULL", client: client, logger: logger)
    }

    /// The number of parked rows: rows that failed `maxAttempts` times and wait for an operator.
    public func parkedCount(client: PostgresClient, logger: Logger) async throws -> Int {
        try await count(where: "sent_at IS NULL AND failed_at IS NOT NULL", client: client, logger: logger)
    }

    /// Puts every parked row back in the queue with its attempts reset. They are published in sequence order
    /// with the rows still pending, hence after rows that were sent while they were parked.
    /// - Returns: The number of rows requeued.
    @discardableResult
    public func requeueParked(client: PostgresClient, logger: Logger) async throws -> Int {
        let rows = try await client.query(
            """
            WITH requeued AS (
                UPDATE \(unescaped: schema.quoted).outbox
                SET failed_at = NULL, attempts = 0, next_attempt_at = NULL
                WHERE failed_at IS NOT NULL AND sent_at IS NULL
                RETURNING 1
            )
            SELECT count(*) FROM requeued
            """,
            logger: logger
        )
        return try await Self.single(Int64.self, from: rows).map(Int.init) ?? 0
    }

    /// Deletes up to `limit` rows sent more than `age` ago. The relay calls it periodically.
    /// - Returns: The number of rows deleted.
    @discardableResult
    public func purgeSent(olderThan age: Duration, limit: Int = 10_000, client: PostgresClient, logger: Logger) async throws -> Int {
        let seconds = age.inSeconds
        let rows = try await client.query(
            """
            WITH purged AS (
                DELETE FROM \(unescaped: schema.quoted).outbox
                WHERE sequence IN (
                    SELECT sequence FROM \(unescaped: schema.quoted).outbox
                    WHERE sent_at < now() - make_interval(secs => \(seconds))
                    LIMIT \(limit)
                )
                RETURNING 1
            )
            SELECT count(*) FROM purged
            """,
            logger: logger
        )
        return try await Self.single(Int64.self, from: rows).map(Int.init) ?? 0
    }

    private func count(where condition: String, client: PostgresClient, logger: Logger) async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*) FROM \(unescaped: schema.quoted).outbox WHERE \(unescaped: condition)",
            logger: logger
        )
        return try await Self.single(Int64.self, from: rows).map(Int.init) ?? 0
    }

    static func single<Value: PostgresDecodable & Sendable>(_ type: Value.Type, from rows: PostgresRowSequence) async throws -> Value? {
        var result: Value?
        for try await (value) in rows.decode(Value.self) { result = value }
        return result
    }
}
