# Sourced by the test scripts: make sure the local services the tests use are running.
# Tests that need PostgreSQL fail loudly when it is unreachable; this only tries to start it.

ensure_postgres() {
    local url="${ORM_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
    if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
        return 0
    fi
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        echo "starting the local PostgreSQL cluster" >&2
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
        for _ in $(seq 1 30); do
            pg_isready -h 127.0.0.1 -p 5432 -q && return 0
            sleep 1
        done
    fi
    echo "PostgreSQL is not reachable at $url; the PostgreSQL tests will fail" >&2
}
