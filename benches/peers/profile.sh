#!/usr/bin/env bash
# Instructions per operation of the raw driver and of this project for one workload, counted by
# callgrind (repeatable whatever the machine's load):
#   bash benches/peers/profile.sh <postgres|sqlite> <workload> [iterations]
# Needs a release build (run.sh makes one) and valgrind. The callgrind files stay in
# benches/peers/target/profile/ for callgrind_annotate.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
backend="$1" workload="$2" iterations="${3:-1000}"
mkdir -p "$here/target/profile"
for library in raw orm; do
    out="$here/target/profile/$backend-$workload-$library.out"
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect='peers_common::time*' \
        --callgrind-out-file="$out" \
        "$here/target/release/peers-ours" profile "$backend" "$workload" "$iterations" "$library" \
        >/dev/null 2>&1
    total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
    echo "$library $backend $workload: $((total / (iterations + 1))) instructions per operation"
done
