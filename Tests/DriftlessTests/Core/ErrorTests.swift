import Driftless
import Testing

@Suite("Errors") struct ErrorTests {
    @Test func codesCompareAndCarryTheirFields() {
        let error = DriftlessError.typeMismatch(
            table: TableName("users"), column: "email", key: "id=1", expected: "Int", found: "secret@example.com")
        #expect(error.code == .typeMismatch)
        #expect(error.code != .unexpectedNull)
        #expect(error.table == TableName("users") && error.column == "email" && error.key == "id=1")
        #expect(error.found == "secret@example.com")
        #expect(error == .typeMismatch(table: TableName("users"), column: "email", key: "id=1",
                                       expected: "Int", found: "secret@example.com"))
    }

    @Test func messagesNameTableColumnAndKeyButNotTheValue() {
        let errors: [DriftlessError] = [
            .typeMismatch(table: TableName("users"), column: "email", key: "id=1", expected: "Int",
                          found: "secret@example.com"),
            .valueRejected(table: TableName("users"), column: "email", key: "id=1", value: "secret@example.com"),
        ]
        for error in errors {
            #expect(error.description.contains("users.email"))
            #expect(error.description.contains("id=1"))
            #expect(!error.description.contains("secret"), "\(error)")
            #expect(error.description.contains("18 bytes"))
            #expect(error.description(revealingValues: true).contains("'secret@example.com'"))
        }
    }

    @Test func databaseErrorKindsCompareByValue() {
        let error = DatabaseError(kind: .undefinedColumn, message: "no such column: plan", column: "plan")
        #expect(error.isSchemaDrift)
        #expect(error.kind == .undefinedColumn && error.kind != .undefinedTable)
        #expect(!DatabaseError(kind: .busy, message: "locked").isSchemaDrift)
        #expect(DatabaseError.Kind.interrupted.description == "interrupted")
    }
}
