from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user

from .common import LOG_DAY
from .work_item_common import WorkItemCase

# The figures the tests expect, from the data below: labour 60.00/h and parts at list price
# 74.00 (vessel) and 10.00/m (pipe), -10 % in the customer's pricelist, 20 % tax.
LABOUR_PRICE = 54.0                     # 60.00 - 10 %
VESSEL_PRICE, PIPE_PRICE = 66.6, 9.0    # 74.00 and 10.00 - 10 %
ITEM_A_UNTAXED = 1.5 * LABOUR_PRICE + VESSEL_PRICE + 2.5 * PIPE_PRICE   # 170.10
ITEM_B_UNTAXED = 0.5 * LABOUR_PRICE                                     # 27.00


class SaleCase(WorkItemCase):
    """A customer who requires estimates (the company's consent setting stays off), with a
    contract pricelist (-10 %); labour sold per hour by the order type; a 20 % tax; a dispatcher
    with Sales rights and one with Invoicing (billing) rights. ``order`` has two work items
    waiting for the customer: A (1.5 h, a vessel and 2.5 m of pipe) and B (0.5 h, no part)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tax = env["account.tax"].create({
            "name": "VAT 20% (test)", "amount": 20, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": cls.company.id})
        hour = env.ref("uom.product_uom_hour")
        cls.labour = env["product.product"].create({
            "name": "Labour (test)", "type": "service", "uom_id": hour.id, "uom_po_id": hour.id,
            "list_price": 60, "invoice_policy": "delivery", "taxes_id": [Command.set(cls.tax.ids)]})
        cls.part_vessel.write({"list_price": 74, "taxes_id": [Command.set(cls.tax.ids)]})
        cls.part_pipe.write({"list_price": 10, "taxes_id": [Command.set(cls.tax.ids)]})
        cls.order_type.labour_product_id = cls.labour
        cls.pricelist = env["product.pricelist"].create({
            "name": "Contract -10% (test)", "currency_id": cls.company.currency_id.id,
            "item_ids": [Command.create({"applied_on": "3_global", "compute_price": "percentage",
                                         "percent_price": 10})]})
        cls.customer.write({"property_product_pricelist": cls.pricelist.id, "service_estimate_required": True})

        def user(login, *groups):
            return new_test_user(
                env, login=login, name=login.replace("_", " ").title(), email=f"{login}@example.com",
                groups=",".join(("base.group_user", "service_order.group_service_order_dispatcher") + groups))

        cls.seller = user("so_seller", "sales_team.group_sale_salesman_all_leads")
        cls.billing = user("so_billing", "account.group_account_invoice")

        cls.order = cls._on_site_order()
        cls.item_a = cls._create_item(cls.order, complaint="Replace the expansion vessel")
        cls.item_b = cls._create_item(cls.order, complaint="Replace the door seal", estimated_hours=0.5,
                                      part_ids=[])
        (cls.item_a | cls.item_b).action_submit()
        cls._flush_tracking()

    # helpers ------------------------------------------------------------------
    def _decide(self, order=None, **decisions):
        """The customer's decisions through the order's consent link (as the link's page
        takes them): ``a="accepted", b="refused"``."""
        order = order or self.order
        items = {"a": self.item_a, "b": self.item_b}
        request = self.env["service.consent.request"].sudo().search(
            [("order_id", "=", order.id), ("state", "=", "pending")])
        request._do_decide({items[key].id: decision for key, decision in decisions.items()}, "127.0.0.1")
        self._flush_tracking()

    def _do_work(self, item, hours=2.5):
        """The technician repairs ``item``, and the time spent is logged (``hours`` from 8:00)."""
        item.action_start_repair()
        item.action_submit_repair()
        item.action_complete_repair()
        if hours:
            # a log by hand changes the hours sold: a dispatcher with Invoicing rights
            self.env["service.time.log"].with_user(self.billing).create({
                "order_id": item.order_id.id, "user_id": self.technician.id,
                "date_start": LOG_DAY.replace(hour=8), "date_stop": LOG_DAY.replace(hour=8) + timedelta(hours=hours)})

    def _complete(self, order=None):
        (order or self.order).with_user(self.technician)._do_close("completed")
        self._flush_tracking()

    def _sale_lines(self, order=None):
        """The product lines of the order's sale order: {product or item section name: (ordered, delivered)}."""
        sale_order = (order or self.order).sudo().sale_order_id
        return {line.product_id.name or line.name: (line.product_uom_qty, line.qty_delivered)
                for line in sale_order.order_line}
