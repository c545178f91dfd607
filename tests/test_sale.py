from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import LOG_DAY
from .sale_common import ITEM_A_UNTAXED, ITEM_B_UNTAXED, LABOUR_PRICE, PIPE_PRICE, VESSEL_PRICE, SaleCase


class TestSale(SaleCase):
    """Estimates priced by Odoo (pricelist, taxes), the sale order of the accepted work, its
    quantities following the work and the time, and the invoice of a completed order."""

    def test_estimate_is_priced_by_the_customers_pricelist_with_taxes(self):
        # the customer requires estimates: the items wait for them, the company's setting is off
        self.assertFalse(self.company.service_item_customer_consent)
        self.assertEqual((self.item_a | self.item_b).mapped("state"), ["waiting_customer"] * 2)
        estimate = self.item_a.sudo()._get_estimate()
        lines = estimate["items"][0][1]["lines"]
        self.assertEqual([(line["quantity"], line["price_unit"], line["taxes"]) for line in lines], [
            (1.5, LABOUR_PRICE, "VAT 20% (test)"), (1.0, VESSEL_PRICE, "VAT 20% (test)"),
            (2.5, PIPE_PRICE, "VAT 20% (test)")])
        self.assertTrue(lines[0]["is_labour"])
        self.assertEqual(estimate["currency"], self.company.currency_id)
        # as a dispatcher reads it on the item (no Sales rights needed)
        item = self.item_a.with_user(self.dispatcher)
        self.assertAlmostEqual(item.estimate_amount_untaxed, ITEM_A_UNTAXED)  # 170.10
        self.assertAlmostEqual(item.estimate_amount_tax, 34.02)
        self.assertAlmostEqual(item.estimate_amount_total, 204.12)
        both = (self.item_a | self.item_b).sudo()._get_estimate()
        self.assertAlmostEqual(both["by_item"][self.item_b.id]["total"], ITEM_B_UNTAXED * 1.2)
        self.assertAlmostEqual(both["tax_totals"]["base_amount_currency"], ITEM_A_UNTAXED + ITEM_B_UNTAXED)
        self.assertAlmostEqual(both["tax_totals"]["total_amount_currency"], 236.52)
        # the e-mail with the link carries the same amounts
        body = self._consent_mails(self.order).body_html
        for amount in ("54.00", "66.60", "204.12", "32.40", "236.52"):
            self.assertIn(amount, body)
        self.assertFalse(self.order.with_user(self.billing).sale_order_id, "no sale order before acceptance")

    def test_partial_acceptance_sells_the_accepted_work_only(self):
        self._decide(a="accepted", b="refused")
        self.assertEqual((self.item_a.state, self.item_b.state), ("approved", "cancelled"))
        sale_order = self.order.with_user(self.billing).sale_order_id
        self.assertEqual(sale_order.state, "sale", "confirmed on acceptance")
        self.assertEqual(sale_order.partner_id, self.customer)
        self.assertEqual(sale_order.partner_shipping_id, self.site)
        self.assertEqual(sale_order.pricelist_id, self.pricelist)
        self.assertEqual(self._sale_lines(), {
            "Labour (test)": (1.5, 0.0), "Replace the expansion vessel": (0.0, 0.0),
            "Expansion vessel (test)": (1.0, 0.0), "Copper pipe (test)": (2.5, 0.0)})
        self.assertNotIn("Replace the door seal", self._sale_lines(), "a refused item is not sold")
        self.assertAlmostEqual(sale_order.amount_untaxed, ITEM_A_UNTAXED)
        self.assertEqual(sale_order.with_user(self.billing).service_order_ids, self.order)
        self.assertIn(f"Sale order {sale_order.name} made", self._chatter(self.order))
        # the links between the orders are the addon's
        with self.assertRaises(AccessError):
            sale_order.order_line[1].with_user(self.billing).write({"service_work_item_id": self.item_b.id})
        with self.assertRaises(AccessError):
            self.order.with_user(self.seller).write({"sale_order_id": False})

    def test_invoice_is_the_time_spent_and_the_parts_of_the_work_done(self):
        self._decide(a="accepted", b="refused")
        billing_order = self.order.with_user(self.billing)
        with self.assertRaisesRegex(UserError, "not completed"):
            billing_order.action_create_invoice()
        self._do_work(self.item_a, hours=2.5)
        self._complete()
        self.assertEqual(self._sale_lines()["Labour (test)"], (2.5, 2.5), "delivered: the time spent")
        self.assertEqual(self._sale_lines()["Copper pipe (test)"], (2.5, 2.5))
        for user, error in ((self.technician, AccessError), (self.dispatcher, AccessError)):
            with self.subTest(user=user.login), self.assertRaises(error):
                self.order.with_user(user).action_create_invoice()
        self.assertEqual(billing_order.sale_invoice_status, "to invoice")

        action = billing_order.action_create_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(billing_order.invoice_count, 1)
        untaxed = 2.5 * LABOUR_PRICE + VESSEL_PRICE + 2.5 * PIPE_PRICE  # 224.10
        self.assertAlmostEqual(invoice.amount_untaxed, untaxed)
        self.assertAlmostEqual(invoice.amount_tax, 44.82)
        self.assertAlmostEqual(invoice.amount_total, 268.92)
        self.assertNotIn("Replace the door seal", invoice.invoice_line_ids.mapped("name"))
        self.assertIn("Replace the expansion vessel", invoice.invoice_line_ids.mapped("name"))
        invoice.with_user(self.billing).action_post()
        self.assertEqual(billing_order.sale_order_id.invoice_status, "invoiced")
        self.assertEqual(self.order._invoice_summary(), invoice)
        with self.assertRaisesRegex(UserError, "nothing left to invoice"):
            billing_order.action_create_invoice()
        self.assertIn("by So Billing", self._chatter(self.order))

    def test_time_sold_changes_only_with_money_rights_and_never_once_invoiced(self):
        """Finding 6: a dispatcher without Sales or Invoicing rights added a manual time log to a
        completed, invoiced order: its sale order went from 244.52 to 782.72, back to "to
        invoice", and a new invoice was made from it."""
        self._decide(a="accepted", b="accepted")
        self._do_work(self.item_a, hours=2.5)
        self._complete()
        Log = self.env["service.time.log"]
        next_day = LOG_DAY + timedelta(days=1, hours=8)

        def log(user, start):
            return Log.with_user(user).create({"order_id": self.order.id, "user_id": self.technician.id,
                                               "date_start": start, "date_stop": start + timedelta(hours=10)})

        with self.assertRaisesRegex(AccessError, "Sales or Invoicing rights"), self.env.cr.savepoint():
            log(self.dispatcher, next_day)
        self.assertEqual(self._sale_lines()["Labour (test)"], (2.5, 2.5))
        log(self.billing, next_day)  # a correction before invoicing, by who bills
        self.assertEqual(self._sale_lines()["Labour (test)"], (12.5, 12.5))
        invoice = self.order.with_user(self.billing)._do_invoice()
        invoice.with_user(self.billing).action_post()
        sale_order = self.order.sudo().sale_order_id
        for user in (self.dispatcher, self.billing, self.seller):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "is invoiced"), \
                    self.env.cr.savepoint():
                log(user, next_day + timedelta(days=1))
        self.assertEqual(self._sale_lines()["Labour (test)"], (12.5, 12.5))
        self.assertEqual(sale_order.invoice_status, "invoiced")
        self.assertEqual(len(self.order.time_log_ids), 2)
        # nor is an accepted item left undone cancelled afterwards (it would change the sale order)
        with self.assertRaisesRegex(UserError, "is closed or cancelled"):
            self.item_b.with_user(self.dispatcher).action_cancel()
        self.assertEqual(self.item_b.state, "approved")
        self.assertEqual(sale_order.invoice_status, "invoiced")

    def test_fixed_price_invoices_the_accepted_estimate(self):
        self.order_type.labour_invoicing = "estimate"
        self._decide(a="accepted", b="accepted")
        self.item_b.with_user(self.dispatcher).action_cancel()  # accepted, then not done after all
        self._do_work(self.item_a, hours=2.5)
        self._complete()
        self.assertEqual(self._sale_lines()["Labour (test)"], (1.5, 1.5), "the accepted hours of the work done")
        invoice = self.order.with_user(self.seller)._do_invoice()
        self.assertAlmostEqual(invoice.amount_untaxed, ITEM_A_UNTAXED)  # 170.10, not the 2.5 h spent
        self.assertNotIn("Replace the door seal", invoice.invoice_line_ids.mapped("name"))

    def test_confirmation_lines_are_sold_and_unfinished_work_is_not(self):
        self._decide(a="accepted", b="accepted")
        self.assertEqual(self._sale_lines()["Labour (test)"], (2.0, 0.0))
        self.order.with_user(self.technician)._do_confirm(
            "An extra vessel", lines=[{"product_id": self.part_vessel.id, "quantity": 1}])
        lines = self.order.sudo().sale_order_id.order_line
        added = lines.filtered("service_order_line_id")
        self.assertEqual((added.product_id, added.product_uom_qty), (self.part_vessel, 1.0))
        self._do_work(self.item_a, hours=0)
        self.item_b.action_start_repair()
        # closed as completed with B still in repair: B is not billed
        self._complete()
        self.assertEqual(self._sale_lines()["Labour (test)"], (0.0, 0.0), "no time logged")
        self.assertEqual(added.qty_delivered, 1.0)
        item_b_lines = lines.filtered(lambda line: line.service_work_item_id == self.item_b)
        self.assertEqual(item_b_lines.mapped("product_uom_qty"), [0.0], "B's section only, no part")

    def test_workflow_a_and_an_order_not_carried_out(self):
        """Without approval (another customer, who requires no estimate) the item is accepted at
        once; an order closed as not carried out bills nothing."""
        other = self.env["res.partner"].create({"name": "Walk-in customer", "email": "walkin@example.com"})
        order = self._on_site_order(partner_id=other.id, location_id=other.id, dispatcher_id=False,
                                    line_ids=[Command.create({"product_id": self.part_pipe.id, "quantity": 4})])
        item = self._create_item(order)
        item.action_submit()
        self.assertEqual(item.state, "approved")
        sale_order = order.sudo().sale_order_id
        self.assertEqual(sale_order.state, "sale")
        self.assertEqual(sale_order.pricelist_id, other.property_product_pricelist)
        self.assertFalse(sale_order.user_id, "no dispatcher: no salesperson")
        # the materials planned on the order are sold with the first accepted work
        planned = sale_order.order_line.filtered("service_order_line_id")
        self.assertEqual((planned.product_id, planned.product_uom_qty), (self.part_pipe, 4.0))
        order.with_user(self.dispatcher)._do_close("not_done", reason="No access to the cellar")
        self.assertEqual(sale_order.state, "cancel")
        self.assertIn("cancelled: the order was not carried out", self._chatter(order))

    def test_technician_never_sees_prices_unless_their_company_allows_it(self):
        """Finding 19: "Technicians See Prices" was a group, so it held for every company of the
        database. It is the company's setting: the item's company decides."""
        item = self.item_a.with_user(self.technician)
        amounts = ["estimate_amount_total", "estimate_amount_untaxed", "estimate_amount_tax"]
        self.assertEqual(item.read([*amounts, "show_prices"])[0],
                         dict.fromkeys(amounts, 0.0) | {"id": item.id, "show_prices": False}, "no amount")
        with self.assertRaises(AccessError):
            item.read(["sale_line_ids"])
        self._decide(a="accepted", b="refused")
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician).read(["sale_order_id"])
        for model in ("sale.order", "sale.order.line", "account.move"):
            with self.subTest(model=model), self.assertRaises(AccessError):
                self.env[model].with_user(self.technician).search([])
        # a dispatcher without Sales rights reads the estimates, not the sale order
        self.assertAlmostEqual(self.item_a.with_user(self.dispatcher).estimate_amount_total, 204.12)
        with self.assertRaises(AccessError):
            self.order.with_user(self.dispatcher).read(["sale_order_id"])

        # the setting, per company: the technician also works for another company that allows it
        other = self.env["res.company"].create({"name": "Prices Shown Ltd", "service_technician_prices": True})
        self.technician.company_ids |= other
        self.env.invalidate_all()
        self.assertEqual(item.estimate_amount_total, 0.0, "another company's setting shows nothing here")
        self.assertFalse(self.env.ref("service_order.group_service_order_prices", raise_if_not_found=False),
                         "no group holds it for every company")
        # Settings writes it on the company it is saved for (saving the whole page takes a second)
        setting = self.env["res.config.settings"]._fields["service_technician_prices"]
        self.assertEqual(setting.related, "company_id.service_technician_prices")
        self.company.service_technician_prices = True
        self.env.invalidate_all()
        self.assertAlmostEqual(item.estimate_amount_total, 204.12)
        other.service_technician_prices = False
        self.env.invalidate_all()
        self.assertAlmostEqual(item.estimate_amount_total, 204.12)
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.technician).search([])

    def test_order_type_labour_sold_on_the_time_is_invoiced_on_delivery(self):
        self.labour.invoice_policy = "order"
        with self.assertRaisesRegex(ValidationError, "invoiced on delivered quantities"):
            self.order_type.labour_invoicing = "time"
        self.order_type.write({"labour_invoicing": "estimate", "labour_product_id": self.labour.id})
        self.assertEqual(self.order_type.labour_invoicing, "estimate")


class TestLabourFollowsTheWork(SaleCase):
    """Money follows work: a visit done with the buttons only (no time log by hand) puts the time
    spent on the invoice as labour."""

    def test_a_visit_done_with_the_buttons_only_invoices_its_labour(self):
        plain = self.env["res.partner"].create({"name": "Garage Plain (test)", "email": "garage@example.com"})
        order = self._planned_order(partner_id=plain.id, location_id=plain.id).with_user(self.technician)
        order.action_depart()
        order.action_arrive()
        order.action_start_work()  # clocks in
        log = self.env["service.time.log"].sudo().search([("order_id", "=", order.id)])
        self.assertTrue(log.is_open)
        log.date_start = fields.Datetime.now() - timedelta(minutes=45)  # three quarters of an hour on site
        item = self.env["service.work.item"].with_user(self.technician).create({
            "order_id": order.id, "complaint": "Compressor does not start", "diagnosis": "Relay burnt: replaced.",
            "estimated_hours": 0.5, "part_ids": [Command.create({"product_id": self.part_vessel.id, "quantity": 1})]})
        self.assertEqual(item.next_step, "done", "nothing waits: done in one tap")
        item.action_next_step()
        self.assertEqual(item.state, "done")
        self.assertTrue(order.action_open_complete(), "time clocked, no question: completed in one tap")
        self.assertEqual(order.state, "completed")
        self.assertFalse(log.is_open, "closing clocked out")
        invoice = self.env["account.move"].browse(order.with_user(self.billing).action_create_invoice()["res_id"])
        labour = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.labour)
        self.assertAlmostEqual(labour.quantity, 0.75, places=2, msg="the time spent, clocked by the buttons")
        self.assertAlmostEqual(labour.price_unit, self.labour.lst_price, msg="the list price: no contract pricelist")
        self.assertIn(order.name, invoice.invoice_origin, "the invoice names the service order")
        self.assertEqual(order.sudo().sale_order_id.service_order_name, order.name)
        report = order.sudo().current_document_id
        self.assertEqual(report.reason, "completion")
        self._run_jobs()
        self.assertIn("0.75 h", self._pdf_text(report), "the completion report prints the time spent")
