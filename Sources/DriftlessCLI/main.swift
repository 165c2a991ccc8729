import DriftlessCommandLine

// The `driftless` tool: every command lives in DriftlessCommandLine, so that an app can embed
// the same commands with its own Swift migrations and records.
await DriftlessCommand.main()
