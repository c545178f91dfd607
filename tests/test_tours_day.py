"""Browser tour of the technician's day on a phone, from the landing page. (The dispatcher's
landing page is where tests/test_tours.py's create-and-submit tour starts.)"""
from odoo import fields
from odoo.tests import tagged

from .test_tours import TOUR_TIMEOUT, ServiceOrderTourCase


@tagged("post_install", "-at_install")
class TestTechnicianDayTour(ServiceOrderTourCase):
    """The technician works a whole day from a phone: a 390x844 touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_technician_day_from_the_landing_page(self):
        self.technician.tz = "UTC"
        boiler = self.env["service.order.type"].create({"name": "Boiler (tour)", "default_duration": 2})
        self.env["service.step.question"].create([
            {"order_type_id": boiler.id, "step": "arrive", "name": "Site accessible", "answer_type": "yes_no"},
            {"order_type_id": boiler.id, "step": "complete", "sequence": 1, "name": "Boiler restarted",
             "answer_type": "yes_no"},
            {"order_type_id": boiler.id, "step": "complete", "sequence": 9, "name": "Customer signature",
             "answer_type": "signature", "required": False},
        ])
        self.brasserie.email = "brasserie@example.com"
        today = fields.Datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
        order = self._create_order(self.brasserie, "Yearly boiler service.", workers=self.technician)
        order.write({"order_type_id": boiler.id, "scheduled_start": today, "scheduled_end": today.replace(hour=11)})
        order.with_user(self.dispatcher)._do_submit()
        order.with_user(self.supervisor)._do_approve()
        self.assertEqual(order.acceptance, "pending")
        # an order of another technician today, which the technician must not see
        other = self._create_order(self.workshop, "Paint booth extraction.", workers=self.technician_2)
        other.write({"scheduled_start": today, "scheduled_end": today.replace(hour=11)})
        other.with_user(self.dispatcher)._do_submit()
        other.with_user(self.supervisor)._do_approve()

        self.start_tour("/odoo", "service_order_technician_day_tour", login="so_tour_tech", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()

        self.assertEqual(order.state, "completed")
        self.assertEqual(order.acceptance, "accepted")
        self.assertEqual(order.status_log_ids.sorted("id").mapped("status"), ["en_route", "on_site", "working", "done"])
        answers = order.step_answer_ids
        self.assertEqual([(a.step, a.name, a.value_display) for a in answers], [
            ("arrive", "Site accessible", "Yes"),
            ("complete", "Boiler restarted", "Yes"),
            ("complete", "Customer signature", "Marie Client"),
        ])
        self.assertEqual(order.customer_signed_by, "Marie Client")
        self.assertTrue(order.customer_signature)
        confirmation = order.confirmation_ids
        self.assertEqual(len(confirmation), 1)
        self.assertEqual(confirmation.reason, "The expansion vessel is split; replaced it.")
        self.assertEqual(confirmation.user_id, self.technician)
        self.assertEqual(confirmation.line_ids.product_id, self.product)
        self.assertEqual(confirmation.line_ids.quantity, 2)
        self.assertEqual(order.document_ids.sorted("version").mapped("reason"), ["approval", "confirmation", "completion"])
        self.assertEqual(order.document_ids.filtered("confirmation_id").confirmation_id, confirmation)
        report = order.current_document_id
        self.assertEqual((report.version, report.reason), (3, "completion"))
        self.env["service.order.document"]._issue_pending_versions()  # the job runner, as the cron would
        self.assertEqual(report.state, "issued")
        self.assertEqual(other.state, "planned", "the other technician's order is untouched")
        mail = self.env["mail.mail"].search([("model", "=", "service.order"), ("res_id", "=", order.id),
                                             ("attachment_ids", "in", report.attachment_id.ids)])
        self.assertEqual(mail.recipient_ids, self.brasserie, "the customer got the report by e-mail")
