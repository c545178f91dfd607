from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged, users, warmup

from .common import ServiceOrderCase
from .web_client import view_spec

OPEN = [("is_open", "=", True)]  # the search view's "Open" filter


@tagged("post_install", "-at_install", "service_order_perf")
class TestPerformance(ServiceOrderCase):
    """Query counts of the hot paths; they must not grow with the number of orders (the same
    count for 5 orders as for 20, with activities and double bookings on the page), and a
    technician's status change stays within 25 queries. The times are bench/compare.sh's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["service.sla.policy"].create({"name": "Standard", "response_hours": 8, "resolution_hours": 24})
        start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
        orders = cls.env["service.order"].with_user(cls.dispatcher).create([{
            **cls._order_vals(), "scheduled_start": start + timedelta(hours=i % 4 * 2),
            "scheduled_end": start + timedelta(hours=i % 4 * 2 + 1),
            # the second technician joins every fourth order: double bookings on every page
            "field_worker_ids": [Command.set((cls.technician | cls.technician_2).ids if i % 4 == 0
                                             else cls.technician.ids)],
            "lead_technician_id": cls.technician.id,
        } for i in range(24)])
        orders[:20]._do_submit()
        cls._flush_tracking()
        orders[:20].with_user(cls.supervisor)._do_approve()  # their PDFs stay pending: not what is counted
        # an activity on every fourth order: the first on every page
        for order in orders[:20:4]:
            order.activity_schedule("mail.mail_activity_data_todo", user_id=cls.dispatcher.id)
        cls.orders = orders

    def _domain(self):
        # this class's orders only (the database may hold demo orders): the dispatcher filters by type
        return OPEN + [("order_type_id", "=", self.order_type.id)]

    def _kanban_column(self, limit):
        self.env.invalidate_all()  # a new request: nothing of the page is in the cache yet
        return self.env["service.order"].web_search_read(self._domain() + [("state", "=", "planned")],
                                                         self.kanban_spec, limit=limit)

    def _list_page(self, limit):
        self.env.invalidate_all()
        return self.env["service.order"].web_search_read(self._domain(), self.list_spec, limit=limit,
                                                         count_limit=10001)

    @users("so_dispatcher")
    @warmup
    def test_kanban_load_does_not_grow_with_orders(self):
        self.kanban_spec = view_spec(self.env["service.order"], "kanban")  # what the board asks
        self._kanban_column(1)  # caches of the request (rules, company, fields) are warm
        with self.assertQueryCount(so_dispatcher=8):
            few = self._kanban_column(5)
        with self.assertQueryCount(so_dispatcher=8):
            many = self._kanban_column(20)
        self.assertEqual(len(few["records"]), 5)
        self.assertEqual(len(many["records"]), 20)
        self.assertTrue(any(record["double_booked"] for record in many["records"]))

    @users("so_dispatcher")
    @warmup
    def test_list_load_does_not_grow_with_orders(self):
        self.list_spec = view_spec(self.env["service.order"], "list")
        self._list_page(1)
        with self.assertQueryCount(so_dispatcher=9):
            few = self._list_page(5)
        with self.assertQueryCount(so_dispatcher=9):
            many = self._list_page(20)
        self.assertEqual(few["length"], 24)
        self.assertEqual(len(many["records"]), 20)

    @users("so_dispatcher")
    @warmup
    def test_group_counts_in_two_queries(self):
        self.env.invalidate_all()
        with self.assertQueryCount(so_dispatcher=2):
            groups = self.env["service.order"].web_read_group(self._domain(), ["color:sum"], ["state"], lazy=True)
            self.env["service.order"].read_progress_bar(self._domain(), "state", {
                "field": "activity_state", "colors": {"planned": "success", "today": "warning", "overdue": "danger"}})
        self.assertEqual({g["state"]: g["state_count"] for g in groups["groups"] if g["state_count"]},
                         {"draft": 4, "planned": 20})

    @users("so_tech")
    @warmup
    def test_technician_kanban_load(self):
        domain = [("assigned_to_me", "=", True)] + self._domain()
        spec = view_spec(self.env["service.order"], "kanban")  # a technician's: no double-booking flag
        self.assertNotIn("double_booked", spec)
        self.env["service.order"].web_search_read(domain, spec, limit=1)
        # 10, whatever the page's size: of which 2 check the technician's record rule on the
        # page's records (Odoo's own check in Python: the page's field workers)
        for limit in (5, 20):
            self.env.invalidate_all()
            with self.assertQueryCount(so_tech=10):
                result = self.env["service.order"].web_search_read(domain, spec, limit=limit,
                                                                   count_limit=10001)
            self.assertEqual((result["length"], len(result["records"])), (24, limit))

    def test_assigned_to_me_is_being_a_field_worker_for_every_role(self):
        Order = self.env["service.order"]
        for user in (self.technician, self.technician_2, self.dispatcher):
            theirs = set(Order.sudo().search([("field_worker_ids", "in", user.id)]).ids)
            self.assertEqual(set(Order.with_user(user).search([("assigned_to_me", "=", True)]).ids), theirs)
            self.assertEqual(set(Order.with_user(user).search([("assigned_to_me", "!=", False)]).ids), theirs)
            others = set(Order.with_user(user).search([("assigned_to_me", "=", False)]).ids)
            self.assertFalse(others & theirs)
            self.assertEqual(bool(others), user == self.dispatcher, "a technician sees only their own orders")
        with self.assertRaisesRegex(UserError, "Search Assigned to Me with = or !="):
            Order.with_user(self.technician).search([("assigned_to_me", "in", [True])])
        with self.assertRaisesRegex(UserError, "Search double bookings with 'is set' or 'is not set'"):
            Order.with_user(self.dispatcher).search([("schedule_warning", "=", "x")])
        self.assertTrue(self.orders[0].with_user(self.technician).assigned_to_me)
        self.assertFalse(self.orders[1].with_user(self.technician_2).assigned_to_me)

    @users("so_tech")
    @warmup
    def test_technician_status_change_within_25_queries(self):
        orders = self.orders[:3].with_user(self.env.user)
        orders[0].action_depart()  # warm: the step's questions, the job runner's cron
        self.env.flush_all()
        self.env.cr.precommit.run()
        # a request: the button, then the flush and the tracking of the commit
        self.env.invalidate_all()
        with self.assertQueryCount(so_tech=17):
            orders[1].action_depart()
            self.env.flush_all()
            self.env.cr.precommit.run()
        self.assertEqual(orders[1].technician_status, "en_route")
        self.assertEqual(orders[1].status_log_ids.status, "en_route")
        # the workspace hears of it through the job runner
        self.assertIn("So Tech: status En Route", self._channel_text(orders[1]))

    @users("so_dispatcher")
    @warmup
    def test_closing_through_the_wizard(self):
        orders = self.orders[3:5].with_user(self.env.user)
        # the technician clocked their time (closing with none asks for it: tests/test_time_logs.py)
        now = fields.Datetime.now()
        self.env["service.time.log"].sudo().create([{
            "order_id": order.id, "user_id": self.technician.id,
            "date_start": now - timedelta(hours=2 * (index + 1)), "date_stop": now - timedelta(hours=2 * index + 1),
        } for index, order in enumerate(orders)])

        def close(order):
            wizard = self.env["service.order.close"].create({"order_id": order.id, "outcome": "completed"})
            wizard.action_confirm()
            self.env.flush_all()
            self.env.cr.precommit.run()
        close(orders[0])  # warm
        self.env.invalidate_all()
        # 24: of which 2 look for billable work to bring onto a sale order (service.order.sale.mixin),
        # 1 refreshes the double bookings (this order shares its slot with others: the stored
        # flag of those it leaves; closing an order booked alone costs none), 1 wakes the two
        # job runners (their trigger rows in one create), and 3 are the time clocked: whether
        # anybody is still clocked in (closing clocks them out) and the hours spent (the labour
        # delivered, the completion report)
        with self.assertQueryCount(so_dispatcher=24):
            close(orders[1])
        self.assertEqual(orders[1].state, "completed")
        # the completion report: its number reserved, made by the job runner
        self.assertEqual((orders[1].current_document_id.reason, orders[1].current_document_id.state),
                         ("completion", "pending"))


@tagged("post_install", "-at_install")
class TestBulkApproval(ServiceOrderCase):
    """Approving 50 orders from the list: one request renders no PDF, each version's number
    is reserved, and the cron issues them all, a batch per run."""

    def test_fifty_orders_approved_from_the_list(self):
        orders = self.env["service.order"].with_user(self.dispatcher).create(
            [self._order_vals(**self._booking()) for _i in range(50)])
        orders._do_submit()
        self._flush_tracking()
        approve = self.env.ref("service_order.service_order_action_approve").with_user(self.supervisor)
        with patch.object(type(self.env["service.order"]), "_html_to_pdf",
                          side_effect=AssertionError("no PDF in the request")):
            approve.with_context(active_model="service.order", active_ids=orders.ids).run()
        self.assertEqual(set(orders.mapped("state")), {"planned"})
        versions = orders.current_document_id
        self.assertEqual(len(versions), 50)
        self.assertEqual(set(versions.mapped("version")), {1}, "each number is reserved at approval")
        self.assertEqual(set(versions.mapped("state")), {"pending"})
        self.assertTrue(all(order.channel_id for order in orders), "each order has its workspace")
        cron = self.env.ref("service_order.ir_cron_issue_document_versions")
        self.env.cr.flush()  # what the commit of the request runs: the job runner's trigger, among others
        self.assertTrue(self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)]))
        # the cron: a batch of 20 per run, until none is pending
        runs = 0
        while versions.filtered(lambda v: v.state == "pending") and runs < 5:
            cron.method_direct_trigger()
            versions.invalidate_recordset()
            runs += 1
        self.assertEqual(runs, 3)
        self.assertEqual(set(versions.mapped("state")), {"issued"})
        self.assertTrue(versions._verify_checksum())
        self.assertIn("Version 1", self._pdf_text(versions[0]))

    def test_a_list_multi_edit_approves_together(self):
        orders = self.env["service.order"].with_user(self.dispatcher).create([self._order_vals() for _i in range(3)])
        orders._do_submit()
        self._flush_tracking()
        with patch.object(type(self.env["service.order"]), "_html_to_pdf",
                          side_effect=AssertionError("no PDF in the request")):
            orders.with_user(self.supervisor).write({"state": "planned"})
        self.assertEqual(set(orders.current_document_id.mapped("state")), {"pending"})
        # a dispatcher may not approve, from the list either
        drafts = self.env["service.order"].with_user(self.dispatcher).create([self._order_vals() for _i in range(2)])
        drafts._do_submit()
        with self.assertRaisesRegex(Exception, "Only supervisors"):
            drafts.with_user(self.dispatcher).action_approve()
        self.assertEqual(set(drafts.mapped("state")), {"submitted"})
