#ifndef DRIFTLESS_CSQLITE_SHIM_H
#define DRIFTLESS_CSQLITE_SHIM_H

#include <sqlite3.h>

// Swift cannot import function-like macros, casts in macros or variadic C functions.
// These wrappers re-export what Driftless needs of them.

/// Binds text, letting SQLite copy the bytes (SQLITE_TRANSIENT).
static inline int driftless_sqlite3_bind_text(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text, length, SQLITE_TRANSIENT);
}

/// Binds a blob, letting SQLite copy the bytes (SQLITE_TRANSIENT).
static inline int driftless_sqlite3_bind_blob(sqlite3_stmt *stmt, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(stmt, index, bytes, length, SQLITE_TRANSIENT);
}

/// Turns off double-quoted string literals for DML and DDL, so that `"missing"` is an
/// error naming the column instead of the string 'missing'.
static inline int driftless_sqlite3_disable_double_quoted_strings(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)0);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)0);
}

/// Turns on foreign key enforcement for the connection.
static inline int driftless_sqlite3_enable_foreign_keys(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, (int *)0);
}

static const int driftless_sqlite_prepare_persistent = SQLITE_PREPARE_PERSISTENT;
static const int driftless_sqlite_constraint_notnull = SQLITE_CONSTRAINT_NOTNULL;
static const int driftless_sqlite_constraint_unique = SQLITE_CONSTRAINT_UNIQUE;
static const int driftless_sqlite_constraint_primarykey = SQLITE_CONSTRAINT_PRIMARYKEY;
static const int driftless_sqlite_constraint_foreignkey = SQLITE_CONSTRAINT_FOREIGNKEY;
static const int driftless_sqlite_constraint_check = SQLITE_CONSTRAINT_CHECK;

#endif
