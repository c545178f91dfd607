"""Browser walk of the technician's whole job on a phone, from the login page. (The
dispatcher's walks are in tests/test_tours.py.)"""
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_tours import TECHNICIAN_LOGIN, TOUR_TIMEOUT, ServiceOrderTourCase, browser_console, walk_counts


@tagged("post_install", "-at_install")
class TestTechnicianDayTour(ServiceOrderTourCase):
    """The technician works a whole job from a phone: a 390x844 touch screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_technician_day_from_the_login_page(self):
        self.technician.tz = "UTC"
        hour = self.env.ref("uom.product_uom_hour")
        labour = self.env["product.product"].create({
            "name": "Labour (tour)", "type": "service", "uom_id": hour.id, "uom_po_id": hour.id,
            "list_price": 65, "invoice_policy": "delivery"})
        boiler = self.env["service.order.type"].create({
            "name": "Boiler (tour)", "default_duration": 2, "labour_product_id": labour.id,
            "labour_invoicing": "time"})
        self.env["service.step.question"].create([
            {"order_type_id": boiler.id, "step": "arrive", "name": "Site accessible", "answer_type": "yes_no"},
            {"order_type_id": boiler.id, "step": "complete", "sequence": 1, "name": "Boiler restarted",
             "answer_type": "yes_no"},
            {"order_type_id": boiler.id, "step": "complete", "sequence": 9, "name": "Customer signature",
             "answer_type": "signature", "required": True},
        ])
        self.brasserie.email = "brasserie@example.com"
        today = fields.Datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)

        def job(partner, start, workers=None, **vals):
            order = self._create_order(partner, f"Boiler service at {partner.name}.", workers=workers or self.technician)
            order.write({"order_type_id": boiler.id, "scheduled_start": start, "scheduled_end": start + timedelta(hours=2),
                         **vals})
            order.with_user(self.dispatcher)._do_submit()
            order.with_user(self.supervisor)._do_approve()
            return order

        order = job(self.brasserie, today)
        tomorrow = job(self.hotel, today + timedelta(days=1))
        overdue = job(self.clinic, today - timedelta(days=1))
        other = job(self.workshop, today, workers=self.technician_2)  # another technician's: never shown
        self.assertEqual(order.acceptance, "pending")

        with browser_console() as logs:
            self.start_tour(TECHNICIAN_LOGIN, "service_order_technician_day_tour", timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        taps, typed, login_taps, budget = walk_counts(logs)["technician_job"]
        self.assertLessEqual(taps, 30, "a technician's whole job with one work item in at most 30 taps")
        self.assertEqual((login_taps, budget), (3, 30))

        self.assertEqual(order.state, "completed")
        self.assertEqual(order.acceptance, "accepted", "going was accepting")
        self.assertEqual(order.status_log_ids.sorted("id").mapped("status"), ["en_route", "on_site", "working", "done"])
        answers = order.step_answer_ids
        self.assertEqual([(a.step, a.name, a.value_display) for a in answers], [
            ("arrive", "Site accessible", "Yes"),
            ("complete", "Boiler restarted", "Yes"),
            ("complete", "Customer signature", "Marie Client"),
        ])
        self.assertEqual(order.customer_signed_by, "Marie Client")
        self.assertTrue(order.customer_signature, "drawn on the pad")
        item = order.work_item_ids
        self.assertEqual((item.complaint, item.state, item.estimated_hours), ("Boiler in safety lockout", "done", 0.75))
        self.assertEqual(item.part_ids.product_id, self.product)
        self.assertEqual(len(item.photo_ids), 1)
        log = order.time_log_ids
        self.assertEqual((len(log), log.user_id, log.entry_type, log.is_open), (1, self.technician, "clock", False),
                         "Start work clocked in, Complete clocked out")
        self.assertEqual(order.document_ids.sorted("version").mapped("reason"), ["approval", "completion"])
        self.env["service.order.document"]._issue_pending_versions()  # the job runner, as the cron would
        self.assertEqual(order.current_document_id.state, "issued")
        self.assertEqual((tomorrow.state, overdue.state, other.state), ("planned", "planned", "planned"),
                         "the other jobs are untouched")
        mail = self.env["mail.mail"].search([("model", "=", "service.order"), ("res_id", "=", order.id),
                                             ("attachment_ids", "in", order.current_document_id.attachment_id.ids)])
        self.assertEqual(mail.recipient_ids, self.brasserie, "the customer got the report by e-mail")
        self.assertAlmostEqual(order.sudo().sale_order_id.order_line.filtered("service_labour_order_id").qty_delivered,
                               log.duration, places=2, msg="the time spent is the labour delivered")
