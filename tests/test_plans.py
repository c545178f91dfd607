from datetime import datetime, time

import pytz
from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .equipment_common import EquipmentCase

PLAN_ACTIVITY = "service_order.mail_act_service_plan_order"


@tagged("post_install", "-at_install")
class TestPreventivePlans(EquipmentCase):
    """The plan's job makes each due order once and only once: run twice, across a change of
    the plan, after an order was deleted; ending or changing a plan touches no order made."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher.tz = "Europe/Brussels"
        cls.Plan = cls.env["service.plan"]  # the scheduled action runs as the system

    def _snapshot(self, orders):
        return [(o.id, o.state, o.plan_due_date, o.scheduled_start, o.description,
                 [(i.complaint, i.estimated_hours, i.state, [(p.product_id.id, p.quantity) for p in i.part_ids])
                  for i in o.work_item_ids]) for o in orders.sorted("plan_due_date")]

    def test_job_makes_each_due_order_once(self):
        plan = self._plan(start_date=self._days(5), lead_days=40)
        self.assertEqual(plan.next_due_date, self._days(5))
        self.Plan._cron_generate_orders()
        orders = plan.order_ids
        first_due, second_due = self._days(5), self._days(5) + relativedelta(months=1)
        self.assertEqual(sorted(orders.mapped("plan_due_date")), [first_due, second_due],
                         "the due dates within 40 days: this one and next month's")

        again = self.Plan._cron_generate_orders()
        self.assertFalse(again, "a second run makes nothing")
        self.assertEqual(self.env["service.order"].search_count([("plan_id", "=", plan.id)]), 2)
        self.assertEqual(plan.order_ids, orders)
        self.assertEqual(plan.last_due_date, second_due)
        self.assertEqual(plan.next_due_date, self._days(5) + relativedelta(months=2))

        first = orders.filtered(lambda o: o.plan_due_date == first_due)
        brussels = pytz.timezone("Europe/Brussels")
        visit = brussels.localize(datetime.combine(first_due, time(9, 0))).astimezone(pytz.utc).replace(tzinfo=None)
        self.assertRecordValues(first, [{
            "state": "draft", "partner_id": self.customer.id, "location_id": self.site.id,
            "equipment_id": self.boiler.id, "order_type_id": self.order_type.id, "plan_id": plan.id,
            "dispatcher_id": self.dispatcher.id, "scheduled_start": visit,
        }])
        # ready for dispatch: the template's tasks prepared, and the dispatcher's activity to plan it
        self.assertRecordValues(first.work_item_ids.sorted("estimated_hours"), [
            {"complaint": "Check the safety valve", "estimated_hours": 0.5, "state": "draft", "prepared": True,
             "equipment_id": self.boiler.id},
            {"complaint": "Service the burner", "estimated_hours": 1.5, "state": "draft", "prepared": True,
             "equipment_id": self.boiler.id},
        ])
        self.assertEqual(first.work_item_ids.part_ids.product_id, self.part_vessel)
        activity = first.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(PLAN_ACTIVITY))
        self.assertEqual(activity.user_id, self.dispatcher)

        # the dispatcher's button does what the job does: nothing more to make
        result = plan.with_user(self.dispatcher).action_generate_orders()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(len(plan.order_ids), 2)

    def test_change_of_plan_makes_no_duplicate_and_changes_no_order(self):
        plan = self._plan(start_date=self._days(5), lead_days=40)
        self.Plan._cron_generate_orders()
        made = plan.order_ids
        before = self._snapshot(made)
        last_due = plan.last_due_date

        # every week from now on, further ahead, another time, another template
        plan.with_user(self.dispatcher).write({"repeat_unit": "week", "lead_days": 70, "visit_hour": 14.0})
        plan.task_ids.filtered(lambda t: t.name == "Service the burner").with_user(self.dispatcher).write(
            {"name": "Service the burner (new)", "estimated_hours": 3.0})
        with self.assertRaisesRegex(UserError, "made orders already"):
            plan.with_user(self.dispatcher).write({"start_date": self._days(1)})
        self.Plan._cron_generate_orders()
        self.Plan._cron_generate_orders()

        self.assertEqual(self._snapshot(made), before, "the orders made before the change are as they were")
        new = plan.order_ids - made
        dues = plan.order_ids.mapped("plan_due_date")
        self.assertEqual(len(dues), len(set(dues)), "no due date twice")
        expected, due = [], last_due + relativedelta(weeks=1)
        while due <= self._days(70):
            expected.append(due)
            due += relativedelta(weeks=1)
        self.assertEqual(sorted(new.mapped("plan_due_date")), expected, "weekly from the last due date made")
        self.assertTrue(expected)
        self.assertEqual(sorted(set(new.work_item_ids.mapped("complaint"))),
                         ["Check the safety valve", "Service the burner (new)"], "the new template")

    def test_deleted_order_is_not_made_again(self):
        plan = self._plan(start_date=self._days(2), lead_days=10)
        self.Plan._cron_generate_orders()
        order = plan.order_ids
        self.assertEqual(len(order), 1)
        order.with_user(self.dispatcher).unlink()  # a draft: the dispatcher drops that visit
        self.Plan._cron_generate_orders()
        self.assertFalse(plan.order_ids, "the due date was made once: it is not made again")

    def test_database_refuses_a_second_order_for_a_due_date(self):
        plan = self._plan(start_date=self._days(2), lead_days=10)
        self.Plan._cron_generate_orders()
        due = plan.order_ids.plan_due_date
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            # as a second job running at the same moment would
            self.env["service.order"].sudo().create(plan._prepare_order_values(due))
            self.env.flush_all()
        self.assertEqual(len(plan.order_ids), 1)

    def test_ending_a_plan_touches_no_order(self):
        plan = self._plan(start_date=self._days(3), lead_days=10)
        self.Plan._cron_generate_orders()
        order = plan.order_ids
        self._submit(order)
        self._approve(order)
        before = self._snapshot(order)
        plan.with_user(self.dispatcher).write({"active": False})
        plan.with_user(self.dispatcher).write({"lead_days": 90})
        self.Plan._cron_generate_orders()
        self.assertEqual(plan.with_context(active_test=False).order_ids, order, "an archived plan makes nothing")
        self.assertEqual(self._snapshot(order), before)
        # approved without a technician (planned means booked): it waits To Plan, and goes on
        self.assertEqual(order.state, "to_plan", "the order it made goes on")

        until = self._plan(start_date=self._days(1), lead_days=60, repeat_unit="week", repeat_type="until",
                           repeat_until=self._days(15))
        self.Plan._cron_generate_orders()
        self.assertEqual(sorted(until.order_ids.mapped("plan_due_date")),
                         [self._days(1), self._days(8), self._days(15)])
        self.assertFalse(until.next_due_date, "ended: no next due date")

    def test_past_due_dates_are_skipped_and_said(self):
        plan = self._plan(start_date=self._days(-10), repeat_unit="week", lead_days=7)
        self.Plan._cron_generate_orders()
        self.assertEqual(plan.order_ids.mapped("plan_due_date"), [self._days(4)])
        self.assertIn("Due dates already past, no order made", self._chatter(plan))

    def test_who_may_plan_and_bad_input(self):
        plan = self._plan(start_date=self._days(2))
        with self.assertRaises(AccessError):
            self.env["service.plan"].with_user(self.technician).search([])
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).action_generate_orders()
        with self.assertRaisesRegex(AccessError, "written by the plan's job only"):
            plan.with_user(self.dispatcher).write({"last_due_date": self._days(30)})
        with self.assertRaisesRegex(ValidationError, "belongs to another customer"):
            plan.with_user(self.dispatcher).write({"equipment_ids": [Command.link(self.other_boiler.id)]})
        for vals in ({"lead_days": 400}, {"repeat_interval": 0}, {"repeat_type": "until", "repeat_until": False}):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                plan.with_user(self.dispatcher).write(vals)
        # beyond the integer column, and a first due date no schedule may take: clear refusals
        for vals, message in (({"repeat_interval": 2**31}, "whole number"), ({"lead_days": -(2**31) - 1}, "whole number"),
                              ({"start_date": "9999-01-01"}, "not a plausible date")):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message):
                plan.with_user(self.dispatcher).write(vals)
        with self.assertRaisesRegex(ValidationError, "whole number"):
            plan.task_ids[:1].with_user(self.dispatcher).write({"sequence": 2**31})
        self.assertEqual(plan.lead_days, 14)
        plan.with_user(self.dispatcher).action_generate_orders()
        self.assertEqual(len(plan.order_ids), 1, "the dispatcher's button makes the due order")
        with self.assertRaisesRegex(UserError, "archive it"):
            plan.with_user(self.dispatcher).unlink()

    def test_a_plan_that_cannot_make_its_order_does_not_stop_the_others(self):
        broken = self._plan(start_date=self._days(3))
        sound = self._plan(start_date=self._days(4), equipment_ids=[Command.set(self.heat_pump.ids)])
        # the boiler was sold to another customer since: its plan's order would be refused
        self.boiler.with_user(self.dispatcher).write({"partner_id": self.other_customer.id, "location_id": False})
        self.Plan._cron_generate_orders()
        self.assertFalse(broken.order_ids)
        self.assertFalse(broken.last_due_date, "its due date waits for the next run")
        self.assertIn("No order made", self._chatter(broken))
        self.assertEqual(sound.order_ids.plan_due_date, self._days(4))

    def test_the_activity_holds_the_plans_words_as_text(self):
        plan = self._plan(start_date=self._days(2), name='<img src=x onerror=alert(1)>Boiler')
        plan._generate_orders()
        activity = plan.order_ids.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(PLAN_ACTIVITY))
        self.assertEqual(len(activity), 1)
        self.assertNotIn("<img", str(activity.note))
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;Boiler", str(activity.note))
