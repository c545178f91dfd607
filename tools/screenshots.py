#!/usr/bin/env python3
"""Screenshots of Service Orders for the docs (tooling, not part of the addon).

From a database holding the addon and its demo data (``tools/run.sh`` makes
``service_order_demo``), it logs in as the demo users, drives Debian's headless chromium
over the Chrome DevTools Protocol (websocket-client) and writes PNGs into
``docs/screenshots/``:

    orders_kanban.png            dispatcher: the orders' kanban, grouped by state
    order_form.png               dispatcher: the in-progress order's form
    orders_map.png               dispatcher: today's orders on the map (markers; the
                                 map tiles need the internet and may stay grey)
    technician_my_day.png        technician on a 390x844 phone: My Day, the landing page (today first,
                                 the day on the others, an overdue job flagged)
    technician_phone_order.png   the same phone: an order, its next actions on the first screen
    technician_phone_work_items.png  another technician's order under way: its work items on the
                                 first screen, each with its next step as a big button
    technician_step_form.png     the completion form on the phone: the questions inline, touch-sized,
                                 and the signature pad
    sla_policies.png             supervisor: the service targets in the order they are tried
    planning_timeline.png        dispatcher: the planning timeline by technician
    day_route.png                dispatcher: Tom's day route after one click on Optimise route
    day_route_map.png            dispatcher: that route on the map, numbered pins and its line
    technician_phone_route.png   technician on a phone: My Route Today, in visiting order
    day_offline_signature.png    the day page (/service_order/day/) without network: the
                                 completion form, the customer signing with a finger
    day_offline.png              the same: the offline banner, the operations waiting to send
    day_refused.png              back online: the office had cancelled the order meanwhile,
                                 the phone shows each refused operation and why
    order_pdf_page1.png          page 1 of the order's current PDF version (pdftoppm)
    completion_report_page1.png  page 1 of a completed order's completion report
    order_invoiced.png           dispatcher: a completed order with its sale order and invoice
    consent_page.png             the customer's consent page: the estimate with its prices
    portal_order.png             the customer (portal): an order's page with its work items, its
                                 estimate and its documents by what they are
    equipment_form.png           dispatcher: a piece of equipment, its warranty and whole history
    equipment_label.png          its QR label (the PDF, pdftoppm)
    equipment_portal.png         the page the label opens on the customer's 390x844 phone
    equipment_technician.png     the technician's phone: the equipment's history from the order

Either it uses a running server (``--url``), or it starts Odoo itself on a free local
port (``--odoo`` and ``--config``) and stops it at the end. ``tools/screenshots.sh``
wraps this with the paths of this checkout.

    tools/screenshots.sh                      # service_order_demo, own server
    tools/screenshots.sh --db my_demo_db
    tools/screenshots.sh --url http://127.0.0.1:8069
    tools/screenshots.sh --only equipment_    # only the files whose name starts so
    tools/screenshots.sh --only day_offline --only day_refused   # the day page's offline states only
"""
import argparse
import base64
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
]
DESKTOP = (1440, 900)
PHONE = (390, 844)


ONLY = []  # --only: the prefixes of the files to write (all when empty)


def log(message):
    print(f"[screenshots] {message}", file=sys.stderr, flush=True)


def wanted(path):
    return not ONLY or any(Path(path).name.startswith(prefix) for prefix in ONLY)


OFFLINE_SHOTS = ("day_offline.png", "day_offline_signature.png", "day_refused.png")


def offline_only():
    """--only names the day page's offline states alone: the other pages are not visited."""
    return bool(ONLY) and all(prefix.startswith(("day_offline", "day_refused")) for prefix in ONLY)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- Odoo
class Odoo:
    """A server (started here or already running) and JSON-RPC sessions on it."""

    def __init__(self, url=None, odoo_bin=None, config=None, db=None):
        self.db = db
        self.process = None
        if url:
            self.url = url.rstrip("/")
        else:
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            cmd = [odoo_bin, "-c", config, "-d", db, f"--db-filter=^{db}$", f"--http-port={port}",
                   "--http-interface=127.0.0.1", "--max-cron-threads=0", "--log-level=warn"]
            log(f"starting Odoo on {self.url} (database {db})")
            self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_ready()

    def _wait_ready(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process and self.process.poll() is not None:
                raise SystemExit(f"Odoo stopped at start:\n{self.process.stderr.read().decode()[-3000:]}")
            try:
                if requests.get(f"{self.url}/web/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit(f"Odoo did not answer on {self.url} within {timeout}s")

    def stop(self):
        if self.process and self.process.poll() is None:
            log("stopping Odoo")
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def login(self, login, password):
        """A requests session logged in as ``login``."""
        session = requests.Session()
        response = session.post(f"{self.url}/web/session/authenticate", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"db": self.db, "login": login, "password": password},
        }, timeout=60)
        response.raise_for_status()
        if response.json().get("error") or not session.cookies.get("session_id"):
            raise SystemExit(f"cannot log in as {login}: {response.json().get('error')}")
        return session

    def call(self, session, model, method, *args, **kwargs):
        response = session.post(f"{self.url}/web/dataset/call_kw/{model}/{method}", json={
            "jsonrpc": "2.0", "method": "call",
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }, timeout=120)
        response.raise_for_status()
        payload = response.json()
        if payload.get("error"):
            raise SystemExit(f"{model}.{method}: {payload['error']['data']['message']}")
        return payload["result"]


# ---------------------------------------------------------------------------- chromium
class Chromium:
    """Headless Debian chromium driven over the DevTools protocol."""

    def __init__(self, binary="chromium"):
        self.profile = tempfile.mkdtemp(prefix="so_screenshots_chromium_")
        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile, "DevToolsActivePort")
        for _ in range(300):
            if port_file.is_file() and port_file.stat().st_size > 5:
                break
            time.sleep(0.1)
        else:
            self.close()
            raise SystemExit("chromium did not open its DevTools port")
        port = int(port_file.read_text().split()[0])
        pages = [t for t in requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
                 if t["type"] == "page"]
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], suppress_origin=True,
                                              timeout=120)
        self._ids = iter(range(1, 1 << 30))
        self.events = []  # the DevTools events received meanwhile (the service workers attached)
        self.send("Page.enable")
        self.send("Network.enable")

    def send(self, method, session=None, **params):
        """A DevTools command to the page (or to the attached target ``session``)."""
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params,
                                 **({"sessionId": session} if session else {})}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if message.get("method") == "Target.attachedToTarget":
                self.events.append(message)

    def set_offline(self, offline):
        """The network goes (or comes back): the browser's emulation, on the page and on the
        service workers it runs."""
        conditions = {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        for event in self.events:
            if event["params"]["targetInfo"]["type"] == "service_worker":
                self.send("Network.enable", session=event["params"]["sessionId"])
                self.send("Network.emulateNetworkConditions", session=event["params"]["sessionId"], **conditions)
        self.send("Network.emulateNetworkConditions", **conditions)

    def touch(self, selector, text=None):
        """A finger on the element (and the keyboard typing ``text``)."""
        x, y = self.evaluate(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
            el.scrollIntoView({{block: "center"}}); const b = el.getBoundingClientRect();
            return [b.left + b.width / 2, b.top + b.height / 2]; }})()""")
        self.send("Input.dispatchTouchEvent", type="touchStart", touchPoints=[{"x": x, "y": y}])
        self.send("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])
        time.sleep(0.3)
        if text is not None:
            self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
            self.send("Input.insertText", text=text)

    def sign(self, selector):
        """A signature drawn with a finger across the element."""
        x, y = self.evaluate(f"""(() => {{ const b = document.querySelector({json.dumps(selector)})
            .getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; }})()""")
        points = [(x - 130 + i * 13, y + (20 if i % 2 else -20) - i) for i in range(21)]
        self.send("Input.dispatchTouchEvent", type="touchStart", touchPoints=[{"x": points[0][0], "y": points[0][1]}])
        for px, py in points[1:]:
            self.send("Input.dispatchTouchEvent", type="touchMove", touchPoints=[{"x": px, "y": py}])
        self.send("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def use_session(self, url, session_id):
        host = url.split("//", 1)[1].split("/", 1)[0].split(":")[0]
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")

    def viewport(self, width, height, phone=False):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=phone)
        self.send("Emulation.setTouchEmulationEnabled", enabled=phone, maxTouchPoints=5 if phone else 1)

    def open(self, url, selector, timeout=90):
        """Load ``url`` and wait until ``selector`` shows and the page is quiet."""
        self.send("Page.navigate", url=url)
        self.wait_for(selector, timeout)

    def wait_for(self, selector, timeout=90):
        check = f"!!document.querySelector({json.dumps(selector)})"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(check):
                # let the last RPCs, images and transitions finish
                time.sleep(2)
                return
            time.sleep(0.3)
        failed = Path(tempfile.gettempdir(), "so_screenshots_failed.png")
        self.screenshot(failed)
        raise SystemExit(f"'{selector}' did not show within {timeout}s (page as it was: {failed})")

    def click(self, selector):
        # :has() is a CSS selector chromium knows, so querySelector does the work
        if not self.evaluate(f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
                             f" if (el) {{ el.click(); return true; }} return false; }})()"):
            raise SystemExit(f"nothing to click at '{selector}'")

    def screenshot(self, path):
        if not wanted(path):
            return
        # notifications and chat bubbles of the demo's workspaces would cover the page
        self.evaluate("""(() => { const s = document.createElement('style');
            s.textContent = '.o_notification_manager, .o-mail-ChatHub, .o-mail-ChatWindow { display: none !important; }';
            document.head.appendChild(s); })()""")
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        log(f"wrote {path}")

    def close(self):
        try:
            if getattr(self, "ws", None):
                try:
                    self.send("Browser.close")
                except Exception:
                    pass
                self.ws.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


# ---------------------------------------------------------------------------- shots
def demo_order_ids(odoo, admin):
    """The demo's in-progress and planned orders (by XML id, else the first of each state)."""
    ids = {}
    rows = odoo.call(admin, "ir.model.data", "search_read",
                     [("module", "=", "service_order"), ("model", "=", "service.order"),
                      ("name", "in", ["order_in_progress", "order_planned", "order_completed"])], ["name", "res_id"])
    for row in rows:
        ids[row["name"].replace("order_", "")] = row["res_id"]
    for state in ("in_progress", "planned", "completed"):
        if state not in ids:
            found = odoo.call(admin, "service.order", "search", [("state", "=", state)], limit=1)
            if not found:
                raise SystemExit(f"no {state} order in the database: use the demo database")
            ids[state] = found[0]
    return ids


def pdf_to_png(content, out, label, dpi=100):
    """Page 1 of a PDF, as ``out``.png (pdftoppm)."""
    if not content.startswith(b"%PDF"):
        raise SystemExit(f"{label}: not a PDF")
    with tempfile.TemporaryDirectory(prefix="so_screenshots_pdf_") as tmp:
        pdf = Path(tmp, "document.pdf")
        pdf.write_bytes(content)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(out)], check=True)
    log(f"wrote {out}.png ({label})")


def equipment_shots(odoo, browser, admin, dispatcher, technician, out):
    """The demo's boiler B1 of the clinic: its form, its label, the page its label opens on
    the customer's phone, and its history on the technician's phone from the order."""
    found = odoo.call(admin, "ir.model.data", "search_read",
                      [("module", "=", "service_order"), ("name", "=", "equipment_clinic_boiler_b1")], ["res_id"])
    if not found:
        log("no demo equipment in the database: the equipment's screenshots not made")
        return
    equipment_id = found[0]["res_id"]
    browser.use_session(odoo.url, dispatcher.cookies["session_id"])
    browser.viewport(*DESKTOP)
    browser.open(f"{odoo.url}/odoo/action-service_order.service_equipment_action/{equipment_id}",
                 ".o_form_view .o_field_widget[name='history_ids'] .o_data_row")
    browser.screenshot(out / "equipment_form.png")
    if wanted("equipment_label"):
        response = dispatcher.get(
            f"{odoo.url}/report/pdf/service_order.report_service_equipment_label/{equipment_id}", timeout=120)
        response.raise_for_status()
        pdf_to_png(response.content, out / "equipment_label", "the equipment's label", dpi=200)
    label_url = odoo.call(dispatcher, "service.equipment", "read", [equipment_id], ["label_url"])[0]["label_url"]
    path = label_url.split("/my/equipment/", 1)[1]
    browser.send("Network.clearBrowserCookies")  # the customer's phone: not logged in
    # a phone's width, the page's whole length: what it shows, the request form, the history
    browser.viewport(PHONE[0], 1500, phone=True)
    browser.open(f"{odoo.url}/my/equipment/{path}", ".o_service_equipment_request_form")
    browser.screenshot(out / "equipment_portal.png")
    browser.viewport(*PHONE, phone=True)
    # the technician on the order of the clinic's boiler (the demo's order in progress)
    orders = odoo.call(technician, "service.order", "search", [("equipment_id", "=", equipment_id)], limit=1) \
        or odoo.call(technician, "service.order", "search", [("work_item_ids.equipment_id", "=", equipment_id)],
                     limit=1)
    if orders:
        browser.use_session(odoo.url, technician.cookies["session_id"])
        browser.open(f"{odoo.url}/odoo/action-service_order.service_equipment_action/{equipment_id}",
                     ".o_form_view .o_field_widget[name='history_ids'] .o_kanban_record")
        browser.evaluate("document.querySelector('.o_form_view .o_notebook').scrollIntoView()")
        time.sleep(1)
        browser.screenshot(out / "equipment_technician.png")


def customer_shots(odoo, browser, admin, out):
    """The customer in the loop, on the customer's phone (not logged in): the appointment e-mail
    of a demo order as queued, the page its *Ask for another time* link opens, and the visit page
    of the order under way (its on-the-way e-mail's link)."""
    # the notices are e-mailed by their job runner, which a server without cron workers runs here
    cron = odoo.call(admin, "ir.model.data", "search_read", [("module", "=", "service_order"),
                                                             ("name", "=", "ir_cron_send_customer_notices")], ["res_id"])
    if cron:
        odoo.call(admin, "ir.cron", "method_direct_trigger", [cron[0]["res_id"]])
    mails = odoo.call(admin, "mail.mail", "search_read", [("body_html", "ilike", "/service/visit/")],
                      ["subject", "body_html"], order="id desc", limit=50)
    appointment = next((m for m in mails if "/reschedule" in m["body_html"]), None)
    on_the_way = next((m for m in mails if "/reschedule" not in m["body_html"] and "?rate=" not in m["body_html"]),
                      None)
    browser.send("Network.clearBrowserCookies")
    browser.viewport(*PHONE, phone=True)
    if appointment:
        # as a phone's mail app shows it: the phone's width, a readable size
        html = ('<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<div style="font-family: sans-serif; padding: 12px;">{appointment["body_html"]}</div>')
        page = base64.b64encode(html.encode()).decode()
        browser.open(f"data:text/html;charset=utf-8;base64,{page}", "a[href*='/reschedule']")
        browser.screenshot(out / "customer_appointment_email.png")
        path = re.search(r"/service/visit/\d+/[A-Za-z0-9_\-]+/reschedule", appointment["body_html"]).group(0)
        browser.viewport(PHONE[0], 1100, phone=True)
        browser.open(f"{odoo.url}{path}", ".o_service_visit_slot, .o_service_visit h1")
        browser.screenshot(out / "customer_reschedule.png")
    else:
        log("no appointment notice in the demo's mail queue: customer_appointment_email.png not made")
    if on_the_way:
        path = re.search(r"/service/visit/\d+/[A-Za-z0-9_\-]+", on_the_way["body_html"]).group(0)
        browser.viewport(*PHONE, phone=True)
        browser.open(f"{odoo.url}{path}", ".o_service_visit_status")
        browser.screenshot(out / "customer_on_the_way.png")
    else:
        log("no on-the-way notice in the demo's mail queue: customer_on_the_way.png not made")


def pdf_page(odoo, admin, order_id, out):
    """Page 1 of the order's current version, as a PNG (pdftoppm)."""
    if not wanted(f"{out}.png"):
        return
    order = odoo.call(admin, "service.order", "read", [order_id], ["name", "current_document_id"])[0]
    if not order["current_document_id"]:
        raise SystemExit(f"{order['name']} has no document version")
    document = odoo.call(admin, "service.order.document", "read",
                         [order["current_document_id"][0]], ["name", "attachment_id"])[0]
    response = admin.get(f"{odoo.url}/web/content/{document['attachment_id'][0]}", timeout=120)
    response.raise_for_status()
    pdf_to_png(response.content, out, document["name"])


def take_offline(odoo, browser, admin, dispatcher, technician_session, args, out):
    """The day page's offline states, on a phone: an order of today that the office cancels
    while the phone, without network, goes through the visit."""
    day = f"{odoo.url}/service_order/day/"
    user = odoo.call(admin, "res.users", "search_read", [("login", "=", args.technician)], ["id"])[0]
    customer = odoo.call(admin, "res.partner", "search", [("is_company", "=", True), ("street", "!=", False),
                                                           ("id", "!=", 1)], limit=1)[0]
    maintenance = odoo.call(admin, "ir.model.data", "check_object_reference", "service_order",
                            "service_order_type_maintenance")[1]
    start = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 3600))
    end = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 3 * 3600))
    order_id = odoo.call(dispatcher, "service.order", "create", {
        "partner_id": customer, "location_id": customer, "order_type_id": maintenance,
        "description": "<p>Yearly maintenance of the boiler (offline screenshots).</p>",
        "field_worker_ids": [(6, 0, [user["id"]])], "lead_technician_id": user["id"],
        "scheduled_start": start, "scheduled_end": end})
    supervisor = odoo.call(admin, "res.users", "search", [("login", "=", args.admin)])[0]
    wizard = odoo.call(dispatcher, "service.order.submit", "create", {"order_id": order_id, "supervisor_id": supervisor})
    odoo.call(dispatcher, "service.order.submit", "action_submit", [wizard])
    wizard = odoo.call(admin, "service.order.review", "create", {"order_id": order_id, "decision": "approve"})
    odoo.call(admin, "service.order.review", "action_confirm", [wizard])
    name = odoo.call(admin, "service.order", "read", [order_id], ["name"])[0]["name"]
    card = f'.o_so_day_card[data-order="{name}"]'

    browser.use_session(odoo.url, technician_session.cookies["session_id"])
    browser.viewport(*PHONE, phone=True)
    browser.send("Target.setAutoAttach", autoAttach=True, waitForDebuggerOnStart=False, flatten=True)
    browser.open(day, f"{card} .o_so_day_next")
    browser.wait_for("body[data-so-day-shell='1']")
    browser.set_offline(True)
    browser.send("Page.reload")
    browser.wait_for(".o_so_day_offline")
    for action in ("depart", "arrive", "start_work", "complete"):  # today's job: going is accepting
        browser.touch(f'{card} .o_so_day_next[data-action="{action}"]')
        time.sleep(0.5)
    browser.wait_for(".o_so_day_form canvas")
    for index in range(2):  # the checklist: yes, yes
        browser.touch(f'.o_so_day_question[data-type="yes_no"]:nth-of-type({index + 1}) button[data-value="yes"]')
    browser.sign(".o_so_day_signature canvas")
    browser.touch(".o_so_day_signed_by", "Marie Dubois")
    browser.screenshot(out / "day_offline_signature.png")
    browser.touch(".o_so_day_form_confirm")
    browser.wait_for(f"{card} .o_so_day_pending")
    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(out / "day_offline.png")
    # the office cancels the order meanwhile; then the network comes back
    wizard = odoo.call(dispatcher, "service.step.form", "create", {
        "order_id": order_id, "step": "cancel", "reason": "The customer called: the boiler was replaced last week."})
    odoo.call(dispatcher, "service.step.form", "action_confirm", [wizard])
    browser.set_offline(False)
    browser.evaluate("window.dispatchEvent(new Event('online'))")
    browser.wait_for(".o_so_day_refusal")
    browser.evaluate("window.scrollTo(0, 0)")
    browser.screenshot(out / "day_refused.png")


def take(args):
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    odoo = Odoo(url=args.url, odoo_bin=args.odoo, config=args.config, db=args.db)
    browser = None
    try:
        admin = odoo.login(args.admin, args.admin)
        dispatcher = odoo.login(args.dispatcher, args.dispatcher)
        technician = odoo.login(args.technician, args.technician)
        technician2 = odoo.login(args.technician2, args.technician2)
        supervisor = odoo.login(args.supervisor, args.supervisor)
        browser = Chromium(args.chromium)
        if offline_only():
            take_offline(odoo, browser, admin, dispatcher, technician, args, out)
            return
        orders = demo_order_ids(odoo, admin)

        # dispatcher, desktop ------------------------------------------------------
        browser.use_session(odoo.url, dispatcher.cookies["session_id"])
        browser.viewport(*DESKTOP)
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action",
                     ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)")
        browser.screenshot(out / "orders_kanban.png")
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action?view_type=list",
                     ".o_list_view .o_data_row")
        browser.screenshot(out / "orders_list.png")
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action/{orders['in_progress']}",
                     ".o_form_view .o_form_statusbar .o_arrow_button_current")
        browser.wait_for(".o-mail-Message")
        browser.screenshot(out / "order_form.png")
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action_map",
                     ".leaflet-marker-icon", timeout=30)
        browser.screenshot(out / "orders_map.png")
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action_planning",
                     ".vis-timeline .vis-item", timeout=30)
        browser.screenshot(out / "planning_timeline.png")
        route = odoo.call(dispatcher, "service.route", "search",
                          [("user_id.login", "=", args.technician), ("stop_ids", "!=", False)], limit=1)
        if route:
            # the screenshot shows the route optimised: the demo database keeps it so
            browser.open(f"{odoo.url}/odoo/action-service_order.service_route_action/{route[0]}",
                         ".o_form_view .o_data_row")
            browser.click(".o_form_view button[name='action_optimise']")
            browser.wait_for(".o_form_view .o-mail-Message")
            browser.screenshot(out / "day_route.png")
            browser.click(".o_form_view button[name='action_view_map']")
            browser.wait_for(".leaflet-marker-icon")
            browser.screenshot(out / "day_route_map.png")

        # technician, phone --------------------------------------------------------
        browser.use_session(odoo.url, technician.cookies["session_id"])
        browser.viewport(*PHONE, phone=True)
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action_my_day",
                     ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost) button.btn-lg")
        browser.screenshot(out / "technician_my_day.png")
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action_my_day/{orders['planned']}",
                     ".o_form_view .o_so_phone_actions button.btn-lg")
        browser.screenshot(out / "technician_phone_order.png")
        browser.open(f"{odoo.url}/odoo/action-service_order.service_route_action_mine",
                     ".o_form_view .o_kanban_record, .o_view_nocontent")
        browser.screenshot(out / "technician_phone_route.png")
        # another technician's order under way: its work items with their next step, then the
        # completion form (opened, not confirmed: nothing changes)
        browser.use_session(odoo.url, technician2.cookies["session_id"])
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action_my_day/{orders['in_progress']}",
                     ".o_form_view .o_so_work_items .o_kanban_record")
        browser.screenshot(out / "technician_phone_work_items.png")
        browser.click(".o_form_view .o_so_phone_actions button[name='action_open_complete']")
        browser.wait_for(".modal .o_so_step_answers canvas")
        browser.screenshot(out / "technician_step_form.png")
        browser.use_session(odoo.url, technician.cookies["session_id"])
        # their board of assigned orders (desktop): no dispatcher's double-booking flag on it
        browser.viewport(*DESKTOP)
        browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action_my",
                     ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)")
        browser.screenshot(out / "technician_my_orders.png")

        # dispatcher: an invoiced order, its sale order and invoice at hand ------------
        browser.use_session(odoo.url, dispatcher.cookies["session_id"])
        browser.viewport(*DESKTOP)
        invoiced = odoo.call(dispatcher, "service.order", "search",
                             [("state", "=", "completed"), ("sale_order_id.invoice_ids", "!=", False)], limit=1)
        if invoiced:
            browser.open(f"{odoo.url}/odoo/action-service_order.service_order_action/{invoiced[0]}",
                         ".o_form_view .o_form_statusbar .o_arrow_button_current")
            browser.wait_for(".o-mail-Message")
            browser.screenshot(out / "order_invoiced.png")
        else:
            log("no invoiced order in the database: order_invoiced.png not made")
        # the customer: the consent page of a waiting estimate, with its prices (the link
        # is only in the e-mail queued for the customer)
        mails = odoo.call(admin, "mail.mail", "search_read", [("body_html", "ilike", "/service_order/consent/")],
                          ["body_html"], order="id desc", limit=10)
        for mail in mails:
            found = re.search(r"/service_order/consent/[A-Za-z0-9_\-]+", mail["body_html"])
            page = found and admin.get(f"{odoo.url}{found.group(0)}", timeout=60)
            if page is not None and page.status_code == 200 and "o_service_order_estimate_totals" in page.text:
                browser.viewport(900, 1400)
                browser.open(f"{odoo.url}{found.group(0)}", ".o_service_order_estimate_totals")
                browser.screenshot(out / "consent_page.png")
                break
        else:
            log("no open consent link in the demo's mail queue: consent_page.png not made")

        # the supervisor: the service targets, the most specific first ---------------
        browser.use_session(odoo.url, supervisor.cookies["session_id"])
        browser.viewport(*DESKTOP)
        browser.open(f"{odoo.url}/odoo/action-service_order.service_sla_policy_action", ".o_list_view .o_data_row")
        browser.screenshot(out / "sla_policies.png")
        # the customer in the portal: their completed order, its work, estimate and documents
        portal = odoo.login(args.portal, args.portal)
        browser.use_session(odoo.url, portal.cookies["session_id"])
        browser.viewport(1100, 1400)
        mine = odoo.call(portal, "service.order", "search", [("work_item_ids", "!=", False)], limit=1) \
            or odoo.call(portal, "service.order", "search", [], limit=1)
        if mine:
            browser.open(f"{odoo.url}/my/service_orders/{mine[0]}", ".o_service_order_portal_documents")
            browser.screenshot(out / "portal_order.png")
        else:
            log("the portal user has no order: portal_order.png not made")
        # the customer's equipment: its form, label, portal page, technician's view -----
        equipment_shots(odoo, browser, admin, dispatcher, technician, out)

        # the customer in the loop: the appointment e-mail, another time, the visit page
        customer_shots(odoo, browser, admin, out)

        # the current PDF versions: an order under way, and a completion report -------
        for state, name in (("in_progress", "order_pdf_page1"), ("completed", "completion_report_page1")):
            pdf_page(odoo, admin, orders[state], out / name)
        # the technician's day without network (a new browser: its own service worker)
        if any(wanted(name) for name in OFFLINE_SHOTS):
            browser.close()
            browser = Chromium(args.chromium)
            take_offline(odoo, browser, admin, dispatcher, technician, args, out)
    finally:
        if browser:
            browser.close()
        odoo.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="service_order_demo", help="database with the demo data")
    parser.add_argument("--url", help="use this running server instead of starting one")
    parser.add_argument("--odoo", help="odoo executable (to start a server)")
    parser.add_argument("--config", help="Odoo configuration file (to start a server)")
    parser.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--admin", default="admin", help="login (password = login)")
    parser.add_argument("--dispatcher", default="dispatcher", help="login (password = login)")
    parser.add_argument("--technician", default="technician", help="login (password = login)")
    parser.add_argument("--technician2", default="technician2", help="login (password = login)")
    parser.add_argument("--supervisor", default="supervisor", help="login (password = login)")
    parser.add_argument("--portal", default="portal", help="login (password = login)")
    parser.add_argument("--only", action="append", default=[],
                        help="write only the files whose name starts with this (repeatable)")
    args = parser.parse_args()
    ONLY.extend(args.only)
    if not args.url and not (args.odoo and args.config):
        parser.error("give --url of a running server, or --odoo and --config to start one")
    if not shutil.which("pdftoppm"):
        parser.error("pdftoppm is missing (Debian package poppler-utils)")
    take(args)


if __name__ == "__main__":
    main()
