import Tracing

/// Spans for the statements a database runs, with the usual `db.*` attributes, through a
/// swift-distributed-tracing `Tracer`.
///
/// Off unless ``DriftConfiguration/tracing`` is set, so an untraced database pays one branch
/// per statement:
///
/// ```swift
/// var drift = DriftConfiguration()
/// drift.tracing = QueryTracing()                      // the bootstrapped InstrumentationSystem.tracer
/// let db = try PostgresDatabase(url: url, drift: drift)
/// ```
///
/// Each record operation (a find, a query, a write with its drift recovery) is one client span
/// named like `SELECT users`, a child of the caller's span (the task's `ServiceContext`),
/// with `db.system.name` (and the older `db.system`), `db.namespace`, `db.operation.name`,
/// `db.collection.name`, and `driftless.plan.mode`, plus `driftless.drift.recovered` when the
/// statement met drift and was retried. The statement text (`db.query.text`) is left out
/// unless ``recordsStatementText`` is set: it shows table and column names, never values
/// (they are bound parameters).
public struct QueryTracing: Sendable {
    /// The tracer spans go to.
    public var tracer: any Tracer
    /// Whether spans carry the statement text.
    public var recordsStatementText: Bool
    /// `db.namespace`; nil: the backend's (the PostgreSQL database name, the SQLite file name).
    public var namespace: String?
    /// `db.system.name`, set by the backend.
    var system = "unknown"

    public init(tracer: any Tracer = InstrumentationSystem.tracer, recordsStatementText: Bool = false, namespace: String? = nil) {
        self.tracer = tracer
        self.recordsStatementText = recordsStatementText
        self.namespace = namespace
    }

    /// The configuration a backend runs with: its system name, and its namespace unless the
    /// app chose one.
    package func describing(system: String, namespace: String?) -> QueryTracing {
        var tracing = self
        tracing.system = system
        tracing.namespace = self.namespace ?? namespace
        return tracing
    }
}

/// The tracing of one record operation: the configuration and the caller's context, taken on
/// the caller's task (the statement runs on a connection's thread, where the task's
/// `ServiceContext` is not visible), and the operation's span while it runs.
/// (Unchecked `Sendable`: the span is touched by one thread at a time, the one running the
/// operation's job.)
@usableFromInline
final class QueryTrace: @unchecked Sendable {
    let tracing: QueryTracing
    let parent: ServiceContext
    private var span: (any Span)?

    init(tracing: QueryTracing, parent: ServiceContext) {
        self.tracing = tracing
        self.parent = parent
    }

    /// Marks the running span: its statement met drift and was retried (a cold path).
    @usableFromInline
    func noteDriftRecovered() {
        span?.attributes["driftless.drift.recovered"] = true
    }

    /// Runs one operation's attempts inside a span.
    @usableFromInline
    func span<T>(_ kind: PlanKind, table: TableName, _ attempts: (_ annotate: (Plan) -> Void) throws -> T) throws -> T {
        let operation = kind.operationName
        let span = tracing.tracer.startSpan("\(operation) \(table.name)", context: parent, ofKind: .client)
        self.span = span
        defer {
            self.span = nil
            span.end()
        }
        span.attributes["db.system.name"] = tracing.system
        span.attributes["db.system"] = tracing.system
        if let namespace = tracing.namespace { span.attributes["db.namespace"] = namespace }
        span.attributes["db.operation.name"] = operation
        span.attributes["db.collection.name"] = table.schema.map { "\($0).\(table.name)" } ?? table.name
        do {
            return try attempts { plan in
                span.attributes["driftless.plan.mode"] = plan.mode.isDrifted ? "projected" : "full"
                if tracing.recordsStatementText, let sql = plan.sql { span.attributes["db.query.text"] = sql }
            }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}

extension DriftContext {
    /// The trace of an operation about to start on the caller's task; nil when tracing is off.
    @usableFromInline
    func queryTrace() -> QueryTrace? {
        guard let tracing = configuration.tracing else { return nil }
        return QueryTrace(tracing: tracing, parent: ServiceContext.current ?? .topLevel)
    }
}

extension PlanKind {
    /// `db.operation.name`.
    var operationName: String {
        switch self {
        case .select, .find, .count, .exists, .project: "SELECT"
        case .insert, .insertReturning, .upsert: "INSERT"
        case .update, .updateColumns, .updateAll: "UPDATE"
        case .delete, .deleteAll: "DELETE"
        }
    }
}
