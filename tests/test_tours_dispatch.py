"""Browser tours of dispatch at the speed of a phone call (issue 24), from each role's landing
page: the phone call booked and planned in at most 12 clicks, the technician finding it in My
Day, a drag on the planning timeline to another technician, and not carried out on a phone.
Each tour's time is printed (``[tour] ... took``, pytest -s): figures for the note, not a test."""
import sys
import time
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .test_tours import TOUR_TIMEOUT, ServiceOrderTourCase


class DispatchTourCase(ServiceOrderTourCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.technician | cls.technician_2 | cls.dispatcher).write({"tz": "UTC"})
        cls.today = fields.Datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)

    def _timed_tour(self, tour, login):
        started = time.monotonic()
        self.start_tour("/odoo", tour, login=login, timeout=TOUR_TIMEOUT)
        # a figure for the note (run with -s to see it), not a test
        sys.stderr.write(f"[tour] {tour} took {time.monotonic() - started:.1f} s\n")

    @classmethod
    def _booked_order(cls, partner, description, worker, start_hour, hours=2, order_type=None):
        order = cls._create_order(partner, description, workers=worker)
        start = cls.today + timedelta(hours=start_hour)
        order.write({"scheduled_start": start, "scheduled_end": start + timedelta(hours=hours),
                     **({"order_type_id": order_type.id} if order_type else {})})
        order.with_user(cls.dispatcher)._do_submit()
        order.filtered(lambda o: o.state == "submitted").with_user(cls.supervisor)._do_approve()
        return order


@tagged("post_install", "-at_install")
class TestDispatchTours(DispatchTourCase):

    def test_a_phone_call_books_a_planned_order_the_technician_sees(self):
        boilers = self.env["service.skill"].create({"name": "Boilers (tour)",
                                                    "user_ids": [Command.set(self.technician.ids)]})
        emergency = self.env["service.order.type"].create({
            "name": "Emergency (tour)", "default_duration": 2, "approval_policy": "auto", "skill_id": boilers.id})
        # Tom's other order of the day, which the dispatcher sees while booking him
        morning = self._booked_order(self.hotel, "Lobby boiler.", self.technician, 8)
        self._timed_tour("service_order_phone_call_tour", "so_tour_dispatcher")
        self.env.invalidate_all()
        order = self.env["service.order"].search([("partner_id", "=", self.bakery.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual((order.state, order.order_type_id, order.lead_technician_id, order.field_worker_ids),
                         ("planned", emergency, self.technician, self.technician))
        self.assertEqual(order.scheduled_start, self.today + timedelta(hours=12))
        self.assertEqual(order.scheduled_end, self.today + timedelta(hours=14))
        self.assertEqual(order.approved_by_policy, "Policy of Emergency (tour): approved on submit")
        self.assertEqual((order.current_version, order.current_document_id.state), (1, "issued"))
        self.assertFalse(order.schedule_warning, "Tom's morning order does not overlap")
        notified = order.message_ids.filtered(lambda m: "Planned:" in str(m.body)).partner_ids
        self.assertIn(self.technician.partner_id, notified, "the technician is told")
        self._timed_tour("service_order_technician_sees_booking_tour", "so_tour_tech")
        self.assertEqual(morning.state, "planned")

    def test_a_drag_on_the_timeline_moves_an_order_to_another_technician(self):
        order = self._booked_order(self.brasserie, "Cold room alarm.", self.technician, 10)
        self.assertEqual((order.state, order.current_version), ("planned", 1))
        start = order.scheduled_start
        self._timed_tour("service_order_timeline_drag_tour", "so_tour_dispatcher")
        self.env.invalidate_all()
        self.assertEqual((order.lead_technician_id, order.field_worker_ids), (self.technician_2, self.technician_2))
        self.assertEqual(order.state, "planned")
        self.assertEqual(abs((order.scheduled_start - start).total_seconds()) < 3600, True,
                         "dropped at the same time of the day")
        self.assertEqual(len(order.confirmation_ids), 1)
        self.assertEqual(order.document_ids.sorted("version").mapped("version"), [1, 2], "exactly one new version")
        self.assertIn("lead technician Tom Technician to Lucy Technician", order.confirmation_ids.reason)
        self.assertEqual(order.confirmation_ids.user_id, self.dispatcher)


@tagged("post_install", "-at_install")
class TestNotCarriedOutTour(DispatchTourCase):
    """The technician on a phone: a 390x844 touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_a_technician_closes_not_carried_out_on_a_phone(self):
        paint = self.env["service.order.type"].create({"name": "Paint booth (tour)", "default_duration": 2})
        self.env["service.step.question"].create({
            "order_type_id": paint.id, "step": "not_done", "name": "Photo of what stops the work",
            "answer_type": "photo"})
        self.workshop.email = "mertens@example.com"
        order = self._booked_order(self.workshop, "Paint booth extraction.", self.technician, 9, order_type=paint)
        tech = order.with_user(self.technician)
        tech.action_depart()
        tech.action_arrive()
        self._timed_tour("service_order_not_done_tour", "so_tour_tech")
        self.env.invalidate_all()
        self.assertEqual((order.state, order.closed_by_id), ("not_done", self.technician))
        self.assertEqual(order.close_reason, "The paint booth is sealed off by the fire brigade.")
        answer = order.step_answer_ids
        self.assertEqual((answer.step, answer.name, answer.answer_type), ("not_done", "Photo of what stops the work",
                                                                         "photo"))
        self.assertTrue(answer.value_binary)
        report = order.current_document_id
        self.assertEqual((report.version, report.reason), (2, "completion"))
        self.env["service.order.document"]._issue_pending_versions()  # the job runner, as the cron would
        self.assertEqual(report.state, "issued")
        mail = self.env["mail.mail"].search([("model", "=", "service.order"), ("res_id", "=", order.id),
                                             ("attachment_ids", "in", report.attachment_id.ids)])
        self.assertEqual(mail.recipient_ids, self.workshop, "the customer gets the completion report")
