import Foundation
import Logging
import PostgresNIO

/// The inbox of one schema: the `inbox` table created by ``Migration/messagingTables``, one row per message a
/// consumer has processed, keyed by `(consumer, message_id)`.
///
/// A consumer handles a delivery in one transaction: ``claim(messageID:consumer:messageType:on:logger:)`` first;
/// when it returns `false` the message is a duplicate — apply nothing, commit, ack. Otherwise apply the change
/// (and enqueue any resulting events), commit, then ack. A transaction that rolls back takes its claim with it,
/// so the redelivered message is processed. While one transaction holds a claim uncommitted, a second claim of
/// the same message waits for it, then returns `false` if it committed or `true` if it rolled back.
public struct Inbox: Sendable {
    /// The schema whose inbox this is.
    public let schema: SchemaName

    /// Creates the inbox of `schema`.
    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// Records the message as processed by `consumer` in the caller's transaction; false when it was already
    /// recorded (a duplicate: apply nothing).
    ///
    /// - Parameters:
    ///   - messageID: The message's id (the AMQP `message-id`).
    ///   - consumer: The consuming handler's stable name; several consumers of one service may process the
    ///     same message independently.
    ///   - messageType: The protobuf full name, kept for diagnosis.
    ///   - connection: A connection inside the caller's transaction.
    public func claim(
        messageID: UUID,
        consumer: String,
        messageType: String,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).inbox (consumer, message_id, message_type, processed_at)
            VALUES (\(consumer), \(messageID), \(messageType), now())
            ON CONFLICT (consumer, message_id) DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        var inserted = false
        for try await _ in rows { inserted = true }
        return inserted
    }

    /// Whether `consumer` has processed the message (committed claims only, as seen by a new snapshot).
    public func isProcessed(messageID: UUID, consumer: String, client: PostgresClient, logger: Logger) async throws -> Bool {
        let rows = try await client.query(
            """
            SELECT count(*) FROM \(unescaped: schema.quoted).inbox
            WHERE consumer = \(consumer) AND message_id = \(messageID)
            """,
            logger: logger
        )
        return try await Outbox.single(Int64.self, from: rows).map { $0 > 0 } ?? false
    }

    /// Deletes the records of messages processed more than `age` ago (30 days by default), in chunks of
    /// `chunkSize` rows per statement. Keep `age` far longer than any redelivery can take: a message
    /// redelivered after its record is gone is processed again.
    /// - Returns: The number of records deleted.
    @discardableResult
    public func purge(
        olderThan age: Duration = .seconds(30 * 24 * 3600),
        chunkSize: Int = 10_000,
        client: PostgresClient,
        logger: Logger
    ) async throws -> Int {
        var total = 0
        while true {
            let rows = try await client.query(
                """
                WITH purged AS (
                    DELETE FROM \(unescaped: schema.quoted).inbox
                    WHERE (consumer, message_id) IN (
                        SELECT consumer, message_id FROM \(unescaped: schema.quoted).inbox
                        WHERE processed_at < now() - make_interval(secs => \(age.inSeconds))
                        LIMIT \(chunkSize)
                    )
                    RETURNING 1
                )
                SELECT count(*) FROM purged
                """,
                logger: logger
            )
            let deleted = try await Outbox.single(Int64.self, from: rows).map(Int.init) ?? 0
            total += deleted
            if deleted < chunkSize { return total }
        }
    }
}
