from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .work_item_common import WorkItemCase

APPROVAL = "service_order.mail_act_work_item_approval"
CONSENT = "service_order.mail_act_work_item_consent"
REPAIR = "service_order.mail_act_repair_approval"


@tagged("post_install", "-at_install")
class TestWorkItems(WorkItemCase):

    multi_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_order_pool(planned=1, on_site=1)

    # creation ---------------------------------------------------------------

    def test_technician_creates_items_on_site_only(self):
        order = self._planned_order()
        with self.assertRaisesRegex(UserError, "Work items are created on site"):
            self._create_item(order)
        order.with_user(self.technician).action_depart()
        with self.assertRaisesRegex(UserError, "Work items are created on site"):
            self._create_item(order)
        order.with_user(self.technician).action_arrive()
        self.assertTrue(order.can_add_work_items)
        with self._item_form(order) as form:
            form.complaint = "Door seal torn"
            form.diagnosis = "Replace the seal"
            form.estimated_hours = 0.5
            with form.part_ids.new() as part:
                part.product_id = self.part_vessel
                part.quantity = 2
        item = form.record
        self.assertEqual(item.state, "draft")
        self.assertEqual(item.user_id, self.technician)
        self.assertEqual(item.part_ids.quantity, 2)
        self.assertEqual(order.work_item_count, 1)
        self.assertEqual(item.display_name, f"{order.name} · Door seal torn")

    def test_other_technician_cannot_create_on_order_not_assigned(self):
        order = self._on_site_order()
        with self.assertRaises(AccessError):
            self._create_item(order, user=self.technician_2)
        self.assertFalse(order.work_item_ids)

    def test_item_created_in_other_state_is_refused(self):
        order = self._on_site_order()
        with self.assertRaisesRegex(UserError, "created as a draft"):
            self._create_item(order, state="approved")
        with self.assertRaisesRegex(AccessError, "never written directly: Customer Decision"):
            self._create_item(order, customer_decision="accepted")
        self.assertFalse(order.work_item_ids)

    def test_negative_hours_and_quantities_are_refused(self):
        order = self._on_site_order()
        with self.assertRaisesRegex(ValidationError, "Estimated hours must be a number from 0 to 1000"):
            self._create_item(order, estimated_hours=-1, part_ids=[])
        with self.assertRaisesRegex(ValidationError, "quantity of part .* must be a number greater than 0"):
            self._create_item(order, part_ids=[(0, 0, {"product_id": self.part_pipe.id, "quantity": -2})])
        with self.assertRaisesRegex(ValidationError, "quantity of part .* must be a number greater than 0"):
            self._create_item(order, part_ids=[(0, 0, {"product_id": self.part_pipe.id, "quantity": 0})])
        item = self._create_item(order)
        with self.assertRaisesRegex(ValidationError, "Estimated hours must be a number from 0 to 1000"):
            item.write({"estimated_hours": -0.5})
        self.assertEqual(item.estimated_hours, 1.5)

    def test_min_photos_setting_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "minimum number of photos cannot be negative"):
            self.company.service_min_photos = -1

    def test_content_is_locked_once_submitted(self):
        order = self._on_site_order()
        item = self._create_item(order)
        with self.assertRaisesRegex(UserError, "state changes through its buttons"):
            item.write({"state": "approved"})
        item.action_submit()
        self.assertEqual(item.state, "approved")
        with self.assertRaisesRegex(UserError, "cannot be changed now: Diagnosis, Estimated Hours"):
            item.write({"diagnosis": "Something else", "estimated_hours": 9})
        with self.assertRaisesRegex(UserError, "cannot be changed now: Parts"):
            item.part_ids[0].write({"quantity": 10})
        item.write({"notes": "Relay ordered from the van stock."})
        self.assertEqual(item.notes, "Relay ordered from the van stock.")
        with self.assertRaisesRegex(UserError, "Only draft work items can be deleted"):
            item.sudo().unlink()

    def test_submit_needs_a_diagnosis(self):
        order = self._on_site_order()
        item = self._create_item(order, diagnosis=False)
        with self.assertRaisesRegex(UserError, "Enter the diagnosis"):
            item.action_submit()
        self.assertEqual(item.state, "draft")

    # workflow A: all approvals off ---------------------------------------------
    def test_workflow_a_straight_from_diagnosis_to_done(self):
        self.set_options(photos=1)
        order = self._on_site_order()
        item = self._create_item(order)
        item.action_submit()
        self.assertEqual(item.state, "approved", "no approval required: straight to repair")
        self.assertFalse(item.waiting_for)
        self.assertFalse(order.waiting_for)
        self.assertFalse(item.sudo().activity_ids)
        self.assertFalse(self._consent_mails(order))
        item.action_start_repair()
        self.assertEqual(item.state, "in_repair")
        with self.assertRaisesRegex(UserError, "needs at least 1 photo"):
            item.action_submit_repair()
        self.assertEqual(item.state, "in_repair")
        photo = self._add_photos(item)
        self.assertEqual(item.photo_count, 1)
        self.assertEqual((photo.res_model, photo.res_id), ("service.work.item", item.id),
                         "the uploaded photo is attached to the item")
        item.action_submit_repair()
        self.assertEqual(item.state, "repair_submitted")
        self.assertTrue(order.has_repairs_to_complete)
        order.with_user(self.technician).action_submit_work()
        self.assertEqual(item.state, "done")
        self.assertFalse(item.sudo().activity_ids)
        order.with_user(self.technician)._do_close("completed")
        self.assertEqual(order.state, "completed")
        self._flush_tracking()
        tracked = [(t.old_value_char, t.new_value_char)
                   for t in item.sudo().message_ids.tracking_value_ids.filtered(
                       lambda t: t.field_id.name == "state").sorted("id")]
        self.assertEqual(tracked[-1], ("Draft", "Done"), "the state change is tracked in the chatter")

    def test_submit_work_without_submitted_repair_is_refused(self):
        order = self._on_site_order()
        self._create_item(order).action_submit()
        with self.assertRaisesRegex(UserError, "no submitted repair"):
            order.with_user(self.technician).action_submit_work()

    # workflow C: dispatcher approvals before and after the repair -----------------
    def test_workflow_c_dispatcher_approves_items_and_repairs(self):
        self.set_options(dispatcher=True, repair=True)
        order = self._on_site_order(dispatcher_id=self.dispatcher.id)
        item = self._create_item(order)
        item.action_submit()
        self.assertEqual(item.state, "waiting_dispatcher")
        self.assertEqual(item.waiting_for, "dispatcher")
        self.assertEqual(order.waiting_for, "dispatcher")
        activity = self._activities(item, APPROVAL)
        self.assertEqual(activity.user_id, self.dispatcher)
        self.assertIn("Cold room does not cool", str(activity.note))

        # the technician waits: no repair, no approving themselves, no closing
        with self.assertRaisesRegex(UserError, "Start repair is possible only"):
            item.action_start_repair()
        with self.assertRaises(AccessError):
            item.action_approve()
        with self.assertRaises(AccessError):
            item.with_user(self.technician).action_approve_repair()
        with self.assertRaisesRegex(UserError, "Work item Cold room does not cool is waiting for dispatcher"):
            order.with_user(self.dispatcher)._do_close("completed")
        self.assertEqual(item.state, "waiting_dispatcher")

        item.with_user(self.dispatcher).action_approve()
        self.assertEqual(item.state, "approved")
        self.assertEqual(item.approved_by_id, self.dispatcher)
        self.assertFalse(item.waiting_for)
        self.assertFalse(order.waiting_for)
        self.assertFalse(self._activities(item, APPROVAL), "the approval activity is done")
        self.assertEqual(len(self._done_activity_messages(item, APPROVAL)), 1)

        item.action_start_repair()
        item.action_submit_repair()
        item.action_complete_repair()
        self.assertEqual(item.state, "waiting_repair_approval")
        self.assertEqual(order.waiting_for, "dispatcher")
        self.assertEqual(self._activities(item, REPAIR).user_id, self.dispatcher)
        with self.assertRaises(AccessError):
            item.action_approve_repair()
        with self.assertRaisesRegex(UserError, "waiting for repair approval"):
            order.with_user(self.dispatcher)._do_close("completed")

        order.with_user(self.dispatcher).action_approve_repairs()
        self.assertEqual(item.state, "done")
        self.assertEqual(item.repair_approved_by_id, self.dispatcher)
        self.assertFalse(self._activities(item, REPAIR))
        self.assertEqual(len(self._done_activity_messages(item, REPAIR)), 1)
        self.assertFalse(order.waiting_for)
        order.with_user(self.technician)._do_close("completed")
        self.assertEqual(order.state, "completed")

    def test_workflow_c_activity_goes_to_supervisor_without_dispatcher(self):
        self.set_options(dispatcher=True)
        order = self._on_site_order(dispatcher_id=False)
        item = self._create_item(order)
        item.action_submit()
        self.assertEqual(self._activities(item, APPROVAL).user_id, self.supervisor)

    def test_dispatcher_refuses_item_and_sends_repair_back(self):
        self.set_options(dispatcher=True, repair=True)
        order = self._on_site_order()
        refused, kept = self._create_item(order), self._create_item(order, complaint="Noisy fan")
        (refused | kept).action_submit()
        wizard = self.env["service.work.item.refuse"].with_user(self.dispatcher).create(
            {"work_item_ids": [(6, 0, refused.ids)], "reason": "  "})
        with self.assertRaisesRegex(UserError, "reason is required"):
            wizard.action_confirm()
        with self.assertRaises(AccessError):
            refused._do_refuse("I refuse my own work")
        wizard.reason = "Not covered by the contract"
        wizard.action_confirm()
        self.assertEqual(refused.state, "cancelled")
        self.assertEqual(refused.refuse_reason, "Not covered by the contract")
        self.assertFalse(self._activities(refused, APPROVAL))
        self.assertIn("Not covered by the contract", self._chatter(refused))

        kept.with_user(self.dispatcher).action_approve()
        kept.action_start_repair()
        kept.action_submit_repair()
        kept.action_complete_repair()
        kept.with_user(self.dispatcher)._do_refuse("The fan still rattles")
        self.assertEqual(kept.state, "in_repair", "a refused repair goes back to the technician")
        self.assertFalse(self._activities(kept, REPAIR))
        self.assertFalse(order.waiting_for)

    # workflow B without the portal: skip approval ---------------------------------
    def test_workflow_b_dispatcher_skips_consent(self):
        self.set_options(consent=True)
        order = self._on_site_order()
        item = self._create_item(order)
        item.action_submit()
        self.assertEqual(item.state, "waiting_customer")
        self.assertEqual(item.waiting_for, "customer")
        self.assertEqual(order.waiting_for, "customer")
        self.assertEqual(self._activities(item, CONSENT).user_id, self.dispatcher)
        mails = self._consent_mails(order)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.customer)
        self.assertIn("/service_order/consent/", mails.body_html)
        self.assertIn("Cold room does not cool", mails.body_html)
        self.assertNotIn("/service_order/consent/", self._chatter(order), "the link stays out of the chatter")
        self.assertIn("Customer consent requested from Brasserie Test", self._chatter(order))

        with self.assertRaisesRegex(UserError, "Start repair is possible only"):
            item.action_start_repair()
        with self.assertRaises(AccessError):
            item.action_open_skip_consent()
        with self.assertRaises(AccessError):
            self.env["service.work.item.skip"].with_user(self.technician).create(
                {"work_item_ids": [(6, 0, item.ids)], "reason": "I say so"})
        with self.assertRaisesRegex(UserError, "Order .* cannot be closed as completed"):
            order.with_user(self.dispatcher)._do_close("completed")

        action = order.with_user(self.dispatcher).action_open_skip_waiting_consents()
        wizard = self.env["service.work.item.skip"].with_user(self.dispatcher).with_context(
            **action["context"]).create({"reason": ""})
        with self.assertRaisesRegex(UserError, "reason is required"):
            wizard.action_confirm()
        wizard.reason = "Approved by phone by the manager at 10:40"
        wizard.action_confirm()
        self.assertEqual(item.state, "approved")
        self.assertEqual(item.customer_decision, "skipped")
        self.assertEqual(item.consent_skip_reason, "Approved by phone by the manager at 10:40")
        self.assertEqual(item.consent_skipped_by_id, self.dispatcher)
        self.assertFalse(self._activities(item, CONSENT))
        self.assertFalse(order.waiting_for)
        self.assertIn("Approved by phone by the manager at 10:40", self._chatter(item))
        self.assertIn("Approved by phone by the manager at 10:40", self._chatter(order))
        item.action_start_repair()
        self.assertEqual(item.state, "in_repair")

    def test_customer_without_email_gets_no_mail_but_a_note(self):
        self.set_options(consent=True)
        self.customer.email = False
        order = self._on_site_order()
        self._create_item(order).action_submit()
        self.assertFalse(self._consent_mails(order))
        self.assertIn("has no email address", self._chatter(order))

    def test_all_options_on_dispatcher_then_customer(self):
        self.set_options(dispatcher=True, consent=True, repair=True)
        order = self._on_site_order()
        first, second = self._create_item(order), self._create_item(order, complaint="Noisy fan")
        (first | second).action_submit()
        self.assertFalse(self._consent_mails(order), "the customer is asked after the dispatcher")
        first.with_user(self.dispatcher).action_approve()
        self.assertEqual(first.state, "waiting_customer")
        self.assertEqual(order.waiting_for, "dispatcher_customer")
        self.assertEqual(len(self._consent_mails(order)), 1)
        self.assertEqual(self.env["service.consent.request"].sudo().search(
            [("order_id", "=", order.id)]).work_item_ids, first)

    # security -----------------------------------------------------------------
    def test_record_rules_per_role(self):
        order = self._on_site_order()
        item = self._create_item(order)
        other = self._on_site_order(workers=self.technician_2)
        other_item = self._create_item(other, user=self.technician_2)
        Item = self.env["service.work.item"]
        Part = self.env["service.work.item.part"]
        both = item | other_item
        self.assertEqual(Item.with_user(self.technician).search([("id", "in", both.ids)]), item)
        self.assertEqual(Item.with_user(self.technician_2).search([("id", "in", both.ids)]), other_item)
        self.assertEqual(Item.with_user(self.dispatcher).search([("id", "in", both.ids)]), both)
        self.assertFalse(Item.with_user(self.dispatcher_b).search([("id", "in", both.ids)]))
        self.assertEqual(Part.with_user(self.technician).search([("work_item_id", "in", both.ids)]),
                         item.part_ids)
        with self.assertRaises(AccessError):
            other_item.with_user(self.technician).read(["complaint"])
        with self.assertRaises(AccessError):
            Item.with_user(self.employee).search([])

    def test_report_shows_work_items_and_parts(self):
        order = self._on_site_order()
        self._create_item(order)
        self._create_item(order, complaint="Cancelled one").action_cancel()
        html, _type = self.env["ir.actions.report"].with_user(self.technician)._render_qweb_html(
            "service_order.report_service_order", order.ids)
        html = html.decode()
        self.assertIn("Work items", html)
        self.assertIn("Cold room does not cool", html)
        self.assertIn("Expansion vessel (test)", html)
        self.assertIn("2.5", html)
        self.assertNotIn("Cancelled one", html)
