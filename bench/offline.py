"""Benchmark of the technician's day without signal (not part of the addon).

    offline.py prepare CONF DB TECHNICIANS SETUP    technicians with an order of the day each, a
                                                technician with a 10-stop day (ORM); their
                                                orders and questions written to SETUP (JSON)
    offline.py pack CONF DB                     the 10-stop day's pack: size, build time (ORM)
    offline.py run URL DB TECHNICIANS SETUP RESULT  every technician comes back online at once and
                                                sends the 20 operations of their visit (and a
                                                signature), then sends them all again, as a
                                                phone does when an answer is lost; the 10-stop
                                                day's pack over HTTP
    offline.py check CONF DB RESULT             nothing lost, nothing doubled

Run by bench/offline.sh, which makes the database, serves it with --workers and stops it.
Targets on the 2-core development machine: the pack of a 10-stop day (without photos)
<= 2 MB, built in <= 1 s; 200 technicians x 20 operations (4,000) applied within 120 s
against --workers=4, nothing lost or doubled. Throughput and p95 are printed.
"""
import io
import json
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import requests

PASSWORD = "bench"
OPS_PER_TECHNICIAN = 20
PACK_STOPS = 10
TARGET_PACK_BYTES = 2 * 1024 * 1024
TARGET_PACK_SECONDS = 1.0
TARGET_BURST_SECONDS = 120
# In production a proxy (nginx) in front of Odoo takes the phones' connections and hands them
# to the workers as they free up. Without it, 200 phones connecting at once overflow the
# workers' listen queue (8 connections per worker) and the kernel resets the others. The
# phones here go through such a gate: at most this many connections to Odoo at once, the
# others wait their turn (the wait counts in their times).
PROXY_CONNECTIONS = 32
GATE = threading.BoundedSemaphore(PROXY_CONNECTIONS)


def stand_in_pdf(order, html):
    """The orders' PDF versions are not what is measured: no wkhtmltopdf for them."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(40, 780, f"{order.name} (offline bench)")
    pdf.save()
    return buffer.getvalue()


def odoo_env(conf, db):
    import odoo
    from odoo import api

    odoo.tools.config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    return registry, api


# ---------------------------------------------------------------------- prepare (ORM)
def prepare(conf, db, count, setup_path):
    import odoo
    from odoo import Command, fields

    registry, api = odoo_env(conf, db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True,
                                                     "mail_create_nosubscribe": True})
        groups = {name: env.ref(f"service_order.group_service_order_{name}")
                  for name in ("technician", "dispatcher", "supervisor")}

        def user(login, group):
            return {"login": login, "name": login.replace("_", " ").title(), "password": PASSWORD, "tz": "UTC",
                    "email": f"{login}@bench.example.com", "notification_type": "inbox",
                    "groups_id": [Command.set([env.ref("base.group_user").id, groups[group].id])]}

        users = env["res.users"].create([user(f"offline_tech_{i:03d}", "technician") for i in range(count)]
                                        + [user("offline_pack", "technician"), user("offline_dispatcher", "dispatcher"),
                                           user("offline_supervisor", "supervisor")])
        technicians, pack_tech, dispatcher, supervisor = users[:count], users[count], users[count + 1], users[count + 2]
        env.company.service_default_supervisor_id = supervisor
        env.company.write({"service_item_dispatcher_approval": False, "service_item_customer_consent": False,
                           "service_repair_dispatcher_approval": False, "service_min_photos": 0})
        boiler = env["service.order.type"].create({"name": "Boiler (offline bench)", "default_duration": 2})
        arrive = env["service.step.question"].create(
            {"order_type_id": boiler.id, "step": "arrive", "name": "Site accessible", "answer_type": "yes_no"})
        env["service.step.question"].create([
            {"order_type_id": boiler.id, "step": "complete", "sequence": 1, "name": "Boiler restarted",
             "answer_type": "yes_no"},
            {"order_type_id": boiler.id, "step": "complete", "sequence": 2, "name": "Customer signature",
             "answer_type": "signature"},
        ])
        parts = env["product.product"].create([{"name": f"Bench part {i:02d}", "type": "consu", "list_price": 10 + i}
                                               for i in range(40)])
        customers = env["res.partner"].create([{
            "name": f"Offline customer {i:03d}", "is_company": True, "street": f"Rue de la Loi {i + 1}",
            "zip": "1000", "city": "Bruxelles", "country_id": env.ref("base.be").id, "phone": "+32 2 555 00 00",
            "email": f"customer{i:03d}@bench.example.com", "partner_latitude": 50.84 + i / 1000,
            "partner_longitude": 4.35 + i / 1000} for i in range(count)])
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=2)
        description = "<p>" + "The boiler loses pressure every night; the customer topped it up twice. " * 4 + "</p>"

        def order_vals(tech, customer, hour):
            return {"partner_id": customer.id, "location_id": customer.id, "order_type_id": boiler.id,
                    "supervisor_id": supervisor.id, "description": description,
                    "field_worker_ids": [Command.set(tech.ids)], "lead_technician_id": tech.id,
                    "scheduled_start": start + timedelta(minutes=40 * hour),
                    "scheduled_end": start + timedelta(minutes=40 * hour + 90),
                    "line_ids": [Command.create({"product_id": parts[(hour + k) % 40].id, "quantity": 1 + k})
                                 for k in range(3)]}

        Order = env["service.order"].with_user(dispatcher)
        orders = Order.create([order_vals(tech, customers[i], 0) for i, tech in enumerate(technicians)])
        day = Order.create([order_vals(pack_tech, customers[h], h) for h in range(PACK_STOPS)])
        with patch.object(type(env["service.order"]), "_html_to_pdf", stand_in_pdf):
            (orders | day)._do_submit()
            (orders | day).with_user(supervisor)._do_approve()
            env["service.order.document"]._issue_pending_versions(batch=len(orders | day))
            # the 10-stop day under way: the first stops visited, work items and parts on them
            for k, order in enumerate(day[:6]):
                order = order.with_user(pack_tech)
                order.action_accept_assignment()
                order.action_depart()
                order._do_technician_status("on_site", answers={arrive.id: {"value": "yes"}})
                for n in range(3):
                    env["service.work.item"].with_user(pack_tech).create({
                        "order_id": order.id, "complaint": f"Fault {k}.{n}: no heating on the first floor",
                        "diagnosis": "The circulation pump is seized; the valve leaks. " * 3,
                        "estimated_hours": 1.5, "notes": "Access through the garage.",
                        "part_ids": [Command.create({"product_id": parts[(k + n + j) % 40].id, "quantity": j + 1})
                                     for j in range(3)]})
        env["service.workspace.post"]._post_pending(batch=100000)
        env["ir.cron"].search([]).write({"nextcall": fields.Datetime.now() + timedelta(hours=12)})
        cr.execute("DELETE FROM ir_cron_trigger")
        questions = {q.step + ":" + q.name: q.id for q in env["service.step.question"].search(
            [("order_type_id", "=", boiler.id)])}
        setup = {"orders": {tech.login: [order.id, order.current_version]
                            for tech, order in zip(technicians, orders, strict=True)},
                 "questions": questions, "parts": parts[:2].ids}
        with open(setup_path, "w") as out:
            json.dump(setup, out)
    print(f"[offline] {db}: {count} technicians with an order of the day each; offline_pack with {PACK_STOPS} stops")


# ---------------------------------------------------------------------- the pack (ORM)
def pack(conf, db):
    import odoo

    registry, api = odoo_env(conf, db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        tech = env["res.users"].search([("login", "=", "offline_pack")])
        Pack = env["service.sync.pack"].with_user(tech)
        Pack._build()  # the questions of the type kept per process, as in a warm worker
        times = []
        for _round in range(15):
            env.invalidate_all()
            begin = time.perf_counter()
            result = Pack._build()
            times.append(time.perf_counter() - begin)
            cr.rollback()
        size = len(json.dumps(result).encode())
    met = size <= TARGET_PACK_BYTES and max(times) <= TARGET_PACK_SECONDS
    orders = len(result["orders"])
    items = sum(len(card["work_items"]) for card in result["orders"])
    print(f"[offline] pack of a {orders}-stop day ({items} work items, {len(result['products'])} products): "
          f"{size / 1024:.1f} kB; built in {statistics.median(times) * 1000:.0f} ms (median of 15, "
          f"max {max(times) * 1000:.0f} ms); targets <= {TARGET_PACK_BYTES // 1048576} MB and "
          f"<= {TARGET_PACK_SECONDS:.0f} s: {'met' if met else 'MISSED'}")


# ---------------------------------------------------------------------- the burst (HTTP)
def visit_operations(order_id, version, questions, parts, signature):
    """The 20 operations of a whole visit made offline, as the day page queues them (a second
    apart on the phone's clock, from now: after the order's approval, and in the past when the
    phones, all signed in, come back online)."""
    clock = datetime.now(UTC)
    sequence = 0
    ops = []

    def op(kind, payload=None):
        nonlocal sequence, clock
        sequence += 1
        clock += timedelta(seconds=1)
        ops.append({"uuid": str(uuid.uuid4()), "sequence": sequence, "kind": kind, "order_id": order_id,
                    "base": {"version": version}, "device_date": clock.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "payload": payload or {}})
        return ops[-1]

    op("accept")
    op("depart")
    op("arrive", {"answers": {str(questions["arrive:Site accessible"]): {"value": "yes"}}})
    op("start_work")  # clocks in: time follows the work
    op("note", {"body": "Started on the boiler."})
    first = {"op": op("work_item_create", {"complaint": "No hot water", "diagnosis": "Expansion vessel split.",
                                           "estimated_hours": 1.5,
                                           "parts": [{"product_id": parts[0], "quantity": 1}]})["uuid"]}
    op("work_item_part", {"item": first, "product_id": parts[1], "quantity": 2})
    op("work_item_submit", {"item": first})
    op("work_item_start_repair", {"item": first})
    op("note", {"body": "The customer asks for a yearly contract."})
    op("pause")
    op("resume")
    op("work_item_submit_repair", {"item": first})
    op("work_item_complete", {"item": first})
    second = {"op": op("work_item_create", {"complaint": "Noisy pump"})["uuid"]}
    op("work_item_update", {"item": second, "diagnosis": "Air in the circuit: bled it."})
    op("work_item_cancel", {"item": second})
    op("note", {"body": "Bled the radiators."})
    op("clock_out")
    op("complete", {"answers": {str(questions["complete:Boiler restarted"]): {"value": "yes"},
                                str(questions["complete:Customer signature"]): {
                                    "value": {"upload": signature}, "signed_by": "The customer"}}})
    assert len(ops) == OPS_PER_TECHNICIAN
    return ops


def signature_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).line([(20, 150), (120, 40), (200, 160), (320, 50), (460, 140), (580, 60)], fill="navy",
                               width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class Phone(threading.Thread):
    def __init__(self, url, db, login, setup, barrier, stats):
        super().__init__(daemon=True)
        self.url, self.db, self.login, self.barrier, self.stats = url, db, login, barrier, stats
        order_id, version = setup["orders"][login]
        self.signature = str(uuid.uuid4())
        self.ops = visit_operations(order_id, version, setup["questions"], setup["parts"], self.signature)
        self.device = f"bench-{uuid.uuid4().hex[:12]}-{login}"
        self.session = requests.Session()
        self.error = None
        self.answers = {}

    def post(self, path, **kwargs):
        """A request as the phone makes it: a connection refused or reset (the server's queue of
        connections is full: 8 per worker without a proxy in front) is sent again a moment
        later, as the day page sends again what did not go through."""
        for attempt in range(30):
            try:
                with GATE:
                    return self.session.post(f"{self.url}{path}", timeout=300, **kwargs)
            except requests.ConnectionError:
                self.stats.retried()
                time.sleep(min(0.5 * (attempt + 1), 5))
        raise RuntimeError(f"{path}: the server could not be reached")

    def rpc(self, path, params):
        response = self.post(path, json={"jsonrpc": "2.0", "method": "call", "params": params})
        body = response.json()
        if "error" in body:
            raise RuntimeError(f"{path}: {body['error'].get('data', {}).get('message')}")
        return body["result"]

    def sign_in(self):
        """Before the test: the phone has a session (signing in 200 users is not what is measured)."""
        self.rpc("/web/session/authenticate", {"db": self.db, "login": self.login, "password": PASSWORD})
        self.csrf = self.rpc("/service_order/day/session", {})["csrf_token"]

    def run(self):
        try:
            self.barrier.wait()  # the network comes back for everybody at once
            csrf = self.csrf
            begin = time.perf_counter()
            response = self.post(f"/service_order/day/upload/{self.signature}",
                                 params={"csrf_token": csrf, "name": "signature.png"},
                                 data=SIGNATURE, headers={"Content-Type": "image/png"})
            self.stats.record("upload", time.perf_counter() - begin)
            if response.status_code != 200:
                raise RuntimeError(f"upload: HTTP {response.status_code}")
            waiting = list(self.ops)
            for _attempt in range(20):
                begin = time.perf_counter()
                result = self.rpc("/service_order/day/sync", {"device": self.device, "operations": waiting})
                self.stats.record("sync", time.perf_counter() - begin, len(waiting))
                for op, answer in zip(waiting, result["results"], strict=True):
                    if answer["status"] != "deferred":
                        self.answers[op["uuid"]] = answer
                waiting = [op for op in waiting if op["uuid"] not in self.answers]
                if not waiting:
                    break
            self.stats.done(len(self.answers))
            # the phone did not hear the answer: it sends everything again
            begin = time.perf_counter()
            again = self.rpc("/service_order/day/sync", {"device": self.device, "operations": self.ops})
            self.stats.record("resend", time.perf_counter() - begin, len(self.ops))
            if [a["status"] for a in again["results"]] != [self.answers[op["uuid"]]["status"] for op in self.ops]:
                raise RuntimeError("a second delivery was answered otherwise than the first")
        except Exception as error:
            self.error = repr(error)[:300]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.applied = 0
        self.retries = 0
        self.last_done = None
        self.start = None

    def record(self, kind, seconds, ops=0):
        with self.lock:
            self.times.setdefault(kind, []).append((seconds, ops))

    def retried(self):
        with self.lock:
            self.retries += 1

    def done(self, count):
        with self.lock:
            self.applied += count
            self.last_done = time.perf_counter()


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))] if values else 0.0


SIGNATURE = b""


def cpu_seconds(server_pid, db):
    """(Odoo, PostgreSQL) CPU seconds used so far: the server's processes (workers, job runner,
    the PDF renderer's processes they waited for) and the database's backends. What a burst
    costs in CPU does not depend on what else the machine runs meanwhile; its wall time does."""
    import psutil
    import psycopg2

    def used(process):
        times = process.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

    server = psutil.Process(server_pid)
    odoo_cpu = used(server) + sum(used(child) for child in server.children(recursive=True))
    with psycopg2.connect(dbname="postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db])
        pids = [row[0] for row in cursor.fetchall()]
    pg_cpu = 0.0
    for pid in pids:
        try:
            pg_cpu += used(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    return odoo_cpu, pg_cpu, set(pids)


def run(url, db, count, setup_path, result_path, server_pid=None):
    global SIGNATURE
    SIGNATURE = signature_png()
    with open(setup_path) as source:
        setup = json.load(source)
    stats = Stats()
    barrier = threading.Barrier(count + 1)
    phones = [Phone(url, db, f"offline_tech_{i:03d}", setup, barrier, stats) for i in range(count)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(Phone.sign_in, phones))
    print(f"[offline] {count} phones signed in; the network comes back for all of them at once")
    for phone in phones:
        phone.start()
    before = cpu_seconds(server_pid, db) if server_pid else None
    barrier.wait()
    stats.start = time.perf_counter()
    for phone in phones:
        phone.join()
    wall = (stats.last_done or time.perf_counter()) - stats.start
    after = cpu_seconds(server_pid, db) if server_pid else None
    errors = [phone.error for phone in phones if phone.error]
    syncs = [seconds for seconds, _ops in stats.times.get("sync", [])]
    total = count * OPS_PER_TECHNICIAN
    applied = sum(1 for phone in phones for answer in phone.answers.values() if answer["status"] == "applied")
    refused = [(phone.login, answer["kind"], answer.get("message")) for phone in phones
               for answer in phone.answers.values() if answer["status"] == "refused"]
    print(f"[offline] {count} technicians back online at once, {OPS_PER_TECHNICIAN} operations each ({total}) and a "
          f"signature each: all answered in {wall:.1f} s; {applied} applied, {len(refused)} refused, "
          f"{len(errors)} phone errors")
    print(f"[offline] throughput {total / wall:.0f} operations/s; {len(syncs)} sync requests of "
          f"{OPS_PER_TECHNICIAN} operations, waiting for a worker included: p50 {percentile(syncs, 0.5):.2f} s, "
          f"p95 {percentile(syncs, 0.95):.2f} s, max {max(syncs or [0]):.2f} s")
    uploads = [seconds for seconds, _ops in stats.times.get("upload", [])]
    resends = [seconds for seconds, _ops in stats.times.get("resend", [])]
    print(f"[offline] uploads p95 {percentile(uploads, 0.95):.2f} s; second deliveries (all {total} again, "
          f"nothing applied twice) p95 {percentile(resends, 0.95):.2f} s; connections refused or reset and "
          f"sent again: {stats.retries}")
    met = applied == total and not errors and wall <= TARGET_BURST_SECONDS
    print(f"[offline] target: {total} operations applied within {TARGET_BURST_SECONDS} s, nothing lost: "
          f"{'met' if met else 'MISSED'}")
    if before and after:
        odoo_cpu, pg_cpu = after[0] - before[0], after[1] - before[1]
        print(f"[offline] CPU of the burst (both deliveries, the uploads, the job runner meanwhile): Odoo "
              f"{odoo_cpu:.0f} s, PostgreSQL {pg_cpu:.0f} s (backends kept through it: "
              f"{len(before[2] & after[2])}); {odoo_cpu + pg_cpu:.0f} CPU s in all, "
              f"{(odoo_cpu + pg_cpu) / 2:.0f} s on two cores doing nothing else")
    for error in errors[:5]:
        print(f"[offline] error: {error}")
    for refusal in refused[:5]:
        print(f"[offline] refused: {refusal}")
    # the 10-stop day's pack through HTTP, as the phone fetches it
    session = requests.Session()
    session.post(f"{url}/web/session/authenticate", json={"jsonrpc": "2.0", "method": "call", "params": {
        "db": db, "login": "offline_pack", "password": PASSWORD}}, timeout=60)
    times, size = [], 0
    for _round in range(10):
        begin = time.perf_counter()
        response = session.post(f"{url}/service_order/day/pack", json={"jsonrpc": "2.0", "method": "call",
                                                                       "params": {}}, timeout=60)
        times.append(time.perf_counter() - begin)
        size = len(response.content)
    print(f"[offline] the 10-stop day's pack over HTTP: {size / 1024:.1f} kB, {statistics.median(times) * 1000:.0f} ms "
          f"(median of 10, max {max(times) * 1000:.0f} ms)")
    with open(result_path, "w") as out:
        json.dump({"ops": {op["uuid"]: phone.login for phone in phones for op in phone.ops},
                   "uploads": [phone.signature for phone in phones], "count": count, "wall": wall,
                   "errors": errors}, out)
    return 0 if met else 1


# ---------------------------------------------------------------------- check (ORM)
def check(conf, db, result_path):
    import odoo

    with open(result_path) as source:
        result = json.load(source)
    registry, api = odoo_env(conf, db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        operations = env["service.sync.operation"].search([("uuid", "in", list(result["ops"]))])
        problems = []
        if len(operations) != len(result["ops"]):
            problems.append(f"{len(operations)} operations recorded for {len(result['ops'])} sent")
        if set(operations.mapped("state")) != {"applied"}:
            problems.append(f"not all applied: {sorted(set(operations.mapped('state')))}")
        orders = operations.order_id
        count = result["count"]
        expected = {
            "orders completed": (len(orders.filtered(lambda o: o.state == "completed")), count),
            "status logs": (env["service.order.status.log"].search_count([("order_id", "in", orders.ids)]), count * 6),
            "step answers": (env["service.step.answer"].search_count([("order_id", "in", orders.ids)]), count * 3),
            "work items": (env["service.work.item"].search_count([("order_id", "in", orders.ids)]), count * 2),
            "parts": (env["service.work.item.part"].search_count([("order_id", "in", orders.ids)]), count * 2),
            "time logs": (env["service.time.log"].search_count([("order_id", "in", orders.ids)]), count),
            "notes": (env["mail.message"].search_count([("model", "=", "service.order"), ("res_id", "in", orders.ids),
                                                        ("body", "ilike", "yearly contract")]), count),
            "signatures": (len(orders.filtered("customer_signature")), count),
            "uploads stored": (env["service.sync.upload"].search_count([("uuid", "in", result["uploads"]),
                                                                        ("state", "=", "stored")]), count),
        }
        for label, (found, wanted) in expected.items():
            if found != wanted:
                problems.append(f"{label}: {found}, expected {wanted}")
        device_used = sum(operations.mapped("device_date_used"))
    print(f"[offline] check: {len(operations)} operations once each, {len(orders)} orders, "
          + ", ".join(f"{label} {found}" for label, (found, _w) in expected.items())
          + f"; the phone's time used for {device_used}")
    for problem in problems:
        print(f"[offline] PROBLEM: {problem}")
    print(f"[offline] nothing lost, nothing doubled: {'yes' if not problems else 'NO'}")
    return 1 if problems else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "prepare":
        prepare(args[0], args[1], int(args[2]), args[3])
    elif command == "pack":
        pack(args[0], args[1])
    elif command == "run":
        sys.exit(run(args[0], args[1], int(args[2]), args[3], args[4], int(args[5]) if len(args) > 5 else None))
    elif command == "check":
        sys.exit(check(args[0], args[1], args[2]))
    else:
        sys.exit(__doc__)
