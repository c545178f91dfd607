"""Browser tour of the customer's equipment: from the label scanned by the customer's phone to
the technician reading the equipment's history on theirs."""
from datetime import timedelta

from werkzeug.urls import url_parse

from odoo import Command, fields
from odoo.tests import tagged

from .test_tours import TOUR_TIMEOUT, ServiceOrderTourCase

PHONE = "390x844"


@tagged("post_install", "-at_install")
class TestEquipmentTour(ServiceOrderTourCase):
    """A customer scans a label and requests service (a phone, not logged in); the dispatcher
    submits and, once approved, plans it (desktop); the technician sees the equipment's history
    on a phone. Each step logged in as the role that does it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boiler = cls.env["service.equipment"].with_user(cls.dispatcher).create({
            "name": "Boiler cellar", "partner_id": cls.brasserie.id, "serial_number": "BX24-0001",
            "install_date": fields.Date.today() - timedelta(days=900)})
        # last time: another technician's order on the boiler, its work item done with a part
        past = cls._create_order(cls.brasserie, "Yearly service.", workers=cls.technician_2)
        past.write({"equipment_id": cls.boiler.id, "order_type_id": cls.order_type.id})
        past.with_user(cls.dispatcher)._do_submit()
        past.with_user(cls.supervisor)._do_approve()
        past.with_user(cls.technician_2).action_depart()
        past.with_user(cls.technician_2).action_arrive()
        item = cls.env["service.work.item"].with_user(cls.technician_2).create({
            "order_id": past.id, "complaint": "Burner cleaned", "diagnosis": "Soot on the burner head.",
            "estimated_hours": 1, "part_ids": [Command.create({"product_id": cls.product.id, "quantity": 1})]})
        item.action_submit()
        for step in ("action_start_repair", "action_submit_repair", "action_complete_repair"):
            getattr(item, step)()
        past.with_user(cls.technician_2)._do_close("completed")
        cls.past = past

    def test_label_to_request_to_plan_to_the_technicians_history(self):
        self.technician.tz = "UTC"
        self.dispatcher.tz = "UTC"
        url = url_parse(self.boiler.with_user(self.dispatcher).label_url)
        path = f"{url.path}?{url.query}"

        # 1. the customer scans the label: a phone, not logged in
        self.browser_size, self.touch_enabled = PHONE, True
        self.start_tour(path, "service_order_equipment_customer_request", login=None, timeout=TOUR_TIMEOUT)
        order = self.env["service.order"].search([("requested_on_portal", "=", True),
                                                  ("equipment_id", "=", self.boiler.id)])
        self.assertRecordValues(order, [{"state": "draft", "partner_id": self.brasserie.id,
                                         "request_contact": "Anne, bar manager, 0470 12 34 56"}])

        # 2. the dispatcher completes and submits it, from the board (desktop)
        self.browser_size, self.touch_enabled = "1366x768", False
        self.start_tour("/odoo", "service_order_equipment_dispatcher_submit", login=self.dispatcher.login,
                        timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        self.assertEqual(order.state, "submitted")
        self.assertEqual(order.order_type_id, self.order_type)
        self.assertEqual(order.scheduled_start.date(), fields.Date.today())
        order.with_user(self.supervisor)._do_approve()  # the supervisor's review (their own tours)
        self.start_tour("/odoo", "service_order_equipment_dispatcher_plan", login=self.dispatcher.login,
                        timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        self.assertEqual(order.lead_technician_id, self.technician)

        # 3. the technician, on a phone, reads the equipment's history from the order
        self.browser_size, self.touch_enabled = PHONE, True
        self.start_tour("/odoo", "service_order_equipment_technician_history", login=self.technician.login,
                        timeout=TOUR_TIMEOUT)
        self.assertFalse(self.past.with_user(self.technician).has_access("read"),
                         "the past order itself stays its field workers'")
