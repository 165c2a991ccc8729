import Driftless
import Testing

/// A child of `Member` by a declared foreign key, for the relation checks.
struct MemberNote: Record, Codable, Equatable {
    var id: Int64
    var memberID: Int64
    var text: String

    enum CodingKeys: String, CodingKey { case id, memberID = "member_id", text }

    static let schema = RecordSchema<MemberNote>(table: "member_notes") {
        Column("id", \.id, primaryKey: true)
        Column("member_id", \.memberID, default: 1)
        Column("text", \.text, default: "")
    }

    static let member = BelongsTo<MemberNote, Member>(\.memberID)
}

extension Member {
    static let notes = HasMany<Member, MemberNote>(\.memberID)
}

enum RelationConformance {
    /// Belongs-to and has-many over generated rows (more keys than one query binds), with
    /// each table drift-tolerant on its own: a missing foreign key reads as its default
    /// (member 1), a missing table has no related rows.
    static func relations<D: TestDatabase>(in db: D) throws {
        var random = PropertyRandom.forSuite("relations")
        let members = db.blocking.repository(Member.self)
        let notes = db.blocking.repository(MemberNote.self)
        let parents = (1...600).map(Member.sample)
        let children = (1...900).map { MemberNote(id: Int64($0), memberID: Int64.random(in: 0...700, using: &random), text: "n\($0)") }

        func expect(_ members: [Member], _ notes: [MemberNote], _ label: String) throws {
            let byID = Dictionary(uniqueKeysWithValues: members.map { ($0.id, $0) })
            let withParents = try db.blocking.repository(Member.self).load(MemberNote.member, for: notes)
            #expect(withParents.map(\.0) == notes, "\(label)")
            #expect(withParents.map { $0.1?.id } == notes.map { byID[$0.memberID]?.id }, "\(label)")
            let withChildren = try db.blocking.repository(MemberNote.self).load(Member.notes, for: members)
            #expect(withChildren.map(\.0) == members, "\(label)")
            #expect(withChildren.map { $0.1.map(\.id).sorted() } == members.map { member in
                notes.filter { $0.memberID == member.id }.map(\.id)
            }, "\(label)")
        }

        // Both tables whole.
        try DriftConformance.createMembers(in: db, missing: [], rows: [])
        try db.executeRaw("CREATE TABLE member_notes (\"id\" \(db.sqlType(.integer)) PRIMARY KEY, \"member_id\" \(db.sqlType(.integer)) NOT NULL, \"text\" \(db.sqlType(.text)) NOT NULL)")
        try members.insert(contentsOf: parents)
        try notes.insert(contentsOf: children)
        try expect(parents, children, "whole")

        // The notes table lacks its foreign key: every note belongs to member 1, its default.
        try db.executeRaw("DROP TABLE member_notes")
        try db.executeRaw("CREATE TABLE member_notes (\"id\" \(db.sqlType(.integer)) PRIMARY KEY, \"text\" \(db.sqlType(.text)) NOT NULL)")
        db.driftContext.invalidateSchema()
        try notes.insert(contentsOf: children.map { MemberNote(id: $0.id, memberID: 1, text: $0.text) })
        let drifted = try notes.fetchAll(MemberNote.order(.ascending(\.id)))
        #expect(drifted.allSatisfy { $0.memberID == 1 })
        try expect(parents, drifted, "missing foreign key")

        // A missing related table relates nothing.
        try db.executeRaw("DROP TABLE members")
        db.driftContext.invalidateSchema()
        #expect(try notes.load(Member.notes, for: parents).allSatisfy { $0.1.count == (($0.0.id == 1) ? 900 : 0) })
        #expect(try members.load(MemberNote.member, for: drifted).allSatisfy { $0.1 == nil })
        try db.executeRaw("DROP TABLE member_notes")
        db.driftContext.invalidateSchema()
        #expect(try notes.load(Member.notes, for: parents).allSatisfy { $0.1.isEmpty })
    }
}
