import Driftless
@testable import DriftlessPostgres
import Foundation
import Testing

@Suite struct PostgresErrorClassificationTests {
    @Test func classifiesBySQLStateOnly() {
        func kind(_ state: String, _ function: String? = nil) -> DatabaseError.Kind {
            PostgresErrorClassifier.kind(sqlState: state, sourceFunction: function)
        }
        #expect(kind("42703") == .undefinedColumn)
        #expect(kind("42P01") == .undefinedTable)
        #expect(kind("0A000", "RevalidateCachedQuery") == .staleStatement)
        #expect(kind("0A000", "transformSelectStmt") == .other)
        #expect(kind("25P02") == .transactionAborted)
        #expect(kind("40001") == .retryable)
        #expect(kind("40P01") == .retryable)
        #expect(kind("23502") == .notNullViolation)
        #expect(kind("57014") == .interrupted)
        #expect(kind("23505") == .uniqueViolation)
        #expect(kind("23503") == .constraintViolation)
        #expect(kind("23514") == .constraintViolation)
        #expect(kind("57P01") == .connectionLost)
        #expect(kind("08006") == .connectionLost)
        #expect(kind("42601") == .syntax)
        #expect(kind("22P02") == .typeMismatch)
        #expect(kind("42804") == .typeMismatch)
        #expect(kind("XX000") == .other)
    }
}

@Suite(.enabled(if: TestPostgres.isEnabled, TestPostgres.skipReason)) struct PostgresServerErrorTests {
    private func error(_ db: PostgresDatabase, _ sql: String) -> DatabaseError? {
        #expect(throws: DatabaseError.self) { try db.blocking.execute(sql) }
    }

    @Test func serverErrorsAreClassified() throws {
        let db = try PostgresFixture().database
        try db.blocking.execute(User.createFullTablePostgres)
        try db.blocking.execute("INSERT INTO users (id, name) VALUES (1, 'Ada')")
        #expect(error(db, "INSERT INTO users (id, name) VALUES (1, 'Again')")?.kind == .uniqueViolation)
        let notNull = error(db, "INSERT INTO users (id, name) VALUES (2, NULL)")
        #expect(notNull?.kind == .notNullViolation && notNull?.column == "name")
        #expect(notNull?.sqlState == "23502")
        #expect(error(db, "SELECT nope FROM users")?.kind == .undefinedColumn)
        #expect(error(db, "SELECT * FROM nowhere")?.kind == .undefinedTable)
        #expect(error(db, "SELEC 1")?.kind == .syntax)
        #expect(error(db, "SELECT 'x'::integer")?.kind == .typeMismatch)
        // The message is never read: a custom message with a drift-like SQLSTATE still classifies.
        #expect(error(db, "DO $$ BEGIN RAISE EXCEPTION 'anything at all' USING ERRCODE = '40001'; END $$")?.kind == .retryable)
        #expect(error(db, "DO $$ BEGIN RAISE EXCEPTION 'column does not exist' USING ERRCODE = '22012'; END $$")?.kind == .other)
        // 25P02 after an error in a transaction block.
        try db.write { connection in
            try connection.execute("BEGIN")
            defer { try? connection.execute("ROLLBACK") }
            #expect(throws: DatabaseError.self) { try connection.execute("SELECT 1/0") }
            let aborted = #expect(throws: DatabaseError.self) { try connection.execute("SELECT 1") }
            #expect(aborted?.kind == .transactionAborted)
        }
    }

    @Test func staleCachedPlanIsClassified() throws {
        let fixture = try PostgresFixture()
        let db = fixture.database
        let other = try fixture.openAnother()
        try db.blocking.execute("CREATE TABLE stale (id bigint PRIMARY KEY)")
        try db.write { connection in
            let statement = try connection.prepare("SELECT * FROM stale")
            #expect(try statement.step() == false)
            statement.reset()
            try other.blocking.execute("ALTER TABLE stale ADD COLUMN extra text")
            let error = #expect(throws: DatabaseError.self) { try statement.step() }
            #expect(error?.kind == .staleStatement)
            #expect(error?.sqlState == "0A000")
        }
    }

    @Test func unreachableServerFailsFast() throws {
        let start = ContinuousClock.now
        // Nothing listens on port 1.
        let refused = #expect(throws: DatabaseError.self) {
            try PostgresDatabase(url: "postgres://postgres@127.0.0.1:1/postgres")
        }
        #expect(refused?.kind == .cannotOpen)
        #expect(refused?.message.contains("127.0.0.1:1") == true)
        // A Unix socket folder with no server.
        let missing = #expect(throws: DatabaseError.self) {
            try PostgresDatabase(url: "postgres://postgres@/postgres?host=/nonexistent-driftless&port=5999")
        }
        #expect(missing?.kind == .cannotOpen)
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
