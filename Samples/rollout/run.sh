#!/usr/bin/env bash
# The rollout proof (ROLLOUT.md): a fleet of three RolloutService processes goes from release
# v1 to v2 under a steady load of reads and writes, through expand → deploy → backfill →
# contract, on a throwaway PostgreSQL or one shared SQLite WAL file.
#
#   Samples/rollout/run.sh --seconds 60 [--backend postgres|sqlite|all] [--plain] [--check]
#
#   --seconds N   length of the load (split evenly across the seven phases)
#   --plain       the same rollout with plain models (full-column SQL, errors surfaced)
#   --check       exit 1 when a target is missed (failed requests, lost writes, slow catch-up,
#                 a process that did not exit cleanly)
#   --rate R      requests per second the load tool aims at (default 150)
#
# Phases: v1 (three v1 processes) → canary (a v2 that does not migrate replaces the first v1:
# its writes of the new column wait in the overflow) → expand (the next v2's startup call
# applies the expand migration) → deploy (the last v1 goes; the migration is found applied)
# → backfill (batched copy of the renamed column) → contract (drop the old column) → v2.
set -euo pipefail

SECONDS_TOTAL=60
BACKENDS=postgres
PLAIN=
CHECK=
RATE=150
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_TOTAL=$2; shift 2 ;;
        --backend) BACKENDS=$2; shift 2 ;;
        --plain) PLAIN=--plain; shift ;;
        --check) CHECK=--check; shift ;;
        --rate) RATE=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$BACKENDS" = all ] && BACKENDS="postgres sqlite"

SAMPLES="$(cd "$(dirname "$0")/.." && pwd)"
echo "== building RolloutService and RolloutLoad (debug)"
swift build --package-path "$SAMPLES" --product RolloutService >/dev/null
swift build --package-path "$SAMPLES" --product RolloutLoad >/dev/null
BIN="$(swift build --package-path "$SAMPLES" --show-bin-path)"
DWELL=$(awk "BEGIN { print $SECONDS_TOTAL / 7 }")
CATCH_UP_MS=500

ms() { date +%s%3N; }
# Runs a step of the rollout, its output indented; a failing step fails the run under --check.
# (run_backend runs in an `||` list, where `set -e` does not apply.)
step() {
    "$@" 2>&1 | sed 's/^/   /'
    [ "${PIPESTATUS[0]}" = 0 ] || { echo "   FAILED: ${*:1:3} ..."; failed=1; }
}

run_backend() {
    local backend=$1
    local run; run="$(mktemp -d /tmp/driftless-rollout-XXXXXX)"
    local control="$run/control"; mkdir -p "$control"
    local pids=() ports=() failed=0 pg_stop=()
    local database
    echo "== rollout on $backend${PLAIN:+ (plain models)}: $SECONDS_TOTAL s of load, folder $run"

    if [ "$backend" = postgres ]; then
        local bindir; bindir="$(pg_config --bindir)"
        [ -x "$bindir/initdb" ] || bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
        local as=()
        if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$run"; as=(/usr/sbin/runuser -u postgres --); fi
        local pgport=$((20000 + RANDOM % 30000))
        "${as[@]}" "$bindir/initdb" -D "$run/pgdata" --auth=trust -U postgres -E UTF8 --locale=C --no-sync --no-instructions >/dev/null
        "${as[@]}" "$bindir/pg_ctl" -D "$run/pgdata" -l "$run/postgres.log" -w -t 30 \
            -o "-c fsync=off -c listen_addresses='' -k $run -p $pgport -c max_connections=200 -c synchronous_commit=off" start >/dev/null
        pg_stop=("${as[@]}" "$bindir/pg_ctl" -D "$run/pgdata" -m fast stop)
        database="postgresql://postgres@/postgres?host=$run&port=$pgport"
    else
        database="$run/app.sqlite"
    fi

    local base=$((20000 + RANDOM % 30000))
    local next=0
    start_process() {  # release [flags...] → sets NEW_PORT, NEW_PID
        local release=$1; shift
        NEW_PORT=$((base + next)); next=$((next + 1))
        "$BIN/RolloutService" serve --release "$release" --database "$database" --port "$NEW_PORT" \
            --catch-up-milliseconds $CATCH_UP_MS $PLAIN "$@" >"$run/service-$NEW_PORT.log" 2>&1 &
        NEW_PID=$!
        for _ in $(seq 1 600); do
            grep -q "^ready" "$run/service-$NEW_PORT.log" 2>/dev/null && break
            kill -0 "$NEW_PID" 2>/dev/null || { echo "process :$NEW_PORT ($release) died:"; cat "$run/service-$NEW_PORT.log"; return 1; }
            sleep 0.05
        done
        echo "$(ms) started $release :$NEW_PORT" >>"$control/events"
    }
    publish() { printf '%s\n' "${ports[@]}" >"$control/ports.tmp"; mv "$control/ports.tmp" "$control/ports"; }
    phase() { echo "$1" >"$control/phase.tmp"; mv "$control/phase.tmp" "$control/phase"; echo "$(ms) phase $1" >>"$control/events"; echo "   phase $1"; }
    stop_process() {  # index into ports/pids: SIGTERM while still in rotation, then drop it
        local i=$1 pid=${pids[$1]} port=${ports[$1]}
        kill -TERM "$pid"
        local status=0; wait "$pid" || status=$?
        echo "$(ms) stopped :$port exit $status" >>"$control/events"
        if [ "$status" != 0 ] || ! grep -q "^stopped" "$run/service-$port.log"; then
            echo "   process :$port did not exit cleanly (status $status)"; failed=1
        fi
        unset "ports[$i]" "pids[$i]"; ports=("${ports[@]}"); pids=("${pids[@]}")
        publish
    }
    replace_first() {  # release [flags...]: a new process joins, then the oldest leaves
        start_process "$@"
        ports+=("$NEW_PORT"); pids+=("$NEW_PID"); publish
        stop_process 0
    }

    phase v1
    for _ in 1 2 3; do start_process v1 || failed=1; ports+=("$NEW_PORT"); pids+=("$NEW_PID"); done
    publish
    "$BIN/RolloutLoad" --control "$control" --rate "$RATE" --label "$backend${PLAIN:+, plain models}" $CHECK \
        --max-catch-up-ms $([ "$backend" = postgres ] && echo 1000 || echo $((CATCH_UP_MS + 100))) >"$run/load.out" 2>&1 &
    local load=$!
    sleep "$DWELL"

    phase canary     # v2 ahead of its migration (the migration job has not run yet)
    replace_first v2 --no-migrate || failed=1
    sleep "$DWELL"

    phase expand     # this v2's startup call applies the expand migration
    replace_first v2 || failed=1
    sleep "$DWELL"

    phase deploy     # the last v1 goes; this v2 finds the migration applied
    if [ -z "$PLAIN" ]; then  # while a v1 is live, the fleet check must refuse the contract step
        if "$BIN/RolloutService" migrate fleet --database "$database" >"$run/fleet-with-v1.txt" 2>&1; then
            echo "   fleet check passed while a v1 process was live"; failed=1
        else
            echo "$(ms) fleet check refused the contract while v1 was live" >>"$control/events"
        fi
    fi
    replace_first v2 || failed=1
    sleep "$DWELL"

    phase backfill   # no v1 is left: copy the renamed column, move what the overflow still holds
    local started; started=$(ms)
    step "$BIN/RolloutService" migrate upgrade c2f0c0de0025 --database "$database"
    echo "$started migrated backfill (users.display_name)" >>"$control/events"
    step "$BIN/RolloutService" migrate backfill --table users --database "$database"
    sleep "$DWELL"

    phase contract   # drop the old column once the fleet check says no live process needs it
    if [ -z "$PLAIN" ]; then
        step "$BIN/RolloutService" migrate fleet --database "$database"
    fi
    # Catch-up is timed from the start of the migrating call: an upper bound on its commit.
    started=$(ms)
    step "$BIN/RolloutService" migrate upgrade head --database "$database"
    echo "$started migrated contract (drop users.name)" >>"$control/events"
    sleep "$DWELL"

    phase v2
    sleep "$DWELL"

    touch "$control/stop"
    local load_status=0; wait "$load" || load_status=$?
    cat "$run/load.out"
    while [ ${#ports[@]} -gt 0 ]; do stop_process 0; done
    [ ${#pg_stop[@]} -gt 0 ] && "${pg_stop[@]}" >/dev/null
    cp "$control/report.md" "$run/report.md" 2>/dev/null || true
    echo "   events: $control/events; report: $run/report.md"
    if [ -n "$CHECK" ] && { [ "$load_status" != 0 ] || [ "$failed" != 0 ]; }; then return 1; fi
    return 0
}

status=0
for backend in $BACKENDS; do run_backend "$backend" || status=1; done
exit $status
