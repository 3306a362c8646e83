#!/usr/bin/env bash
# The benchmark against the other Rust ORMs, end to end: builds both benchmark workspaces in
# release mode (into benches/peers/target), makes sure PostgreSQL is running, and runs every
# library on both databases in one interleaved run. The coordinator creates and drops its own
# PostgreSQL database and SQLite file.
#
#   bash benches/peers/run.sh            # the full run (a few minutes on 2 cores)
#   PEERS_SCALE=0.2 bash benches/peers/run.sh   # a quick smoke run
#
# Results: benches/peers/target/results.tsv (raw figures) and results.md (the tables that go
# into BENCHMARKS.md, also printed). Re-render a TSV with
#   benches/peers/target/release/peers-ours report benches/peers/target/results.tsv
# Extra arguments go to the coordinator (`--only postgres`, `--only sqlite`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="$here/target"

# shellcheck source=../../scripts/services.sh
source "$root/scripts/services.sh"
ensure_postgres

# One after the other: the machine has two cores. The peers' lockfile is fixed; ours follows
# the project's own crates, whose dependencies change as the project does.
(cd "$here/ours" && cargo build --release)
(cd "$here/others" && cargo build --release --locked)

echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$CARGO_TARGET_DIR/release/peers-ours" \
    --others "$CARGO_TARGET_DIR/release/peers-others" \
    --out "$CARGO_TARGET_DIR/results.tsv" "$@" | tee "$CARGO_TARGET_DIR/results.md"
