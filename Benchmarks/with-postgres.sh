#!/usr/bin/env bash
# Runs a command with DRIFTLESS_POSTGRES_URL pointing at a PostgreSQL server.
#
#     ./with-postgres.sh swift package --allow-writing-to-package-directory benchmark \
#         --target DriftlessPostgresBenchmarks
#
# If DRIFTLESS_POSTGRES_URL is already set, the command simply runs against that server.
# Otherwise a throwaway server is started for the command and stopped (and its files removed)
# when it ends, however it ends: initdb into a new temporary folder (as the `postgres` user
# through runuser when run as root, since the server refuses to run as root), trust
# authentication, a Unix socket in that folder only (no TCP), a spare port number, and
# fsync=off (nothing here needs to survive a crash). Needs the server binaries: Debian's
# `postgresql` package (initdb and pg_ctl in `pg_config --bindir` or /usr/lib/postgresql/*/bin).
#
# DRIFTLESS_POSTGRES_CPUS=0 (a `taskset -c` list) pins the throwaway server, and so every
# backend it forks, to those CPUs. The benchmarks pin the server to CPU 0 and themselves to
# CPU 1 (see BENCHMARKS.md): on a 2-vCPU VM a round trip costs ~16 µs when client and server
# happen to share a CPU and ~60 µs when they do not, and the scheduler's choice would
# otherwise differ from one contender to the next.
#
# The command's exit status is the script's.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENTS...]" >&2
    exit 2
fi

if [ -n "${DRIFTLESS_POSTGRES_URL:-}" ]; then
    exec "$@"
fi

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    bindir="$(pg_config --bindir)"
else
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$candidate/initdb" ]; then bindir="$candidate"; break; fi
    done
fi
if [ -z "$bindir" ]; then
    echo "$0: no PostgreSQL server binaries (initdb, pg_ctl) found: install the postgresql package," >&2
    echo "or set DRIFTLESS_POSTGRES_URL to a server of your own." >&2
    exit 1
fi

base="$(mktemp -d "${TMPDIR:-/tmp}/driftless-bench-pg.XXXXXX")"
data="$base/data"

# As root, the server's files belong to `postgres` and its tools run as that user.
as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$base"
fi

started=0
stop_server() {
    if [ "$started" -eq 1 ]; then
        as_server_user "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 \
            || as_server_user "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$base"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port number no server on this machine uses (it names the socket file; there is no TCP).
port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 40000))
    if ! ls /tmp/.s.PGSQL."$candidate" /var/run/postgresql/.s.PGSQL."$candidate" >/dev/null 2>&1 \
        && ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port="$candidate"
        break
    fi
done
[ -n "$port" ] || { echo "$0: no spare port found" >&2; exit 1; }

as_server_user "$bindir/initdb" -D "$data" --auth=trust -U postgres -E UTF8 --locale=C \
    --no-sync >"$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; exit 1; }

# shared_buffers holds the 1,000,000-row table (about 150 MB) so every scan reads memory.
options="-c fsync=off -c listen_addresses='' -k $base -p $port -c shared_buffers=256MB -c max_connections=100"
pin=()
if [ -n "${DRIFTLESS_POSTGRES_CPUS:-}" ]; then
    pin=(taskset -c "$DRIFTLESS_POSTGRES_CPUS")
fi
as_server_user "${pin[@]}" "$bindir/pg_ctl" -D "$data" -o "$options" -l "$base/server.log" -w -t 60 start >/dev/null \
    || { cat "$base/server.log" >&2; exit 1; }
started=1

export DRIFTLESS_POSTGRES_URL="postgresql://postgres@/postgres?host=$base&port=$port"
echo "with-postgres.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on $base (port $port)${DRIFTLESS_POSTGRES_CPUS:+, CPUs $DRIFTLESS_POSTGRES_CPUS}, stopped at exit" >&2

status=0
"$@" || status=$?
exit "$status"
