#!/usr/bin/env bash
# The compile cost of `prisma_schema!`, for schemas of 20, 100 and 300 models (or the counts
# given as arguments):
#
#   (a) expansion time: orm-schema's validation and orm-codegen's generation, timed in
#       `measure/` (its own workspace), built both in release and in the dev profile, since
#       `cargo build` runs the proc macro as compiled in the profile being built (dev: opt-level 0);
#   (b) generated code size: tokens, bytes of the token stream, bytes and lines pretty-printed;
#   (c) build time: `cargo build` (dev profile, the edit-compile loop) of a scratch crate whose
#       `src/lib.rs` is only `orm_core::prisma_schema!("schema.prisma");`, minus the same build
#       of an empty crate with the same dependencies. A timed build compiles the scratch crate
#       alone (a build that compiled a dependency is discarded); the best of BUILD_RUNS
#       (default 3).
#
#   bash benches/compile-cost/run.sh            # 20, 100, 300 models
#   bash benches/compile-cost/run.sh 50 500     # other sizes
#
# The scratch crates live in a temporary directory (COMPILE_COST_WORK to keep them), outside
# the workspace and CI; everything builds into benches/compile-cost/target. Prints the tables
# that go into BENCHMARKS.md ("Compile cost of prisma_schema!").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="$here/target"
export CARGO_INCREMENTAL=0
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20 100 300)
runs="${BUILD_RUNS:-3}"
work="${COMPILE_COST_WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "scratch crates in $work" >&2

(cd "$here/measure" && cargo build --release --offline -q && cargo build --offline -q)
"$CARGO_TARGET_DIR/release/compile-cost" "$work/schemas" "${sizes[@]}" > "$work/release.tsv"
"$CARGO_TARGET_DIR/debug/compile-cost" "$work/schemas" "${sizes[@]}" > "$work/dev.tsv"

# A crate depending on orm-core (path), built with the workspace's dev profile.
scratch() {
    local name="$1" body="$2" dir="$work/$1"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[workspace]

[package]
name = "$name"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
orm-core = { path = "$root/crates/orm-core" }

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false
TOML
    printf '%s\n' "$body" > "$dir/src/lib.rs"
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    cp "$root/rust-toolchain.toml" "$dir/" # the project's pinned compiler
}

# Seconds of the best of $runs dev builds of crate $1, each after touching its source. A build
# that compiled anything but the crate itself (a dependency) is not counted, and reruns.
best_build() {
    local dir="$work/$1" best="" t0 t1 t done=0 log="$work/$1.build.log"
    while [ "$done" -lt "$runs" ]; do
        touch "$dir/src/lib.rs"
        t0=$(date +%s.%N)
        (cd "$dir" && cargo build --offline) 2> "$log"
        t1=$(date +%s.%N)
        if [ "$(grep -c '^ *Compiling ' "$log")" != 1 ]; then
            echo "$1: dependencies were built; not timed" >&2
            continue
        fi
        done=$((done + 1))
        t=$(echo "$t1 - $t0" | bc)
        echo "$1: $t s" >&2
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
    done
    echo "$best"
}

scratch cc_empty "//! No models: the baseline."
empty=$(best_build cc_empty)
: > "$work/build.tsv"
for n in "${sizes[@]}"; do
    scratch "cc_models_$n" "orm_core::prisma_schema!(\"schema.prisma\");"
    cp "$work/schemas/schema_$n.prisma" "$work/cc_models_$n/schema.prisma"
    printf '%s\t%s\n' "$n" "$(best_build "cc_models_$n")" >> "$work/build.tsv"
done

echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo
echo "| models | expansion, release (ms) | expansion, dev (ms) | tokens | token bytes | bytes per model | pretty-printed lines | lines per model | dev build (s) | over empty crate (s) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
join -t $'\t' <(sort "$work/release.tsv") <(sort "$work/dev.tsv" | cut -f1-3) \
    | join -t $'\t' - <(sort "$work/build.tsv") \
    | sort -n \
    | awk -F'\t' -v empty="$empty" '{
        printf "| %d | %.0f + %.0f | %.0f + %.0f | %d | %d | %d | %d | %d | %.1f | %.1f |\n",
            $1, $2, $3, $8, $9, $4, $5, $5 / $1, $7, $7 / $1, $10, $10 - empty
    }'
echo
echo "Empty crate (orm-core dependency, no macro): ${empty} s. Expansion is validate + generate."
