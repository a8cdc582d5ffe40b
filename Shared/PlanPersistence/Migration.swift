import Foundation
import Logging
import PostgresNIO

/// One versioned migration: ordered SQL statements run in one transaction.
///
/// Each element of ``statements`` is exactly one SQL statement (PostgreSQL's extended query protocol, which
/// PostgresNIO uses, refuses several statements in one string; a `DO $$ … $$` block or a
/// `CREATE FUNCTION … $$ … $$` counts as one). The token `{schema}` is replaced by the bare schema name
/// (a ``SchemaName`` is always safe unquoted), and the statements run with `search_path` set to the schema then
/// `public`, so unqualified `CREATE TABLE widgets …` lands in the service's schema too.
///
/// Once a migration has been applied anywhere, never edit it: the runner records a checksum of its statements
/// and refuses to go on when it changes (``MigrationError/checksumMismatch(id:recorded:current:)``). Add a new
/// migration instead.
public struct Migration: Sendable, Hashable {
    /// A unique, ordered identifier, e.g. `"messaging-0001-outbox-inbox"` or `"budget-0003-add-allocations"`.
    public var id: String
    /// The SQL statements, one statement per element, in order.
    public var statements: [String]

    /// Creates a migration.
    public init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }

    /// The SHA-256 (lowercase hex) of the statements as written (before `{schema}` is replaced, so it is the same
    /// in every schema): each statement's UTF-8 byte count as 8 big-endian bytes, followed by its bytes.
    public var checksum: String {
        var bytes: [UInt8] = []
        for statement in statements {
            let utf8 = Array(statement.utf8)
            let count = UInt64(utf8.count)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt64(shift))) }
            bytes.append(contentsOf: utf8)
        }
        return SHA256.hexDigest(bytes)
    }

    /// The statements with `{schema}` replaced by `schema`'s name.
    public func statements(in schema: SchemaName) -> [String] {
        statements.map { $0.replacingOccurrences(of: "{schema}", with: schema.rawValue) }
    }
}

/// Why ``MigrationRunner/apply(_:)`` stopped.
public enum MigrationError: Error, CustomStringConvertible {
    /// A migration recorded as applied has different statements now. Migrations are immutable once applied.
    case checksumMismatch(id: String, recorded: String, current: String)
    /// A statement failed; the migration was rolled back and not recorded. `statementIndex` is zero-based.
    case failed(id: String, statementIndex: Int, underlying: any Error)
    /// The list names the same migration id twice.
    case duplicateID(String)
    /// A migration id is empty.
    case emptyID

    public var description: String {
        switch self {
        case .checksumMismatch(let id, let recorded, let current):
            "migration \(id) was applied with checksum \(recorded) but its statements now hash to \(current); applied migrations must not change"
        case .failed(let id, let index, let underlying):
            "migration \(id) failed at statement \(index) and was rolled back: \(describe(underlying))"
        case .duplicateID(let id):
            "migration id \(id) appears more than once"
        case .emptyID:
            "a migration has an empty id"
        }
    }
}

/// Applies migrations to one schema.
///
/// - The schema and its `schema_migrations` table (`id`, `checksum`, `applied_at`) are created when missing.
/// - Each migration runs in its own transaction, which first takes a transaction-scoped advisory lock keyed on
///   the schema: runners in several processes serialize, and each migration is applied once.
/// - An already-applied migration is skipped after its checksum is compared; a changed one throws
///   ``MigrationError/checksumMismatch(id:recorded:current:)`` and nothing later is applied.
/// - A failing statement rolls its migration back (the schema is as before that migration, which is not
///   recorded) and throws ``MigrationError/failed(id:statementIndex:underlying:)``; earlier migrations stay.
/// - Recorded migrations absent from the list (say, applied by a newer release) are left alone.
public struct MigrationRunner: Sendable {
    /// The client to run migrations through. It must be running.
    public let client: PostgresClient
    /// The schema migrated.
    public let schema: SchemaName
    /// Where progress is logged.
    public let logger: Logger

    /// Creates a runner for `schema`.
    public init(client: PostgresClient, schema: SchemaName, logger: Logger) {
        self.client = client
        self.schema = schema
        self.logger = logger
    }

    private var lockKey: Int64 { AdvisoryLockKey.make("migrations", schema) }

    /// Applies the migrations not yet applied, in list order.
    /// - Returns: The ids applied by this call, in order (empty when everything was already applied).
    @discardableResult
    public func apply(_ migrations: [Migration]) async throws -> [String] {
        var seen: Set<String> = []
        for migration in migrations {
            guard !migration.id.isEmpty else { throw MigrationError.emptyID }
            guard seen.insert(migration.id).inserted else { throw MigrationError.duplicateID(migration.id) }
        }
        try await bootstrap()

        var applied: [String] = []
        for migration in migrations {
            if try await apply(migration) {
                applied.append(migration.id)
            }
        }
        return applied
    }

    /// The ids recorded in `schema_migrations`, in the order they were applied (empty when the table does not
    /// exist yet).
    public func appliedMigrationIDs() async throws -> [String] {
        let table = "\(schema.rawValue).schema_migrations"
        let exists = try await client.query("SELECT to_regclass(\(table)) IS NOT NULL", logger: logger)
        var tableExists = false
        for try await (value) in exists.decode(Bool.self) { tableExists = value }
        guard tableExists else { return [] }
        let rows = try await client.query(
            "SELECT id FROM \(unescaped: schema.quoted).schema_migrations ORDER BY applied_at, id",
            logger: logger
        )
        var ids: [String] = []
        for try await (id) in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    private func bootstrap() async throws {
        try await client.planTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            // Check before creating: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, which a
            // service role whose schema was made for it may lack.
            let rows = try await connection.query(
                "SELECT count(*) FROM pg_namespace WHERE nspname = \(schema.rawValue)",
                logger: logger
            )
            var count: Int64 = 0
            for try await (value) in rows.decode(Int64.self) { count = value }
            if count == 0 {
                try await connection.query("CREATE SCHEMA \(unescaped: schema.quoted)", logger: logger)
            }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: schema.quoted).schema_migrations (
                    id TEXT PRIMARY KEY,
                    checksum TEXT NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
                )
                """,
                logger: logger
            )
        }
    }

    /// Applies one migration unless it is recorded; returns whether it was applied now.
    private func apply(_ migration: Migration) async throws -> Bool {
        let checksum = migration.checksum
        let statements = migration.statements(in: schema)
        let applied = try await client.planTransaction(logger: logger) { connection -> Bool in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            let rows = try await connection.query(
                "SELECT checksum FROM \(unescaped: schema.quoted).schema_migrations WHERE id = \(migration.id)",
                logger: logger
            )
            var recorded: String?
            for try await (value) in rows.decode(String.self) { recorded = value }
            if let recorded {
                guard recorded == checksum else {
                    throw MigrationError.checksumMismatch(id: migration.id, recorded: recorded, current: checksum)
                }
                return false
            }
            try await connection.query("SET LOCAL search_path TO \(unescaped: schema.quoted), public", logger: logger)
            for (index, statement) in statements.enumerated() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch {
                    throw MigrationError.failed(id: migration.id, statementIndex: index, underlying: error)
                }
            }
            try await connection.query(
                """
                INSERT INTO \(unescaped: schema.quoted).schema_migrations (id, checksum, applied_at)
                VALUES (\(migration.id), \(checksum), clock_timestamp())
                """,
                logger: logger
            )
            return true
        }
        if applied {
            logger.info("applied migration", metadata: ["schema": "\(schema)", "migration": "\(migration.id)"])
        } else {
            logger.debug("migration already applied", metadata: ["schema": "\(schema)", "migration": "\(migration.id)"])
        }
        return applied
    }
}

extension Migration {
    /// The messaging tables every service needs: `outbox` and `inbox`. Services put it first in their
    /// migration list. See docs/persistence.md for the columns.
    public static let messagingTables = Migration(
        id: "messaging-0001-outbox-inbox",
        statements: [
            """
            CREATE TABLE {schema}.outbox (
                sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id UUID NOT NULL UNIQUE,
                exchange TEXT NOT NULL,
                routing_key TEXT NOT NULL,
                message_type TEXT NOT NULL,
                headers JSONB NOT NULL DEFAULT '{}'::jsonb,
                body BYTEA NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                last_attempt_at TIMESTAMPTZ,
                next_attempt_at TIMESTAMPTZ,
                sent_at TIMESTAMPTZ,
                failed_at TIMESTAMPTZ
            )
            """,
            "CREATE INDEX outbox_pending_idx ON {schema}.outbox (sequence) WHERE sent_at IS NULL AND failed_at IS NULL",
            "CREATE INDEX outbox_sent_at_idx ON {schema}.outbox (sent_at) WHERE sent_at IS NOT NULL",
            "CREATE INDEX outbox_parked_idx ON {schema}.outbox (sequence) WHERE failed_at IS NOT NULL AND sent_at IS NULL",
            """
            CREATE TABLE {schema}.inbox (
                consumer TEXT NOT NULL,
                message_id UUID NOT NULL,
                message_type TEXT NOT NULL,
                processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, message_id)
            )
            """,
            "CREATE INDEX inbox_processed_at_idx ON {schema}.inbox (processed_at)",
        ]
    )
}
