"""Browser tours (static/tests/tours/): each role does its part of an order's life in the
web client, as a person would, and the records are checked afterwards.

The data is built here (no demo data); every tour logs in as the least-privileged user
who really does the step. To add a tour: build its records in ``setUpClass`` (or a helper
below), write the tour with the helpers of ``service_order_tour_utils.js`` and assert the
outcome in Python after ``start_tour``.
"""
import re
import sys
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .common import next_slot, share_browser_cache, stand_in_report_pdf

WALK = re.compile(r"service_order walk (\w+): (\d+) taps after login \((\d+) of them into a field to type\), "
                  r"(\d+) on the login page, budget (\d+)")
# A field technician signing in with nothing asked for lands on the day page that works without
# signal (issue 26, tests/test_day_http.py); the walks in the web client start on the login page of
# a link to *My Day* there, their home page in the web client (the link is kept after login)
TECHNICIAN_LOGIN = "/web/login?redirect=/odoo/action-service_order.service_order_action_my_day"


@contextmanager
def browser_console():
    """The lines the browser's console says meanwhile (the walks report their taps there)."""
    lines = []
    original = ChromeBrowser._handle_console

    def listen(browser, type, args=None, **kwargs):  # "type": the DevTools event's own name
        lines.append(" ".join(str(browser._from_remoteobject(arg)) for arg in args or ()))
        return original(browser, type, args=args, **kwargs)

    with patch.object(ChromeBrowser, "_handle_console", listen):
        yield lines


def walk_counts(lines):
    """``{walk: (taps after login, typed, login taps, budget)}`` from the walks' console lines
    (static/tests/tours/service_order_tour_utils.js, ``walk``). The counts are figures of the
    run: written to the terminal (past pytest's capture), as tools/test.sh keeps them in its log."""
    counts = {match[1]: tuple(map(int, match.groups()[1:])) for line in lines
              for match in [WALK.search(line)] if match}
    for name, (taps, typed, login, budget) in counts.items():
        sys.__stderr__.write(f"[walk] {name}: {taps} taps after login ({typed} typing), {login} on the login "
                             f"page, budget {budget}\n")
    return counts


# Tours run a real browser against a 2-core machine shared with other test runs: leave
# them time (a step still fails after 10 s when its trigger never shows).
TOUR_TIMEOUT = 240


class ServiceOrderTourCase(HttpCase):
    """Users (password = login), customers, a type, a product and a vehicle for the tours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        # the tours are about the screens: PDF versions come from the stand-in renderer
        # (tests/common.py); the report itself is tested in test_documents.py
        cls.startClassPatcher(patch.object(type(cls.env["service.order"]), "_html_to_pdf", stand_in_report_pdf))
        share_browser_cache(cls)
        cls.company = cls.env.company
        # (PDF versions are rendered inside the browser's requests; the order report needs
        # nothing from the server: see models/ir_actions_report.py)

        def user(login, name, group):
            return new_test_user(
                cls.env, login=login, name=name, email=f"{login}@example.com",
                groups=f"base.group_user,service_order.group_service_order_{group}",
                company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

        cls.technician = user("so_tour_tech", "Tom Technician", "technician")
        cls.technician_2 = user("so_tour_tech_two", "Lucy Technician", "technician")
        cls.dispatcher = user("so_tour_dispatcher", "Dora Dispatcher", "dispatcher")
        cls.supervisor = user("so_tour_supervisor", "Sam Supervisor", "supervisor")
        cls.company.service_default_supervisor_id = cls.supervisor

        Partner = cls.env["res.partner"]
        belgium = cls.env.ref("base.be").id

        def customer(name, street, zip_code, city, lat, lng):
            return Partner.create({
                "name": name, "is_company": True, "street": street, "zip": zip_code, "city": city,
                "country_id": belgium, "partner_latitude": lat, "partner_longitude": lng,
            })

        cls.brasserie = customer("Brasserie Mont-des-Arts", "Rue Ravenstein 2", "1000", "Bruxelles", 50.8433, 4.3575)
        cls.hotel = customer("Hôtel des Galeries", "Rue des Bouchers 38", "1000", "Bruxelles", 50.8475, 4.3547)
        cls.clinic = customer("Clinique Sainte-Anne", "Rue Haute 322", "1000",
                              "Bruxelles", 50.8361, 4.3447)
        cls.workshop = customer("Atelier Mertens", "Veldstraat 50", "9000", "Gent", 51.0500, 3.7230)
        cls.bakery = customer("Boulangerie Lemaire", "Rue de Fer 40", "5000", "Namur", 50.4658, 4.8664)
        cls.oven_room = Partner.create({
            "name": "Oven room", "type": "other", "parent_id": cls.bakery.id,
            "street": "Rue de Fer 42", "zip": "5000", "city": "Namur", "country_id": belgium,
        })
        cls.order_type = cls.env["service.order.type"].create({"name": "Repair (tour)", "default_duration": 2})
        cls.product = cls.env["product.product"].create({
            "name": "Expansion vessel (tour)", "type": "consu", "list_price": 74.0})
        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Tour Brand"})
        model = cls.env["fleet.vehicle.model"].create({"name": "Tour Van", "brand_id": brand.id})
        cls.vehicle = cls.env["fleet.vehicle"].create({"model_id": model.id, "license_plate": "TOUR-01"})

    # data builders ----------------------------------------------------------------
    @classmethod
    def _create_order(cls, partner, description, workers=None):
        workers = workers or cls.env["res.users"]
        return cls.env["service.order"].with_user(cls.dispatcher).create({
            "partner_id": partner.id,
            "location_id": partner.id,
            "order_type_id": cls.order_type.id,
            "description": f"<p>{description}</p>",
            "supervisor_id": cls.supervisor.id,
            # assigned in the draft: version 1 prints the workers; planned means booked: a start too
            "field_worker_ids": [Command.set(workers.ids)], "lead_technician_id": workers[:1].id,
            **next_slot(),
        })

    def _move_others_off_today(self, keep):
        """The orders other than ``keep`` (the demo's) go to a day a year and more ahead: a planned
        order keeps a start (planned means booked), and none is today."""
        later = fields.Datetime.now().replace(hour=6, minute=0, second=0, microsecond=0) + timedelta(days=400)
        # sudo: test set-up, moving other orders' schedules out of the way
        self.env["service.order"].sudo().search([("id", "not in", keep.ids)]).write(
            {"scheduled_start": later, "scheduled_end": later + timedelta(hours=1)})

    @classmethod
    def _submitted_order(cls, partner, description, workers=None):
        order = cls._create_order(partner, description, workers)
        order.with_user(cls.dispatcher)._do_submit()
        return order

    @classmethod
    def _planned_order(cls, partner, description, workers=None):
        order = cls._submitted_order(partner, description, workers)
        order.with_user(cls.supervisor)._do_approve()
        return order



@tagged("post_install", "-at_install")
class TestServiceOrderTours(ServiceOrderTourCase):

    def test_dispatcher_creates_and_submits(self):
        # from the landing page: the board of open orders, with New
        self.start_tour("/web/login", "service_order_dispatcher_submit_tour", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        order = self.env["service.order"].search([("partner_id", "=", self.bakery.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "submitted")
        self.assertEqual(order.location_id, self.oven_room)
        self.assertEqual(order.order_type_id, self.order_type)
        self.assertIn("Deck oven 2 stays below 180 degrees.", order.description)
        self.assertEqual(order.requested_by_id, self.dispatcher)
        self.assertEqual(order.supervisor_id, self.supervisor)
        self.assertTrue(order.submitted_date)
        self.assertEqual(order.activity_ids.user_id, self.supervisor, "an approval activity for the supervisor")

    def test_supervisor_approves_and_rejects(self):
        # booked: approved, it is planned (planned means booked)
        to_approve = self._submitted_order(self.brasserie, "Quarterly maintenance of the cold room.",
                                           workers=self.technician)
        to_reject = self._submitted_order(self.hotel, "Replace the lobby lighting with LED panels.")
        self.start_tour("/web/login", "service_order_supervisor_review_tour", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()

        self.assertEqual(to_approve.state, "planned")
        self.assertEqual(to_approve.approved_by_id, self.supervisor)
        self.assertEqual(to_approve.document_count, 1)
        self.assertEqual(to_approve.current_document_id.version, 1)
        self.assertEqual(to_approve.current_document_id.reason, "approval")
        self.assertTrue(to_approve.channel_id, "the workspace is made on approval")
        self.assertFalse(to_approve.activity_ids, "the approval activity is done")

        self.assertEqual(to_reject.state, "rejected")
        self.assertEqual(to_reject.reject_reason, "Out of scope: the landlord maintains the lobby lighting.")
        self.assertEqual(to_reject.document_count, 0)
        self.assertFalse(to_reject.channel_id)

    def test_dispatcher_adds_field_workers(self):
        order = self._planned_order(self.clinic, "Boiler B1 in safety lockout.")
        self.assertFalse(order.field_worker_ids)
        self.start_tour("/web/login", "service_order_dispatcher_add_workers_tour", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()

        self.assertEqual(order.field_worker_ids, self.technician | self.technician_2)
        self.assertEqual(order.lead_technician_id, self.technician_2)
        self.assertEqual(order.vehicle_id, self.vehicle)
        self.assertEqual(order.state, "planned")
        self.assertEqual(order.current_version, 2, "the workers and the vehicle are a confirmation: version 2")
        self.assertEqual(order.current_document_id.confirmation_id.user_id, self.dispatcher)
        members = order.channel_id.sudo().channel_member_ids.partner_id
        self.assertLessEqual((self.technician | self.technician_2).partner_id, members,
                             "the workers joined the order's workspace")
        self.assertLessEqual((self.technician | self.technician_2).partner_id, order.message_partner_ids,
                             "the workers follow the order")

    def test_dispatcher_sees_todays_orders_on_the_map(self):
        today = fields.Datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
        order = self._create_order(self.clinic, "Boiler B1 in safety lockout.")
        order.write({"scheduled_start": today, "scheduled_end": today + timedelta(hours=2)})
        # next week's order: not on today's map (the tour checks there is exactly one marker)
        later = self._create_order(self.hotel, "Lobby lighting.")
        later.write({"scheduled_start": today + timedelta(days=7), "scheduled_end": today + timedelta(days=7, hours=2)})
        # the database may hold demo orders of today: this test's order is the only one today
        # sudo: test set-up, moving other orders' schedules out of the way
        self._move_others_off_today(order | later)
        written = (order | later).mapped("write_date")
        self.start_tour("/web/login", "service_order_dispatcher_map_tour", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        self.assertEqual((order | later).mapped("write_date"), written, "looking at the map changes nothing")
        self.assertEqual((order | later).mapped("state"), ["draft", "draft"])

    def test_dispatcher_map_popup_shows_a_hostile_name_as_text(self):
        """Finding: a portal customer named themselves <img src=x onerror=alert(1)> in /my/account
        and the day route's map ran it in the dispatcher's browser (the OCA view builds its
        popup as HTML). The popup holds the name as text, and no script runs."""
        today = fields.Datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
        self.technician.tz = "UTC"
        self.dispatcher.tz = "UTC"
        order = self._planned_order(self.clinic, "Boiler B1 in safety lockout.", workers=self.technician)
        # sudo: test set-up, the schedule of an approved order (a confirmation in real life)
        order.sudo().write({"scheduled_start": today, "scheduled_end": today + timedelta(hours=2)})
        # the database may hold demo orders of today: this test's order is the only one today
        self._move_others_off_today(order)
        # what /my/account writes for the customer's portal contact: the company's name here
        self.clinic.name = "<img src=x onerror=alert(1)>"
        self.start_tour("/web/login", "service_order_dispatcher_route_map_tour", timeout=TOUR_TIMEOUT)
        route = self.env["service.route"].search([("user_id", "=", self.technician.id), ("date", "=", today.date())])
        self.assertEqual(route.stop_ids.order_id, order)

    def test_dispatcher_reschedules_in_five_clicks(self):
        start = fields.Datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
        order = self._planned_order(self.hotel, "Lobby lighting.", workers=self.technician)
        # sudo: test set-up, the schedule of an approved order (a confirmation in real life)
        order.sudo().write({"scheduled_start": start, "scheduled_end": start + timedelta(hours=2)})
        with browser_console() as logs:
            self.start_tour("/web/login", "service_order_dispatcher_reschedule_walk", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        taps, _typed, login_taps, budget = walk_counts(logs)["dispatcher_reschedule"]
        self.assertLessEqual(taps, 5, "a dispatcher's reschedule in at most 5 clicks")
        self.assertEqual((login_taps, budget), (3, 5))
        self.assertEqual(order.scheduled_start.date(), date(2030, 1, 15))
        self.assertEqual(order.scheduled_end - order.scheduled_start, timedelta(hours=2), "the end followed")
        confirmation = order.confirmation_ids
        self.assertEqual((confirmation.user_id, confirmation.reason), (self.dispatcher, "The customer asked for the afternoon."))
        self.assertEqual(order.current_version, 2, "the new schedule is version 2")
