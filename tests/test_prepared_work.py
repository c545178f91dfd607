import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .common import share_browser_cache
from .equipment_common import LABOUR_PRICE, PIPE_PRICE, VESSEL_PRICE, EquipmentCase
from .work_item_common import PNG

BOILER_ITEM = 1.5 * LABOUR_PRICE + VESSEL_PRICE + 2.5 * PIPE_PRICE  # 189.00


class PreparedWorkCase(EquipmentCase):
    """A planned order of the customer, before the visit; a plan's template to prepare from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls._plan(start_date=cls._days(200))  # not due soon: its tasks only

    @classmethod
    def _order_with_prepared_work(cls, equipment=None):
        """A planned order (nobody on site yet) with the template's two tasks prepared on it."""
        order = cls._planned_order(equipment_id=(equipment or cls.boiler).id)
        items = order.with_user(cls.dispatcher)._do_add_prepared_work(cls.template.task_ids)
        cls._flush_tracking()
        return order, items

    def _arrive(self, order):
        order.with_user(self.technician).action_depart()
        order.with_user(self.technician).action_arrive()
        self._flush_tracking()


@tagged("post_install", "-at_install")
class TestPreparedWork(PreparedWorkCase):
    """A dispatcher prepares work before the visit (a plan's template or by hand), priced, sends
    it for the customer's consent; the technician finds it on arrival."""

    def test_dispatcher_prepares_work_from_a_template_and_by_hand(self):
        order = self._planned_order(equipment_id=self.boiler.id)
        with self.assertRaisesRegex(UserError, "Work items are created on site"):
            self._create_item(order)  # a technician, before the visit
        self.assertFalse(order.with_user(self.technician).can_add_work_items)
        self.assertTrue(order.with_user(self.dispatcher).can_add_work_items)

        action = order.with_user(self.dispatcher).action_open_prepare_work()
        self.assertEqual(action["res_model"], "service.order.prepare.work")
        wizard = Form(self.env["service.order.prepare.work"].with_user(self.dispatcher).with_context(
            **action["context"]))
        wizard.plan_id = self.template
        self.assertEqual(len(wizard.task_ids), 2, "all the plan's tasks by default")
        wizard.save().action_confirm()
        by_hand = self._create_item(order, user=self.dispatcher, complaint="Replace the pressure gauge",
                                    estimated_hours=0.5, part_ids=[])
        items = order.work_item_ids
        self.assertEqual(len(items), 3)
        self.assertEqual(set(items.mapped("prepared")), {True})
        self.assertEqual(set(items.mapped("state")), {"draft"})
        self.assertEqual(items.equipment_id, self.boiler)
        self.assertEqual(items.filtered(lambda i: i.plan_task_id).plan_task_id, self.template.task_ids)
        self.assertEqual(by_hand.with_user(self.dispatcher).estimate_amount_total, 0.5 * LABOUR_PRICE,
                         "priced as the customer will be asked")
        with self.assertRaises(AccessError):
            self.env["service.order.prepare.work"].with_user(self.technician).create({
                "order_id": order.id, "plan_id": self.template.id})
        with self.assertRaises(AccessError):
            order.with_user(self.technician)._do_add_prepared_work(self.template.task_ids)
        with self.assertRaisesRegex(AccessError, "never written directly"):
            self._create_item(order, user=self.dispatcher, prepared=True)

    def test_prepared_work_sent_for_consent_reaches_the_technician(self):
        order, items = self._order_with_prepared_work()
        with self.assertRaises(AccessError):
            order.with_user(self.technician).action_send_for_consent()
        order.with_user(self.dispatcher).action_send_for_consent()
        self.assertEqual(set(items.mapped("state")), {"waiting_customer"},
                         "sent before the visit, whatever the company's consent setting")
        self.assertEqual(items.approved_by_id, self.dispatcher)
        self.assertEqual(len(self._consent_mails(order)), 1, "the customer's signed link")
        request = self.env["service.consent.request"].sudo().search([("order_id", "=", order.id)])
        self.assertEqual(request.work_item_ids, items)
        burner = items.filtered(lambda i: i.complaint == "Service the burner")
        request._do_decide({burner.id: "accepted", (items - burner).id: "refused"}, "127.0.0.1")
        self.assertEqual(burner.state, "approved")
        self.assertEqual((items - burner).state, "cancelled")

        # on arrival the technician finds the accepted work, ready to repair
        self._arrive(order)
        board = self.env["service.work.item"].with_user(self.technician).search([("order_id", "=", order.id)])
        self.assertEqual(board, items)
        self.assertEqual(burner.with_user(self.technician).read(["state", "prepared", "customer_decision"])[0],
                         {"id": burner.id, "state": "approved", "prepared": True, "customer_decision": "accepted"})
        burner.with_user(self.technician).action_start_repair()
        self.assertEqual(burner.state, "in_repair")
        self.assertIn("Service the burner", order.sudo().sale_order_id.order_line.mapped("name"))

    def test_nothing_to_send_and_closed_orders(self):
        order = self._planned_order(equipment_id=self.boiler.id)
        with self.assertRaisesRegex(UserError, "no draft work item to send"):
            order.with_user(self.dispatcher).action_send_for_consent()
        with self.assertRaisesRegex(UserError, "no draft work item to put on an estimate"):
            order.with_user(self.dispatcher).action_send_estimate()
        # prepared on an order not approved yet: it reaches the customer once the order is planned
        draft = self._create_order(equipment_id=self.boiler.id)
        draft.with_user(self.dispatcher)._do_add_prepared_work(self.template.task_ids)
        for send in ("action_send_for_consent", "action_send_estimate"):
            with self.subTest(send=send), self.assertRaisesRegex(UserError, "not approved yet"):
                getattr(draft.with_user(self.dispatcher), send)()
        self.assertEqual(set(draft.work_item_ids.mapped("state")), {"draft"})
        self.assertFalse(draft.has_prepared_drafts, "no Send button before the approval")
        order.with_user(self.dispatcher)._do_cancel("Customer moved out")
        with self.assertRaisesRegex(UserError, "closed or rejected"):
            order.with_user(self.dispatcher)._do_add_prepared_work(self.template.task_ids)
        self.customer.email = False
        order, _items = self._order_with_prepared_work()
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            order.with_user(self.dispatcher).action_send_estimate()
        self.assertFalse(order.sudo().sale_order_id, "nothing half-made")


@tagged("post_install", "-at_install")
class TestEstimate(PreparedWorkCase):
    """One estimate for the order: its proposed work as one Odoo quotation, sent from the
    order, answered by the customer; work under warranty at zero with its reason."""

    def _send(self, order):
        order.with_user(self.dispatcher).action_send_estimate()
        self._flush_tracking()
        return order.sudo().sale_order_id

    def test_estimate_is_one_quotation_with_warranty_at_zero(self):
        order, items = self._order_with_prepared_work(equipment=self.heat_pump)  # under warranty
        leak = self._create_item(order, user=self.dispatcher, complaint="Boiler leak",
                                 equipment_id=self.boiler.id)
        quotation = self._send(order)
        self.assertRecordValues(quotation, [{
            "state": "sent", "partner_id": self.customer.id, "require_signature": True,
            "require_payment": False, "service_estimate_order_id": order.id,
        }])
        self.assertEqual(set((items | leak).mapped("state")), {"waiting_customer"})
        self.assertFalse(self.env["service.consent.request"].sudo().search([("order_id", "=", order.id)]),
                         "the estimate's items get no consent link of their own")
        sections = quotation.order_line.filtered(lambda line: line.display_type == "line_section")
        self.assertEqual(len(sections), 3, "a section per work item")
        warranty = quotation.order_line.filtered("service_warranty")
        self.assertEqual(warranty.service_work_item_id, items, "the heat pump's work, under warranty")
        self.assertEqual(set(warranty.mapped("discount")), {100.0})
        self.assertTrue(all("Under warranty until" in line.name for line in warranty))
        self.assertEqual(quotation.amount_untaxed, BOILER_ITEM, "only the work out of warranty is priced")
        labour = quotation.order_line.filtered("service_labour_order_id")
        self.assertEqual(labour.product_uom_qty, 1.5)
        # sent with Odoo's own template and PDF, to the customer
        message = quotation.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertIn(self.customer, message.partner_ids)
        self.assertTrue(message.attachment_ids.filtered(lambda a: quotation.name in a.name))
        self.assertIn(f"Estimate {quotation.name} sent to Brasserie Test", self._chatter(order))
        self.assertEqual(order.estimate_state, "sent")
        with self.assertRaises(AccessError):
            order.with_user(self.technician).action_send_estimate()

    def test_declined_estimate_refuses_its_work(self):
        order, items = self._order_with_prepared_work()
        quotation = self._send(order)
        # the customer declines on the portal (as Odoo's decline route does, not logged in)
        quotation.with_user(self.env.ref("base.public_user")).sudo()._action_cancel()
        self.assertEqual(set(items.mapped("state")), {"cancelled"})
        self.assertEqual(set(items.mapped("customer_decision")), {"refused"})
        self.assertFalse(order.sudo().sale_order_id, "the declined quotation is not the order's sale order")
        self.assertEqual(order.estimate_state, "declined")
        self.assertIn(f"Estimate {quotation.name} declined", self._chatter(order))

    def test_skip_approval_accepts_the_whole_estimate(self):
        order, items = self._order_with_prepared_work()
        quotation = self._send(order)
        with self.assertRaisesRegex(UserError, "accepted together"):
            items[:1].with_user(self.dispatcher)._do_skip_consent("Agreed by phone")
        self.assertEqual(set(items.mapped("state")), {"waiting_customer"})
        items.with_user(self.dispatcher)._do_skip_consent("Agreed by phone with Mrs Peeters")
        self.assertEqual(quotation.state, "sale")
        self.assertEqual(set(items.mapped("state")), {"approved"})
        self.assertEqual(set(items.mapped("customer_decision")), {"skipped"})
        self.assertEqual(order.sudo().sale_order_id, quotation)
        self.assertEqual(len(quotation.order_line.filtered(lambda line: line.display_type == "line_section")), 2,
                         "no second section: the work was on the estimate already")

    def test_no_estimate_once_the_order_has_its_sale_order(self):
        order = self._on_site_order(equipment_id=self.boiler.id)
        self._create_item(order).action_submit()  # accepted on site (workflow A): the sale order
        self._create_item(order, user=self.dispatcher, complaint="Second valve")
        with self.assertRaisesRegex(UserError, "has its sale order"):
            order.with_user(self.dispatcher).action_send_estimate()

    def test_completed_order_bills_an_estimate_left_a_quotation(self):
        order, items = self._order_with_prepared_work()
        quotation = self._send(order)
        items.with_user(self.dispatcher).action_cancel()  # the customer said no by phone
        self._arrive(order)
        found = self._create_item(order, complaint="Valve stuck")
        found.action_submit()  # workflow A: accepted, onto the order's sale order (the quotation)
        self.assertEqual(found.sale_line_ids.order_id, quotation)
        for step in ("action_start_repair", "action_submit_repair", "action_complete_repair"):
            getattr(found, step)()
        order.with_user(self.technician)._do_close("completed")
        self.assertEqual(quotation.state, "sale", "the work done is billed")
        self.assertEqual(quotation.invoice_status, "to invoice")
        cancelled = quotation.order_line.filtered(lambda line: line.service_work_item_id in items
                                                  and not line.display_type)
        self.assertEqual(set(cancelled.mapped("product_uom_qty")), {0.0}, "the refused estimate's work is zeroed")


@tagged("post_install", "-at_install")
class TestEstimatePortal(HttpCase, PreparedWorkCase):
    """The customer accepts the estimate on the portal: Odoo's quotation page, signed, not
    logged in (the link of the e-mail)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        share_browser_cache(cls)

    def test_customer_signs_the_estimate_and_the_technician_finds_the_work(self):
        order, items = self._order_with_prepared_work()
        order.with_user(self.dispatcher).action_send_estimate()
        quotation = order.sudo().sale_order_id
        token = quotation._portal_ensure_token()
        page = self.url_open(f"/my/orders/{quotation.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Service the burner", page.text)
        result = self.make_jsonrpc_request(f"/my/orders/{quotation.id}/accept?access_token={token}", {
            "name": "Marie Client", "signature": base64.b64encode(PNG).decode()})
        self.assertIn("redirect_url", result)
        self.env.invalidate_all()
        self.assertEqual(quotation.state, "sale")
        self.assertEqual(order.sudo().sale_order_id, quotation)
        self.assertEqual(set(items.mapped("state")), {"approved"})
        self.assertEqual(set(items.mapped("customer_decision")), {"accepted"})
        self.assertEqual(set(items.mapped("customer_decision_ip")), {"127.0.0.1"})
        self.assertIn(f"Estimate {quotation.name} accepted", self._chatter(order))

        self._arrive(order)
        board = order.with_user(self.technician).work_item_ids
        self.assertEqual(set(board.mapped("state")), {"approved"}, "the technician finds the accepted work")
        board[:1].action_start_repair()
        self.assertEqual(board[:1].state, "in_repair")
