import ArgumentParser

/// `--dialect`: which SQL flavour to render when no database is given.
enum Dialect: String, ExpressibleByArgument, CaseIterable {
    case sqlite
    case postgres
}
