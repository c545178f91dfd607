from odoo.tests import tagged, users, warmup

from .common import ServiceOrderCase

KANBAN_SPEC = {
    "name": {}, "priority": {}, "state": {}, "color": {}, "activity_state": {},
    "partner_id": {"fields": {"display_name": {}}},
    "location_address": {},
    "order_type_id": {"fields": {"display_name": {}}},
    "scheduled_start": {}, "technician_status": {},
    "field_worker_ids": {"fields": {"display_name": {}}},
    "activity_ids": {"fields": {}},
    # service level and double bookings, shown on the card
    "sla_status": {}, "sla_reason": {}, "schedule_warning": {},
}


@tagged("post_install", "-at_install", "service_order_perf")
class TestPerformance(ServiceOrderCase):
    """Query counts of the hot paths; they must not grow with the number of orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Order = cls.env["service.order"].with_user(cls.dispatcher)
        cls.orders = Order.create([{
            "partner_id": cls.customer.id, "location_id": cls.site.id, "order_type_id": cls.order_type.id,
            "description": f"<p>Order {i}</p>", "supervisor_id": cls.supervisor.id,
            "field_worker_ids": [(6, 0, cls.technician.ids)],
        } for i in range(20)])

    def _kanban_load(self, limit):
        return self.env["service.order"].web_search_read([], KANBAN_SPEC, limit=limit)

    @users("so_dispatcher")
    @warmup
    def test_kanban_load_does_not_grow_with_orders(self):
        self._kanban_load(1)  # caches of the request (rules, company, fields) are warm
        with self.assertQueryCount(so_dispatcher=17):
            few = self._kanban_load(5)
        with self.assertQueryCount(so_dispatcher=17):
            many = self._kanban_load(20)
        self.assertEqual(len(few["records"]), 5)
        self.assertEqual(len(many["records"]), 20)

    @users("so_tech")
    @warmup
    def test_technician_kanban_load(self):
        self._kanban_load(1)
        with self.assertQueryCount(so_tech=11):
            result = self._kanban_load(20)
        self.assertEqual(result["length"], 20)
