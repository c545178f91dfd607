from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.service_order.models.service_order_states import OPEN_STATES

from .common import ServiceOrderCase

# the objects of the versions before 18.0.1.3.0 (a private database layer), gone for good
OLD_TABLE = "service_order_open_worker_rel"
OLD_FUNCTIONS = ("service_order_open_worker_of_rel", "service_order_open_worker_of_order",
                 "service_order_open_worker_of_state")


@tagged("post_install", "-at_install")
class TestOpenFilter(ServiceOrderCase):
    """The Open filter is the state, for every role; a technician's page of their open orders is
    what their record rule and the state give, in the default order; the addon keeps no database
    objects of its own beyond indexes (no table, trigger or function besides the ORM's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.both = cls.technician | cls.technician_2
        cls.planned = cls._planned_order(workers=cls.both)
        cls.theirs = cls._planned_order(workers=cls.technician_2)  # not the technician's
        cls.draft = cls._create_order(field_worker_ids=[Command.set(cls.technician.ids)],
                                      lead_technician_id=cls.technician.id)

    def test_open_filter_is_the_state_for_every_role(self):
        self.planned.with_user(self.dispatcher)._do_cancel("Customer away")  # a closed one in the lot
        for user in (self.technician, self.technician_2, self.dispatcher, self.supervisor):
            orders = self.env["service.order"].with_user(user)
            with self.subTest(user=user.login):
                for domain, by_state in (
                        ([("is_open", "=", True)], [("state", "in", OPEN_STATES)]),
                        ([("is_open", "!=", False)], [("state", "in", OPEN_STATES)]),
                        ([("is_open", "=", False)], [("state", "not in", OPEN_STATES)]),
                        ([("is_open", "!=", True)], [("state", "not in", OPEN_STATES)])):
                    self.assertEqual(orders.search(domain), orders.search(by_state), domain)
                self.assertTrue(orders.search([("is_open", "=", False)]), "the cancelled order is visible")
        # the index of the open orders serves it: "state in", never "state not in"
        self.assertIn("IN", str(self.env["service.order"].with_user(self.technician)._search([("is_open", "=", True)])))
        self.assertEqual(self.draft.with_user(self.technician).is_open, True)
        self.assertEqual(self.planned.with_user(self.technician).is_open, False)

    def _page_by_rule(self, user, offset, limit, extra=()):
        """The page as the rule and the state give it, searched by the superuser."""
        return self.env["service.order"].search(
            [("field_worker_ids", "in", user.ids), ("state", "in", OPEN_STATES), *extra],
            offset=offset, limit=limit, order="priority desc, scheduled_start, id desc")

    def test_a_technicians_page_of_their_open_orders_in_the_default_order(self):
        at = lambda day, hour: f"2026-12-{day:02d} {hour:02d}:00:00"
        # more open orders, in every place of the sort: urgent or not, on one day, on the same
        # hour (the id decides), without a schedule (last)
        more = self.env["service.order"].with_user(self.dispatcher).create([self._order_vals(
            field_worker_ids=[Command.set(self.technician.ids)], lead_technician_id=self.technician.id,
            priority=priority, scheduled_start=start, scheduled_end=start and at(int(start[8:10]), 23))
            for priority, start in (("1", at(9, 8)), ("0", at(9, 8)), ("0", at(3, 10)), ("1", at(3, 10)),
                                    ("0", False), ("0", at(4, 7)), ("1", False), ("0", at(9, 8)))])
        orders = self.env["service.order"].with_user(self.technician)
        domain = [("assigned_to_me", "=", True), ("is_open", "=", True)]
        everything = self._page_by_rule(self.technician, 0, None)
        self.assertEqual(len(everything), 10)
        for offset, limit in ((0, 80), (0, 3), (3, 4), (7, 5), (12, 5)):
            with self.subTest(offset=offset, limit=limit):
                self.assertEqual(orders.search(domain, offset=offset, limit=limit).ids,
                                 self._page_by_rule(self.technician, offset, limit).ids)
        urgent = [("priority", "=", "1")]
        self.assertEqual(orders.search(domain + urgent, limit=2).mapped("priority"), ["1", "1"])
        second = self.env["service.order"].with_user(self.technician_2)
        self.assertEqual(second.search([("is_open", "=", True)], limit=80).ids,
                         self._page_by_rule(self.technician_2, 0, 80).ids)
        # writes not flushed yet: a reschedule, a priority, a closing are in the page at once
        drafts = everything.filtered(lambda order: order in more).with_user(self.dispatcher)
        first, last = drafts[0], drafts[-1]
        last.write({"priority": "1", "scheduled_start": at(1, 6), "scheduled_end": at(1, 7)})
        first.priority = "0"
        more[5].with_user(self.dispatcher)._do_cancel("Customer away")
        page = orders.search(domain, limit=80)
        self.assertEqual(page[0], last)
        self.assertNotIn(more[5], page)
        self.assertEqual(page.ids, self._page_by_rule(self.technician, 0, 80).ids)
        self.assertEqual(orders.search_count(domain), 9)
        # the rule, not the filter, keeps the others' orders away
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.technician).check_access("read")

    def test_open_filter_refuses_other_operators(self):
        orders = self.env["service.order"].with_user(self.technician)
        for domain in ([("is_open", "in", [True])], [("is_open", "=", "yes")], [("is_open", "ilike", "t")]):
            with self.subTest(domain=domain), self.assertRaisesRegex(UserError, "Search Open with"):
                orders.search(domain)

    def test_no_database_objects_of_our_own_beyond_indexes(self):
        cr = self.env.cr
        tables = tuple(self.env[model]._table for model in self.env.registry if model.startswith("service.")
                       and not self.env[model]._abstract and self.env[model]._auto)
        cr.execute(SQL("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN %s",
                       tables + ("service_order_field_worker_rel",)))
        self.assertEqual(cr.fetchall(), [], "no trigger on the addon's tables")
        cr.execute(SQL("SELECT proname FROM pg_proc WHERE proname LIKE %s OR proname IN %s", "service%", OLD_FUNCTIONS))
        self.assertEqual(cr.fetchall(), [], "no SQL function of the addon")
        cr.execute(SQL("SELECT to_regclass(%s)", OLD_TABLE))
        self.assertIsNone(cr.fetchone()[0], "no table beside the ORM's")
        cr.execute(SQL("SELECT table_name FROM information_schema.views WHERE table_name LIKE %s", "service%"))
        self.assertEqual(cr.fetchall(), [], "no database view: reports are queries of their models")
        self.assertFalse(self.env.ref("service_order.ir_cron_open_workers", raise_if_not_found=False))
        self.assertFalse(self.env["ir.model.relation"].search([("name", "=", OLD_TABLE)]))
