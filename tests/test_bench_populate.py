import importlib.util
import os
import unittest

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.service_order.models.service_order_states import CLOSED_STATES, OPEN_STATES

POPULATE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench", "populate.py")
# stored fields the ORM computes, which the population writes in its INSERT: recomputing them
# must change nothing
COMPUTED = ["partner_name", "location_address", "partner_lang", "lead_technician_name", "field_worker_count",
            "acceptance"]


@unittest.skipUnless(os.path.exists(POPULATE), "bench/ is not part of the addon's wheel")
@tagged("post_install", "-at_install")
class TestBenchPopulate(TransactionCase):
    """bench/populate.py (what bench/compare.sh and bench/load.sh start from) on a small N: it
    runs on a database without fieldservice too, and writes what the ORM would have written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        spec = importlib.util.spec_from_file_location("service_order_bench_populate", POPULATE)
        cls.populate = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.populate)
        cls.technicians, cls.dispatchers = cls.populate.populate(
            cls.env, 400, n_technicians=4, n_customers=30, analyze=False)
        cls.orders = cls.env["service.order"].search([("name", "=like", "SRV/B/%")])

    def test_orders_and_their_people(self):
        self.assertEqual(len(self.orders), 400)
        self.assertEqual(len(self.technicians), 4)
        states = set(self.orders.mapped("state"))
        self.assertTrue(states & set(OPEN_STATES) and states & set(CLOSED_STATES), states)
        cr = self.env.cr
        # every field worker has an assignment, every lead technician is a field worker
        cr.execute(SQL("""SELECT count(*) FROM service_order_field_worker_rel r
                           WHERE r.order_id IN %s AND NOT EXISTS (SELECT FROM service_order_assignment a
                                 WHERE a.order_id = r.order_id AND a.user_id = r.user_id)""", tuple(self.orders.ids)))
        self.assertEqual(cr.fetchone()[0], 0)
        with_lead = self.orders.filtered("lead_technician_id")
        self.assertTrue(with_lead)
        self.assertFalse(with_lead.filtered(lambda o: o.lead_technician_id not in o.field_worker_ids))
        # an approved order has its customer's link (made at the approval), a draft none
        approved = self.orders.filtered("approved_date").sudo()
        self.assertTrue(approved)
        self.assertTrue(all(approved.mapped("access_token")))
        self.assertEqual(len(set(approved.mapped("access_token"))), len(approved))
        self.assertFalse((self.orders - approved).sudo().filtered("access_token"))
        # the states and the technician statuses agree
        self.assertEqual(set(self.orders.filtered(lambda o: o.state == "completed").mapped("technician_status")),
                         {"done"})

    def test_stored_columns_are_what_the_orm_computes(self):
        Order = self.env["service.order"]
        read = lambda: {order.id: [order[name] for name in COMPUTED] for order in self.orders}
        before = read()
        self.assertTrue(self.orders.filtered("double_booked"), "a second worker joins every tenth order")
        for name in COMPUTED:
            self.env.add_to_compute(Order._fields[name], self.orders)
        self.env.flush_all()
        self.orders.invalidate_recordset()
        self.assertEqual(read(), before)
        self.assertEqual(Order._cron_refresh_double_booked(), 0, "no double-booking flag to set right")

    def test_a_technicians_page(self):
        technician = self.technicians[0]
        Order = self.env["service.order"].with_user(technician)
        page = Order.search([("assigned_to_me", "=", True), ("is_open", "=", True)], limit=80)
        expected = self.orders.filtered(lambda o: technician in o.field_worker_ids and o.state in OPEN_STATES)
        self.assertTrue(expected)
        self.assertEqual(page.ids, Order.sudo().search([("id", "in", expected.ids)], limit=80).ids)
