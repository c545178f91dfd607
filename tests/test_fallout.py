from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .work_item_common import WorkItemCase

FALLOUT = "service_order.mail_act_fallout"
APPROVAL = "service_order.mail_act_work_item_approval"


@tagged("post_install", "-at_install")
class TestFallout(WorkItemCase):

    multi_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # built once: each test starts from it as built (the transaction rolls back)
        cls.order = cls._on_site_order()
        cls.item = cls._create_item(cls.order)
        cls.item.action_submit()
        cls.item.action_start_repair()
        cls._flush_tracking()

    def test_the_item_is_in_repair(self):
        self.assertEqual(self.item.state, "in_repair")

    def _report(self, user=None, item=None, description="Only 1 m of pipe left in the van", order=None):
        user = user or self.technician
        wizard = self.env["service.fallout.report"].with_user(user).create({
            "order_id": (order or self.order).id,
            "work_item_id": (self.item if item is None else item).id,
            "type_id": self.fallout_type.id,
            "description": description,
        })
        wizard.action_confirm()
        self._flush_tracking()
        return self.env["service.fallout"].sudo().search(
            [("order_id", "=", (order or self.order).id)], limit=1, order="id desc").with_user(user)

    def _close(self, user=None):
        return self.order.with_user(user or self.dispatcher)._do_close("completed")

    # report ------------------------------------------------------------------
    def test_technician_reports_fallout_and_item_goes_on_hold(self):
        action = self.item.action_report_fallout()
        self.assertEqual(action["res_model"], "service.fallout.report")
        self.assertEqual(action["context"]["default_work_item_id"], self.item.id)
        fallout = self._report()
        self.assertRegex(fallout.name, r"^FO/\d{4}/\d{5}$")
        self.assertEqual(fallout.state, "open")
        self.assertEqual(fallout.reported_by_id, self.technician)
        self.assertEqual(fallout.user_id, self.dispatcher, "the order's dispatcher handles it first")
        self.assertEqual(self._activities(fallout, FALLOUT).user_id, self.dispatcher)
        self.assertEqual(self.item.state, "on_hold")
        self.assertEqual(self.item.hold_previous_state, "in_repair")
        self.assertEqual(self.order.open_fallout_count, 1)
        self.assertIn("Only 1 m of pipe left in the van", self._chatter(self.order))
        with self.assertRaisesRegex(UserError, "Submit repair is possible only"):
            self.item.action_submit_repair()

    def test_open_fallout_blocks_closing_as_completed(self):
        fallout = self._report()
        with self.assertRaisesRegex(UserError, f"Fallout {fallout.name} .* is open"):
            self._close()
        wizard = self.env["service.order.close"].with_user(self.dispatcher).create(
            {"order_id": self.order.id, "outcome": "completed"})
        self.assertIn(fallout.name, wizard.blockers)
        self.assertEqual(self.order.state, "in_progress")
        # closing as not carried out stays possible
        self.order.with_user(self.dispatcher)._do_close("not_done", reason="Pipe not available this week")
        self.assertEqual(self.order.state, "not_done")

    def test_order_level_fallout_blocks_closing_until_resolved(self):
        fallout = self._report(item=self.env["service.work.item"], description="Customer must empty the cellar")
        self.assertFalse(fallout.work_item_id)
        self.assertEqual(self.item.state, "in_repair", "no work item held")
        with self.assertRaisesRegex(UserError, "is open"):
            self._close()
        fallout.with_user(self.dispatcher)._do_resolve("Cellar emptied by the customer")
        self.item.action_submit_repair()
        self.item.action_complete_repair()
        self._close()
        self.assertEqual(self.order.state, "completed")

    def test_report_on_finished_item_or_foreign_order_is_refused(self):
        self.item.action_submit_repair()
        self.item.action_complete_repair()
        with self.assertRaisesRegex(UserError, "is finished: report the fallout on the order"):
            self._report()
        other = self._on_site_order(workers=self.technician_2)
        with self.assertRaises(AccessError):
            self._report(order=other, item=self.env["service.work.item"])
        self.assertFalse(self.env["service.fallout"].sudo().search([("order_id", "in", (self.order | other).ids)]))

    # assign / reassign ------------------------------------------------------------
    def test_dispatcher_reassigns_and_the_activity_follows(self):
        fallout = self._report()
        wizard = self.env["service.fallout.assign"].with_user(self.dispatcher).create(
            {"fallout_ids": [(6, 0, fallout.ids)], "user_id": self.technician_2.id, "note": "Bring 3 m of pipe"})
        wizard.action_confirm()
        self.assertEqual(fallout.user_id, self.technician_2)
        activity = self._activities(fallout, FALLOUT)
        self.assertEqual(activity.user_id, self.technician_2, "the new assignee has the activity")
        self.assertIn("Reassigned from So Dispatcher to So Tech Two", self._chatter(fallout))
        # the assignee sees the fallout, though not a field worker of the order
        self.assertEqual(self.env["service.fallout"].with_user(self.technician_2).search([]), fallout)
        fallout.with_user(self.supervisor)._do_assign(self.technician)
        self.assertEqual(self._activities(fallout, FALLOUT).user_id, self.technician)
        self.assertFalse(self.env["service.fallout"].with_user(self.technician_2).search([]))

    def test_direct_write_of_assignee_by_dispatcher_moves_the_activity(self):
        fallout = self._report()
        fallout.with_user(self.dispatcher).write({"user_id": self.supervisor.id})
        self.assertEqual(self._activities(fallout, FALLOUT).user_id, self.supervisor)

    # resolve -------------------------------------------------------------------------
    def test_resolve_puts_item_back_to_work(self):
        fallout = self._report()
        wizard = self.env["service.fallout.resolve"].with_user(self.dispatcher).create(
            {"fallout_ids": [(6, 0, fallout.ids)], "resolution": " "})
        with self.assertRaisesRegex(UserError, "resolution is required"):
            wizard.action_confirm()
        wizard.resolution = "Pipe delivered by the warehouse"
        wizard.action_confirm()
        self.assertEqual(fallout.state, "resolved")
        self.assertEqual(fallout.resolved_by_id, self.dispatcher)
        self.assertFalse(self._activities(fallout, FALLOUT))
        self.assertEqual(self.item.state, "in_repair", "back where it left off")
        self.assertFalse(self.item.hold_previous_state)
        self.assertEqual(self.order.open_fallout_count, 0)
        self.assertIn("Pipe delivered by the warehouse", self._chatter(self.order))
        self.item.action_submit_repair()
        self.item.action_complete_repair()
        self._close(self.technician)
        self.assertEqual(self.order.state, "completed")

    def test_item_stays_on_hold_until_every_fallout_is_over(self):
        first = self._report()
        second = self._report(description="Valve also leaking")
        first.with_user(self.dispatcher)._do_resolve("Pipe delivered")
        self.assertEqual(self.item.state, "on_hold")
        second.with_user(self.dispatcher).action_cancel()
        self.assertEqual(second.state, "cancelled")
        self.assertEqual(self.item.state, "in_repair")
        first.with_user(self.dispatcher).action_reopen()
        self.assertEqual(self.item.state, "on_hold", "a reopened fallout holds the item again")

    def test_hold_of_waiting_item_moves_its_approval_activity(self):
        self.set_options(dispatcher=True)
        waiting = self._create_item(self.order, complaint="Noisy fan")
        waiting.action_submit()
        self.assertEqual(len(self._activities(waiting, APPROVAL)), 1)
        fallout = self._report(item=waiting)
        self.assertEqual(waiting.state, "on_hold")
        self.assertFalse(self._activities(waiting, APPROVAL), "nobody approves an item on hold")
        self.assertFalse(self.order.waiting_for)
        fallout.with_user(self.dispatcher)._do_resolve("Fan model confirmed")
        self.assertEqual(waiting.state, "waiting_dispatcher")
        self.assertEqual(self._activities(waiting, APPROVAL).user_id, self.dispatcher)
        self.assertEqual(self.order.waiting_for, "dispatcher")

    # what technicians may not do --------------------------------------------------------
    def test_technician_cannot_assign_resolve_or_change_fallouts(self):
        fallout = self._report()
        with self.assertRaises(AccessError):
            fallout._do_assign(self.technician)
        with self.assertRaises(AccessError):
            fallout.action_open_assign()
        with self.assertRaises(AccessError):
            fallout._do_resolve("I fixed it")
        with self.assertRaises(AccessError):
            fallout.write({"state": "resolved"})
        with self.assertRaises(AccessError):
            fallout.write({"description": "Nothing happened"})
        with self.assertRaises(AccessError):
            self.env["service.fallout.assign"].with_user(self.technician).create(
                {"fallout_ids": [(6, 0, fallout.ids)], "user_id": self.technician.id})
        self.assertEqual(fallout.state, "open")
        self.assertEqual(self.item.state, "on_hold")

    def test_kanban_drag_is_a_checked_transition(self):
        fallout = self._report().with_user(self.dispatcher)
        fallout.write({"state": "awaiting_info"})
        self.assertEqual(fallout.state, "awaiting_info")
        self.assertEqual(self.item.state, "on_hold")
        with self.assertRaisesRegex(UserError, "Use the Resolve button"):
            fallout.write({"state": "resolved"})
        with self.assertRaisesRegex(UserError, "cannot go from Awaiting Information to Closed"):
            fallout.write({"state": "closed"})
        fallout.write({"state": "cancelled"})
        self.assertEqual(self.item.state, "in_repair")

    def test_record_rules_per_role(self):
        mine = self._report()
        other_order = self._on_site_order(workers=self.technician_2)
        theirs = self._report(user=self.technician_2, order=other_order, item=self.env["service.work.item"])
        Fallout = self.env["service.fallout"]
        both = (mine | theirs).ids
        self.assertEqual(Fallout.with_user(self.technician).search([("id", "in", both)]), mine)
        self.assertEqual(Fallout.with_user(self.technician_2).search([("id", "in", both)]), theirs)
        self.assertEqual(Fallout.with_user(self.dispatcher).search([("id", "in", both)]).ids, sorted(both, reverse=True))
        self.assertFalse(Fallout.with_user(self.dispatcher_b).search([("id", "in", both)]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).read(["description"])
        with self.assertRaises(AccessError):
            Fallout.with_user(self.employee).search([])
