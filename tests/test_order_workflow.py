from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ServiceOrderCase


@tagged("post_install", "-at_install")
class TestOrderWorkflow(ServiceOrderCase):

    def _approval_activities(self, order):
        return order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("service_order.mail_act_service_order_approval"))

    def _submit_wizard(self, order, user):
        wizard = Form(self.env["service.order.submit"].with_user(user).with_context(default_order_id=order.id))
        return wizard.save()

    def _review(self, order, user, decision, reason=False):
        wizard = self.env["service.order.review"].with_user(user).create(
            {"order_id": order.id, "decision": decision, "reason": reason})
        return wizard.action_confirm()

    # create -----------------------------------------------------------------
    def test_create_numbers_and_defaults(self):
        first = self._create_order()
        second = self._create_order()
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.technician_status, "planned")
        self.assertRegex(first.name, r"^SRV/\d{4}/\d{5}$")
        self.assertNotEqual(first.name, second.name)
        self.assertEqual(first.requested_by_id, self.dispatcher)
        self.assertEqual(first.dispatcher_id, self.dispatcher)
        self.assertEqual(first.location_latitude, 50.8468)
        self.assertIn("Rue Royale 15", first.location_address)

    def test_create_in_other_state_is_refused(self):
        with self.assertRaisesRegex(UserError, "created as a draft"):
            self._create_order(state="planned")

    def test_end_before_start_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "scheduled end .* is before the scheduled start"):
            self._create_order(scheduled_start=datetime(2026, 5, 4, 10), scheduled_end=datetime(2026, 5, 4, 9))

    def test_partner_onchange_proposes_location(self):
        with Form(self.env["service.order"].with_user(self.dispatcher)) as form:
            form.partner_id = self.customer
            self.assertEqual(form.location_id, self.customer)
            form.order_type_id = self.order_type
            form.scheduled_start = datetime(2026, 5, 4, 8)
            self.assertEqual(form.scheduled_end, datetime(2026, 5, 4, 11))

    # submit -----------------------------------------------------------------
    def test_submit_wizard(self):
        order = self._create_order(supervisor_id=False)
        wizard = self._submit_wizard(order, self.dispatcher)
        self.assertEqual(wizard.supervisor_id, self.supervisor, "company default supervisor proposed")
        self.assertFalse(wizard.missing_data)
        wizard.action_submit()
        self._flush_tracking()
        self.assertEqual(order.state, "submitted")
        self.assertEqual(order.supervisor_id, self.supervisor)
        self.assertTrue(order.submitted_date)
        activity = self._approval_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.supervisor)
        self.assertIn(order.name, activity.note)
        self.assertIn("Submitted for approval to So Supervisor", self._chatter(order))
        self.assertEqual(self._state_trackings(order), [("Draft", "Submitted")])

    def test_submit_missing_data_is_refused(self):
        order = self._create_order(location_id=False, order_type_id=False, description="<p><br></p>")
        wizard = self._submit_wizard(order, self.dispatcher)
        self.assertIn("intervention location", wizard.missing_data)
        with self.assertRaises(UserError) as caught:
            wizard.action_submit()
        message = str(caught.exception)
        for label in ("intervention location", "type", "description"):
            self.assertIn(label, message)
        self.assertNotIn("customer", message)
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._approval_activities(order))

    def test_submit_twice_is_refused(self):
        order = self._submit(self._create_order())
        with self.assertRaisesRegex(UserError, "is not a draft"):
            self._submit_wizard(order, self.dispatcher).action_submit()
        self.assertEqual(len(self._approval_activities(order)), 1)

    def test_technician_cannot_submit(self):
        order = self._create_order(field_worker_ids=[(6, 0, self.technician.ids)])
        with self.assertRaises(AccessError):
            order.with_user(self.technician)._check_can_submit()
        with self.assertRaises(AccessError):
            self.env["service.order.submit"].with_user(self.technician).create({
                "order_id": order.id, "supervisor_id": self.supervisor.id})
        self.assertEqual(order.state, "draft")

    # review -----------------------------------------------------------------
    def test_supervisor_approves(self):
        order = self._submit(self._create_order(**self._booking()))
        self._review(order, self.supervisor, "approve")
        self.assertEqual(order.state, "planned")
        self.assertEqual(order.approved_by_id, self.supervisor)
        self.assertFalse(self._approval_activities(order), "the approval activity is done")
        done = self.env["mail.message"].search([
            ("model", "=", "service.order"), ("res_id", "=", order.id),
            ("mail_activity_type_id", "=", self.env.ref("service_order.mail_act_service_order_approval").id)])
        self.assertEqual(len(done), 1, "the done activity is logged in the chatter")
        self.assertIn("Approved by So Supervisor", self._chatter(order))
        self.assertEqual(self._state_trackings(order), [("Draft", "Submitted"), ("Submitted", "Planned")])

    def test_dispatcher_cannot_approve(self):
        order = self._submit(self._create_order())
        with self.assertRaises(AccessError):
            self.env["service.order.review"].with_user(self.dispatcher).create(
                {"order_id": order.id, "decision": "approve"})
        with self.assertRaisesRegex(AccessError, "Only supervisors"):
            order.with_user(self.dispatcher).action_open_review()
        self.assertEqual(order.state, "submitted")
        self.assertEqual(len(self._approval_activities(order)), 1)

    def test_approve_draft_is_refused(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "Only submitted orders can be reviewed"):
            self._review(order, self.supervisor, "approve")
        self.assertEqual(order.state, "draft")

    def test_reject_needs_reason(self):
        order = self._submit(self._create_order())
        for reason in (False, "   "):
            with self.assertRaisesRegex(UserError, "reason is required"):
                self._review(order, self.supervisor, "reject", reason)
        self.assertEqual(order.state, "submitted")
        self.assertEqual(len(self._approval_activities(order)), 1)

    def test_supervisor_rejects(self):
        order = self._submit(self._create_order())
        self._review(order, self.supervisor, "reject", "Customer has no maintenance contract")
        self.assertEqual(order.state, "rejected")
        self.assertTrue(order.is_closed)
        self.assertEqual(order.reject_reason, "Customer has no maintenance contract")
        self.assertFalse(self._approval_activities(order))
        self.assertIn("Customer has no maintenance contract", self._chatter(order))
        self.assertEqual(self._state_trackings(order)[-1], ("Submitted", "Rejected"))
        with self.assertRaisesRegex(UserError, "cannot go from Rejected to Planned"):
            order._set_state("planned")

    # kanban drag & drop (plain write of the state) ---------------------------
    def test_drag_draft_to_submitted_submits(self):
        order = self._create_order()
        order.with_user(self.dispatcher).write({"state": "submitted"})
        self.assertEqual(order.state, "submitted")
        self.assertEqual(len(self._approval_activities(order)), 1)

    def test_drag_incomplete_draft_is_refused(self):
        order = self._create_order(order_type_id=False)
        with self.assertRaisesRegex(UserError, "missing: type"):
            order.with_user(self.dispatcher).write({"state": "submitted"})
        self.assertEqual(order.state, "draft")

    def test_drag_submitted_to_planned_by_supervisor_approves(self):
        order = self._submit(self._create_order(**self._booking()))
        order.with_user(self.supervisor).write({"state": "planned"})
        self.assertEqual(order.state, "planned")
        self.assertEqual(order.approved_by_id, self.supervisor)

    def test_drag_submitted_to_planned_by_dispatcher_is_refused(self):
        order = self._submit(self._create_order())
        with self.assertRaisesRegex(AccessError, "Only supervisors"):
            order.with_user(self.dispatcher).write({"state": "planned"})
        self.assertEqual(order.state, "submitted")

    def test_drag_to_unreachable_columns_is_refused(self):
        order = self._submit(self._create_order())
        with self.assertRaisesRegex(UserError, "needs a reason"):
            order.with_user(self.supervisor).write({"state": "rejected"})
        with self.assertRaisesRegex(UserError, "cannot be moved from Submitted to Completed"):
            order.with_user(self.supervisor).write({"state": "completed"})
        draft = self._create_order()
        with self.assertRaisesRegex(UserError, "cannot be moved from Draft to Planned"):
            draft.with_user(self.supervisor).write({"state": "planned"})
        self.assertEqual(order.state, "submitted")
        self.assertEqual(draft.state, "draft")

    def test_write_with_state_and_other_fields_is_atomic_per_call(self):
        order = self._create_order()
        with self.assertRaises(UserError):
            with self.env.cr.savepoint():
                order.with_user(self.dispatcher).write({"priority": "3", "state": "completed"})
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.priority, "0", "nothing of the refused write is kept")

    # cancel / delete ---------------------------------------------------------
    def test_cancel(self):
        order = self._submit(self._create_order(field_worker_ids=[(6, 0, self.technician.ids)]))
        with self.assertRaises(AccessError):
            order.with_user(self.employee)._do_cancel("no")
        with self.assertRaisesRegex(AccessError, "before they are planned"):
            order.with_user(self.technician)._do_cancel("not my call")
        wizard = self.env["service.step.form"].with_user(self.dispatcher).create(
            {"order_id": order.id, "step": "cancel", "reason": "Customer moved the job to next month"})
        wizard.action_confirm()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.cancel_reason, "Customer moved the job to next month")
        self.assertFalse(self._approval_activities(order))
        with self.assertRaisesRegex(UserError, "already closed"):
            order.with_user(self.dispatcher)._do_cancel("again")

    def test_only_drafts_can_be_deleted(self):
        order = self._submit(self._create_order())
        with self.assertRaisesRegex(UserError, "Only draft service orders can be deleted"):
            order.with_user(self.dispatcher).unlink()
        draft = self._create_order()
        draft.with_user(self.dispatcher).unlink()
        self.assertFalse(draft.exists())
