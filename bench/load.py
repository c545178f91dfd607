"""Load test: simulated technicians, dispatchers and portal customers as parallel JSON-RPC
clients of a multi-worker Odoo server, then a check that nothing was lost.

Run with bench/load.sh, which copies a bench database, prepares it, starts the server on
127.0.0.1 (--workers, the long-polling port), runs the clients and stops the server:

    load.py prepare CONF DB           the orders of the day, a product, portal users (ORM)
    load.py run URL DB CLIENTS SECONDS RESULT.json SERVER.log [full|probe]
    load.py check CONF DB RESULT.json
    load.py mark CONF DB              a new start for the next run on the same database

Every client is a closed loop (no think time) bounded in time (SECONDS) and in requests
(MAX_REQUESTS in all); it talks to 127.0.0.1 only. Technicians work their orders of the day
through the buttons (on my way, arrived, start, pause, resume), clock in and out (and now
and then tap clock-in twice at once, as a phone does on a bad network), read My day and
create confirmations; dispatchers read the kanban (column counts and a column), the list
and search by number, and confirm a change on an order under way; portal customers open
their orders' pages. A clear refusal (an Odoo UserError or ValidationError, e.g. "already
clocked in") is counted as such; anything else is an error. Serialization failures that
Odoo retried are counted from the server's log.
"""
import io
import json
import random
import re
import statistics
import sys
import threading
import time
from datetime import timedelta
from unittest.mock import patch

import requests

MAX_REQUESTS = 20000
# "full": the issue's mix (kanban reads, status changes, confirmations, time logs, portal pages);
# "probe": the first probe's (the same without confirmations, each of which renders a PDF)
MIX = "full"
WARM_UP_SECONDS = 10
PASSWORD = "bench"
ORDERS_PER_TECHNICIAN = 3
STATUS_BUTTONS = {"planned": "action_depart", "en_route": "action_arrive", "on_site": "action_start_work",
                  "working": "action_pause", "break": "action_resume"}
NEXT_STATUS = {"planned": "en_route", "en_route": "on_site", "on_site": "working", "working": "break",
               "break": "working"}
OPEN = [["is_open", "=", True]]  # the search view's "Open" filter
NAME = {"fields": {"display_name": {}}}
MY_DAY = {"state": {}, "next_action": {}, "technician_status": {}, "navigation_url": {}, "phone_url": {},
          "route_stop_number": {}, "time_window": {}, "partner_id": NAME, "location_address": {}, "name": {},
          "order_type_id": NAME}


def role_logins(clients):
    """The login of each client: 70% technicians, 20% dispatchers, 10% portal customers."""
    n_portal = max(1, clients // 10)
    n_dispatch = max(1, clients // 5)
    n_tech = clients - n_portal - n_dispatch
    return ([("technician", f"bench_technician_{i:02d}") for i in range(n_tech)]
            + [("dispatcher", f"bench_dispatcher_{i % 4:02d}") for i in range(n_dispatch)]
            + [("portal", f"bench_portal_{i:02d}") for i in range(n_portal)])


# ---------------------------------------------------------------------- prepare (ORM)
def prepare(conf, db):
    from reportlab.pdfgen import canvas

    import odoo
    from odoo import Command, api, fields
    from odoo.tools import SQL

    def stand_in_pdf(order, html):
        # the versions of the prepared orders are not what is measured: no wkhtmltopdf for them
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer)
        pdf.drawString(40, 780, f"{order.name} (load test)")
        pdf.save()
        return buffer.getvalue()

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        technicians = env["res.users"].search([("login", "like", "bench_technician_%")], order="login")
        dispatcher = env["res.users"].search([("login", "=", "bench_dispatcher_00")])
        supervisor = env["res.users"].search([("login", "=", "bench_supervisor_00")])
        installation = env.ref("service_order.service_order_type_installation")
        customers = env["res.partner"].search([("name", "like", "Customer 0%")], order="name", limit=50)
        today = fields.Datetime.now().replace(hour=6, minute=0, second=0, microsecond=0)
        orders = env["service.order"].with_user(dispatcher).create([{
            "partner_id": customers[(t * ORDERS_PER_TECHNICIAN + k) % len(customers)].id,
            "location_id": customers[(t * ORDERS_PER_TECHNICIAN + k) % len(customers)].id,
            "order_type_id": installation.id, "supervisor_id": supervisor.id,
            "description": f"<p>Load test: order {k + 1} of the day.</p>",
            "scheduled_start": today + timedelta(hours=2 * k + 1), "scheduled_end": today + timedelta(hours=2 * k + 2),
            "field_worker_ids": [Command.set(tech.ids)], "lead_technician_id": tech.id,
        } for t, tech in enumerate(technicians) for k in range(ORDERS_PER_TECHNICIAN)])
        orders._do_submit()
        orders.with_user(supervisor)._do_approve()
        with patch.object(type(env["service.order"]), "_html_to_pdf", stand_in_pdf):
            env["service.order.document"]._issue_pending_versions(batch=len(orders))
        env["product.product"].create({"name": "Bench part (load test)", "type": "consu", "list_price": 12.0})
        portal = env.ref("base.group_portal")
        for i, customer in enumerate(customers[:5]):
            env["res.users"].with_context(no_reset_password=True).create({
                "name": f"Portal {i:02d}", "login": f"bench_portal_{i:02d}", "password": PASSWORD,
                "partner_id": env["res.partner"].create({"name": f"Contact {i:02d}", "parent_id": customer.id,
                                                         "email": f"portal{i:02d}@bench.example.com"}).id,
                "groups_id": [Command.set(portal.ids)]})
        env["service.workspace.post"]._post_pending(batch=10000)
        # the scheduled actions ran at their hour: none is overdue when the server starts (the
        # copied database's would all run at once); the job runners are woken by the test's work
        env["ir.cron"].search([]).write({"nextcall": fields.Datetime.now() + timedelta(hours=12)})
        # nor woken: the update of the addon before this leaves triggers (Odoo's auto-vacuum
        # among them, 10 s of the one cron thread in the middle of the test)
        cr.execute(SQL("DELETE FROM ir_cron_trigger"))
        set_marks(env)
    print(f"[load] {db}: {len(orders)} orders of the day for {len(technicians)} technicians, 5 portal users")


def set_marks(env):
    """Where a run starts: what it makes has a greater id (the check counts from there)."""
    from odoo.tools import SQL

    marks = {}
    for table in ("service_order_status_log", "service_time_log", "service_confirmation"):
        env.cr.execute(SQL("SELECT coalesce(max(id), 0) FROM %s", SQL.identifier(table)))
        marks[table] = env.cr.fetchone()[0]
    env["ir.config_parameter"].set_param("service_order.load_test_marks", json.dumps(marks))


def mark(conf, db):
    """A new start for the next run on the same database (bench/cluster.sh runs several)."""
    import odoo
    from odoo import api

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    with odoo.modules.registry.Registry(db).cursor() as cr:
        # the environment is kept until the commit: the transaction flushes only the living ones
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        set_marks(env)


# ---------------------------------------------------------------------- the clients (JSON-RPC)
class Refused(Exception):
    """A clear refusal of Odoo (UserError, ValidationError, AccessError): the user is told why."""


class Failed(Exception):
    """Anything else: a server error the user would see as such."""


class Client:
    def __init__(self, url, db, role, login, stats):
        self.url, self.db, self.role, self.login, self.stats = url, db, role, login, stats
        self.session = requests.Session()
        self.rng = random.Random(login)
        self.context = {}

    def rpc(self, path, params, kind):
        start = time.perf_counter()
        try:
            response = self.session.post(f"{self.url}{path}", json={"jsonrpc": "2.0", "method": "call",
                                                                    "params": params}, timeout=60)
            body = response.json() if response.status_code == 200 else None
            if body is None:
                raise Failed(f"HTTP {response.status_code}")
            if "error" in body:
                data = body["error"].get("data", {})
                name, message = data.get("name", ""), data.get("message", "")
                # a constraint of the database turned into a message by Odoo is no clear refusal
                raw = "The operation cannot be completed" in message or "duplicate key" in message
                if name.split(".")[-1] in ("UserError", "ValidationError", "AccessError", "RedirectWarning") \
                        and not raw:
                    raise Refused(message)
                raise Failed(f"{name}: {message}"[:300])
            return body.get("result")
        finally:
            self.stats.record(kind, time.perf_counter() - start)

    def call(self, model, method, args, kind, **kwargs):
        return self.rpc(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": args, "kwargs": dict(kwargs, context=self.context)}, kind)

    def button(self, model, method, ids, kind):
        return self.rpc("/web/dataset/call_button", {
            "model": model, "method": method, "args": [ids], "kwargs": {"context": self.context}}, kind)

    def get(self, path, kind):
        start = time.perf_counter()
        try:
            response = self.session.get(f"{self.url}{path}", timeout=60)
            if response.status_code != 200:
                raise Failed(f"HTTP {response.status_code} on {path}")
        finally:
            self.stats.record(kind, time.perf_counter() - start)

    def login_(self):
        result = self.rpc("/web/session/authenticate", {"db": self.db, "login": self.login,
                                                        "password": PASSWORD}, "login")
        self.uid = result["uid"]
        self.context = {"lang": "en_US", "tz": "Europe/Brussels", "uid": self.uid}
        if result.get("user_companies"):  # internal users
            self.context["allowed_company_ids"] = [result["user_companies"]["current_company"]]

    # one step of each role ---------------------------------------------------------
    def step_technician(self):
        if not getattr(self, "orders", None) or self.rng.random() < 0.3:
            self.read_my_day()
            return
        self.work_on_order()

    def read_my_day(self):
        day = self.call("service.order", "web_search_read", [[["assigned_to_me", "=", True],
                                                              ["state", "in", ["planned", "in_progress"]]]],
                        "kanban read", specification=MY_DAY, limit=40, order="scheduled_start ASC")
        # the orders of the day the test prepared (approved through the ORM: each has its
        # workspace; their type asks no question at any step), not the populated ones
        known = getattr(self, "orders", None) or {}
        self.orders = {r["id"]: dict(r, is_clocked_in=known.get(r["id"], {}).get("is_clocked_in", False))
                       for r in day["records"] if not r["name"].startswith("SRV/B/")}

    def work_on_order(self):
        order_id = min(self.orders)  # the first order of the day, worked the whole test long
        order = self.orders[order_id]
        roll = self.rng.random()
        if roll < 0.6:
            status = order["technician_status"]
            try:
                result = self.button("service.order", STATUS_BUTTONS[status], [order_id], "status change")
                if isinstance(result, dict):  # a step form opened instead: the type asks something
                    raise Failed(f"{STATUS_BUTTONS[status]} opened a form: {result}"[:200])
                self.stats.count("status changes")
                order["technician_status"] = NEXT_STATUS[status]
            except Refused:
                self.orders = None  # the view was stale: read again
                raise
        elif roll < 0.97:
            # a refusal tells the phone where the clock stands ("already clocked in": a run
            # before this one on the same database left it running)
            if order.get("is_clocked_in"):
                order["is_clocked_in"] = False
                self.button("service.order", "action_clock_out", [order_id], "time log")
                self.stats.count("clock outs")
            elif self.rng.random() < 0.3:
                self.double_tap_clock_in(order_id, order)
            else:
                order["is_clocked_in"] = True
                self.button("service.order", "action_clock_in", [order_id], "time log")
                self.stats.count("clock ins")
        elif MIX == "full":
            self.confirm(order_id, "technician")
        else:
            self.read_my_day()

    def double_tap_clock_in(self, order_id, order):
        """Two clock-ins at once (a double tap on a bad network): one passes, the other is told
        "already clocked in"; never a raw database error."""
        outcomes = []

        def tap():
            try:
                self.button("service.order", "action_clock_in", [order_id], "time log")
                outcomes.append("ok")
            except Refused as refusal:
                outcomes.append(f"refused: {refusal}")
            except Failed as failure:
                outcomes.append(f"failed: {failure}")
        threads = [threading.Thread(target=tap) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.stats.count("double taps")
        self.stats.count("clock ins", outcomes.count("ok"))
        for outcome in outcomes:
            if outcome.startswith("refused"):
                self.stats.count("refusals")
                self.stats.note("refusal", outcome)
            elif outcome.startswith("failed"):
                self.stats.count("errors")
                self.stats.note("error", outcome)
        # one passed, or both were told "already clocked in"
        order["is_clocked_in"] = True

    def confirm(self, order_id, who):
        wizard = self.call("service.confirmation.create", "create", [{
            "order_id": order_id, "reason": f"Load test: an extra part ({who})",
            "line_ids": [[0, 0, {"product_id": self.product_id, "quantity": 1}]]}], "confirmation")
        self.button("service.confirmation.create", "action_confirm", [wizard], "confirmation")
        self.stats.count("confirmations")

    def step_dispatcher_reads(self):
        self.step_dispatcher(roll=self.rng.random() * 0.95)

    def step_dispatcher(self, roll=None):
        roll = self.rng.random() if roll is None else roll
        if roll < 0.25:
            self.call("service.order", "web_read_group", [OPEN, ["color:sum"], ["state"]], "kanban read", lazy=True)
            self.call("service.order", "read_progress_bar", [OPEN, "state", {
                "field": "activity_state", "colors": {"planned": "success", "today": "warning",
                                                      "overdue": "danger"}}], "kanban read")
        elif roll < 0.55:
            self.call("service.order", "web_search_read", [OPEN + [["state", "=", "planned"]]], "kanban read",
                      specification=self.kanban_spec, limit=40)
        elif roll < 0.8:
            self.call("service.order", "web_search_read", [OPEN], "list read", specification=self.kanban_spec,
                      limit=80, count_limit=10001)
        elif roll < 0.95:
            self.call("service.order", "web_search_read", [OPEN + [["name", "ilike", f"{self.rng.randint(1, 9999):04d}"]]],
                      "list read", specification=self.kanban_spec, limit=80, count_limit=10001)
        elif MIX == "probe":
            self.call("service.order", "web_search_read", [OPEN], "list read", specification=self.kanban_spec,
                      limit=80, count_limit=10001)
        else:
            under_way = self.call("service.order", "search", [[["state", "=", "in_progress"],
                                                               ["description", "like", "Load test"]]],
                                  "list read", limit=20)
            if under_way:
                self.confirm(self.rng.choice(under_way), "dispatcher")

    def step_portal(self):
        if not getattr(self, "portal_ids", None):
            self.get("/my/service_orders", "portal page")
            self.portal_ids = self.call("service.order", "search", [[]], "portal page", limit=5) or [0]
            return
        self.get(f"/my/service_orders/{self.rng.choice(self.portal_ids)}", "portal page")

    def start(self):
        """Log in (a password hash is costly: the clients log in during the warm-up, not in the
        measured run), retried for up to two minutes; False if it never passed."""
        give_up = time.monotonic() + 120
        while not getattr(self, "uid", None) and time.monotonic() < give_up:
            try:
                self.login_()
                if self.role != "portal":
                    self.product_id = self.call("product.product", "search",
                                                [[["name", "=", "Bench part (load test)"]]], "login", limit=1)[0]
            except (Refused, Failed, requests.RequestException) as failure:
                self.uid = None
                self.stats.count("errors")
                self.stats.note("error", f"login: {failure}")
                time.sleep(1)
        return bool(getattr(self, "uid", None))

    def loop(self, deadline, reads_only=False):
        if not self.start():
            return
        self.kanban_spec = {"name": {}, "priority": {}, "state": {}, "partner_id": NAME, "scheduled_start": {},
                            "technician_status": {}, "sla_status": {}, "sla_reason": {},
                            "field_worker_count": {}, "lead_technician_id": NAME, "location_address": {},
                            "activity_state": {}, "waiting_for": {},
                            # the double-booking flag is on the dispatchers' card only
                            **({"double_booked": {}} if self.role == "dispatcher" else {})}
        step = getattr(self, f"step_{self.role}")
        if reads_only:  # the warm-up reads, and changes nothing the check counts
            step = {"technician": self.read_my_day, "dispatcher": self.step_dispatcher_reads,
                    "portal": self.step_portal}[self.role]
        while time.monotonic() < deadline and self.stats.total < MAX_REQUESTS:
            try:
                step()
            except Refused as refusal:
                self.stats.count("refusals")
                self.stats.note("refusal", str(refusal))
            except (Failed, requests.RequestException) as failure:
                self.stats.count("errors")
                self.stats.note("error", str(failure))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.counts, self.notes = {}, {}, {}
        self.total = 0
        self.timeline = []  # (started, seconds, kind) of each request, on time.monotonic()
        self.error_times = []

    def record(self, kind, seconds):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.timeline.append((time.monotonic() - seconds, seconds, kind))
            self.total += 1

    def count(self, name, n=1):
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n

    def note(self, kind, text):
        key = re.sub(r"\d+", "N", text)[:160]
        with self.lock:
            if kind == "error":
                self.error_times.append(time.monotonic())
            self.notes.setdefault(kind, {}).setdefault(key, 0)
            self.notes[kind][key] += 1


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


def warm_up(url, db, clients, seconds):
    """Every worker of the server builds its caches (registry, views, routing, translations)
    on its first requests: the same clients log in and read for ``seconds`` first, not
    counted. Returns them, logged in, for the measured run."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    workers = [Client(url, db, role, login, stats) for role, login in role_logins(clients)]
    threads = [threading.Thread(target=client.loop, args=(deadline, True)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 240)
    if stats.counts.get("errors"):
        print(f"[load] warm-up: {stats.counts['errors']} errors: {stats.notes.get('error')}")
    return workers


def read_logs(paths, starts=None):
    """The text of each server log (a list of paths, or one path or None), from ``starts``."""
    paths = [paths] if isinstance(paths, str) else (paths or [])
    texts = [open(path, encoding="utf-8", errors="replace").read() for path in paths]
    return [text[start:] for text, start in zip(texts, starts or [0] * len(texts), strict=True)]


def run(url, db, clients, seconds, result_path, server_log, event=None, on_start=None):
    """The measured run. ``server_log``: the server's log file, or a list of them (several
    nodes). ``event``: (seconds, callable) called once that long after the start, in a thread
    (bench/cluster.py stops the replica there). ``on_start``: called as the clients start."""
    workers = warm_up(url, db, clients, WARM_UP_SECONDS)
    stats = Stats()
    for client in workers:
        client.stats = stats
    log_starts = [len(text) for text in read_logs(server_log)]
    if on_start:
        on_start()
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=client.loop, args=(deadline,)) for client in workers]
    event_at = []
    if event:
        def at_event():
            time.sleep(max(0.0, started + event[0] - time.monotonic()))
            event_at.append(time.monotonic())
            event[1]()
        threads.append(threading.Thread(target=at_event))
    wall = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    elapsed = time.monotonic() - started
    logs = read_logs(server_log, log_starts)
    log = "\n".join(logs)
    retried = len(re.findall(r"tries left, try again in", log))
    all_latencies = [s for kind, values in stats.latencies.items() if kind != "login" for s in values]
    requests_done = len(all_latencies)
    roles = [role for role, _login in role_logins(clients)]
    mix = ", ".join(f"{roles.count(role)} {role}s" for role in ("technician", "dispatcher", "portal"))
    print(f"\n{clients} clients ({mix}), mix {MIX}, {elapsed:.0f} s, {requests_done} requests\n")
    print("| requests | throughput | p50 | p95 | errors | refusals (clear messages) | serialization failures retried |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {requests_done} | {requests_done / elapsed:.1f} req/s | {statistics.median(all_latencies):.3f} s | "
          f"{percentile(all_latencies, 0.95):.3f} s | {stats.counts.get('errors', 0)} | "
          f"{stats.counts.get('refusals', 0)} | {retried} |")
    print("\n| request | count | p50 | p95 |\n| --- | --- | --- | --- |")
    for kind, values in sorted(stats.latencies.items()):
        if kind != "login":
            print(f"| {kind} | {len(values)} | {statistics.median(values):.3f} s | {percentile(values, 0.95):.3f} s |")
    for kind, notes in stats.notes.items():
        print(f"\n{kind}s:")
        for text, n in sorted(notes.items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {n:5d} x {text}")
    result = {"started": wall, "elapsed": elapsed, "requests": requests_done, "counts": stats.counts,
              "retried": retried, "p50": statistics.median(all_latencies), "p95": percentile(all_latencies, 0.95),
              "throughput": requests_done / elapsed, "errors": stats.counts.get("errors", 0),
              "refusals": stats.counts.get("refusals", 0), "notes": stats.notes,
              "longest": max(all_latencies), "logs": logs}
    if event_at:
        # around the event: the requests running at that moment, and those of the 10 s after it
        event = event_at[0]
        running = [seconds_ for start, seconds_, kind in stats.timeline
                   if kind != "login" and start <= event <= start + seconds_]
        next_10 = [seconds_ for start, seconds_, kind in stats.timeline if kind != "login" and event < start <= event + 10]
        before = [seconds_ for start, seconds_, kind in stats.timeline if kind != "login" and start + seconds_ < event]
        result.update(
            event_at=event - started, event_wall=wall + (event - started),
            running_at_event=len(running), longest_running_at_event=max(running, default=0.0),
            requests_10s_after_event=len(next_10), longest_10s_after_event=max(next_10, default=0.0),
            p99_before_event=percentile(before, 0.99), longest_before_event=max(before, default=0.0),
            errors_10s_after_event=sum(1 for moment in stats.error_times if event <= moment <= event + 10),
            errors_after_event=sum(1 for moment in stats.error_times if moment >= event))
    with open(result_path, "w", encoding="utf-8") as out:
        json.dump({key: value for key, value in result.items() if key != "logs"}, out)
    return result


# ---------------------------------------------------------------------- check (ORM)
def check(conf, db, result_path):
    import odoo
    from odoo import api
    from odoo.tools import SQL

    result = json.load(open(result_path, encoding="utf-8"))
    counts = result["counts"]
    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    from odoo.addons.service_order.models.service_order_states import OPEN_STATES  # after the config
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        marks = json.loads(env["ir.config_parameter"].get_param("service_order.load_test_marks"))
        cr.execute(SQL("SELECT count(*) FROM service_order_status_log WHERE id > %s",
                       marks["service_order_status_log"]))
        logs = cr.fetchone()[0]
        cr.execute(SQL("SELECT count(*) FROM (SELECT user_id FROM service_time_log WHERE date_stop IS NULL "
                       "GROUP BY user_id HAVING count(*) > 1) t"))
        doubly_open = cr.fetchone()[0]
        cr.execute(SQL("SELECT count(*) FROM service_time_log WHERE id > %s", marks["service_time_log"]))
        time_logs = cr.fetchone()[0]
        # closing an order clocks everybody out (the state machine's side effects)
        cr.execute(SQL("SELECT count(*) FROM service_time_log l JOIN service_order o ON o.id = l.order_id "
                       "WHERE l.date_stop IS NULL AND o.state NOT IN %s", OPEN_STATES))
        open_on_closed = cr.fetchone()[0]
        confirmations = env["service.confirmation"].search([("id", ">", marks["service_confirmation"])])
        without_version = confirmations.filtered(lambda c: not c.document_id or c.document_id.reason != "confirmation")
        # the confirmations' PDFs are the job runner's: how many it made while the clients ran
        # (a figure, not a check: what is still pending when the server stops is made next run)
        issued = confirmations.document_id.filtered(lambda d: d.state == "issued")
        print(f"\nthe job runner issued {len(issued)} of the {len(confirmations.document_id)} confirmations' "
              f"versions before the server stopped")
    lines = [
        ("status logs = status changes made", logs, counts.get("status changes", 0)),
        ("time logs opened = clock-ins that passed", time_logs, counts.get("clock ins", 0)),
        ("technicians with more than one open time log", doubly_open, 0),
        ("confirmations = confirmations made", len(confirmations), counts.get("confirmations", 0)),
        ("confirmations without their version", len(without_version), 0),
        ("time logs left open on closed orders", open_on_closed, 0),
    ]
    print("\n| check | found | expected | |\n| --- | --- | --- | --- |")
    ok = True
    for label, found, expected in lines:
        # more than the clients counted: done, but a client gave up waiting for the answer (an
        # error on its side), nothing lost; a count that should be 0 must be 0
        unanswered = expected and found > expected
        ok &= found == expected or bool(unanswered)
        verdict = "ok" if found == expected else "done, not answered" if unanswered else "LOST"
        print(f"| {label} | {found} | {expected} | {verdict} |")
    print(f"\nnothing lost: {'yes' if ok else 'NO'}")
    return ok


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        prepare(sys.argv[2], sys.argv[3])
    elif command == "run":
        MIX = sys.argv[8] if len(sys.argv) > 8 else "full"
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6],
            sys.argv[7] if len(sys.argv) > 7 else None)
    elif command == "mark":
        mark(sys.argv[2], sys.argv[3])
    elif command == "check":
        sys.exit(0 if check(sys.argv[2], sys.argv[3], sys.argv[4]) else 1)
