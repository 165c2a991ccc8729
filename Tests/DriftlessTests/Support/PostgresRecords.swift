import Driftless
import Foundation

/// PostgreSQL DDL for the shared `User` record (see Records.swift).
extension User {
    static let createFullTablePostgres = """
        CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text,
                            plan text NOT NULL DEFAULT 'free')
        """
    /// The table before the migration that adds `plan`.
    static let createTableWithoutPlanPostgres = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, email text)"
}

/// A second table, touched first in transactions so that `users` is not locked yet.
struct EventRow: Record, Equatable {
    var id: Int64
    var note: String

    static let schema = RecordSchema<EventRow>(table: "events") {
        Column("id", \.id, primaryKey: true)
        Column("note", \.note, default: "")
    }

    init(id: Int64, note: String) {
        self.id = id
        self.note = note
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        note = try row.decode(at: 1)
    }

    static let createTable = "CREATE TABLE events (id bigint PRIMARY KEY, note text NOT NULL DEFAULT '')"
}

/// Every supported type.
struct TypedSample: Record, Equatable {
    var id: Int64
    var small: Int16
    var count: Int32
    var ratio: Double
    var flag: Bool
    var label: String
    var bytes: [UInt8]
    var at: Date
    var uid: UUID
    var maybe: String?
    var amount: String
    var doc: String

    static let schema = RecordSchema<TypedSample>(table: "samples") {
        Column("id", \.id, primaryKey: true)
        Column("small", \.small, default: 0)
        Column("count", \.count, default: 0)
        Column("ratio", \.ratio, default: 0)
        Column("flag", \.flag, default: false)
        Column("label", \.label, default: "")
        Column("bytes", \.bytes, default: [])
        Column("at", \.at, default: Date(timeIntervalSince1970: 0))
        Column("uid", \.uid, default: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        Column("maybe", \.maybe)
        Column("amount", \.amount, default: "0")
        Column("doc", \.doc, default: "{}")
    }

    init(id: Int64, small: Int16, count: Int32, ratio: Double, flag: Bool, label: String, bytes: [UInt8],
         at: Date, uid: UUID, maybe: String?, amount: String, doc: String) {
        self.id = id; self.small = small; self.count = count; self.ratio = ratio; self.flag = flag
        self.label = label; self.bytes = bytes; self.at = at; self.uid = uid; self.maybe = maybe
        self.amount = amount; self.doc = doc
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        small = try row.decode(at: 1)
        count = try row.decode(at: 2)
        ratio = try row.decode(at: 3)
        flag = try row.decode(at: 4)
        label = try row.decode(at: 5)
        bytes = try row.decode(at: 6)
        at = try row.decode(at: 7)
        uid = try row.decode(at: 8)
        maybe = try row.decode(at: 9)
        amount = try row.decode(at: 10)
        doc = try row.decode(at: 11)
    }

    static let createTable = """
        CREATE TABLE samples (id bigint PRIMARY KEY, small smallint NOT NULL, count integer NOT NULL,
            ratio double precision NOT NULL, flag boolean NOT NULL, label varchar(200) NOT NULL,
            bytes bytea NOT NULL, at timestamptz NOT NULL, uid uuid NOT NULL, maybe text,
            amount numeric NOT NULL, doc jsonb NOT NULL)
        """
}

/// A table named with a reserved word, in an explicit schema.
struct ReservedUser: Record, Equatable {
    var id: Int64
    var order: String

    static let schema = RecordSchema<ReservedUser>(table: "user", schema: "driftless_qualified") {
        Column("id", \.id, primaryKey: true)
        Column("order", \.order, default: "none")
    }

    init(id: Int64, order: String) {
        self.id = id
        self.order = order
    }

    init(row: Row) throws {
        id = try row.decode(at: 0)
        order = try row.decode(at: 1)
    }
}
