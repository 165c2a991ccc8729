import CLibPQ
import Driftless
import Foundation

/// One PostgreSQL connection (libpq), configured the way Driftless needs it.
///
/// Statements are named prepared statements (`driftless_1`, `driftless_2`, ...) cached per
/// connection by the core, or unnamed ones when
/// ``PostgresConfiguration/usesUnnamedStatements`` is set (PgBouncer transaction pooling).
/// Inside a transaction, a statement's first execution runs under a probe savepoint so that
/// drift cannot abort the caller's transaction: see ``PostgresSession``.
///
/// A connection is used by one thread at a time, which its ``PostgresDatabase`` guarantees;
/// hence the unchecked `Sendable`.
public final class PostgresConnection: DriverConnection, @unchecked Sendable {
    let session: PostgresSession
    public let statementCache = StatementCache<PostgresStatement>()
    public var dialect: PostgresDialect { .postgres }
    public var transactionDepth = 0
    /// What a cancel request needs (the server's process id and secret key), taken once.
    private let cancelHandle: PostgresCancelHandle?
    /// Cancel requests on their way to the server.
    private let cancelRequests = DispatchGroup()

    /// Connects, within the configuration's `connectTimeout` (see ``PostgresConnector``).
    /// Throws a `.cannotOpen` ``DatabaseError`` naming the target and libpq's reason.
    public init(configuration: PostgresConfiguration) throws {
        let handle = try PostgresConnector.connect(configuration)
        // Notices ("there is no transaction in progress", ...) are not errors: keep stderr quiet.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        session = PostgresSession(handle: handle, usesUnnamedStatements: configuration.usesUnnamedStatements)
        cancelHandle = PQgetCancel(handle).map(PostgresCancelHandle.init)
    }

    deinit {
        statementCache.removeAll()
    }

    /// Whether the connection may go back to the pool: connected and outside any transaction.
    var isReusable: Bool { session.isIdleAndHealthy }

    /// The pool's check before handing the connection out (see
    /// ``PostgresConfiguration/pingAfterIdle``): libpq's status, then whether anything
    /// arrived on the socket while idle, then, after `pingAfter` idle, an empty query.
    ///
    /// A connection returned moments ago (``recentlyReturned``) skips the socket poll, a
    /// system call per checkout: a lookup loop would pay it on every call, and a connection
    /// the server closed within that moment fails its statement as `.connectionLost`, which
    /// reads retry on a fresh connection.
    func isHealthy(idleFor: Duration, pingAfter: Duration?) -> Bool {
        guard session.isIdleAndHealthy else { return false }
        if idleFor < Self.recentlyReturned { return true }
        // An idle pool connection listens to nothing: bytes (a FATAL notice before the
        // server closed it) or end-of-file mean it is gone. Wait zero milliseconds.
        var descriptor = pollfd(fd: PQsocket(session.handle), events: Int16(POLLIN), revents: 0)
        if poll(&descriptor, 1, 0) != 0 { return false }
        if let pingAfter, idleFor >= pingAfter {
            guard (try? session.command("")) != nil else { return false }
        }
        return true
    }

    /// `insert(contentsOf:)` sends up to 256 rows per INSERT (a multi-row `VALUES` list)
    /// instead of one statement, hence one round trip, per row: beyond a few hundred rows a
    /// statement gets slower again (BENCHMARKS.md, "Design measurements"). Multi-row
    /// statements rather than pipeline mode: the same round-trip saving without one executor
    /// start per row, and no risk of both ends blocking on full socket buffers.
    public var insertBatchRows: Int { 256 }
    /// How long a returned connection counts as checked (see ``isHealthy(idleFor:pingAfter:)``).
    static let recentlyReturned = Duration.milliseconds(1)

    /// From this many rows on, `insert(contentsOf:)` sends rows through `COPY ... FROM STDIN`
    /// (``PostgresCopy``) rather than INSERT statements: one statement and one stream, where
    /// the multi-row INSERTs cost a round trip and a parse per 256 rows. Below it, the COPY's
    /// fixed cost (its start, and the probe savepoint inside a transaction) is not repaid.
    public var copyThreshold: Int? { 64 }

    /// Sends the rows with ``PostgresCopy``; under the probe savepoint inside a transaction
    /// (see ``PostgresSession``), so that a missing column cannot abort the caller's
    /// transaction before the core reflects the table and retries.
    public func copyRows(into table: TableName, columns: [String], rows: Int,
                         values: (Int, inout [DatabaseValue]) throws -> Void) throws -> Bool
    {
        guard !columns.isEmpty else { return false }
        session.flushDeallocations()
        let copy = PostgresCopy(session: session, table: table, columns: columns)
        if session.currentTransaction() != nil {
            try session.probe { try copy.run(rows: rows, values: values) }
        } else {
            try copy.run(rows: rows, values: values)
        }
        return true
    }
    /// The protocol's limit: a Bind message counts its parameters in 16 bits.
    public var maximumParameterCount: Int { 65_535 }

    /// The server's version number (`150018` for 15.18).
    public var serverVersion: Int { Int(PQserverVersion(session.handle)) }

    public func prepare(_ sql: String) throws -> PostgresStatement {
        try RawSQL.check(sql)
        session.flushDeallocations()
        if session.usesUnnamedStatements {
            return PostgresStatement(session: session, sql: sql, name: nil)
        }
        let name = session.nextStatementName()
        let handle = session.handle
        let create = {
            let result = PQprepare(handle, name, sql, 0, nil)
            defer { PQclear(result) }
            guard PQresultStatus(result) == PGRES_COMMAND_OK else {
                throw PostgresErrorClassifier.error(result: result, connection: handle, sql: sql)
            }
        }
        let statement: PostgresStatement
        if let transaction = session.currentTransaction() {
            try session.probe(create)
            statement = PostgresStatement(session: session, sql: sql, name: name)
            // Preparing locked the statement's tables until the transaction ends.
            statement.probedTransaction = transaction
        } else {
            try create()
            statement = PostgresStatement(session: session, sql: sql, name: name)
        }
        return statement
    }

    public func execute(_ sql: String) throws {
        try RawSQL.check(sql)
        defer { session.resetProbes() }
        try session.command(sql)
    }

    /// Unnamed (`PQexecParams`): a one-off statement is not worth a round trip to prepare.
    public func execute(_ sql: String, arguments: [DatabaseValue]) throws -> Int {
        try RawSQL.check(sql)
        defer { session.resetProbes() }
        let statement = PostgresStatement(session: session, sql: sql, name: nil)
        defer { statement.reset() }
        try RawSQL.bind(arguments, to: statement)
        while try statement.step() {}
        return statement.changedRowCount
    }

    // MARK: Transactions

    public var isInTransaction: Bool { PQtransactionStatus(session.handle) != PQTRANS_IDLE }

    /// A body that caught an error itself left the transaction aborted: rather than letting
    /// `COMMIT` roll back silently, the transaction rolls back with a `.transactionAborted` error.
    public func checkTransactionCanCommit() throws {
        if session.isInFailedTransaction {
            throw DatabaseError(kind: .transactionAborted, sqlState: "25P02",
                                message: "the transaction was aborted by an earlier error and has been rolled back")
        }
    }

    // MARK: Cancellation

    /// Sends a cancel request (`PQcancel`, which connects to the server) from a thread of its
    /// own, never the caller's: a cancellation handler may run on Swift's cooperative pool.
    /// The running statement then fails with 57014 (`.interrupted`).
    public func interrupt() {
        guard let cancelHandle else { return }
        cancelRequests.enter()
        let requests = cancelRequests
        PostgresCancelHandle.sender.enqueue {
            cancelHandle.send()
            requests.leave()
        }
    }

    /// `PQcancel` returns once the server has acted on the request; a request that arrives
    /// while no statement runs is discarded by the server, so none survives to cancel a later
    /// statement once this returns.
    public func waitForInterrupts() {
        cancelRequests.wait()
    }

    public func reflectTable(_ table: TableName) throws -> TableSchema? {
        let rows = try session.rows(Self.reflectionSQL, [dialect.quote(table)])
        guard !rows.isEmpty else { return nil }
        return TableSchema(table: table, columns: rows.map { row in
            TableSchema.Column(
                name: row[0] ?? "",
                declaredType: row[1] ?? "",
                isNotNull: row[2] == "t",
                defaultSQL: row[3],
                isPrimaryKey: row[4] == "t",
                isGenerated: row[5] == "t")
        })
    }

    /// The columns of the relation the (quoted, possibly qualified) name resolves to through
    /// `search_path`, in order. Identity, serial and generated columns count as generated.
    static let reflectionSQL = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid),
               COALESCE(a.attnum = ANY (i.indkey), false),
               (a.attidentity <> '' OR a.attgenerated <> ''
                OR COALESCE(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false))
        FROM pg_catalog.pg_attribute a
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_catalog.pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
        WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """

    public func schemaFingerprint(of tables: [TableName]) throws -> Int64 {
        // Array elements in double quotes with " and \ escaped by \, as array_in reads them.
        let names = tables.map { dialect.quote($0).quoted(with: "\"", escape: "\\") }
        let rows = try session.rows(Self.fingerprintSQL, ["{" + names.joined(separator: ",") + "}"])
        guard let digest = rows.first?[0], let value = UInt64(digest.prefix(16), radix: 16) else { return 0 }
        return Int64(bitPattern: value)
    }

    /// One query: an md5 over each table's oid and its columns' (name, type, not null,
    /// dropped), so that any ADD/DROP/ALTER COLUMN, or a table created or dropped, changes it.
    static let fingerprintSQL = """
        SELECT md5(string_agg(t.n::text || ':' || COALESCE(r.relid::oid::text, '-') || ':' || COALESCE((
                   SELECT string_agg(a.attname || '/' || a.atttypid::text || '/' || a.attnotnull::text
                                     || '/' || a.attisdropped::text, ',' ORDER BY a.attnum)
                   FROM pg_catalog.pg_attribute a WHERE a.attrelid = r.relid AND a.attnum > 0), ''),
               ';' ORDER BY t.n))
        FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n)
        CROSS JOIN LATERAL (SELECT to_regclass(t.name) AS relid) r
        """
}
