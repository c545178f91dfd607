#!/usr/bin/env bash
# More than one machine, on this one: bench/cluster.sh [CLIENTS] [SECONDS] [WORKERS_PER_NODE] [MIX]
# (default 40 60 2 full). Three runs of bench/load.py's clients on one database, each checked
# for anything lost (bench/load.py check):
#   1. one node: one Odoo (2 x WORKERS_PER_NODE workers, the job runner) on the primary only,
#      behind the same round-robin (one node);
#   2. two nodes and a replica: a PostgreSQL streaming replica of the main cluster (pg_basebackup
#      into a temporary folder, port 5433), two Odoo nodes on 127.0.0.1 (8371 and 8372, their
#      long-polling ports 8381 and 8382; WORKERS_PER_NODE workers each; one data_dir, so one
#      filestore and one session store; the job runner on the first only: --max-cron-threads=0
#      on the second), reading on the replica (--db_replica_host, --db_replica_port), behind a
#      round-robin (bench/cluster.py proxy, 8370: each request to the next node, /websocket to
#      the next node's long-polling port);
#   3. the same, the replica stopped at half time: the nodes go on on the primary.
# SERVICE_ORDER_CLUSTER_ONE_NODE=0 leaves the first run out. The round-robin logs the requests
# slower than 5 s and those that failed (.build/cluster/proxy.log).
# Everything it starts (replica, replication slot, nodes, round-robin) is stopped and removed at
# the end, on error or on Ctrl-C; each step is bounded in time. Needs the bench database
# (bench/compare.sh makes so_bench_10k) and, for the replica, to run as root or as the owner of
# the PostgreSQL cluster (pg_basebackup and pg_ctl run as that user; the main cluster's
# pg_hba.conf must let it connect for replication through the local socket, Debian's default).
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/../tools/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../tools/common.sh"
CLIENTS=${1:-40}; SECONDS_=${2:-60}; WORKERS=${3:-2}; MIX=${4:-full}
SOURCE=${SERVICE_ORDER_LOAD_SOURCE:-so_bench_10k}
DB=so_bench_cluster
PROXY_PORT=8370; NODE_PORTS=(8371 8372); GEVENT_PORTS=(8381 8382); REPLICA_PORT=5433
SLOT=so_bench_replica
SOCKET=/var/run/postgresql
OUT="$BUILD/cluster"; rm -rf "$OUT"; mkdir -p "$OUT"
PY="$VENV/bin/python"
CONF="$BUILD/odoo-test.conf"
db_exists "$SOURCE" || { echo "[cluster] $SOURCE is missing: run bench/compare.sh first"; exit 1; }

PG_DATA=$(psql -d postgres -tAc "SHOW data_directory")
PG_OWNER=$(stat -c %U "$PG_DATA")
PG_BIN=$(ls -d /usr/lib/postgresql/"$(psql -d postgres -tAc "SHOW server_version_num" | cut -c1-2)"/bin 2>/dev/null \
         || pg_config --bindir)
# pg_basebackup and pg_ctl run as the cluster's owner
AS_PG=(); [ "$(id -un)" = "$PG_OWNER" ] || AS_PG=(runuser -u "$PG_OWNER" --)

NODES=(); PROXY=""; REPLICA_DIR=""
stop_nodes() {
  local pid
  for pid in "${NODES[@]}" $PROXY; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    local alive=0
    for pid in "${NODES[@]}" $PROXY; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${NODES[@]}" $PROXY; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  NODES=(); PROXY=""
}
stop_replica() {
  [ -n "$REPLICA_DIR" ] && [ -f "$REPLICA_DIR/data/postmaster.pid" ] || return 0
  timeout 40 "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DIR/data" stop -m fast -t 30 >/dev/null 2>&1 \
    || timeout 20 "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DIR/data" stop -m immediate >/dev/null 2>&1 || true
}
cleanup() {
  set +e
  stop_nodes
  stop_replica
  # the slot keeps WAL on the main cluster for as long as it exists: it goes in any case
  psql -d postgres -tAc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                         WHERE slot_name = '$SLOT' AND NOT active" >/dev/null 2>&1
  [ -n "$REPLICA_DIR" ] && { cp "$REPLICA_DIR/replica.log" "$OUT/replica.log" 2>/dev/null; rm -rf "$REPLICA_DIR"; }
  echo "[cluster] stopped: nodes, round-robin, replica; slot and replica folder removed"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_node PORT GEVENT_PORT WORKERS CRON_THREADS LOG [odoo options...]: its own process group
start_node() {
  local port=$1 gevent=$2 workers=$3 cron=$4 log=$5; shift 5
  : > "$log"
  setsid "$ODOO" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --workers="$workers" --max-cron-threads="$cron" \
    --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$gevent" --limit-time-real=300 \
    --limit-memory-soft=2147483648 --limit-memory-hard=2684354560 --log-level=info --logfile="$log" "$@" \
    >>"$log" 2>&1 &
  NODES+=("$!")
}
wait_http() {
  for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$1/web/health" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "[cluster] nothing answers on $1"; return 1
}
load_run() {  # load_run LABEL URL LOGS PIDS [cluster.py run options]
  local label=$1 url=$2 logs=$3 pids=$4; shift 4
  echo "[cluster] $label: load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
  timeout $((SECONDS_ + 400)) "$PY" "$REPO/bench/cluster.py" run "$url" "$DB" "$CLIENTS" "$SECONDS_" \
    "$OUT/$label.json" "$logs" --pids "$pids" --mix "$MIX" "$@"
  # a loss is reported (and the next run goes on), not a reason to stop
  timeout 300 "$PY" "$REPO/bench/load.py" check "$CONF" "$DB" "$OUT/$label.json" | tee "$OUT/$label.check" || true
}

# ---------------------------------------------------------------- the database
echo "[cluster] $DB: a copy of $SOURCE with the addon of this checkout, prepared for the load test"
timeout 600 "$ODOO" db -c "$CONF" drop "$DB" >/dev/null 2>&1 || true
timeout 900 "$ODOO" db -c "$CONF" duplicate -f "$SOURCE" "$DB" 2>&1 | grep -v "security risk" || true
timeout 900 "$ODOO" -c "$CONF" -d "$DB" -u service_order --stop-after-init --log-level=warn \
  --http-port="${NODE_PORTS[0]}" 2>&1 | grep -v "security risk" || true
timeout 600 "$PY" "$REPO/bench/load.py" prepare "$CONF" "$DB"

# ---------------------------------------------------------------- 1. one node
if [ "${SERVICE_ORDER_CLUSTER_ONE_NODE:-1}" != 0 ]; then
  start_node "${NODE_PORTS[0]}" "${GEVENT_PORTS[0]}" $((2 * WORKERS)) 1 "$OUT/one-node.log"
  # behind the same proxy as the two nodes (4 requests in hand per worker), so that both runs
  # meet the same queueing
  setsid "$PY" "$REPO/bench/cluster.py" proxy "$PROXY_PORT" "127.0.0.1:${NODE_PORTS[0]}" "127.0.0.1:${GEVENT_PORTS[0]}" \
    --max-conns $((8 * WORKERS)) >"$OUT/proxy-one-node.log" 2>&1 &
  PROXY=$!
  wait_http "${NODE_PORTS[0]}"; wait_http "$PROXY_PORT"
  load_run one-node "http://127.0.0.1:$PROXY_PORT" "$OUT/one-node.log" "node=${NODES[0]}"
  stop_nodes
fi

# ---------------------------------------------------------------- 2. the replica
REPLICA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/so_bench_replica.XXXXXX")
chown "$PG_OWNER" "$REPLICA_DIR"
psql -d postgres -tAc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                       WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
echo "[cluster] a streaming replica of the main cluster ($(du -sh "$PG_DATA" 2>/dev/null | cut -f1)) on port $REPLICA_PORT"
started=$(date +%s)
# -R: standby.signal and the connection to the primary; -C -S: a replication slot, so that the
# primary keeps the WAL the replica has not received yet
timeout 900 "${AS_PG[@]}" "$PG_BIN/pg_basebackup" -h "$SOCKET" -p 5432 -D "$REPLICA_DIR/data" \
  -X stream -c fast -R -C -S "$SLOT" --no-sync
# the settings a hot standby must have at least as high as its primary's, and its own port
{
  for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
                 max_locks_per_transaction shared_buffers; do
    echo "$setting = '$(psql -d postgres -tAc "SHOW $setting")'"
  done
  cat <<EOF
port = $REPLICA_PORT
listen_addresses = ''
unix_socket_directories = '$SOCKET'
hot_standby = on
# the primary keeps the rows the replica's running reads still see (no query cancelled by
# the replay of a vacuum)
hot_standby_feedback = on
# a throwaway copy, made again at each run: no fsync (nor the 1-2 minutes of syncing the whole
# copy at its start); a real replica keeps fsync on
fsync = off
hba_file = '$REPLICA_DIR/data/pg_hba.conf'
ident_file = '$REPLICA_DIR/data/pg_ident.conf'
EOF
} > "$REPLICA_DIR/data/postgresql.conf"
printf 'local all all peer\n' > "$REPLICA_DIR/data/pg_hba.conf"
: > "$REPLICA_DIR/data/pg_ident.conf"
chown "$PG_OWNER" "$REPLICA_DIR/data/postgresql.conf" "$REPLICA_DIR/data/pg_hba.conf" "$REPLICA_DIR/data/pg_ident.conf"
# it accepts reads once it has replayed the WAL written during the copy (the whole cluster's:
# on a busy shared machine, minutes)
timeout 960 "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DIR/data" -l "$REPLICA_DIR/replica.log" -w -t 900 start
for _ in $(seq 1 60); do
  [ "$(psql -d postgres -tAc "SELECT state FROM pg_stat_replication
       WHERE pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = '$SLOT')")" = streaming ] && break
  sleep 1
done
echo "[cluster] the replica streams ($(( $(date +%s) - started )) s to copy and start it);" \
  "in recovery: $(psql -h "$SOCKET" -p "$REPLICA_PORT" -d "$DB" -tAc 'SELECT pg_is_in_recovery()')"
REPLICA_PID=$(head -1 "$REPLICA_DIR/data/postmaster.pid")

# ---------------------------------------------------------------- 3. two nodes behind a round-robin
REPLICA_OPTIONS=(--db_replica_host= --db_replica_port="$REPLICA_PORT")
start_node "${NODE_PORTS[0]}" "${GEVENT_PORTS[0]}" "$WORKERS" 1 "$OUT/node-a.log" "${REPLICA_OPTIONS[@]}"
start_node "${NODE_PORTS[1]}" "${GEVENT_PORTS[1]}" "$WORKERS" 0 "$OUT/node-b.log" "${REPLICA_OPTIONS[@]}"
# at most 4 requests in hand per worker of a node (the others wait in the round-robin): Odoo's
# listen queue holds 8 per worker, and a connection beyond it waits for TCP's retries (up to a minute)
setsid "$PY" "$REPO/bench/cluster.py" proxy "$PROXY_PORT" "127.0.0.1:${NODE_PORTS[0]},127.0.0.1:${NODE_PORTS[1]}" \
  "127.0.0.1:${GEVENT_PORTS[0]},127.0.0.1:${GEVENT_PORTS[1]}" --max-conns $((4 * WORKERS)) >"$OUT/proxy.log" 2>&1 &
PROXY=$!
wait_http "${NODE_PORTS[0]}"; wait_http "${NODE_PORTS[1]}"; wait_http "$PROXY_PORT"
# the long-polling port behind the round-robin: a websocket opens through it on each node
# (the long-polling processes start a moment after the workers)
"$PY" - "$PROXY_PORT" <<'EOF' || echo "[cluster] no websocket through the round-robin"
import sys
import time
import websocket
opened = 0
for _i in range(30):
    try:
        ws = websocket.create_connection(f"ws://127.0.0.1:{sys.argv[1]}/websocket", timeout=10,
                                         origin=f"http://127.0.0.1:{sys.argv[1]}")
    except (OSError, websocket.WebSocketException):
        time.sleep(1)
        continue
    print(f"[cluster] a websocket through the round-robin: {ws.getstatus()} {ws.headers.get('upgrade', '')}")
    ws.close()
    opened += 1
    if opened == 2:  # one on each node
        break
sys.exit(0 if opened == 2 else 1)
EOF
echo "[cluster] websockets opened: node A $(grep -c 'GET /websocket HTTP/1.1" 101' "$OUT/node-a.log")," \
  "node B $(grep -c 'GET /websocket HTTP/1.1" 101' "$OUT/node-b.log")"
# the bus across nodes: what node A makes reaches a browser whose websocket is on node B
timeout 60 "$PY" "$REPO/bench/cluster.py" notify "http://127.0.0.1:${NODE_PORTS[0]}" "ws://127.0.0.1:${GEVENT_PORTS[1]}" \
  "$DB" bench_dispatcher_00 bench || echo "[cluster] the notification did not cross the nodes"
LOGS="$OUT/node-a.log,$OUT/node-b.log"
PIDS="node-a=${NODES[0]},node-b=${NODES[1]},replica=$REPLICA_PID"
timeout 120 "$PY" "$REPO/bench/load.py" mark "$CONF" "$DB"
load_run two-nodes "http://127.0.0.1:$PROXY_PORT" "$LOGS" "$PIDS" --replica-port "$REPLICA_PORT"
echo "[cluster] replication lag now: $(psql -d postgres -tAc "SELECT coalesce(replay_lag::text, '0')
     FROM pg_stat_replication WHERE pid = (SELECT active_pid FROM pg_replication_slots WHERE slot_name = '$SLOT')")"

# ---------------------------------------------------------------- 4. the replica fails
timeout 120 "$PY" "$REPO/bench/load.py" mark "$CONF" "$DB"
load_run replica-stopped "http://127.0.0.1:$PROXY_PORT" "$LOGS" "node-a=${NODES[0]},node-b=${NODES[1]}" \
  --replica-port "$REPLICA_PORT" --stop-replica "${AS_PG[*]} $PG_BIN/pg_ctl -D $REPLICA_DIR/data stop -m fast -t 30"
grep -h "falling back to read-write cursor" "$OUT/node-a.log" "$OUT/node-b.log" | head -4 || true

echo
ONE_NODE=(); [ -f "$OUT/one-node.json.cluster.json" ] && ONE_NODE=("one node=$OUT/one-node.json.cluster.json")
"$PY" "$REPO/bench/cluster.py" table "${ONE_NODE[@]}" \
  "two nodes + replica=$OUT/two-nodes.json.cluster.json" "replica stopped at half time=$OUT/replica-stopped.json.cluster.json"
grep -h "nothing lost" "$OUT"/*.check
