from datetime import datetime, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL, mute_logger

from .common import LOG_DAY
from .work_item_common import WorkItemCase


@tagged("post_install", "-at_install")
class TestTimeLogs(WorkItemCase):

    multi_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # built once: each test starts from it as built (the transaction rolls back)
        cls.order = cls._planned_order(workers=cls.technician | cls.technician_2)
        cls.Log = cls.env["service.time.log"]

    def _log(self, user, start, hours, order=None):
        return self.Log.with_user(self.dispatcher).create({
            "order_id": (order or self.order).id, "user_id": user.id,
            "date_start": start, "date_stop": start + timedelta(hours=hours)})

    def test_clock_in_and_out(self):
        order = self.order.with_user(self.technician)
        self.assertTrue(order.is_current_user_worker)
        self.assertFalse(order.is_clocked_in)
        order.action_clock_in()
        log = self.Log.with_user(self.technician).search([("order_id", "=", order.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, self.technician)
        self.assertTrue(log.is_open)
        order.invalidate_recordset()
        self.assertTrue(order.is_clocked_in)
        self.assertFalse(self.order.with_user(self.technician_2).is_clocked_in)
        with self.assertRaisesRegex(UserError, "already clocked in on " + self.order.name):
            order.action_clock_in()
        # an hour later
        log.sudo().date_start = fields.Datetime.now() - timedelta(hours=1)
        order.action_clock_out()
        self.assertFalse(log.is_open)
        self.assertAlmostEqual(log.duration, 1.0, places=2)
        order.invalidate_recordset()
        self.assertFalse(order.is_clocked_in)
        self.assertAlmostEqual(order.time_spent, 1.0, places=2)
        self.assertIn("clocked out after 1.00 h", self._chatter(self.order))
        with self.assertRaisesRegex(UserError, "not clocked in"):
            order.action_clock_out()

    def test_second_open_log_is_refused(self):
        other = self._planned_order(workers=self.technician)
        self.order.with_user(self.technician).action_clock_in()
        with self.assertRaisesRegex(UserError, f"already clocked in on {self.order.name}.*clock out there first"):
            other.with_user(self.technician).action_clock_in()
        # a dispatcher's correction cannot open a second log either
        with self.assertRaisesRegex(ValidationError, f"So Tech is already clocked in on {self.order.name}"):
            self.Log.with_user(self.dispatcher).create({"order_id": other.id, "user_id": self.technician.id})
        self.assertEqual(self.Log.sudo().search_count([("user_id", "=", self.technician.id), ("date_stop", "=", False)]), 1)
        # nor can two concurrent requests: the database refuses the second open log
        with self.assertRaises(psycopg2.errors.UniqueViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(SQL(
                "INSERT INTO service_time_log (order_id, company_id, user_id, date_start) VALUES (%s, %s, %s, now())",
                other.id, other.company_id.id, self.technician.id))
        # the other technician clocks in independently
        self.order.with_user(self.technician_2).action_clock_in()

    def test_totals_per_order_and_technician(self):
        start = LOG_DAY.replace(hour=8)
        self._log(self.technician, start, 2)
        self._log(self.technician, start + timedelta(hours=3), 1.5)
        self._log(self.technician_2, start, 0.5)
        other = self._planned_order(workers=self.technician)
        self._log(self.technician, start + timedelta(days=1), 4, order=other)
        self.env.invalidate_all()
        order = self.order.with_user(self.technician)
        self.assertAlmostEqual(order.time_spent, 4.0)
        self.assertIn("So Tech: 3.50 h", order.time_by_technician)
        self.assertIn("So Tech Two: 0.50 h", order.time_by_technician)
        self.assertAlmostEqual(other.time_spent, 4.0)
        per_user = dict(self.Log._read_group([("order_id", "=", self.order.id)], ["user_id"], ["duration:sum"]))
        self.assertEqual(per_user, {self.technician: 3.5, self.technician_2: 0.5})

    def test_only_field_workers_clock_in(self):
        outsider = self._planned_order(workers=self.technician_2)
        with self.assertRaises(AccessError):
            outsider.with_user(self.technician).action_clock_in()
        with self.assertRaisesRegex(AccessError, "Only the field workers"):
            self.order.with_user(self.dispatcher).action_clock_in()
        self.assertFalse(self.Log.sudo().search([("order_id", "in", (outsider | self.order).ids)]))

    def test_technician_cannot_edit_or_create_logs_directly(self):
        self.order.with_user(self.technician).action_clock_in()
        log = self.Log.with_user(self.technician).search([])
        with self.assertRaisesRegex(AccessError, "Only dispatchers can correct time logs"):
            log.write({"date_start": datetime(2020, 1, 1)})
        with self.assertRaisesRegex(AccessError, "clock in and out with the buttons"):
            self.Log.with_user(self.technician_2).create({"order_id": self.order.id, "user_id": self.technician_2.id})
        with self.assertRaises(AccessError):
            log.unlink()

    def test_clock_out_before_clock_in_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "clock out .* is before the clock in"):
            self._log(self.technician, LOG_DAY.replace(hour=8), -1)

    def test_record_rules_per_role(self):
        mine = self._log(self.technician, LOG_DAY.replace(hour=8), 1)
        other_order = self._planned_order(workers=self.technician_2)
        theirs = self._log(self.technician_2, LOG_DAY.replace(hour=8), 1, order=other_order)
        ids = (mine | theirs).ids
        self.assertEqual(self.Log.with_user(self.technician).search([("id", "in", ids)]), mine)
        self.assertEqual(self.Log.with_user(self.technician_2).search([("id", "in", ids)]), mine | theirs,
                         "technician 2 works on both orders")
        self.order.with_user(self.dispatcher)._do_confirm("Technician 2 leaves", remove_workers=self.technician_2)
        self.assertEqual(self.Log.with_user(self.technician_2).search([("id", "in", ids)]), theirs)
        self.assertEqual(self.Log.with_user(self.dispatcher).search([("id", "in", ids)]), mine | theirs)
        self.assertFalse(self.Log.with_user(self.dispatcher_b).search([("id", "in", ids)]))
        with self.assertRaises(AccessError):
            self.Log.with_user(self.employee).search([])

    def test_closing_the_order_clocks_everybody_out(self):
        order = self._on_site_order()
        order.with_user(self.technician).action_clock_in()
        order.with_user(self.technician)._do_close("completed")
        log = self.Log.sudo().search([("order_id", "=", order.id)])
        self.assertTrue(log.date_stop)
        self.assertFalse(log.is_open)

    def test_a_state_written_as_superuser_runs_the_same_side_effects(self):
        """Another addon writing the state under sudo (no button, no _set_state) clocks everybody
        out as the buttons do; a move the transition table does not allow is refused."""
        order = self._on_site_order(workers=self.technician | self.technician_2)
        order.with_user(self.technician).action_clock_in()
        order.with_user(self.technician_2).action_clock_in()
        order.sudo().write({"state": "cancelled"})
        logs = self.Log.sudo().search([("order_id", "=", order.id)])
        self.assertEqual(len(logs), 2)
        self.assertFalse(logs.filtered("is_open"), "the order is closed: nobody stays clocked in")
        self.assertTrue(all(logs.mapped("date_stop")))
        with self.assertRaisesRegex(UserError, "cannot go from Cancelled to In Progress"):
            order.sudo().write({"state": "in_progress"})
        self.assertEqual(order.state, "cancelled")

    def test_totals_query_count_does_not_grow_with_orders(self):
        orders = self.order
        for _index in range(3):
            orders |= self._planned_order(workers=self.technician | self.technician_2)
        start = LOG_DAY.replace(hour=8)
        for index, order in enumerate(orders):
            self._log(self.technician, start + timedelta(days=index), 1, order=order)
            self._log(self.technician_2, start + timedelta(days=index), 2, order=order)

        def queries(records):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            records.mapped("time_spent")
            records.mapped("time_by_technician")
            records.mapped("work_item_count")
            records.mapped("open_fallout_count")
            return self.cr.sql_log_count - before

        # warm the caches of everything but the orders (metadata, users' names)
        queries(orders)
        self.assertEqual(queries(orders[:1]), queries(orders), "no query per order")
        self.assertEqual(set(orders.mapped("time_spent")), {3.0})


@tagged("post_install", "-at_install")
class TestTimeFollowsTheWork(WorkItemCase):
    """Time follows the work: Start work and Resume clock the field worker in, Pause clocks them
    out, closing clocks everybody out; completing with no time clocked asks how long it took."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        hour = cls.env.ref("uom.product_uom_hour")
        cls.labour = cls.env["product.product"].create({
            "name": "Labour (test)", "type": "service", "uom_id": hour.id, "uom_po_id": hour.id,
            "list_price": 60, "invoice_policy": "delivery"})
        cls.order_type.write({"labour_product_id": cls.labour.id, "labour_invoicing": "time"})
        cls.Log = cls.env["service.time.log"]

    def _logs(self, order):
        return self.Log.sudo().search([("order_id", "=", order.id)], order="id")

    def _earlier(self, log, minutes):
        """As if the open ``log`` had started ``minutes`` ago (time passes in a test only so)."""
        log.sudo().date_start = fields.Datetime.now() - timedelta(minutes=minutes)

    def test_start_pause_resume_and_closing_clock_in_and_out(self):
        order = self._on_site_order().with_user(self.technician)
        self.assertFalse(self._logs(order), "travelling and arriving clock nobody in")
        order.action_start_work()
        log = self._logs(order)
        self.assertEqual((len(log), log.user_id, log.is_open, log.entry_type), (1, self.technician, True, "clock"))
        self._earlier(log, 50)
        order.action_pause()
        self.assertFalse(log.is_open, "a break clocks out")
        self.assertAlmostEqual(log.duration, 50 / 60, places=2)
        self.assertIn("clocked out after 0.83 h", self._chatter(order))
        # the break lasted half an hour
        log.sudo().write({"date_start": log.date_start - timedelta(minutes=30),
                          "date_stop": log.date_stop - timedelta(minutes=30)})
        order.action_resume()
        second = self._logs(order) - log
        self.assertTrue(second.is_open, "resuming clocks in again")
        self._earlier(second, 25)
        order._do_close("completed")
        self.assertFalse(second.is_open, "closing clocks out")
        order.invalidate_recordset()
        self.assertAlmostEqual(order.time_spent, 75 / 60, places=2)
        self.assertEqual(order.state, "completed")

    def test_starting_work_elsewhere_clocks_out_of_the_other_order(self):
        first = self._on_site_order().with_user(self.technician)
        first.action_start_work()
        self._earlier(self._logs(first), 30)
        second = self._on_site_order(workers=self.technician).with_user(self.technician)
        second.action_start_work()
        self.assertFalse(self._logs(first).is_open)
        self.assertTrue(self._logs(second).is_open)
        self.assertIn(f"started work on {second.name}", self._chatter(first))

    def test_a_dispatcher_moving_the_status_clocks_nobody(self):
        order = self._on_site_order()
        order.with_user(self.dispatcher).action_start_work()
        self.assertEqual(order.technician_status, "working")
        self.assertFalse(self._logs(order))

    def test_completing_with_no_time_clocked_asks_for_it(self):
        order = self._on_site_order()
        action = order.with_user(self.technician).action_open_complete()
        self.assertEqual(action["res_model"], "service.step.form", "no question, but the time is asked")
        form = Form(self.env["service.step.form"].with_user(self.technician).with_context(**action["context"]))
        self.assertTrue(form.ask_hours)
        self.assertTrue(form.hours_required, "the labour is invoiced on the time spent")
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "say how long the work took"):
            wizard.action_confirm()
        self.assertEqual(order.state, "in_progress", "nothing half done")
        wizard.hours_spent = 1.5
        wizard.action_confirm()
        log = self._logs(order)
        self.assertEqual((log.user_id, log.entry_type, log.is_open), (self.technician, "manual", False))
        self.assertAlmostEqual(log.duration, 1.5, places=2)
        self.assertEqual(order.state, "completed")
        self.assertIn("recorded 1.50 h of So Tech when closing", self._chatter(order))
        # absurd hours are refused
        other = self._on_site_order(workers=self.technician)
        with self.assertRaisesRegex(ValidationError, "time spent must be a number"):
            other.with_user(self.technician)._record_time_spent(30)

    def test_completing_with_time_clocked_asks_nothing_more(self):
        order = self._on_site_order().with_user(self.technician)
        order.action_start_work()
        self.assertTrue(order.action_open_complete(), "completed in one tap: no question, time clocked")
        self.assertEqual(order.state, "completed")

    def test_a_dispatcher_closing_records_the_hours_of_the_lead_technician(self):
        order = self._on_site_order()
        wizard = self.env["service.order.close"].with_user(self.dispatcher).create({"order_id": order.id})
        action = wizard.action_confirm()
        step = self.env["service.step.form"].with_user(self.dispatcher).with_context(**action["context"]).create(
            {"order_id": order.id, "step": "complete", "hours_spent": 2})
        step.action_confirm()
        log = self._logs(order)
        self.assertEqual((log.user_id, log.entry_type), (self.technician, "manual"))
        self.assertAlmostEqual(order.time_spent, 2.0, places=2)
