"""Several Odoo nodes and a PostgreSQL read replica under load (bench/cluster.sh runs it):

    cluster.py proxy PORT HTTP_BACKENDS WEBSOCKET_BACKENDS [--max-conns N]
        the round-robin in front of the nodes: each request to the next node's HTTP port
        (HOST:PORT,HOST:PORT) with fewer than N requests in hand (the others wait in the proxy),
        /websocket to the next node's long-polling (gevent) port
    cluster.py notify HTTP_URL WS_URL DB LOGIN PASSWORD
        a notification made through one node reaches a websocket held on another
    cluster.py run URL DB CLIENTS SECONDS RESULT.json LOGS [--replica-port P] [--stop-replica CMD]
                   [--pids NAME=PID,...] [--primary-db-pids] [--mix full|probe]
        bench/load.py's clients for SECONDS through URL, and what the replica did: the share of
        the read requests it served (the nodes' logs: Odoo writes each request's cursor, ``ro``
        on the replica, ``ro->rw`` started there and ran on the primary, ``rw`` on the
        primary; and the replica's own counters, pg_stat_database), the CPU time of each
        part; with --stop-replica, CMD stops the replica at half time and the run says how
        long the requests of that moment waited.

Both talk to 127.0.0.1 only.
"""
import argparse
import asyncio
import importlib.util
import itertools
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# what the web client and the load test read: Odoo serves these on the read-only cursor
READ_METHODS = {"web_search_read", "web_read", "web_read_group", "read_progress_bar", "search", "search_read",
                "search_count", "read", "read_group", "name_search", "get_views"}
# a request in Odoo's log: path, status, queries, SQL time, other time, and the cursor's mode
# (only when a replica is configured)
REQUEST_LINE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+) ([\d.]+) ([\d.]+)(?: (ro->rw|ro|rw|-))?')


# ---------------------------------------------------------------------- the round-robin
async def _pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


def _headers(lines):
    return {name.strip().lower(): value.strip() for name, _sep, value in (line.partition(":") for line in lines)}


SLOW_SECONDS = 5.0


class Nodes:
    """The nodes' HTTP ports, each given the next request in turn (round-robin) while it has
    fewer than ``limit`` requests in hand; when all have, the request waits here, as HAProxy's
    ``maxconn`` per server or nginx's ``max_conns`` with a queue make it wait. Odoo's workers
    accept from a listen queue of 8 connections per worker (``listen(8 * workers)``): a
    connection beyond it is dropped by the kernel, which sends it again after 1, 2, 4, 8, 16
    and 32 s, so an unbounded proxy makes some requests wait up to a minute under load."""

    def __init__(self, backends, limit):
        self.backends, self.limit = backends, limit
        self.busy = [0] * len(backends)
        self.turn = 0
        self.free = asyncio.Condition()

    async def take(self):
        async with self.free:
            while True:
                for step in range(len(self.backends)):
                    index = (self.turn + step) % len(self.backends)
                    if self.busy[index] < self.limit:
                        self.busy[index] += 1
                        self.turn = index + 1
                        return index
                await self.free.wait()

    async def give_back(self, index):
        async with self.free:
            self.busy[index] -= 1
            self.free.notify()


def _log(text):
    print(f"[proxy] {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


async def _forward(host, port, request_line, lines, body):
    """One request to a node, on a connection of its own; its whole answer."""
    up_reader, up_writer = await asyncio.open_connection(host, port)
    try:
        kept = [line for line in lines if line.split(":", 1)[0].strip().lower() not in ("connection", "keep-alive")]
        up_writer.write(("\r\n".join([request_line, *kept, "Connection: close"]) + "\r\n\r\n").encode("latin-1")
                        + body)
        await up_writer.drain()
        answer = await up_reader.read(-1)  # the node closes after its answer
    finally:
        up_writer.close()
    if not answer:
        raise ConnectionError("the node closed the connection without an answer")
    return answer


async def _serve(reader, writer, http_backends, ws_backends):
    """One client connection: its requests one after the other (keep-alive), each to the next
    node (a new connection to it, closed after the answer); a websocket to the next node's
    long-polling port, then both ways until one side closes. A request slower than
    SLOW_SECONDS, or that failed, is logged (node, path, seconds)."""
    path, host, port, started = None, None, None, None
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            request_line, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
            method, path, version = request_line.split(" ", 2)
            headers = _headers(lines)
            if path.startswith("/websocket"):
                host, port = next(ws_backends)
                up_reader, up_writer = await asyncio.open_connection(host, port)
                up_writer.write(head)
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            body = await reader.readexactly(int(headers.get("content-length", 0) or 0))
            started = time.monotonic()
            node = await http_backends.take()
            queued = time.monotonic() - started
            host, port = http_backends.backends[node]
            try:
                answer = await _forward(host, port, request_line, lines, body)
            finally:
                await http_backends.give_back(node)
            answer_head, _sep, answer_body = answer.partition(b"\r\n\r\n")
            status_line, *answer_lines = answer_head.decode("latin-1").split("\r\n")
            answer_headers = _headers(answer_lines)
            keep_alive = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
            answer_lines = [line for line in answer_lines
                            if line.split(":", 1)[0].strip().lower() not in ("connection", "keep-alive")]
            framed = "content-length" in answer_headers or "chunked" in answer_headers.get("transfer-encoding", "")
            if not framed and method != "HEAD" and not status_line.split(" ")[1].startswith(("1", "204", "304")):
                answer_lines.append(f"Content-Length: {len(answer_body)}")
            answer_lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
            writer.write(("\r\n".join([status_line, *answer_lines]) + "\r\n\r\n").encode("latin-1") + answer_body)
            await writer.drain()
            if time.monotonic() - started > SLOW_SECONDS:
                _log(f"slow: {path} on {host}:{port} took {time.monotonic() - started:.3f} s, {queued:.3f} s of it "
                     f"waiting for a free node ({status_line})")
            path, started = None, None
            if not keep_alive:
                return
    except Exception as failure:  # logged: the client sees its connection closed
        if started is not None:
            _log(f"failed: {path} on {host}:{port} after {time.monotonic() - started:.3f} s: {failure!r}")
        return
    finally:
        writer.close()


def proxy(port, http_backends, ws_backends, max_conns):
    def parse(spec):
        return [(host, int(p)) for host, p in (item.rsplit(":", 1) for item in spec.split(","))]

    ws_cycle = itertools.cycle(parse(ws_backends))

    async def main():
        nodes = Nodes(parse(http_backends), max_conns)  # its Condition belongs to this loop
        server = await asyncio.start_server(lambda r, w: _serve(r, w, nodes, ws_cycle), "127.0.0.1", port,
                                            backlog=256)
        async with server:
            await server.serve_forever()
    asyncio.run(main())


# ---------------------------------------------------------------------- measures
def psql(port, sql):
    out = subprocess.run(["psql", "-X", "-h", "/var/run/postgresql", "-p", str(port), "-d", "postgres", "-tAc", sql],
                         capture_output=True, text=True, timeout=30)
    return out.stdout.strip() if out.returncode == 0 else None


def replica_transactions(port, db):
    value = psql(port, f"SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '{db}'")
    return int(value) if value else None


def _cpu_of(pid, with_children=False):
    """CPU seconds of a process (user + system), with its reaped children's if asked."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if with_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1] == str(pid):
                    found.append(int(entry))
            except OSError:
                continue
    return found


def tree_cpu(pid):
    """CPU seconds of a process tree (an Odoo node: its workers, cron and gevent processes; a
    PostgreSQL cluster: its backends, WAL replay...), the exited children included."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += _cpu_of(current, with_children=True)
        todo += _children(current)
    return total


def primary_backends_cpu(db):
    """CPU seconds of the primary's backends connected to ``db`` (the main cluster serves
    other databases too: only these are counted), and of its WAL senders (the replica's)."""
    pids = psql(5432, f"SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE datname = '{db}' "
                      "OR backend_type = 'walsender'") or ""
    return {int(pid): _cpu_of(int(pid)) for pid in pids.split(",") if pid}


def classify(logs):
    """The requests of the nodes' logs: {kind: {cursor mode: count}} for the reads (``read``)
    and the rest (``other``), and the longest time a request took in Odoo."""
    modes = {"read": {}, "other": {}}
    for log in logs:
        for method, path, _status, _queries, _sql_time, _rest, mode in REQUEST_LINE.findall(log):
            name = path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            read = (path.startswith("/web/dataset/call_kw/") and name in READ_METHODS) \
                or (method == "GET" and path.startswith("/my/service_orders"))
            bucket = modes["read" if read else "other"]
            bucket[mode or "-"] = bucket.get(mode or "-", 0) + 1
    return modes


LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ", re.M)


def _log_time(line):
    from datetime import datetime

    match = LOG_TIME.match(line)
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp() if match else None


def fallback(logs, stop_wall):
    """What the nodes' logs say of the replica's failure: the workers that fell back to the
    primary (Odoo's "Failed to open a readonly cursor" warning, once per worker process) and
    when; the time spent in Odoo by the reads served on the primary in the 10 s after the stop."""
    warnings, slowest, reads = [], 0.0, 0
    for log in logs:
        for line in log.splitlines():
            if "Failed to open a readonly cursor" in line:
                warnings.append(_log_time(line) - stop_wall)
                continue
            match = REQUEST_LINE.search(line)
            if not match or match.group(7) != "ro->rw":
                continue
            moment = _log_time(line)
            if moment is not None and stop_wall <= moment <= stop_wall + 10:
                reads += 1
                slowest = max(slowest, float(match.group(5)) + float(match.group(6)))
    return {"fallback_workers": len(warnings),
            "first_fallback_after": round(min(warnings), 3) if warnings else None,
            "fallback_longest_in_odoo": round(slowest, 3), "fallback_reads_10s": reads}


def run(args):
    spec = importlib.util.spec_from_file_location("service_order_bench_load", os.path.join(HERE, "load.py"))
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    load.MIX = args.mix
    nodes = dict(item.split("=") for item in args.pids.split(",")) if args.pids else {}
    counters = {}

    def snapshot(label):
        counters[label] = {
            "replica_xact": replica_transactions(args.replica_port, args.db) if args.replica_port else None,
            "cpu": {name: tree_cpu(int(pid)) for name, pid in nodes.items()},
            "primary_backends": primary_backends_cpu(args.db),
        }

    stopped = []

    def stop_replica():
        counters["at_stop"] = {"replica_xact": replica_transactions(args.replica_port, args.db)}
        result = subprocess.run(args.stop_replica, shell=True, capture_output=True, text=True, timeout=60)
        stopped.append(result.returncode)
        print(f"\n[cluster] the replica stopped in the middle of the run ({args.stop_replica!r}: rc {result.returncode})",
              flush=True)

    event = (args.seconds / 2, stop_replica) if args.stop_replica else None
    result = load.run(args.url, args.db, args.clients, args.seconds, args.result, args.logs.split(","),
                      event=event, on_start=lambda: snapshot("start"))
    snapshot("end")
    modes = classify(result["logs"])
    reads = modes["read"]
    n_reads = sum(reads.values())
    on_replica = reads.get("ro", 0)
    start, end = counters["start"], counters["end"]
    summary = {
        "clients": args.clients, "seconds": round(result["elapsed"], 1), "requests": result["requests"],
        "throughput": round(result["throughput"], 1), "p50": round(result["p50"], 3), "p95": round(result["p95"], 3),
        "errors": result["errors"], "refusals": result["refusals"], "retried": result["retried"],
        "longest": round(result["longest"], 3), "reads_logged": n_reads, "read_modes": reads,
        "other_modes": modes["other"],
        "replica_share": round(on_replica / n_reads, 4) if n_reads and args.replica_port else None,
    }
    replica_end = counters.get("at_stop", end)["replica_xact"]
    if start["replica_xact"] is not None and replica_end is not None:
        summary["replica_transactions"] = replica_end - start["replica_xact"]
    cpu = {name: round(end["cpu"][name] - start["cpu"][name], 1) for name in nodes}
    primary = end["primary_backends"]
    cpu["primary backends"] = round(sum(primary[pid] - start["primary_backends"].get(pid, 0.0) for pid in primary), 1)
    summary["cpu_seconds"] = cpu
    if "event_at" in result:
        summary.update(
            stopped_at=round(result["event_at"], 1), stop_rc=stopped[0] if stopped else None,
            running_at_stop=result["running_at_event"],
            longest_running_at_stop=round(result["longest_running_at_event"], 3),
            requests_10s_after_stop=result["requests_10s_after_event"],
            longest_10s_after_stop=round(result["longest_10s_after_event"], 3),
            p99_before_stop=round(result["p99_before_event"], 3),
            longest_before_stop=round(result["longest_before_event"], 3),
            errors_10s_after_stop=result["errors_10s_after_event"], errors_after_stop=result["errors_after_event"],
            **fallback(result["logs"], result["event_wall"]))
    print("\n[cluster] " + json.dumps(summary))
    with open(args.result + ".cluster.json", "w", encoding="utf-8") as out:
        json.dump(summary, out)
    share = summary["replica_share"]
    if share is not None:
        print(f"\n[cluster] reads served by the replica: {on_replica} of {n_reads} ({share:.1%})"
              + (f"; the replica committed {summary['replica_transactions']} transactions of {args.db}"
                 if "replica_transactions" in summary else ""))
    if "stopped_at" in summary:
        print(f"[cluster] the replica stopped at {summary['stopped_at']} s: {summary['running_at_stop']} requests were "
              f"running (the longest took {summary['longest_running_at_stop']:.3f} s), "
              f"{summary['requests_10s_after_stop']} started in the next 10 s (the longest took "
              f"{summary['longest_10s_after_stop']:.3f} s; p99 before the stop {summary['p99_before_stop']:.3f} s, the "
              f"longest {summary['longest_before_stop']:.3f} s); errors: {summary['errors_10s_after_stop']} in these 10 s, "
              f"{summary['errors_after_stop']} after the stop")
        print(f"[cluster] in Odoo: {summary['fallback_workers']} worker(s) fell back to the primary, the first "
              f"{summary['first_fallback_after']} s after the stop; the reads that ran on the primary in the next 10 s "
              f"took at most {summary['fallback_longest_in_odoo']} s in Odoo ({summary['fallback_reads_10s']} reads)")
    return summary


def notify(http_url, ws_url, db, login, password):
    """A notification made on one node reaches a websocket held by another: the bus goes through
    the primary (NOTIFY), which every node's long-polling process listens to. An activity due
    today, created through ``http_url``, tells its user's browser, here a websocket on ``ws_url``."""
    import requests
    import websocket

    session = requests.Session()

    def rpc(path, params):
        body = session.post(f"{http_url}{path}", json={"jsonrpc": "2.0", "method": "call", "params": params},
                            timeout=30).json()
        if "error" in body:
            raise RuntimeError(body["error"])
        return body["result"]

    def call(model, method, *args, **kwargs):
        return rpc(f"/web/dataset/call_kw/{model}/{method}",
                   {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

    uid = rpc("/web/session/authenticate", {"db": db, "login": login, "password": password})["uid"]
    ws = websocket.create_connection(f"{ws_url}/websocket", timeout=10, origin=http_url,
                                     cookie=f"session_id={session.cookies['session_id']}")
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
    ws.settimeout(0.5)
    drain_until = time.monotonic() + 2  # what the bus held from before
    while time.monotonic() < drain_until:
        try:
            ws.recv()
        except websocket.WebSocketTimeoutException:
            pass
    order = call("service.order", "search", [], limit=1)[0]
    summary = f"bench/cluster.sh: a notification {time.time()}"
    sent = time.monotonic()
    call("service.order", "activity_schedule", [order], "mail.mail_activity_data_todo", summary=summary,
         user_id=uid, date_deadline=time.strftime("%Y-%m-%d"))
    received = None
    while time.monotonic() < sent + 10 and received is None:
        try:
            for notification in json.loads(ws.recv() or "[]"):
                if notification.get("message", {}).get("type") == "mail.activity/updated":
                    received = time.monotonic()
        except websocket.WebSocketTimeoutException:
            continue
    call("mail.activity", "unlink", call("mail.activity", "search", [["summary", "=", summary]]))
    ws.close()
    if received is None:
        print(f"[cluster] NO notification reached the websocket on {ws_url} within 10 s")
        return False
    print(f"[cluster] a notification made through {http_url} reached a websocket on {ws_url} "
          f"in {1000 * (received - sent):.0f} ms (the request included)")
    return True


def table(paths):
    """The comparison of the runs (their .cluster.json), one line each, as bench/README.md has it."""
    print("| set-up | clients | requests | throughput | p50 | p95 | longest | errors | refusals | retried "
          "| reads on the replica | CPU s (Odoo · PostgreSQL primary) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label_path in paths:
        label, path = label_path.split("=", 1)
        data = json.load(open(path, encoding="utf-8"))
        odoo = sum(value for name, value in data["cpu_seconds"].items() if name.startswith("node"))
        share = data.get("replica_share")
        share = "—" if not share else f"{share:.1%}"
        print(f"| {label} | {data['clients']} | {data['requests']} | {data['throughput']} req/s | {data['p50']} s "
              f"| {data['p95']} s | {data['longest']} s | {data['errors']} | {data['refusals']} | {data['retried']} "
              f"| {share} | {odoo:.0f} · {data['cpu_seconds'].get('primary backends', 0):.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("proxy")
    p.add_argument("port", type=int)
    p.add_argument("http_backends")
    p.add_argument("ws_backends")
    p.add_argument("--max-conns", type=int, default=8,
                   help="requests in hand per node at most (below 8 x its workers, Odoo's listen queue)")
    r = sub.add_parser("run")
    for name in ("url", "db"):
        r.add_argument(name)
    r.add_argument("clients", type=int)
    r.add_argument("seconds", type=float)
    r.add_argument("result")
    r.add_argument("logs")
    r.add_argument("--replica-port", type=int)
    r.add_argument("--stop-replica")
    r.add_argument("--pids", default="")
    r.add_argument("--mix", default="full")
    n = sub.add_parser("notify")
    for name in ("http_url", "ws_url", "db", "login", "password"):
        n.add_argument(name)
    t = sub.add_parser("table")
    t.add_argument("runs", nargs="+")
    args = parser.parse_args()
    if args.command == "proxy":
        proxy(args.port, args.http_backends, args.ws_backends, args.max_conns)
    elif args.command == "run":
        run(args)
    elif args.command == "notify":
        sys.exit(0 if notify(args.http_url, args.ws_url, args.db, args.login, args.password) else 1)
    else:
        table(args.runs)
