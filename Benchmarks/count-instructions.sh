#!/usr/bin/env bash
# Instructions per fetch one by primary key (callgrind), for each contender of
# Sources/FindInstructionCount: two runs with different lookup counts, subtracted, so that
# setup (opening, inserting, dynamic linking) cancels. Load-independent, unlike the clock.
#
#     ./count-instructions.sh                # every contender
#     ./count-instructions.sh raw full       # some
set -euo pipefail
cd "$(dirname "$0")"
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(raw grdb full projected codable async)
swift build -c release --product FindInstructionCount >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# valgrind 3.19 cannot read the DWARF 5 of Swift 6 binaries.
objcopy --strip-debug .build/release/FindInstructionCount "$work/find-count"
small=1000
large=11000
count() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.$1.$2" "$work/find-count" "$2" "$1" >/dev/null 2>"$work/log"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/log"
}
printf '%-10s %12s\n' contender "instr/lookup"
for mode in "${modes[@]}"; do
    a=$(count "$mode" $small)
    b=$(count "$mode" $large)
    printf '%-10s %12d\n' "$mode" $(( (b - a) / (large - small) ))
done
