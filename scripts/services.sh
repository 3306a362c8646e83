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

# PgBouncer in transaction pooling mode in front of the local PostgreSQL, for the suite's
# PgBouncer pass. Installs it when missing (Debian's package, needs root: CI runs as root),
# writes a config into a temporary directory (transaction mode, every database forwarded to
# 127.0.0.1:5432, trust authentication for the local test user, its own pid and log files),
# starts it on a free loopback port and exports ORM_TEST_PGBOUNCER_URL with the parameters
# Prisma recommends behind it (`pgbouncer=true&connection_limit=1`). Callers stop it with
# `stop_pgbouncer`, trapped on EXIT so that a failing run stops it too.

PGBOUNCER_DIR=""
PGBOUNCER_PID=""

pgbouncer_bin() {
    command -v pgbouncer 2>/dev/null || { [ -x /usr/sbin/pgbouncer ] && echo /usr/sbin/pgbouncer; }
}

install_pgbouncer() {
    [ -n "$(pgbouncer_bin)" ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "pgbouncer is not installed; install it (apt-get install pgbouncer) and rerun" >&2
        return 1
    fi
    echo "installing pgbouncer" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q pgbouncer </dev/null >&2 \
        || { apt-get update -q </dev/null >&2 && apt-get install -y -q pgbouncer </dev/null >&2; }
    [ -n "$(pgbouncer_bin)" ]
}

# A loopback port nothing listens on (bash's /dev/tcp connect fails).
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

start_pgbouncer() {
    install_pgbouncer || return 1
    local bin user="${ORM_TEST_PG_USER:-postgres}" run_as=() port attempt
    bin="$(pgbouncer_bin)"
    PGBOUNCER_DIR="$(mktemp -d -t orm-pgbouncer.XXXXXX)"
    # PgBouncer refuses to run as root; it switches to the postgres user then.
    if [ "$(id -u)" -eq 0 ]; then
        run_as=(-u postgres)
        chown postgres "$PGBOUNCER_DIR"
    fi
    printf '"%s" ""\n' "$user" >"$PGBOUNCER_DIR/users.txt"
    for attempt in 1 2 3; do
        port="$(free_port)" || break
        cat >"$PGBOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
pool_mode = transaction
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $PGBOUNCER_DIR/users.txt
pidfile = $PGBOUNCER_DIR/pgbouncer.pid
logfile = $PGBOUNCER_DIR/pgbouncer.log
max_client_conn = 1000
default_pool_size = 8
stats_users = $user
INI
        "$bin" "${run_as[@]}" "$PGBOUNCER_DIR/pgbouncer.ini" >>"$PGBOUNCER_DIR/stdout.log" 2>&1 &
        PGBOUNCER_PID=$!
        for _ in $(seq 1 50); do
            if ! kill -0 "$PGBOUNCER_PID" 2>/dev/null; then
                break # did not start (the port was taken meanwhile): try another
            fi
            if pg_isready -h 127.0.0.1 -p "$port" -q 2>/dev/null; then
                export ORM_TEST_PGBOUNCER_URL="postgres://$user@127.0.0.1:$port/postgres?pgbouncer=true&connection_limit=1"
                echo "pgbouncer $("$bin" --version | head -n1 | awk '{print $2}') listening on 127.0.0.1:$port (transaction mode)" >&2
                return 0
            fi
            sleep 0.1
        done
        echo "pgbouncer did not start on port $port (attempt $attempt):" >&2
        cat "$PGBOUNCER_DIR/stdout.log" "$PGBOUNCER_DIR/pgbouncer.log" 2>/dev/null | tail -n 5 >&2
        stop_pgbouncer_process
    done
    return 1
}

stop_pgbouncer_process() {
    if [ -n "$PGBOUNCER_PID" ] && kill -0 "$PGBOUNCER_PID" 2>/dev/null; then
        kill "$PGBOUNCER_PID" 2>/dev/null || true
        wait "$PGBOUNCER_PID" 2>/dev/null || true
    fi
    PGBOUNCER_PID=""
}

stop_pgbouncer() {
    stop_pgbouncer_process
    if [ -n "$PGBOUNCER_DIR" ]; then
        rm -rf "$PGBOUNCER_DIR"
        PGBOUNCER_DIR=""
    fi
    unset ORM_TEST_PGBOUNCER_URL
}
