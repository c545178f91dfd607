"""The demo is believable (issue 25): its own Belgian company in euros with Belgian VAT, and a
day with one deliberate double booking, one late order, one technician at work in one place at
a time and fallouts of different ages. tools/test.sh installs the addon with its demo data; Odoo
installs a module without its demo when the demo fails (a warning only): this test says so."""
from collections import Counter

from odoo.tests import TransactionCase, tagged

from ..models.service_order_states import CLOSED_STATES


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):

    def test_the_demo_is_installed_and_believable(self):
        module = self.env["ir.module.module"].search([("name", "=", "service_order")])
        self.assertTrue(module.demo, "the demo data installed (Odoo drops it on the first error, with a warning)")
        company = self.env.ref("service_order.company_be")
        self.assertEqual(company.currency_id, self.env.ref("base.EUR"))
        self.assertEqual(company.country_id, self.env.ref("base.be"))
        self.assertEqual(company.account_sale_tax_id.amount, 21.0, "Belgian VAT by default")
        orders = self.env["service.order"].search([("company_id", "=", company.id)])
        self.assertEqual(orders.company_id, company, "the whole service demo is the Belgian company's")
        open_orders = orders.filtered(lambda order: order.state not in CLOSED_STATES)
        self.assertEqual(len(open_orders.filtered("double_booked")), 2, "one deliberate double booking: a pair")
        self.assertEqual(len(open_orders.filtered(lambda order: order.sla_status == "late")), 1, "one late order")
        working = Counter(user for order in open_orders.filtered(lambda o: o.technician_status == "working")
                          for user in order.field_worker_ids)
        self.assertTrue(working, "someone is at work")
        self.assertEqual(max(working.values()), 1, "nobody works on two jobs at once")
        fallouts = self.env["service.fallout"].search([("order_id", "in", orders.ids), ("is_open", "=", True)])
        self.assertEqual(len(set(fallouts.mapped(lambda fallout: round(fallout.age_days)))), len(fallouts),
                         "fallouts of different ages")
        self.assertTrue(fallouts.filtered("is_overdue") and fallouts.filtered(lambda fallout: not fallout.is_overdue),
                        "some overdue, some not")
        parts = self.env["product.product"].search(
            [("categ_id", "=", self.env.ref("service_order.product_category_service_parts").id)])
        self.assertTrue(parts, "service parts are products of their own category")
        self.assertEqual(set(parts.taxes_id.mapped("amount")), {21.0})
