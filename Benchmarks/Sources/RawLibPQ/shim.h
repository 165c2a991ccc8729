#ifndef DRIFTLESS_BENCHMARKS_RAWLIBPQ_SHIM_H
#define DRIFTLESS_BENCHMARKS_RAWLIBPQ_SHIM_H

#include <libpq-fe.h>
#if defined(__linux__)
#include <malloc.h>
#endif

// PG_DIAG_SQLSTATE is a macro of a character literal: re-exported as a constant Swift imports.
static const int raw_pg_diag_sqlstate = PG_DIAG_SQLSTATE;

/// Gives freed heap memory back to the system (glibc's malloc_trim; nothing elsewhere), so
/// that resident-memory readings show what the process really holds.
static inline void raw_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

#endif
