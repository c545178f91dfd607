from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .dispatch_common import DispatchCase, utc

FALLOUT = "service_order.mail_act_fallout"
OVERDUE = "service_order.mail_act_fallout_overdue"


@tagged("post_install", "-at_install")
class TestFalloutDispatch(DispatchCase):
    """Fallouts age against the target of their type (in working hours), overdue ones are
    escalated once to the supervisor, and a dispatcher hands the task to the assignee, who
    resolves it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fallout_type.target_hours = 8
        cls.order = cls._on_site_order()
        cls.item = cls._create_item(cls.order)
        cls.item.action_submit()
        cls.item.action_start_repair()

    def _report(self, when=None, item=None):
        with freeze_time(when or utc(2026, 5, 8, 13)):  # Friday 15:00 in Brussels
            fallout = self.env["service.fallout"].with_user(self.technician).create({
                "order_id": self.order.id, "work_item_id": (self.item if item is None else item).id,
                "type_id": self.fallout_type.id, "description": "Only 1 m of pipe left in the van"})
        self._flush_tracking()
        return fallout.with_user(self.dispatcher)

    # ageing ------------------------------------------------------------------------
    def test_a_fallout_ages_against_its_target_in_working_hours(self):
        fallout = self._report()
        self.assertEqual(fallout.reported_date, utc(2026, 5, 8, 13))
        self.assertEqual(fallout.due_date, utc(2026, 5, 11, 13), "8 working hours: Monday 15:00")
        Fallout = self.env["service.fallout"].with_user(self.dispatcher)
        with freeze_time(utc(2026, 5, 11, 12)):
            fallout.invalidate_recordset(["age_days", "age_label", "is_overdue"])
            self.assertFalse(fallout.is_overdue)
            self.assertEqual(fallout.age_label, "2 d 23 h")
            self.assertNotIn(fallout, Fallout.search([("is_overdue", "=", True)]))
        with freeze_time(utc(2026, 5, 11, 14)):
            fallout.invalidate_recordset(["age_days", "age_label", "is_overdue"])
            self.assertTrue(fallout.is_overdue)
            self.assertIn(fallout, Fallout.search([("is_overdue", "=", True)]))
            fallout._do_resolve("Pipe delivered")
            fallout.invalidate_recordset(["is_overdue"])
            self.assertFalse(fallout.is_overdue, "a resolved fallout is not overdue")
        with freeze_time(utc(2026, 5, 20, 14)):
            fallout.invalidate_recordset(["age_days", "age_label", "is_overdue"])
            self.assertEqual(fallout.age_label, "3 d 1 h", "the age stops at the resolution")

    def test_overdue_fallout_is_escalated_once_to_the_supervisor(self):
        fallout = self._report()
        Fallout = self.env["service.fallout"]
        with freeze_time(utc(2026, 5, 11, 12)):
            Fallout._cron_escalate_overdue()
        self.assertFalse(self._activities(fallout, OVERDUE), "not overdue yet")
        with freeze_time(utc(2026, 5, 11, 14)):
            Fallout._cron_escalate_overdue()
            Fallout._cron_escalate_overdue()
        escalation = self._activities(fallout, OVERDUE)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.supervisor)
        self.assertEqual(fallout.escalated_date, utc(2026, 5, 11, 14))
        self.assertIn("is overdue", self._chatter(fallout))
        escalation.with_user(self.supervisor).action_feedback(feedback="Called the warehouse")
        with freeze_time(utc(2026, 5, 13, 14)):
            Fallout._cron_escalate_overdue()
        self.assertFalse(self._activities(fallout, OVERDUE), "escalated once")
        with self.assertRaises(AccessError):
            fallout.with_user(self.technician)._escalate_overdue()

    def test_ageing_report_counts_fallouts_by_type_and_age_bucket(self):
        old = self._report(when=utc(2020, 1, 6, 8))
        other_type = self.env.ref("service_order.fallout_type_access")
        item = self._create_item(self.order, complaint="Door seal")
        recent = self.env["service.fallout"].with_user(self.technician).create({
            "order_id": self.order.id, "work_item_id": item.id, "type_id": other_type.id,
            "description": "Cellar locked"})
        self.env.flush_all()
        Report = self.env["service.fallout.age.report"].with_user(self.dispatcher)
        groups = {(fallout_type.id, bucket): count for fallout_type, bucket, count in Report._read_group(
            [("fallout_id", "in", (old | recent).ids), ("is_open", "=", True)],
            ["type_id", "age_bucket"], ["__count"])}
        self.assertEqual(groups, {(self.fallout_type.id, "4_over_7d"): 1, (other_type.id, "1_under_1d"): 1})
        row = Report.search([("fallout_id", "=", old.id)])
        self.assertTrue(row.is_overdue)
        with self.assertRaises(AccessError):
            self.env["service.fallout.age.report"].with_user(self.technician).search([])

    def test_reported_date_and_escalation_are_never_written_by_hand(self):
        fallout = self._report()
        for user in (self.dispatcher, self.technician):
            for field in ("reported_date", "due_date", "escalated_date"):
                refusal = UserError if user == self.dispatcher else AccessError
                with self.subTest(user=user.login, field=field), self.assertRaises(refusal):
                    fallout.with_user(user).write({field: utc(2030, 1, 1)})
        with self.assertRaises(AccessError):
            self.env["service.fallout"].with_user(self.technician).create({
                "order_id": self.order.id, "type_id": self.fallout_type.id, "description": "Backdated",
                "reported_date": utc(2020, 1, 1)})
        self.assertEqual(fallout.reported_date, utc(2026, 5, 8, 13))

    # hand-over and resolution by the assignee ---------------------------------------
    def test_handing_the_task_over_adds_the_worker_through_a_confirmation(self):
        fallout = self._report()
        start, end = self.order.scheduled_start, self.order.scheduled_end
        versions = self.order.current_version
        form = Form(self.env["service.fallout.assign"].with_user(self.dispatcher).with_context(
            default_fallout_ids=fallout.ids))
        form.user_id = self.technician_2
        self.assertTrue(form.can_hand_over, "offered: the fallout holds a work item under way")
        self.assertFalse(form.hand_over, "a choice: it issues a new version")
        form.hand_over = True
        self.assertIn("joins the field workers", form.hand_over_note)
        form.save().action_confirm()
        self.assertEqual(fallout.user_id, self.technician_2)
        self.assertIn(self.technician_2, self.order.field_worker_ids)
        self.assertEqual(self.item.user_id, self.technician_2, "the task changed hands too")
        self.assertEqual(self.order.current_version, versions + 1, "the printed workers changed: a new version")
        self.assertIn("handed over to So Tech Two", self.order.confirmation_ids[-1:].reason)
        self.assertEqual((self.order.scheduled_start, self.order.scheduled_end), (start, end))
        self.assertIn("Handed over from So Tech to So Tech Two", self._chatter(self.item))
        # the new field worker resolves, and the work item goes back to repair
        self.assertTrue(fallout.with_user(self.technician_2).can_resolve)
        self.assertFalse(fallout.with_user(self.technician).can_resolve, "not their fallout")
        with self.assertRaisesRegex(AccessError, "Only dispatchers and the technician"):
            fallout.with_user(self.technician)._do_resolve("I did it")
        self.env["service.fallout.resolve"].with_user(self.technician_2).create(
            {"fallout_ids": fallout.ids, "resolution": "Brought 3 m of pipe"}).action_confirm()
        self.assertEqual(fallout.state, "resolved")
        self.assertEqual(fallout.resolved_by_id, self.technician_2)
        self.assertEqual(self.item.state, "in_repair")
        self.assertFalse(self._activities(fallout, FALLOUT), "the assignee's activity is done")
        self.assertIn("resolved by So Tech Two", self._chatter(self.order))

    def test_hand_over_to_a_field_worker_issues_no_version(self):
        order = self._on_site_order(workers=self.technician | self.technician_2)
        item = self._create_item(order)
        fallout = self.env["service.fallout"].with_user(self.technician).create({
            "order_id": order.id, "work_item_id": item.id, "type_id": self.fallout_type.id,
            "description": "Needs two people"})
        versions = order.current_version
        fallout.with_user(self.dispatcher)._do_assign(self.technician_2, hand_over=True)
        self.assertEqual((item.user_id, order.current_version), (self.technician_2, versions))

    def test_an_assignee_off_the_order_cannot_resolve_a_held_task(self):
        fallout = self._report()
        fallout._do_assign(self.technician_2)  # the fallout only, not the task
        self.assertNotIn(self.technician_2, self.order.field_worker_ids)
        with self.assertRaisesRegex(AccessError, "hand you the work item"):
            fallout.with_user(self.technician_2)._do_resolve("Done from the office")
        self.assertEqual(fallout.state, "open")
        self.assertEqual(self.item.state, "on_hold")

    def test_hand_over_refusals_change_nothing(self):
        fallout = self._report()
        order_level = self._report(item=self.env["service.work.item"])
        workers = self.order.field_worker_ids
        for fallouts, user, message in (
            (order_level, self.technician_2, "no task to hand over"),
            (fallout, self.employee, "is not a technician"),
        ):
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                fallouts._do_assign(user, hand_over=True)
        with self.assertRaises(AccessError):
            fallout.with_user(self.technician)._do_assign(self.technician_2, hand_over=True)
        self.assertEqual(self.order.field_worker_ids, workers)
        self.assertEqual(fallout.user_id, self.dispatcher)
        self.assertEqual(self.item.user_id, self.technician)
