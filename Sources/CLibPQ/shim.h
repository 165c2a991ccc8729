#ifndef DRIFTLESS_CLIBPQ_SHIM_H
#define DRIFTLESS_CLIBPQ_SHIM_H

#include <libpq-fe.h>

// PG_DIAG_* are macros of character literals; re-exported as constants Swift can import.
static const int driftless_pg_diag_sqlstate = PG_DIAG_SQLSTATE;
static const int driftless_pg_diag_message_primary = PG_DIAG_MESSAGE_PRIMARY;
static const int driftless_pg_diag_message_detail = PG_DIAG_MESSAGE_DETAIL;
static const int driftless_pg_diag_source_function = PG_DIAG_SOURCE_FUNCTION;
static const int driftless_pg_diag_table_name = PG_DIAG_TABLE_NAME;
static const int driftless_pg_diag_column_name = PG_DIAG_COLUMN_NAME;
static const int driftless_pg_diag_schema_name = PG_DIAG_SCHEMA_NAME;
static const int driftless_pg_diag_constraint_name = PG_DIAG_CONSTRAINT_NAME;

#endif
