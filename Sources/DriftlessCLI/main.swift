import DriftlessCommandLine

// The `driftless` tool: every command lives in DriftlessCommandLine, so that an app can embed
// the same commands with its own Swift migrations and records. This one has SQL files only.
await DriftlessCommand.main(migrations: [])
