import Driftless

extension DatabaseValue {
    /// The value as plain text, for messages.
    var textValue: String {
        switch self {
        case .text(let text): text
        case .null: "NULL"
        default: description
        }
    }
}
