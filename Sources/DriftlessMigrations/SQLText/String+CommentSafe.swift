extension String {
    /// The text with every character that could end a `--` comment or a header line replaced
    /// by a space: line feeds and carriage returns (PostgreSQL ends a comment at either), every
    /// other control character, and Unicode's line and paragraph separators. What offline
    /// scripts and migration files write after `--` (messages, targets, summaries), so that
    /// no text of a migration's can become SQL after the comment.
    package var sanitizedForComment: String {
        String(String.UnicodeScalarView(unicodeScalars.map { scalar in
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: " "
            default: scalar
            }
        }))
    }
}
