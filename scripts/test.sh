#!/usr/bin/env bash
# The whole test suite: starts what the tests need (PostgreSQL), builds once, runs every test
# (unit, integration against real PostgreSQL and SQLite, compile-fail, doc tests).
# Usage: bash scripts/test.sh [extra nextest args]
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/services.sh
ensure_postgres

export RUST_BACKTRACE=1
export CARGO_TERM_COLOR=never

if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast "$@"
else
    echo "cargo-nextest not found; running cargo test" >&2
    cargo test --workspace --no-fail-fast "$@"
fi
# nextest does not run doc tests.
cargo test --workspace --doc
