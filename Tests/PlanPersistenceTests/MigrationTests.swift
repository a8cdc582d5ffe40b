import Foundation
import PlanPersistence
import PostgresNIO
import Testing

@Suite("Migrations")
struct MigrationTests {
    static func widgets(_ number: Int) -> Migration {
        Migration(id: "test-000\(number)-widgets", statements: ["CREATE TABLE {schema}.widgets\(number) (id INT PRIMARY KEY)"])
    }

    @Test("applying the same list twice changes nothing the second time")
    func applyingTwiceChangesNothing() async throws {
        try await withTestSchema(migrate: false) { db async throws in
            #expect(try await db.runner.appliedMigrationIDs() == [])
            let migrations = [Migration.messagingTables, Self.widgets(1)]
            let ids = migrations.map(\.id)

            #expect(try await db.runner.apply(migrations) == ids)
            #expect(try await db.runner.apply(migrations) == [])
            #expect(try await db.runner.appliedMigrationIDs() == ids)
            for table in ["outbox", "inbox", "widgets1", "schema_migrations"] {
                #expect(try await db.tableExists(table), "\(table) should exist")
            }
            let checksum = try await db.scalar(
                String.self,
                "SELECT checksum FROM \(unescaped: db.schema.quoted).schema_migrations WHERE id = \(Migration.messagingTables.id)"
            )
            #expect(checksum == Migration.messagingTables.checksum)

            // Appending a migration later applies just that one.
            #expect(try await db.runner.apply(migrations + [Self.widgets(2)]) == [Self.widgets(2).id])
        }
    }

    @Test("a failing statement rolls its migration back; earlier migrations stay")
    func failingMigrationIsRolledBack() async throws {
        try await withTestSchema(migrate: false) { db async throws in
            let good = Self.widgets(1)
            let bad = Migration(id: "test-0002-bad", statements: [
                "CREATE TABLE {schema}.half_done (id INT)",
                "CREATE TABLE {schema}.broken (id NO_SUCH_TYPE)",
            ])
            try await db.runner.apply([good])

            let error = await #expect(throws: MigrationError.self) {
                try await db.runner.apply([good, bad, Self.widgets(3)])
            }
            guard case .failed(let id, let statementIndex, let underlying) = error else {
                Issue.record("expected MigrationError.failed, got \(String(describing: error))")
                return
            }
            #expect(id == bad.id)
            #expect(statementIndex == 1)
            #expect(underlying is PSQLError)
            #expect(String(describing: error!).contains("no_such_type"))

            #expect(try await !db.tableExists("half_done"))
            #expect(try await !db.tableExists("widgets3"))
            #expect(try await db.tableExists("widgets1"))
            #expect(try await db.runner.appliedMigrationIDs() == [good.id])

            // A corrected migration applies afterwards.
            let fixed = Migration(id: bad.id, statements: ["CREATE TABLE {schema}.half_done (id INT)"])
            #expect(try await db.runner.apply([good, fixed]) == [fixed.id])
        }
    }

    @Test("a recorded migration whose statements changed is refused")
    func changedChecksumIsDetected() async throws {
        try await withTestSchema(migrate: false) { db async throws in
            let original = Self.widgets(1)
            try await db.runner.apply([original])
            let edited = Migration(id: original.id, statements: original.statements + ["CREATE INDEX ON {schema}.widgets1 (id)"])

            let error = await #expect(throws: MigrationError.self) {
                try await db.runner.apply([edited, Self.widgets(2)])
            }
            guard case .checksumMismatch(let id, let recorded, let current) = error else {
                Issue.record("expected checksumMismatch, got \(String(describing: error))")
                return
            }
            #expect(id == original.id)
            #expect(recorded == original.checksum)
            #expect(current == edited.checksum)
            #expect(try await !db.tableExists("widgets2"))
        }
    }

    @Test("two runners (two clients) applying concurrently apply each migration once")
    func concurrentRunnersApplyEachOnce() async throws {
        try await withTestSchema(migrate: false) { db async throws in
            var migrations = [Migration(id: "test-0000-log", statements: [
                "CREATE TABLE {schema}.migration_log (id TEXT NOT NULL)",
            ])]
            for number in 1...6 {
                migrations.append(Migration(id: "test-000\(number)-step", statements: [
                    "INSERT INTO {schema}.migration_log (id) VALUES ('step\(number)')",
                    "SELECT pg_sleep(0.02)",
                ]))
            }
            let list = migrations
            let schema = db.schema
            let logger = db.logger
            async let first = db.runner.apply(list)
            async let second = withRunningClient { other in
                try await MigrationRunner(client: other, schema: schema, logger: logger).apply(list)
            }
            let (a, b) = try await (first, second)

            #expect(Set(a).isDisjoint(with: Set(b)))
            #expect(Set(a).union(b) == Set(list.map(\.id)))
            #expect(try await db.count(table: "migration_log") == 6)
            #expect(try await db.scalar(Int64.self, "SELECT count(DISTINCT id) FROM \(unescaped: db.schema.quoted).migration_log") == 6)
            #expect(try await db.runner.appliedMigrationIDs() == list.map(\.id))
        }
    }

    @Test("{schema} is replaced, and unqualified names land in the schema")
    func schemaTokenAndSearchPath() async throws {
        try await withTestSchema(migrate: false) { db async throws in
            try await db.runner.apply([Migration(id: "test-0001-names", statements: [
                "CREATE TABLE gadgets (id INT)",
                "CREATE TABLE {schema}.gizmos (id INT)",
                "COMMENT ON TABLE gizmos IS 'in {schema}'",
            ])])
            #expect(try await db.tableExists("gadgets"))
            #expect(try await db.tableExists("gizmos"))
            let comment = try await db.scalar(
                String.self,
                "SELECT obj_description(to_regclass(\("\(db.schema.rawValue).gizmos")), 'pg_class')"
            )
            #expect(comment == "in \(db.schema.rawValue)")
        }
    }

    @Test("duplicate and empty ids are rejected before anything runs")
    func invalidListsAreRejected() async throws {
        try await withTestSchema(migrate: false) { db async throws in
            await #expect(throws: MigrationError.self) {
                try await db.runner.apply([Self.widgets(1), Self.widgets(1)])
            }
            await #expect(throws: MigrationError.self) {
                try await db.runner.apply([Migration(id: "", statements: [])])
            }
            #expect(try await !db.tableExists("widgets1"))
        }
    }

    @Test("checksums are SHA-256 over length-prefixed statements, and messagingTables is frozen")
    func checksums() {
        // sha256(00 00 00 00 00 00 00 03 'a' 'b' 'c')
        #expect(Migration(id: "x", statements: ["abc"]).checksum == "c3494ca1a2cf8eeb8a11ded316fb55b83c3bbbedb6313cd50415251e5d09e12f")
        #expect(Migration(id: "x", statements: []).checksum == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Several 64-byte blocks, and a statement longer than 255 bytes: sha256(00..00 03 e8 'a'×1000)
        #expect(Migration(id: "x", statements: [String(repeating: "a", count: 1000)]).checksum == "12927acabb6790a39811f5715096f18bba9d60990478f88d97d5d8f9c7ab750f")
        #expect(Migration(id: "x", statements: ["ab", "c"]).checksum != Migration(id: "x", statements: ["a", "bc"]).checksum)
        // Applied in every service's database: never edit it; add a new migration instead.
        #expect(Migration.messagingTables.id == "messaging-0001-outbox-inbox")
        #expect(Migration.messagingTables.checksum == MessagingTablesChecksum.frozen)
    }
}

enum MessagingTablesChecksum {
    static let frozen = "d30f1d8d80864f367a136278665f9e067deabf0cc1d3cfb94360e1380d610fe5"
}
