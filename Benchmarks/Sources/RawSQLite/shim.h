#ifndef DRIFTLESS_BENCHMARKS_RAWSQLITE_SHIM_H
#define DRIFTLESS_BENCHMARKS_RAWSQLITE_SHIM_H

#include <sqlite3.h>

// Swift cannot import SQLITE_TRANSIENT (a cast in a macro): wrap the binds that need it.

/// Binds text, letting SQLite copy the bytes (SQLITE_TRANSIENT).
static inline int raw_sqlite3_bind_text(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_TRANSIENT);
}

/// Turns off double-quoted string literals, as Driftless does on its connections.
static inline int raw_sqlite3_disable_double_quoted_strings(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
}

#endif
