/// Collects the columns of a table in ``MigrationBuilder/createTable(_:schema:ifNotExists:primaryKey:columns:)``.
///
/// ```swift
/// migration.createTable("users") {
///     TableColumn("id", .integer, primaryKey: true)
///     TableColumn("name", .text, nullable: false, default: "")
///     if withEmail { TableColumn("email", .text) }
/// }
/// ```
@resultBuilder
public enum TableColumnsBuilder {
    public static func buildExpression(_ column: TableColumn) -> [TableColumn] { [column] }
    public static func buildExpression(_ columns: [TableColumn]) -> [TableColumn] { columns }
    public static func buildBlock(_ components: [TableColumn]...) -> [TableColumn] { components.flatMap { $0 } }
    public static func buildOptional(_ component: [TableColumn]?) -> [TableColumn] { component ?? [] }
    public static func buildEither(first component: [TableColumn]) -> [TableColumn] { component }
    public static func buildEither(second component: [TableColumn]) -> [TableColumn] { component }
    public static func buildArray(_ components: [[TableColumn]]) -> [TableColumn] { components.flatMap { $0 } }
}
