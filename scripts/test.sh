#!/usr/bin/env bash
# The whole test suite: starts what the tests need (PostgreSQL, PgBouncer), builds once, runs
# every test (unit, integration against real PostgreSQL and SQLite, compile-fail, doc tests),
# then runs the PostgreSQL integration tests a second time through PgBouncer in transaction
# pooling mode with `?pgbouncer=true&connection_limit=1` (see the README, "PgBouncer").
# Usage: bash scripts/test.sh [extra nextest args]
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/services.sh
ensure_postgres
trap stop_pgbouncer EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export RUST_BACKTRACE=1
export CARGO_TERM_COLOR=never

if ! cargo nextest --version >/dev/null 2>&1; then
    echo "cargo-nextest not found; install it (cargo install cargo-nextest)" >&2
    exit 1
fi

status=0

# Pass 1: everything, PostgreSQL reached directly. The pgbouncer_* tests need the pooler.
cargo nextest run --workspace --no-fail-fast -E 'not binary(/^pgbouncer_/)' "$@" || status=$?

# Pass 2: the integration tests and the examples that talk to PostgreSQL, through PgBouncer.
# Tests that cannot work behind a transaction-mode pooler create their database with
# `PgDatabase::create_direct` (each says why) and run directly again here.
if start_pgbouncer; then
    cargo nextest run -p orm-tests -p orm-examples --no-fail-fast \
        -E '(package(orm-tests) & not binary(sqlite_adapter)) | (package(orm-examples) & binary(/^(pooling|full_text_search)$/))' \
        "$@" || {
        status=$?
        echo "--- last lines of the PgBouncer log ---" >&2
        tail -n 40 "$PGBOUNCER_DIR/pgbouncer.log" >&2 || true
    }
    stop_pgbouncer
else
    echo "PgBouncer could not be started; the PgBouncer pass fails" >&2
    status=1
fi

# nextest does not run doc tests.
cargo test --workspace --doc || status=$?
exit "$status"
