"""Every read the web client makes on the addon's screens works on a read-only replica.

Odoo 18 serves the routes declared ``readonly`` and the ``@api.readonly`` methods
(``web_search_read``, ``web_read``, ``web_read_group``, ``read_group``, ``search_read``,
``get_views``...) on a read-only cursor: with ``--db_replica_host``, on the replica. A read
that writes (a flush, a compute that stores, a token made on the fly) fails there, and Odoo
runs the request again on the primary (``ro->rw``): it still answers, but the replica serves
nothing and the primary pays twice. HttpCase simulates the replica with read-only test
cursors (``registry.test_readonly_enabled``, ``TestCursor(readonly=True)``), so that a write
in such a request raises as it would on a replica.

Each role walks, over HTTP, what the web client loads for every screen of the app it sees
(the menus, each action and each of its views, the first record's form and chatter), and the
portal customer their pages; the test fails if any read request had to fall back to a
read/write cursor, or wrote, or if a read of the addon's models was not served read-only.
"""
import importlib.util
import json
import threading
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, file_path
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

from .common import ServiceOrderCase
from .sale_common import SaleCase
from .web_client import IDS_ONLY_WIDGETS, NAME, WIDGET_DEPENDENCIES

# The methods of Odoo and of the OCA views that the web client calls on the addon's screens
# and that their authors did not mark readonly: they run on the primary whatever the addon
# does (and they only read). Everything else a screen asks is expected on the read-only cursor.
PRIMARY_BY_DESIGN = {
    "/web/action/run",                         # server actions (the landing page, the day routes)
    "check_access_rights",                     # OCA web_timeline, on opening the timeline
    "get_default_leaflet_position",            # OCA web_view_leaflet_map, on opening a map
    "/my",                                     # Odoo's portal home (its counters come read-only)
}
X2MANY = ("one2many", "many2many")


class ReadRecorder:
    """Records how Odoo served each request: ``ro`` (read-only cursor from start to end),
    ``rw`` (a read/write route) or ``ro->rw`` (started read-only, wrote, and ran again on
    the primary), with the request's path and JSON-RPC method."""

    def __init__(self):
        self.served = []

    def wrap(self, transactioning):
        recorder = self

        def recording(request, func, readonly):
            try:
                return transactioning(request, func, readonly)
            finally:
                path = request.httprequest.path
                recorder.served.append((path, getattr(threading.current_thread(), "cursor_mode", None)))
        return recording


def client_spec(arch, models, model_name, subviews=True):
    """The specification the web client sends for ``arch`` (as tests/web_client.py builds it
    for the views the performance pins read), and, in a form, the x2many fields with the
    fields of their own inline list or kanban (``subviews``)."""
    fields = models[model_name]["fields"]
    spec = {}
    for node in arch.iter("field"):
        if any(ancestor.tag == "field" for ancestor in node.iterancestors()):
            continue  # a subview's field: read through its x2many
        name = node.get("name")
        field = fields.get(name)
        if not field:
            continue
        widget = node.get("widget")
        subview = next((child for child in node if child.tag in ("list", "kanban")), None)
        if field["type"] == "many2one":
            spec[name] = NAME
        elif field["type"] in X2MANY:
            if subviews and subview is not None:
                spec[name] = {"fields": client_spec(subview, models, field["relation"], subviews=False),
                              "limit": 40}
            else:
                spec[name] = {"fields": {}} if widget in IDS_ONLY_WIDGETS else NAME
        else:
            spec.setdefault(name, {})
        for dependency, dependency_spec in WIDGET_DEPENDENCIES.get(widget, {}).items():
            spec.setdefault(dependency, dependency_spec)
    return spec


class WebClient:
    """What Odoo 18's web client asks the server for the screens of one app, over JSON-RPC,
    as the logged-in user of ``case``."""

    def __init__(self, case, user):
        self.case, self.user = case, user
        self.context = {"lang": "en_US", "tz": user.tz or "Europe/Brussels", "uid": user.id,
                        "allowed_company_ids": user.company_id.ids}
        self.records_seen = {}  # model -> ids read through the screens

    # requests ------------------------------------------------------------------------
    def call(self, model, method, *args, **kwargs):
        return self.case.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args),
            "kwargs": dict(kwargs, context=dict(self.context, **kwargs.pop("context", {})))})

    def eval_context(self):
        return {"uid": self.user.id, "context_today": lambda: safe_datetime.date.today(),
                "relativedelta": relativedelta, "datetime": safe_datetime,
                "allowed_company_ids": self.user.company_id.ids, "current_company_id": self.user.company_id.id}

    def evaluate(self, value, default):
        if not value:
            return default
        return safe_eval(value, self.eval_context()) if isinstance(value, str) else value

    # the app -------------------------------------------------------------------------
    def walk_app(self, app_xmlid="service_order.service_order_menu_root"):
        """Every screen of the app's menus that the user sees."""
        menus = json.loads(self.case.url_open("/web/webclient/load_menus/replica-test").text)
        root = next(menu for menu in menus.values() if menu.get("xmlid") == app_xmlid)
        todo, actions = [root["id"]], []
        while todo:
            menu = menus[str(todo.pop(0))]
            todo.extend(menu["children"])
            if menu.get("actionID"):
                actions.append((menu["xmlid"], menu["actionModel"], menu["actionID"]))
        for xmlid, action_model, action_id in actions:
            self.open_action(xmlid, action_model, action_id)
        return [xmlid for xmlid, _model, _id in actions]

    def open_action(self, label, action_model, action_id):
        if action_model == "ir.actions.server":
            action = self.case.make_jsonrpc_request("/web/action/run", {"action_id": action_id,
                                                                        "context": self.context})
        else:
            action = self.case.make_jsonrpc_request("/web/action/load", {"action_id": action_id,
                                                                         "context": self.context})
        if not action or action.get("type") != "ir.actions.act_window":
            return
        self.open_window(label, action)

    def open_window(self, label, action):
        model = action["res_model"]
        context = self.evaluate(action.get("context"), {})
        domain = self.evaluate(action.get("domain"), [])
        views = [[view_id, view_type] for view_id, view_type in action["views"]]
        result = self.call(model, "get_views", views + [[action.get("search_view_id") and action["search_view_id"][0],
                                                         "search"]],
                           options={"action_id": action.get("id"), "load_filters": True, "toolbar": True})
        archs = {view_type: etree.fromstring(view["arch"]) for view_type, view in result["views"].items()}
        models = result["models"]
        domain, group_by = self.search_defaults(archs.get("search"), context, domain)
        if action.get("res_id"):  # a form on one record
            self.read_form(model, archs["form"], models, [action["res_id"]])
            return
        ids = []
        for view_type, arch in archs.items():
            reader = getattr(self, f"read_{view_type}", None)
            if reader and view_type != "form":
                ids = reader(model, arch, models, domain, group_by, context) or ids
        if "form" in archs and ids:
            self.read_form(model, archs["form"], models, ids[:1])

    def search_defaults(self, search_arch, context, domain):
        """The action's domain with its default filters (``search_default_*``), and its
        default grouping, as the search panel applies them."""
        group_by = list(context.get("group_by") or [])
        if isinstance(group_by, str):
            group_by = [group_by]
        if search_arch is None:
            return domain, group_by
        for node in search_arch.iter("filter"):
            if not context.get(f"search_default_{node.get('name')}"):
                continue
            if node.get("domain"):
                domain = ["&", *domain, *self.evaluate(node.get("domain"), [])] if domain \
                    else self.evaluate(node.get("domain"), [])
            elif node.get("context"):
                filter_group = self.evaluate(node.get("context"), {}).get("group_by")
                if filter_group:
                    group_by.append(filter_group)
        return domain, group_by

    # the views -----------------------------------------------------------------------
    def _seen(self, model, records):
        ids = [record["id"] for record in records]
        self.records_seen.setdefault(model, set()).update(ids)
        return ids

    def read_list(self, model, arch, models, domain, group_by, context):
        spec = client_spec(arch, models, model, subviews=False)
        if group_by:
            self.call(model, "web_read_group", domain, [], group_by[:1], lazy=True, limit=80)
        found = self.call(model, "web_search_read", domain, spec, limit=80, count_limit=10001)
        return self._seen(model, found["records"])

    def read_kanban(self, model, arch, models, domain, group_by, context):
        spec = client_spec(arch, models, model, subviews=False)
        group_by = group_by or ([arch.get("default_group_by")] if arch.get("default_group_by") else [])
        progress = arch.find(".//progressbar")
        if group_by:
            groups = self.call(model, "web_read_group", domain, [], group_by[:1], lazy=True)["groups"]
            if progress is not None:
                self.call(model, "read_progress_bar", domain, group_by[0], {
                    "field": progress.get("field"), "colors": self.evaluate(progress.get("colors"), {})})
            ids = []
            for group in groups[:5]:
                found = self.call(model, "web_search_read", group["__domain"], spec, limit=40)
                ids += self._seen(model, found["records"])
            return ids
        found = self.call(model, "web_search_read", domain, spec, limit=40)
        return self._seen(model, found["records"])

    def read_form(self, model, arch, models, ids):
        spec = client_spec(arch, models, model)
        spec["display_name"] = {}
        records = self.call(model, "web_read", ids, spec)
        self._seen(model, records)
        if arch.find(".//chatter") is not None:
            self.case.make_jsonrpc_request("/mail/thread/data", {
                "thread_model": model, "thread_id": ids[0],
                "request_list": ["activities", "attachments", "followers", "scheduledMessages",
                                 "suggestedRecipients"]})

    def _arch_fields(self, arch):
        return [node.get("name") for node in arch.iter("field")]

    def read_calendar(self, model, arch, models, domain, group_by, context):
        names = {arch.get("date_start"), arch.get("date_stop"), arch.get("color"), *self._arch_fields(arch)} - {None}
        return self._seen(model, self.call(model, "search_read", domain, sorted(names)))

    def read_leaflet_map(self, model, arch, models, domain, group_by, context):
        names = {"id", "display_name", "date_localization", *self._arch_fields(arch)} | {
            arch.get(attr) for attr in ("field_latitude", "field_longitude", "field_title", "field_address",
                                        "field_marker_icon_image") if arch.get(attr)}
        self.call("res.users", "get_default_leaflet_position", model)
        return self._seen(model, self.call(model, "search_read", domain, sorted(names), limit=80))

    def read_timeline(self, model, arch, models, domain, group_by, context):
        for operation in ("write", "unlink", "create"):
            self.call(model, "check_access_rights", operation, False)
        group = group_by[:1] or [arch.get("default_group_by")]
        names = {arch.get("date_start"), arch.get("date_stop"), *group, *self._arch_fields(arch)} - {None}
        return self._seen(model, self.call(model, "search_read", fields=sorted(names), domain=domain,
                                           order=group[0]))

    def _read_groups(self, model, arch, domain, group_by):
        rows = [node.get("name") for node in arch.iter("field") if node.get("type") in ("row", "col", None)
                and node.get("type") != "measure"]
        measures = [node.get("name") for node in arch.iter("field") if node.get("type") == "measure"]
        for group in (group_by[:1] or rows[:1] or [[]]):
            self.call(model, "read_group", domain, [f"{name}:sum" for name in measures] + ["__count"],
                      [group] if group else [], lazy=False)

    def read_pivot(self, model, arch, models, domain, group_by, context):
        self._read_groups(model, arch, domain, group_by)

    def read_graph(self, model, arch, models, domain, group_by, context):
        self._read_groups(model, arch, domain, group_by)

    def read_activity(self, model, arch, models, domain, group_by, context):
        data = self.call("mail.activity", "get_activity_data", model, domain, limit=100, offset=0)
        spec = client_spec(arch, models, model, subviews=False)
        records = self.call(model, "web_search_read", [["id", "in", data["activity_res_ids"]]], spec)
        return self._seen(model, records["records"])


@tagged("post_install", "-at_install")
class TestReadsOnReplica(HttpCase, SaleCase):
    """Data on every screen: orders in every state of the day (a draft, one to approve, one
    planned today, one under way with work items and a fallout, one completed and invoiced),
    a confirmation, time logs, a day route, a consent link, and a portal contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # passwords long enough for any policy, the same rule for every role
        for user in (cls.technician, cls.dispatcher, cls.supervisor):
            user.password = cls._password(user)
        cls.portal_user = new_test_user(cls.env, login="so_replica_portal", groups="base.group_portal",
                                        name="Replica Portal", password="so_replica_portal")
        cls.portal_user.partner_id.parent_id = cls.customer
        now = safe_datetime.datetime.now().replace(minute=0, second=0, microsecond=0)
        cls.draft = cls._create_order()
        cls.to_approve = cls._submit(cls._create_order())
        cls.today = cls._planned_order(scheduled_start=now + timedelta(hours=1),
                                       scheduled_end=now + timedelta(hours=3))
        # the sale case's order: the customer accepts item A, the work is done, the order
        # completed and invoiced
        cls.order.sudo().write({"scheduled_start": now - timedelta(hours=4), "scheduled_end": now - timedelta(hours=2)})
        cls.env["service.consent.request"].sudo().search([("order_id", "=", cls.order.id)])._do_decide(
            {cls.item_a.id: "accepted", cls.item_b.id: "refused"}, "127.0.0.1")
        cls.item_a.action_start_repair()
        cls.item_a.action_submit_repair()
        cls.item_a.action_complete_repair()
        cls.order.with_user(cls.technician)._do_close("completed")
        cls.invoice = cls.order.with_user(cls.billing)._do_invoice()
        cls.invoice.with_user(cls.billing).action_post()
        # under way today: a work item waiting for the customer (a consent link), a fallout,
        # a confirmation (version 2), the technician working
        # the customer's boiler, which its label's QR code opens on the portal
        cls.boiler = cls.env["service.equipment"].with_user(cls.dispatcher).create({
            "name": "Replica boiler", "partner_id": cls.customer.id, "serial_number": "RB-0001"})
        cls.under_way = cls._on_site_order(scheduled_start=now - timedelta(hours=1),
                                           scheduled_end=now + timedelta(hours=1), equipment_id=cls.boiler.id)
        cls._create_item(cls.under_way).action_submit()
        cls.consent_mail = cls._consent_mails(cls.under_way)
        wizard = cls.env["service.fallout.report"].with_user(cls.technician).create({
            "order_id": cls.under_way.id, "work_item_id": False, "type_id": cls.fallout_type.id,
            "description": "Only 1 m of pipe left in the van"})
        wizard.action_confirm()
        confirmation = cls.env["service.confirmation.create"].with_user(cls.dispatcher).create({
            "order_id": cls.under_way.id, "reason": "An extra part",
            "line_ids": [Command.create({"product_id": cls.part_pipe.id, "quantity": 1})]})
        confirmation.action_confirm()
        cls.under_way.with_user(cls.technician).action_start_work()
        cls._run_jobs()

    @staticmethod
    def _password(user):
        return f"{user.login}-Replica-2026"

    def setUp(self):
        super().setUp()
        self.assertTrue(self.registry.test_readonly_enabled, "HttpCase serves readonly routes read-only")
        self.recorder = ReadRecorder()
        self.startPatcher(patch.object(http.Request, "_transactioning",
                                       self.recorder.wrap(http.Request._transactioning)))

    # the checks ------------------------------------------------------------------------
    def _assert_served_read_only(self, who):
        served = self.recorder.served
        self.assertTrue(served, "requests were made")
        fell_back = [path for path, mode in served if mode == "ro->rw"]
        self.assertFalse(fell_back, f"{who}: these reads wrote and ran again on the primary: {fell_back}")
        on_primary = [path for path, mode in served
                      if mode != "ro" and not any(path.endswith(f"/{name}") or path == name
                                                  for name in PRIMARY_BY_DESIGN)]
        self.assertFalse(on_primary, f"{who}: these reads were served by the primary: {on_primary}")
        return served

    def _walk(self, user):
        self.authenticate(user.login, self._password(user))
        client = WebClient(self, user)
        screens = client.walk_app()
        served = self._assert_served_read_only(user.login)
        return client, screens, served

    # the roles -------------------------------------------------------------------------
    def test_technician_reads_on_replica(self):
        client, screens, served = self._walk(self.technician)
        self.assertIn("service_order.service_order_menu_my_day", screens)
        self.assertIn(self.today.id, client.records_seen["service.order"], "My Day shows the order of today")
        self.assertIn(self.under_way.id, client.records_seen["service.order"])
        self.assertNotIn(self.to_approve.id, client.records_seen["service.order"], "not assigned to them")
        read_only = [path for path, mode in served if mode == "ro"]
        self.assertIn("/web/dataset/call_kw/service.order/web_search_read", read_only)
        self.assertIn("/web/dataset/call_kw/service.order/web_read", read_only)

    def test_technician_day_page_reads_on_replica(self):
        """The day that works without signal (issue 26): its page, service worker, manifest,
        session, pack and an issued PDF are all reads, served read-only; only the sync and
        the uploads write."""
        self.authenticate(self.technician.login, self._password(self.technician))
        for path in ("/service_order/day/", "/service_order/day/sw.js",
                     "/service_order/day/manifest.webmanifest"):
            self.assertEqual(self.url_open(path).status_code, 200, path)
        for path in ("/service_order/day/session", "/service_order/day/pack"):
            response = self.url_open(path, data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}),
                                     headers={"Content-Type": "application/json"})
            self.assertNotIn("error", response.json(), path)
        pack = response.json()["result"]
        self.assertIn(self.today.id, [order["id"] for order in pack["orders"]],
                      "the pack holds the technician's order of today")
        document = self.today.sudo().current_document_id  # its version 1, issued at approval
        response = self.url_open(f"/service_order/day/document/{document.id}.pdf")
        self.assertEqual((response.status_code, response.content[:4]), (200, b"%PDF"))
        served = self._assert_served_read_only("technician's day page")
        read_only = {path for path, mode in served if mode == "ro"}
        for path in ("/service_order/day/", "/service_order/day/pack", f"/service_order/day/document/{document.id}.pdf"):
            self.assertIn(path, read_only)

    def test_dispatcher_reads_on_replica(self):
        client, screens, served = self._walk(self.dispatcher)
        for menu in ("service_order_menu_all", "service_order_menu_planning", "service_order_menu_map",
                     "service_fallout_menu", "service_work_item_menu", "service_route_menu",
                     "service_order_menu_sla_report", "service_time_log_menu"):
            self.assertIn(f"service_order.{menu}", screens)
        seen = client.records_seen
        self.assertTrue({self.draft.id, self.to_approve.id, self.today.id, self.under_way.id}
                        <= seen["service.order"])
        self.assertTrue(seen.get("service.fallout"), "the fallouts' board shows the fallout")
        self.assertTrue(seen.get("service.work.item"))
        self.assertTrue(seen.get("service.route"), "the day's routes")
        read_only = {path for path, mode in served if mode == "ro"}
        for method in ("web_read_group", "read_progress_bar", "read_group", "search_read", "web_read"):
            self.assertIn(f"/web/dataset/call_kw/service.order/{method}", read_only)

    def test_supervisor_reads_on_replica(self):
        client, screens, _served = self._walk(self.supervisor)
        self.assertIn("service_order.service_order_menu_to_approve", screens)
        self.assertIn("service_order.service_order_menu_types", screens)
        self.assertIn(self.to_approve.id, client.records_seen["service.order"])

    def test_portal_customer_reads_on_replica(self):
        orders = self.order | self.today | self.under_way
        self.assertTrue(all(orders.sudo().mapped("access_token")), "an approved order has its customer's link")
        self.assertFalse(self.draft.sudo().access_token | self.to_approve.sudo().access_token)
        self.authenticate(self.portal_user.login, "so_replica_portal")
        # the order's page first: the pager of the list's history links the orders around it
        pages = [f"/my/service_orders/{self.under_way.id}", "/my", "/my/service_orders",
                 f"/my/service_orders/{self.today.id}", f"/my/service_orders/{self.order.id}",
                 f"/my/service_orders/{self.today.id}/document", "/my/equipment", f"/my/equipment/{self.boiler.id}"]
        responses = {page: self.url_open(page) for page in pages}
        for page, response in responses.items():
            self.assertEqual(response.status_code, 200, page)
        self.assertTrue(all(order.name in responses["/my/service_orders"].text for order in orders))
        self.assertIn(self.invoice.get_portal_url(),
                      responses[f"/my/service_orders/{self.order.id}"].text.replace("&amp;", "&"),
                      "the invoice, with its own link")
        self.assertTrue(responses[f"/my/service_orders/{self.today.id}/document"].content.startswith(b"%PDF"))
        self.assertIn("RB-0001", responses["/my/equipment"].text)
        self.assertIn(self.under_way.name, responses[f"/my/equipment/{self.boiler.id}"].text, "its history")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["service_order_count"]})
        self.assertEqual(counters["service_order_count"], 3, "the approved orders of the customer")
        # the signed link, without a login, and the consent link of the e-mail
        self.logout()
        token = self.under_way.sudo().access_token
        signed = self.url_open(f"/my/service_orders/{self.under_way.id}?access_token={token}")
        self.assertIn(self.under_way.name, signed.text)
        link = self.consent_mail.body_html.split("/service_order/consent/")[1].split('"')[0]
        consent = self.url_open(f"/service_order/consent/{link}")
        label = self.url_open(f"/my/equipment/{self.boiler.id}?access_token={self.boiler.sudo().access_token}")
        self.assertIn("Replica boiler", label.text, "the label's page, without a login")
        self.assertEqual(consent.status_code, 200)
        self.assertIn("Cold room does not cool", consent.text)
        served = self._assert_served_read_only("portal customer")
        read_only = {path for path, mode in served if mode == "ro"}
        self.assertTrue({f"/my/service_orders/{self.order.id}", "/my/service_orders",
                         f"/service_order/consent/{link}", "/my/equipment", f"/my/equipment/{self.boiler.id}"}
                        <= read_only)


@tagged("post_install", "-at_install")
class TestCustomerLinkMigration(ServiceOrderCase):
    """18.0.1.10.0: the orders approved before get their customer's link (the portal's pages then
    only read it); a draft gets none, and nothing of the trail changes."""

    def test_orders_approved_before_get_their_link(self):
        approved, draft = self._planned_order(), self._create_order()
        version = approved.current_document_id
        checksum = version.checksum
        self.env.flush_all()
        self.env.cr.execute(SQL("UPDATE service_order SET access_token = NULL WHERE id IN %s",
                                tuple((approved | draft).ids)))
        self.env.invalidate_all()
        self.assertFalse(approved.sudo().access_token)
        path = file_path("service_order/migrations/18.0.1.10.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("service_order_migration_18_0_1_8_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.3.0")
        self.env.invalidate_all()
        token = approved.sudo().access_token
        self.assertTrue(token)
        self.assertEqual(len(token), 36, "a UUID, as portal.mixin makes them")
        self.assertFalse(draft.sudo().access_token)
        self.assertEqual((version.checksum, approved.current_document_id), (checksum, version))
        migration.migrate(self.env.cr, "18.0.1.3.0")  # again: the link stays
        self.env.invalidate_all()
        self.assertEqual(approved.sudo().access_token, token)
