"""Dispatch at the speed of a phone call (issue 24): booking on the form, approval by the order
type's policy, the Service Manager's tier, planned means booked, re-planning by drops and by
reassigning a day, and not carried out on site. Each step as the least-privileged role who does
it, with what is refused."""
import ast
import base64
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import next_slot
from .work_item_common import PNG, WorkItemCase


@tagged("post_install", "-at_install")
class TestDispatchSpeed(WorkItemCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="so_manager", name="So Manager", email="so_manager@example.com",
                                    groups="base.group_user,service_order.group_service_order_manager",
                                    notification_type="inbox")
        cls.technician_3 = new_test_user(cls.env, login="so_tech_three", name="So Tech Three",
                                         groups="base.group_user,service_order.group_service_order_technician")
        cls.labour = cls.env["product.product"].create({
            "name": "Labour (test)", "type": "service", "list_price": 100.0, "invoice_policy": "delivery"})
        cls.boilers = cls.env["service.skill"].with_user(cls.supervisor).create({
            "name": "Boilers (test)", "user_ids": [Command.set((cls.technician | cls.technician_3).ids)]})
        Type = cls.env["service.order.type"].with_user(cls.supervisor)
        cls.type_auto = Type.create({"name": "Emergency (test)", "approval_policy": "auto", "default_duration": 2,
                                     "labour_product_id": cls.labour.id, "skill_id": cls.boilers.id})
        cls.type_amount = Type.create({"name": "Small job (test)", "approval_policy": "amount",
                                       "approval_amount": 500, "labour_product_id": cls.labour.id})
        cls.type_priority = Type.create({"name": "Repair by priority (test)", "approval_policy": "supervisor",
                                         "auto_approve_priority": "3"})
        # today at noon (UTC): a day in any time zone of the tests
        cls.noon = fields.Datetime.now().replace(hour=12, minute=0, second=0, microsecond=0)
        (cls.technician | cls.technician_2 | cls.technician_3 | cls.dispatcher).write({"tz": "UTC"})

    def _booked(self, start=None, hours=2, workers=None, **vals):
        workers = workers or self.technician
        start = start or next_slot()["scheduled_start"]
        return {"field_worker_ids": [Command.set(workers.ids)], "lead_technician_id": workers[0].id,
                "scheduled_start": start, "scheduled_end": start + timedelta(hours=hours), **vals}

    def _snapshot(self, order):
        self.env.invalidate_all()
        order = order.sudo()
        return (order.state, order.scheduled_start, order.scheduled_end, order.lead_technician_id,
                order.field_worker_ids, len(order.confirmation_ids), len(order.document_ids))

    # ------------------------------------------------------------------ booking on the form
    def test_book_on_creation_with_the_days_of_the_chosen_technicians(self):
        busy = self._planned_order(**self._booked(self.noon, hours=2))
        form = Form(self.env["service.order"].with_user(self.dispatcher))
        form.partner_id = self.customer
        self.assertEqual(form.location_id, self.customer, "the customer's address is proposed")
        form.order_type_id = self.type_auto
        form.description = "<p>No hot water.</p>"
        form.scheduled_start = self.noon + timedelta(hours=1)
        self.assertEqual(form.scheduled_end, self.noon + timedelta(hours=3), "the end from the type's duration")
        self.assertEqual(form.approval_needed, "none", "the dispatcher sees it will be approved on submit")
        # who is free with the type's skill (the technician is busy then; the second has no skill)
        self.assertEqual(form.suggested_technician_ids[:], self.technician_3)
        form.lead_technician_id = self.technician
        self.assertIn(self.technician, form.field_worker_ids[:], "the lead joins the field workers")
        # the technician's other order that day, in red: a double booking, live, before saving
        self.assertIn(busy.name, form.technician_day)
        self.assertIn("double booking", form.technician_day)
        self.assertIn(f"is also booked on {busy.name}", form.schedule_warning)
        form.lead_technician_id = self.technician_3
        form.field_worker_ids.remove(self.technician.id)
        self.assertFalse(form.schedule_warning, "the free technician is not double-booked")
        self.assertIn("no other order that day", form.technician_day)
        form.vehicle_id = self.vehicle
        order = form.save()
        self.assertEqual((order.state, order.lead_technician_id, order.field_worker_ids, order.vehicle_id),
                         ("draft", self.technician_3, self.technician_3, self.vehicle))
        self.assertFalse(order.message_ids.filtered(lambda m: self.technician_3.partner_id in m.partner_ids),
                         "a draft tells nobody yet: the technician hears of it when it is planned")

    def test_a_technician_reads_neither_the_days_nor_the_suggestions(self):
        order = self._planned_order()
        with self.assertRaises(AccessError):
            order.with_user(self.technician).read(["technician_day"])
        with self.assertRaises(AccessError):
            order.with_user(self.technician).read(["suggested_technician_ids"])
        with self.assertRaises(AccessError):
            order.with_user(self.technician).read(["estimated_amount"])

    # ------------------------------------------------------------------ approval by policy
    def test_approved_on_submit_is_planned_at_once_and_in_the_technicians_day(self):
        order = self._create_order(order_type_id=self.type_auto.id, **self._booked(self.noon))
        self.assertIs(order.with_user(self.dispatcher).action_open_submit(), True, "no wizard: submitted in one click")
        self.assertEqual(order.state, "planned")
        self.assertEqual(order.approval_level, "none")
        self.assertFalse(order.approved_by_id)
        self.assertEqual(order.approved_by_policy, "Policy of Emergency (test): approved on submit")
        self.assertTrue(order.approved_date)
        document = order.current_document_id
        self.assertEqual((document.version, document.reason, document.state), (1, "approval", "issued"))
        self.assertIn("Policy of Emergency (test)", self._pdf_text(document), "the policy prints as the approver")
        self.assertFalse(self._approval_activities(order), "nobody is asked to approve")
        self.assertTrue(order.channel_id, "the workspace, as on any approval")
        # the technician is told, and finds it in My Day
        planned = order.message_ids.filtered(lambda m: "Planned:" in str(m.body))
        self.assertIn(self.technician.partner_id, planned.partner_ids)
        my_day = self.env.ref("service_order.service_order_action_my_day")
        mine = self.env["service.order"].with_user(self.technician).search(
            [*ast.literal_eval(my_day.domain), ("is_open", "=", True)])
        self.assertIn(order, mine)
        # submitted and approved in one request: the chatter tracks the request's change
        self.assertEqual(self._state_trackings(order), [("Draft", "Planned")])
        self.assertIn("Approved on submit: Policy of Emergency (test)", self._chatter(order))

    def _approval_activities(self, order):
        return self._activities(order, "service_order.mail_act_service_order_approval")

    def test_supervisor_policy_waits_for_a_supervisor(self):
        order = self._create_order(**self._booked())
        wizard_action = order.with_user(self.dispatcher).action_open_submit()
        self.assertEqual(wizard_action["res_model"], "service.order.submit", "the approver is asked for")
        self._submit(order)
        self.assertEqual((order.state, order.approval_level), ("submitted", "supervisor"))
        self.assertEqual(self._approval_activities(order).user_id, self.supervisor)
        with self.assertRaises(AccessError):
            order.with_user(self.dispatcher)._do_approve()
        with self.assertRaisesRegex(UserError, "not approved on submit"):
            order.with_user(self.dispatcher)._do_approve_on_submit()
        self.assertEqual(order.state, "submitted")
        self._approve(order)
        self.assertEqual((order.state, order.approved_by_id), ("planned", self.supervisor))

    def test_supervisor_above_an_estimated_amount(self):
        small = self._create_order(order_type_id=self.type_amount.id, **self._booked(hours=3))
        large = self._create_order(order_type_id=self.type_amount.id, **self._booked(hours=8))
        self.assertEqual((small.estimated_amount, large.estimated_amount), (300.0, 800.0),
                         "the type's labour for the time window")
        self._submit(small | large)
        self.assertEqual(small.state, "planned", "up to 500: approved on submit")
        self.assertIn("approved on submit up to", small.approved_by_policy)
        self.assertEqual((large.state, large.approval_level), ("submitted", "supervisor"))
        self._approve(large)
        self.assertEqual(large.state, "planned")

    def test_an_emergency_is_approved_on_submit_whatever_the_policy(self):
        normal = self._create_order(order_type_id=self.type_priority.id, **self._booked())
        emergency = self._create_order(order_type_id=self.type_priority.id, priority="3", **self._booked())
        self._submit(normal | emergency)
        self.assertEqual((normal.state, emergency.state), ("submitted", "planned"))
        self.assertIn("from priority Emergency", emergency.approved_by_policy)

    def test_the_policy_fields_are_the_workflows(self):
        order = self._create_order()
        for vals in ({"approval_level": "none"}, {"approved_by_policy": "me"}, {"estimated_amount": 1}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                order.with_user(self.dispatcher).write(vals)
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.env["service.order"].with_user(self.dispatcher).create(self._order_vals(**vals))

    # ------------------------------------------------------------------ the Service Manager
    def test_an_order_above_the_company_amount_waits_for_a_service_manager(self):
        self.company.service_manager_amount = 1000
        order = self._create_order(order_type_id=self.type_auto.id, **self._booked(hours=12))
        self.assertEqual(order.approval_needed, "manager", "1,200 above 1,000: even an approved-on-submit type")
        with self.assertRaisesRegex(UserError, "a Service Manager as approver"):
            order.with_user(self.dispatcher)._do_submit()
        # the Submit wizard proposes the company's Service Manager, and only managers
        self.company.service_default_manager_id = self.manager
        wizard = Form(self.env["service.order.submit"].with_user(self.dispatcher).with_context(
            default_order_id=order.id))
        self.assertEqual((wizard.approval_needed, wizard.supervisor_id), ("manager", self.manager))
        self.assertEqual(wizard.approver_group_id, self.env.ref("service_order.group_service_order_manager"))
        wizard.save().action_submit()
        self.assertEqual((order.state, order.approval_level), ("submitted", "manager"))
        with self.assertRaisesRegex(AccessError, "only a Service Manager"):
            order.with_user(self.supervisor)._do_approve()
        with self.assertRaisesRegex(AccessError, "only a Service Manager"):
            order.with_user(self.supervisor)._do_reject("Too dear")
        self.assertEqual(order.state, "submitted")
        self._approve(order, self.manager)
        self.assertEqual((order.state, order.approved_by_id), ("planned", self.manager))

    def test_a_work_item_above_the_company_amount_waits_for_a_service_manager(self):
        self.company.write({"service_manager_amount": 300, "service_default_manager_id": self.manager.id})
        order = self._on_site_order(order_type_id=self.type_amount.id)
        small = self._create_item(order, estimated_hours=1, part_ids=[])
        large = self._create_item(order, estimated_hours=5, part_ids=[])
        (small | large).with_user(self.technician).action_submit()
        self.assertEqual(small.state, "approved", "no approval asked below the amount (workflow A)")
        self.assertEqual((large.state, large.manager_approval), ("waiting_dispatcher", True))
        activity = self._activities(large, "service_order.mail_act_work_item_approval")
        self.assertEqual(activity.user_id, self.manager, "the company's Service Manager is asked")
        with self.assertRaisesRegex(AccessError, "only a Service Manager approves it"):
            large.with_user(self.dispatcher).action_approve()
        with self.assertRaisesRegex(AccessError, "only a Service Manager approves it"):
            large.with_user(self.supervisor).action_approve()
        # lowering the hours once it waits does not make a dispatcher's approval enough
        large.with_user(self.dispatcher).write({"estimated_hours": 1})
        with self.assertRaises(AccessError):
            large.with_user(self.dispatcher).action_approve()
        self.assertEqual(large.state, "waiting_dispatcher")
        large.with_user(self.manager).action_approve()
        self.assertEqual((large.state, large.approved_by_id), ("approved", self.manager))

    def test_with_dispatcher_approval_on_a_small_item_a_dispatcher_is_enough(self):
        self.set_options(dispatcher=True)
        self.company.service_manager_amount = 300
        order = self._on_site_order(order_type_id=self.type_amount.id)
        item = self._create_item(order, estimated_hours=1, part_ids=[])
        item.action_submit()
        self.assertEqual((item.state, item.manager_approval), ("waiting_dispatcher", False))
        item.with_user(self.dispatcher).action_approve()
        self.assertEqual(item.state, "approved")

    # ------------------------------------------------------------------ planned means booked
    def test_an_approved_order_without_booking_waits_to_plan(self):
        # the technician works on it, nobody leads it, no start: not booked
        order = self._approve(self._submit(self._create_order(field_worker_ids=[Command.set(self.technician.ids)])))
        self.assertEqual(order.state, "to_plan")
        self.assertEqual(order.current_version, 1, "approved: version 1 is issued")
        self.assertIn("waits to be planned", self._chatter(order))
        board = self.env["service.order"].with_user(self.dispatcher).read_group(
            [("id", "=", order.id)], ["state"], ["state"])
        self.assertEqual([group["state"] for group in board if group["state_count"]], ["to_plan"],
                         "a column of its own on the board")
        self.assertEqual(self.env["service.order"].with_user(self.dispatcher).search(
            [("state", "=", "to_plan"), ("id", "=", order.id)]), order, "the To Plan filter")
        with self.assertRaisesRegex(ValidationError, "cannot be Planned without a lead technician and a start"), \
                self.env.cr.savepoint():
            order.sudo()._set_state("planned")
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "Planned means booked"):
            order.with_user(self.dispatcher).write({"state": "planned"})
        self.assertEqual(order.state, "to_plan")
        self.assertNotIn("plan", order.with_user(self.technician).next_actions or [])
        self.assertIn("plan", order.with_user(self.dispatcher).next_actions)
        with self.assertRaises(AccessError):
            order.with_user(self.technician).action_open_plan()
        # Plan: the lead technician and the window, a confirmation and version 2
        action = order.with_user(self.dispatcher).action_open_plan()
        wizard = Form(self.env[action["res_model"]].with_user(self.dispatcher).with_context(**action["context"]))
        wizard.lead_technician_id = self.technician
        wizard.scheduled_start = self.noon
        wizard.scheduled_end = self.noon + timedelta(hours=2)
        self.assertIn("lead technician — to So Tech", wizard.reason)
        wizard.save().action_confirm()
        self.assertEqual((order.state, order.lead_technician_id, order.current_version), ("planned", self.technician, 2))
        self.assertEqual(len(order.confirmation_ids), 1)
        # removing the lead before the work starts puts it back to plan
        order.with_user(self.dispatcher)._do_confirm("Tom is ill", remove_workers=self.technician)
        self.assertEqual((order.state, order.lead_technician_id, order.current_version), ("to_plan", self.env["res.users"], 3))

    def test_a_new_start_alone_keeps_the_length_of_the_visit(self):
        order = self._planned_order(**self._booked(self.noon, hours=3))
        order.with_user(self.technician).action_depart()
        order.with_user(self.technician).action_arrive()
        later = self.noon + timedelta(days=1)
        order.with_user(self.technician)._do_confirm("Back tomorrow with the part", scheduled_start=later)
        self.assertEqual((order.scheduled_start, order.scheduled_end), (later, later + timedelta(hours=3)))

    # ------------------------------------------------------------------ drops on the planning
    def test_a_drop_on_another_technician_opens_one_confirmation(self):
        order = self._planned_order(**self._booked(self.noon))
        busy = self._planned_order(**self._booked(self.noon + timedelta(hours=4), workers=self.technician_2))
        start = self.noon + timedelta(hours=3)
        drop = {"scheduled_start": fields.Datetime.to_string(start),
                "scheduled_end": fields.Datetime.to_string(start + timedelta(hours=2)),
                "lead_technician_id": self.technician_2.id}
        action = order.with_user(self.dispatcher).action_replan_from_drop(drop)
        self.assertEqual(action["res_model"], "service.order.replan")
        wizard = Form(self.env["service.order.replan"].with_user(self.dispatcher).with_context(**action["context"]))
        self.assertEqual((wizard.lead_technician_id, wizard.scheduled_start), (self.technician_2, start))
        self.assertIn("lead technician So Tech to So Tech Two", wizard.reason, "the reason is prefilled")
        self.assertIn(f"already booked on {busy.name}", wizard.schedule_warning, "the double booking shows on drop")
        wizard.reason = "Tom's van broke down; Lucy takes it"
        before = self._snapshot(order)
        wizard = wizard.save()
        self.assertEqual(self._snapshot(order), before, "nothing changes until it is confirmed (cancel: nothing)")
        wizard.action_confirm()
        self.assertEqual((order.lead_technician_id, order.field_worker_ids), (self.technician_2, self.technician_2))
        self.assertEqual((order.scheduled_start, order.state), (start, "planned"))
        self.assertEqual(len(order.confirmation_ids), 1, "one confirmation")
        self.assertEqual(order.document_ids.sorted("version").mapped("version"), [1, 2], "exactly one new version")
        self.assertEqual(order.current_document_id.state, "pending", "made by the job runner")
        self.assertEqual(order.confirmation_ids.reason, "Tom's van broke down; Lucy takes it")
        told = order.message_ids.filtered(lambda m: "Re-planned by So Dispatcher" in str(m.body))
        self.assertEqual(told.partner_ids, (self.technician | self.technician_2).partner_id,
                         "who leaves and who comes are told")
        self.assertTrue(order.sudo().double_booked)
        # the days changed: the order left Tom's and is in Lucy's
        self.assertFalse(self.env["service.order"].with_user(self.technician).search([("id", "=", order.id)]))
        self.assertEqual(self.env["service.order"].with_user(self.technician_2).search(
            [("assigned_to_me", "=", True), ("id", "=", order.id)]), order)

    def test_drops_are_refused_to_technicians_on_closed_orders_and_for_bad_input(self):
        order = self._planned_order(**self._booked(self.noon))
        start = fields.Datetime.to_string(self.noon + timedelta(hours=1))
        before = self._snapshot(order)
        with self.assertRaises(AccessError):
            order.with_user(self.technician).action_replan_from_drop({"scheduled_start": start})
        with self.assertRaises(AccessError):
            self.env["service.order.replan"].with_user(self.technician).create({
                "order_id": order.id, "lead_technician_id": self.technician.id, "scheduled_start": self.noon,
                "scheduled_end": self.noon + timedelta(hours=1), "reason": "mine"})
        with self.assertRaises(AccessError):
            order.with_user(self.technician)._do_replan("mine", start=self.noon + timedelta(hours=1))
        Dispatcher = order.with_user(self.dispatcher)
        for values, error in (
                ({"scheduled_start": start, "name": "forged"}, UserError),
                ({"scheduled_start": start, "state": "completed"}, UserError),
                ({"scheduled_start": "9999-12-31 08:00:00"}, ValidationError),
                ({"scheduled_start": start, "scheduled_end": start}, ValidationError),
                ({"lead_technician_id": self.employee.id}, UserError),
                ({"lead_technician_id": False}, UserError),
                ({"lead_technician_id": "1"}, UserError)):
            with self.subTest(values=values), self.assertRaises(error):
                Dispatcher.action_replan_from_drop(values)
        self.assertEqual(self._snapshot(order), before, "bad input changes nothing")
        # a plain write, as the views would do it, is refused after approval
        with self.assertRaisesRegex(UserError, "Create a Confirmation"):
            Dispatcher.write({"scheduled_start": self.noon + timedelta(hours=1)})
        # closed, or not approved yet
        order.with_user(self.dispatcher)._do_close("completed")
        submitted = self._submit(self._create_order(**self._booked()))
        for other, message in ((order, "a closed order is not re-planned"), (submitted, "once approved")):
            with self.subTest(state=other.state), self.assertRaisesRegex(UserError, message):
                other.with_user(self.dispatcher).action_replan_from_drop({"scheduled_start": start})
            with self.subTest(state=other.state), self.assertRaisesRegex(UserError, message):
                other.with_user(self.dispatcher)._do_replan("late", start=self.noon + timedelta(hours=1))
        self.assertEqual(len(order.confirmation_ids), 0)

    def test_a_drop_on_a_draft_moves_it_at_once(self):
        busy = self._planned_order(**self._booked(self.noon, workers=self.technician_2))
        draft = self._create_order(**self._booked(self.noon + timedelta(days=1)))
        result = draft.with_user(self.dispatcher).action_replan_from_drop({
            "scheduled_start": fields.Datetime.to_string(self.noon + timedelta(hours=1)),
            "scheduled_end": fields.Datetime.to_string(self.noon + timedelta(hours=2)),
            "lead_technician_id": self.technician_2.id})
        self.assertEqual((draft.lead_technician_id, draft.field_worker_ids), (self.technician_2, self.technician_2))
        self.assertEqual(draft.scheduled_start, self.noon + timedelta(hours=1))
        self.assertFalse(draft.confirmation_ids or draft.document_ids, "a draft is not issued: no version")
        self.assertEqual(result["params"]["title"], "Double booking")
        self.assertIn(busy.name, result["params"]["message"])

    # ------------------------------------------------------------------ reassign the day
    def test_reassign_the_day_gives_each_order_its_confirmation(self):
        first = self._planned_order(**self._booked(self.noon - timedelta(hours=3)))
        second = self._planned_order(**self._booked(self.noon + timedelta(hours=2), workers=self.technician_3
                                                    | self.technician))
        started = self._planned_order(**self._booked(self.noon + timedelta(hours=5)))
        started.with_user(self.technician).action_depart()
        tomorrow = self._planned_order(**self._booked(self.noon + timedelta(days=1)))
        Wizard = self.env["service.order.reassign"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.technician).create({"from_user_id": self.technician.id,
                                                      "to_user_id": self.technician_2.id})
        wizard = Form(Wizard.with_user(self.dispatcher))
        wizard.from_user_id = self.technician
        wizard.date = self.noon.date()
        wizard.to_user_id = self.technician_2
        self.assertEqual(wizard.order_ids[:], first | second, "the day's orders not started")
        self.assertIn("taken over by So Tech Two", wizard.reason)
        wizard.save().action_confirm()
        self.assertEqual((first.lead_technician_id, first.field_worker_ids), (self.technician_2, self.technician_2))
        self.assertEqual(second.lead_technician_id, self.technician_3, "a helper is replaced, the lead stays")
        self.assertEqual(second.field_worker_ids, self.technician_3 | self.technician_2)
        for order in first | second:
            self.assertEqual((len(order.confirmation_ids), order.current_version), (1, 2), order.name)
        self.assertEqual((started.current_version, tomorrow.current_version), (1, 1), "untouched")
        with self.assertRaisesRegex(UserError, "no order to reassign"):
            self.env["service.order"].with_user(self.dispatcher)._do_reassign_day(
                self.technician, self.technician_2, self.noon.date(), "again")
        with self.assertRaisesRegex(UserError, "another technician"):
            self.env["service.order"].with_user(self.dispatcher)._do_reassign_day(
                self.technician_2, self.technician_2, self.noon.date(), "same")

    def test_the_planning_has_a_row_per_technician(self):
        rows = self.env["service.order"].with_user(self.dispatcher).get_planning_technicians()
        ids = {row["id"] for row in rows}
        self.assertLessEqual(set((self.technician | self.technician_2 | self.technician_3).ids), ids,
                             "every technician has a row, booked or not")
        self.assertNotIn(self.dispatcher.id, ids, "office staff without a skill are no row")
        self.assertEqual(self.env["service.order"].with_user(self.technician).get_planning_technicians(), [])

    # ------------------------------------------------------------------ not carried out on site
    def test_not_carried_out_on_site_with_the_types_form(self):
        self.env["service.step.question"].create({
            "order_type_id": self.type_amount.id, "step": "not_done", "name": "Photo of what stops the work",
            "answer_type": "photo"})
        order = self._on_site_order(order_type_id=self.type_amount.id)
        self.assertIn("not_done", order.with_user(self.technician).next_actions)
        self.assertNotIn("not_done", order.with_user(self.dispatcher).next_actions,
                         "the technician's button: the office has Close")
        with self.assertRaises(AccessError):
            order.with_user(self.technician_2).action_open_not_done()
        action = order.with_user(self.technician).action_open_not_done()
        form = Form(self.env[action["res_model"]].with_user(self.technician).with_context(**action["context"]))
        form.reason = "The boiler room is locked; the caretaker is away"
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "Answer before going on: Photo of what stops the work"):
            wizard.action_confirm()
        self.assertEqual(order.state, "in_progress")
        wizard.line_ids.value_binary = base64.b64encode(PNG)
        wizard.action_confirm()
        self.assertEqual((order.state, order.close_reason, order.closed_by_id),
                         ("not_done", "The boiler room is locked; the caretaker is away", self.technician))
        self.assertEqual(order.step_answer_ids.mapped("step"), ["not_done"])
        self.assertTrue(order.step_answer_ids.value_binary)
        report = order.current_document_id
        self.assertEqual((report.reason, report.state), ("completion", "pending"))
        self._run_jobs()
        self.assertEqual(report.state, "issued")
        self.assertIn("Photo of what stops the work", self._pdf_text(report))

    def test_the_office_closing_not_carried_out_gets_the_same_form(self):
        self.env["service.step.question"].create({
            "order_type_id": self.type_amount.id, "step": "not_done", "name": "Photo of the locked door",
            "answer_type": "photo"})
        order = self._on_site_order(order_type_id=self.type_amount.id)
        close = self.env["service.order.close"].with_user(self.dispatcher).create({
            "order_id": order.id, "outcome": "not_done", "reason": "No access"})
        action = close.action_confirm()
        self.assertEqual((action["res_model"], action["context"]["default_step"], action["context"]["default_reason"]),
                         ("service.step.form", "not_done", "No access"))
        self.assertEqual(order.state, "in_progress")
