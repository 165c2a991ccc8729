import Driftless
import InMemoryTracing
import Testing
import Tracing

/// Query spans on every backend, recorded by swift-distributed-tracing's in-memory tracer
/// (a real `Tracer`; the database is real).
enum TracingConformance {
    struct Spanned: Record, Codable, Equatable {
        var id: Int64
        var name: String
        var plan: String          // missing from the table: the first statement meets drift

        static let schema = RecordSchema<Spanned>(table: "spanned") {
            Column("id", \.id, primaryKey: true)
            Column("name", \.name, default: "")
            Column("plan", \.plan, default: "free", onMissingWrite: .discard)
        }
    }

    static func attribute(_ span: FinishedInMemorySpan, _ name: String) -> String? {
        guard let value = span.attributes[name]?.toSpanAttribute() else { return nil }
        switch value {
        case .string(let text): return text
        case .bool(let flag): return "\(flag)"
        default: return "\(value)"
        }
    }

    /// One client span per record operation, a child of the caller's span, with the `db.*`
    /// attributes; drift recovery marked; no statement text unless asked for; errors recorded.
    static func querySpans<Fixture: ConformanceFixture>(_: Fixture.Type) async throws {
        let tracer = InMemoryTracer()
        let fixture = try Fixture(drift: DriftConfiguration(logger: LogCapture.silentLogger, tracing: QueryTracing(tracer: tracer)))
        let db = fixture.database
        let system = db.driftContext.dialect.name == "sqlite" ? "sqlite" : "postgresql"
        try db.executeRaw("CREATE TABLE spanned (id \(db.sqlType(.integer)) PRIMARY KEY, name \(db.sqlType(.text)) NOT NULL)")
        let spanned = db.repository(Spanned.self)

        let secret = "value-\(Int.random(in: 1000...9999))"
        try await tracer.withSpan("request") { _ in
            try await spanned.insert(Spanned(id: 1, name: secret, plan: "free"))
            #expect(try await spanned.find(Int64(1))?.name == secret)
            _ = try await spanned.fetchAll(Spanned.filter(\.name == secret))
            try await spanned.update(Spanned(id: 1, name: "renamed", plan: "free"))
            #expect(try await spanned.count() == 1)
            try await spanned.forEach { _ in }
            await #expect(throws: DatabaseError.self) { try await spanned.insert(Spanned(id: 1, name: "again", plan: "free")) }
            try await spanned.delete(key: [.integer(1)])
        }
        let spans = tracer.finishedSpans
        let request = try #require(spans.first { $0.operationName == "request" })
        let queries = spans.filter { $0.operationName != "request" }
        #expect(queries.map(\.operationName) == [
            "INSERT spanned", "SELECT spanned", "SELECT spanned", "UPDATE spanned", "SELECT spanned", "SELECT spanned",
            "INSERT spanned", "DELETE spanned",
        ])
        for span in queries {
            #expect(span.kind == .client)
            #expect(span.traceID == request.traceID && span.parentSpanID == request.spanID, "\(span.operationName) is not the request's child")
            #expect(attribute(span, "db.system.name") == system)
            #expect(attribute(span, "db.system") == system)
            #expect(attribute(span, "db.namespace")?.isEmpty == false)
            #expect(attribute(span, "db.collection.name") == "spanned")
            #expect(attribute(span, "db.operation.name") == String(span.operationName.prefix { $0 != " " }))
            #expect(attribute(span, "db.query.text") == nil, "statement text is off by default")
            #expect(attribute(span, "driftless.plan.mode") == "projected")
            var values: [String] = []
            span.attributes.forEach { _, value in values.append("\(value)") }
            #expect(!values.contains { $0.contains(secret) }, "a bound value reached the span")
        }
        #expect(attribute(queries[0], "driftless.drift.recovered") == "true", "the first insert met the missing column")
        #expect(queries.dropFirst().allSatisfy { attribute($0, "driftless.drift.recovered") == nil })
        #expect(queries[6].status?.code == .error && !queries[6].errors.isEmpty, "the duplicate insert's span records its error")
        #expect(queries.enumerated().allSatisfy { $0.offset == 6 || $0.element.status == nil })

        // Opted in: the statement text, which names columns and never holds a bound value.
        let textTracer = InMemoryTracer()
        let other = try fixture.openAnother(drift: DriftConfiguration(
            logger: LogCapture.silentLogger, tracing: QueryTracing(tracer: textTracer, recordsStatementText: true, namespace: "app")))
        _ = try await other.repository(Spanned.self).fetchAll(Spanned.filter(\.name == secret))
        let withText = try #require(textTracer.finishedSpans.last)
        let text = try #require(attribute(withText, "db.query.text"))
        #expect(text.contains("SELECT") && text.contains("\"spanned\"") && !text.contains(secret))
        #expect(attribute(withText, "db.namespace") == "app")
    }
}
