import atexit
import io
import itertools
import re
import shutil
import tempfile
import warnings
from datetime import datetime, timedelta
from unittest.mock import patch

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from odoo import Command
from odoo.tests import TransactionCase
from odoo.tests.common import ChromeBrowser
from odoo.tools import html2plaintext
from odoo.tools.pdf import PdfFileReader

# a working day a week ago, at midnight: time logs must be within the last year (and never in
# the future), so tests that log time use it rather than a fixed date
LOG_DAY = (datetime.now() - timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)

# Planned means booked (a lead technician and a start): the orders the helpers plan without a
# schedule of their own get the next slot of a calendar next year, two hours each, four hours
# apart, so that they never overlap one another nor today's orders of a test.
_SLOT_BASE = datetime(datetime.now().year + 1, 1, 4, 6, 0)
_SLOTS = itertools.count()


def next_slot():
    """``{"scheduled_start", "scheduled_end"}`` of the next free slot (see _SLOT_BASE)."""
    start = _SLOT_BASE + timedelta(hours=4 * next(_SLOTS))
    return {"scheduled_start": start, "scheduled_end": start + timedelta(hours=2)}


def stand_in_report_pdf(order, html):
    """Stands in for wkhtmltopdf (about a second per rendering) in the tests that are not
    about the PDF engine itself: a PDF made with reportlab holding the text of the report's
    real HTML (the QWeb report is rendered as usual and frozen in the version). Everything
    around it stays real: the addon stamps its pages, stores it, checksums it and posts it.
    Tests about the PDF itself set ``real_pdf = True`` and get wkhtmltopdf."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    text = html2plaintext(re.sub(r"<style.*?</style>", "", html, flags=re.S)).replace("*", "")
    for line in filter(None, (part.strip() for part in text.splitlines())):
        if y < 40:
            pdf.showPage()
            y = 800
        pdf.drawString(40, y, line[:110])
        y -= 12
    pdf.save()
    return buffer.getvalue()


_BROWSER_CACHE = []


def share_browser_cache(test_class):
    """Each browser tour starts a new headless Chromium with an empty profile, which fetches
    and compiles the web client's assets again (5 MB of JavaScript: about 4 s a tour on two
    cores). Asset URLs carry their content's hash and are served as immutable, so the tours
    of one run share one HTTP disk cache, as a user's browser keeps its cache between
    visits; everything else (profile, cookies, session) stays per tour."""
    if not _BROWSER_CACHE:
        _BROWSER_CACHE.append(tempfile.mkdtemp(suffix="_service_order_chrome_cache"))
        atexit.register(shutil.rmtree, _BROWSER_CACHE[0], True)
    spawn = ChromeBrowser._spawn_chrome

    def spawn_with_shared_cache(browser, cmd):
        return spawn(browser, [*cmd[:-1], f"--disk-cache-dir={_BROWSER_CACHE[0]}", cmd[-1]])

    test_class.startClassPatcher(patch.object(ChromeBrowser, "_spawn_chrome", spawn_with_shared_cache))


class ServiceOrderCase(TransactionCase):
    """Builds its own users (one per role), customers and types; relies on no demo data.

    PDF versions are rendered by ``stand_in_report_pdf`` unless the class sets
    ``real_pdf = True``."""

    real_pdf = False
    multi_company = False  # True: also a second company and its dispatcher (company_b, dispatcher_b)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.real_pdf:
            cls.startClassPatcher(patch.object(
                type(cls.env["service.order"]), "_html_to_pdf", stand_in_report_pdf))
        # mail_activity_quick_update: Odoo's own "activity assigned to you" message, rendered
        # for each activity, is not under test here (the activities themselves are)
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True,
                                       mail_create_nosubscribe=True, mail_activity_quick_update=True))
        cls.company = cls.env.company
        # a second company, for the classes about multi-company rules only (a company costs
        # a quarter of a second to create)
        cls.company_b = cls.env["res.company"].create({"name": "Other Services Ltd"}) \
            if cls.multi_company else cls.env["res.company"]

        def user(login, group, companies=None):
            companies = companies or cls.company
            groups = ["base.group_user"] + ([f"service_order.group_service_order_{group}"] if group else [])
            return {
                "login": login, "password": login + "x" * (8 - len(login)),
                "name": login.replace("_", " ").title(), "email": f"{login}@example.com",
                "groups_id": [Command.set([cls.env.ref(xmlid).id for xmlid in groups])],
                "company_id": companies[0].id, "company_ids": [Command.set(companies.ids)],
                # staff read their notifications in Odoo (the app): no e-mail is rendered for
                # each activity and message; the customer's e-mails are rendered as usual
                "notification_type": "inbox",
            }

        # one create for all of them (what new_test_user does, in one batch)
        users = cls.env["res.users"].create([
            user("so_tech", "technician"), user("so_tech_two", "technician"),
            user("so_dispatcher", "dispatcher"), user("so_supervisor", "supervisor"),
            user("so_employee", None),
            *([user("so_dispatcher_b", "dispatcher", companies=cls.company_b)] if cls.multi_company else []),
        ])
        cls.technician, cls.technician_2, cls.dispatcher, cls.supervisor, cls.employee = users[:5]
        cls.dispatcher_b = users[5:]
        cls.company.service_default_supervisor_id = cls.supervisor

        cls.customer = cls.env["res.partner"].create({
            "name": "Brasserie Test", "is_company": True, "street": "Rue Royale 13",
            "zip": "1000", "city": "Bruxelles", "country_id": cls.env.ref("base.be").id,
            "email": "brasserie@example.com",
            "partner_latitude": 50.8466, "partner_longitude": 4.3628,
        })
        cls.site = cls.env["res.partner"].create({
            "name": "Cellar", "type": "other", "parent_id": cls.customer.id,
            "street": "Rue Royale 15", "zip": "1000", "city": "Bruxelles",
            "partner_latitude": 50.8468, "partner_longitude": 4.3630,
        })
        cls.order_type = cls.env["service.order.type"].create({"name": "Repair (test)", "default_duration": 3})
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Test Brand"})
        model = cls.env["fleet.vehicle.model"].create({"name": "Van", "brand_id": brand.id})
        cls.vehicle = cls.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "T-EST-01"})

    # helpers ------------------------------------------------------------------
    @classmethod
    def _order_vals(cls, **vals):
        return {
            "partner_id": cls.customer.id,
            "location_id": cls.site.id,
            "order_type_id": cls.order_type.id,
            "description": "<p>Cold room at 9 °C instead of 3 °C.</p>",
            "supervisor_id": cls.supervisor.id,
            **vals,
        }

    @classmethod
    def _create_order(cls, user=None, **vals):
        order = cls.env["service.order"].with_user(user or cls.dispatcher).create(cls._order_vals(**vals))
        # as if the next step came in another request: Odoo tracks no change made in the
        # transaction that created the record
        cls._flush_tracking()
        return order

    @classmethod
    def _booking(cls, workers=None):
        """The values of a booked order (planned means booked): a lead technician and a slot."""
        workers = workers or cls.technician
        return {"field_worker_ids": [Command.set(workers.ids)], "lead_technician_id": workers[0].id, **next_slot()}

    @classmethod
    def _submit(cls, order, user=None):
        order.with_user(user or cls.dispatcher)._do_submit()
        cls._flush_tracking()
        return order

    @classmethod
    def _approve(cls, order, user=None):
        # an order its type's policy approved on submit is approved already
        order.filtered(lambda o: o.state == "submitted").with_user(user or cls.supervisor)._do_approve()
        cls._flush_tracking()
        return order

    # Orders built once per class (``_build_order_pool`` at the end of its setUpClass): in a
    # test, ``_planned_order()`` and ``_on_site_order()`` without arguments hand out the next
    # unused one, as it was built (each test's transaction rolls back), instead of creating,
    # submitting and approving a new order (most of a test's time).
    _order_pool = {}
    _pool_taken = None  # {kind: count} handed out in the running test; None outside a test

    @classmethod
    def _build_order_pool(cls, planned=0, on_site=0):
        cls._order_pool = {
            "planned": [cls._planned_order() for _index in range(planned)],
            "on_site": [cls._on_site_order() for _index in range(on_site)],
        }

    def setUp(self):
        super().setUp()
        type(self)._pool_taken = {}
        self.addCleanup(setattr, type(self), "_pool_taken", None)

    @classmethod
    def _pooled(cls, kind):
        """The next unused order of the class's pool in the running test, or None."""
        if cls._pool_taken is None:
            return None
        taken = cls._pool_taken.get(kind, 0)
        pool = cls._order_pool.get(kind, [])
        if taken >= len(pool):
            return None
        cls._pool_taken[kind] = taken + 1
        return pool[taken]

    @classmethod
    def _planned_order(cls, workers=None, **vals):
        """An approved order with field workers (the technician by default), assigned in the
        draft so that version 1 prints them."""
        if workers is None and not vals:
            pooled = cls._pooled("planned")
            if pooled:
                return pooled
        workers = workers if workers is not None else cls.technician
        if workers:
            vals = {"field_worker_ids": [Command.set(workers.ids)], "lead_technician_id": workers[0].id, **vals}
        if "scheduled_start" not in vals:
            vals = {**next_slot(), **vals}
        return cls._approve(cls._submit(cls._create_order(**vals)))

    @classmethod
    def _planned_orders(cls, vals_list):
        """Orders created, submitted and approved together (a supervisor approving from the
        list), each with the technician as field worker unless its values say otherwise;
        their versions 1 issued by the job runner. Faster than one _planned_order each."""
        vals_list = [{"field_worker_ids": [Command.set(cls.technician.ids)],
                      "lead_technician_id": cls.technician.id, **({} if "scheduled_start" in vals else next_slot()),
                      **vals} for vals in vals_list]
        orders = cls.env["service.order"].with_user(cls.dispatcher).create([cls._order_vals(**vals) for vals in vals_list])
        cls._flush_tracking()
        cls._approve(cls._submit(orders))
        cls._run_jobs()
        return orders

    @classmethod
    def _flush_tracking(cls):
        """Tracking messages are written at pre-commit; run it as a commit would."""
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        cls.env.invalidate_all()

    def _state_trackings(self, order):
        """(old, new) state pairs of the order's chatter, oldest first."""
        self._flush_tracking()
        field = self.env["ir.model.fields"]._get("service.order", "state")
        values = order.sudo().message_ids.tracking_value_ids.filtered(lambda t: t.field_id == field)
        return [(t.old_value_char, t.new_value_char) for t in values.sorted("id")]

    def _chatter(self, record):
        """All the text of a record's chatter, newest first."""
        self.env.invalidate_all()
        return "\n".join(str(body) for body in record.sudo().message_ids.mapped("body"))

    @classmethod
    def _run_jobs(cls):
        """Run the job runner of document versions, as the cron would."""
        cls.env["service.order.document"]._issue_pending_versions(batch=1000)
        cls.env["service.workspace.post"]._post_pending(batch=1000)
        cls._flush_tracking()

    def _pdf_text(self, document):
        """The text of a document version's PDF, all pages."""
        with warnings.catch_warnings():  # the calls every supported PyPDF2/pypdf knows
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            reader = PdfFileReader(io.BytesIO(document.sudo().attachment_id.raw), strict=False)
            # wkhtmltopdf lays words out one by one: compare with single spaces
            return "\n".join(" ".join(reader.getPage(index).extractText().split())
                             for index in range(reader.getNumPages()))

    def _channel_text(self, order):
        self.env["service.workspace.post"]._post_pending()  # the job runner of the status posts
        self.env.invalidate_all()
        return "\n".join(str(b) for b in order.sudo().channel_id.message_ids.mapped("body"))
