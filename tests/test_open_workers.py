from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.service_order.models.service_order_open_workers import OPEN_WORKERS_TABLE
from odoo.addons.service_order.models.service_order_states import OPEN_STATES

from .common import ServiceOrderCase


@tagged("post_install", "-at_install")
class TestOpenWorkers(ServiceOrderCase):
    """The field workers of the open orders (a table kept by triggers), the Open filter that
    reads it for technicians, and the technicians' rule checked in SQL on records in hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.both = cls.technician | cls.technician_2
        cls.planned = cls._planned_order(workers=cls.both)
        cls.theirs = cls._planned_order(workers=cls.technician_2)  # not the technician's
        cls.draft = cls._create_order(field_worker_ids=[Command.set(cls.technician.ids)],
                                      lead_technician_id=cls.technician.id)
        cls.orders = cls.planned | cls.theirs | cls.draft

    def _rows(self):
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT order_id, user_id FROM %s WHERE order_id IN %s",
                                SQL.identifier(OPEN_WORKERS_TABLE), tuple(self.orders.ids)))
        return set(self.env.cr.fetchall())

    def _expected(self):
        """What the table must hold: every field worker of every open order, read by the ORM."""
        self.env.invalidate_all()
        orders = self.orders.exists().filtered(lambda order: order.state in OPEN_STATES)
        return {(order.id, user.id) for order in orders for user in order.field_worker_ids}

    def assertTableHolds(self, msg):
        expected = self._expected()
        self.assertTrue(expected, msg)
        self.assertEqual(self._rows(), expected, msg)

    def test_the_table_follows_the_field_workers_and_the_state(self):
        self.assertTableHolds("as built")
        self.assertIn((self.draft.id, self.technician.id), self._rows())
        draft = self.draft.with_user(self.dispatcher)
        draft.field_worker_ids = [Command.link(self.technician_2.id)]
        self.assertTableHolds("a worker added")
        self.assertIn((draft.id, self.technician_2.id), self._rows())
        draft.field_worker_ids = [Command.unlink(self.technician_2.id)]
        self.assertTableHolds("a worker removed")
        self.assertNotIn((draft.id, self.technician_2.id), self._rows())

        self._submit(draft)
        draft.with_user(self.supervisor)._do_reject("Needs a second visit")
        self.assertEqual(draft.state, "rejected")
        self.assertTableHolds("rejected: closed")
        self.assertNotIn((draft.id, self.technician.id), self._rows())
        draft._do_revise()
        self.assertEqual(draft.state, "draft")
        self.assertTableHolds("revised: open again")
        self.assertIn((draft.id, self.technician.id), self._rows())

        self.planned.with_user(self.dispatcher)._do_cancel("Customer away")
        self.assertTableHolds("cancelled")
        self.assertFalse({row for row in self._rows() if row[0] == self.planned.id})
        wizard = self.env["service.order.close"].with_user(self.dispatcher).create(
            {"order_id": self.theirs.id, "outcome": "completed"})
        wizard.action_confirm()
        self.assertEqual(self.theirs.state, "completed")
        self.assertTableHolds("completed")

        draft.with_user(self.dispatcher).unlink()
        self.assertEqual(self._rows(), set(), "the order deleted, its rows with it")

    def test_the_table_follows_sql_writes_too(self):
        # an import or a script that writes the tables directly: the triggers still hold
        cr = self.env.cr
        cr.execute("DELETE FROM service_order_field_worker_rel WHERE order_id = %s AND user_id = %s",
                   [self.planned.id, self.technician_2.id])
        self.assertNotIn((self.planned.id, self.technician_2.id), self._rows())
        cr.execute("INSERT INTO service_order_field_worker_rel (order_id, user_id) VALUES (%s, %s)",
                   [self.theirs.id, self.technician.id])
        self.assertIn((self.theirs.id, self.technician.id), self._rows())
        cr.execute("UPDATE service_order SET state = 'cancelled' WHERE id = %s", [self.theirs.id])
        self.assertFalse({row for row in self._rows() if row[0] == self.theirs.id})
        cr.execute("UPDATE service_order SET state = 'planned' WHERE id = %s", [self.theirs.id])
        self.assertEqual({row for row in self._rows() if row[0] == self.theirs.id},
                         {(self.theirs.id, self.technician.id), (self.theirs.id, self.technician_2.id)})
        self.assertTableHolds("after the SQL writes")

    def test_the_hourly_check_sets_the_table_right(self):
        cr = self.env.cr
        self.assertEqual(self.env["service.order"]._cron_sync_open_workers(), 0, "nothing to set")
        # what two concurrent SQL writes could leave: a row missing, a row of a closed order
        cr.execute(SQL("DELETE FROM %s WHERE order_id = %s AND user_id = %s",
                       SQL.identifier(OPEN_WORKERS_TABLE), self.draft.id, self.technician.id))
        self.planned.with_user(self.dispatcher)._do_cancel("Customer away")
        self.env.flush_all()
        cr.execute(SQL("INSERT INTO %s (user_id, order_id) VALUES (%s, %s)",
                       SQL.identifier(OPEN_WORKERS_TABLE), self.technician.id, self.planned.id))
        self.assertEqual(self.env["service.order"]._cron_sync_open_workers(), 2)
        self.assertTableHolds("set right")
        self.assertEqual(self.env["service.order"]._cron_sync_open_workers(), 0, "nothing left to set")
        cron = self.env.ref("service_order.ir_cron_open_workers")
        self.assertEqual((cron.active, cron.interval_number, cron.interval_type), (True, 1, "hours"))

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
        # for a technician the open orders are read from their rows, for the others from the state
        sql = lambda user: str(self.env["service.order"].with_user(user)._search([("is_open", "=", True)]))
        self.assertIn(OPEN_WORKERS_TABLE, sql(self.technician))
        self.assertNotIn(OPEN_WORKERS_TABLE, sql(self.dispatcher))
        self.assertEqual(self.draft.with_user(self.technician).is_open, True)

    def _page_by_rule(self, user, offset, limit, extra=()):
        """The page as the rule and the state give it, searched by a user who is no plain
        technician (the superuser): the reference for the technician's walked page."""
        return self.env["service.order"].search(
            [("field_worker_ids", "in", user.ids), ("state", "in", OPEN_STATES), *extra],
            offset=offset, limit=limit, order="priority desc, scheduled_start, id desc")

    def test_a_technicians_page_walks_their_open_orders_in_the_default_order(self):
        at = lambda day, hour: f"2026-12-{day:02d} {hour:02d}:00:00"
        # more open orders, in every place of the sort: urgent or not, on one day, on the same
        # hour (the id decides), without a schedule (last)
        more = self.env["service.order"].with_user(self.dispatcher).create([self._order_vals(
            field_worker_ids=[Command.set(self.technician.ids)], lead_technician_id=self.technician.id,
            priority=priority, scheduled_start=start, scheduled_end=start and at(int(start[8:10]), 23))
            for priority, start in (("1", at(9, 8)), ("0", at(9, 8)), ("0", at(3, 10)), ("1", at(3, 10)),
                                    ("0", False), ("0", at(4, 7)), ("1", False), ("0", at(9, 8)))])
        self.orders |= more
        orders = self.env["service.order"].with_user(self.technician)
        domain = [("assigned_to_me", "=", True), ("is_open", "=", True)]
        everything = self._page_by_rule(self.technician, 0, None)
        self.assertEqual(len(everything), 10)
        self.assertEqual(set(everything.mapped("priority")), {"0", "1"})
        for offset, limit in ((0, 80), (0, 3), (3, 4), (7, 5), (12, 5)):
            with self.subTest(offset=offset, limit=limit):
                query = orders._search(domain, offset=offset, limit=limit, order=orders._order)
                self.assertIn("walk", str(query), "the page walks the technician's rows")
                self.assertEqual(orders.search(domain, offset=offset, limit=limit).ids,
                                 self._page_by_rule(self.technician, offset, limit).ids)
        # the walk keeps the rest of the search: another condition, the other technician
        urgent = [("priority", "=", "1")]
        self.assertEqual(orders.search(domain + urgent, limit=2).ids,
                         self._page_by_rule(self.technician, 0, 2, urgent).ids)
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
        self.assertEqual(self._sort_rows_off(), 0, "the rows' sort columns follow the orders")
        self.assertEqual(orders.search_count(domain), 9)

    def test_the_walk_is_only_a_technicians_open_orders_in_the_default_order(self):
        def walked(user, domain, **kwargs):
            orders = self.env["service.order"].with_user(user)
            kwargs.setdefault("order", orders._order)
            return "walk" in str(orders._search(domain, **kwargs))
        mine = [("is_open", "=", True)]
        self.assertTrue(walked(self.technician, mine, limit=80))
        self.assertTrue(walked(self.technician, mine, limit=80, order="priority DESC, scheduled_start ASC, id DESC"))
        self.assertTrue(walked(self.technician, ["&", ("name", "ilike", "S"), "&", ("is_open", "!=", False),
                                                 ("assigned_to_me", "=", True)], limit=40, offset=40))
        self.assertFalse(walked(self.technician, mine), "no page: a count, a subquery")
        self.assertFalse(walked(self.technician, mine, limit=80, order="scheduled_start, id desc"))
        self.assertFalse(walked(self.technician, ["|", ("is_open", "=", True), ("name", "=", "S1")], limit=80))
        self.assertFalse(walked(self.technician, ["!", ("is_open", "=", True)], limit=80))
        self.assertFalse(walked(self.technician, [("state", "in", OPEN_STATES)], limit=80))
        self.assertFalse(walked(self.dispatcher, mine, limit=80))

    def _sort_rows_off(self):
        self.env.flush_all()
        self.env.cr.execute(SQL(
            "SELECT count(*) FROM %s t JOIN service_order o ON o.id = t.order_id"
            " WHERE (t.priority, t.scheduled_start) IS DISTINCT FROM (o.priority, o.scheduled_start)",
            SQL.identifier(OPEN_WORKERS_TABLE)))
        return self.env.cr.fetchone()[0]

    def test_the_sort_columns_follow_the_orders(self):
        self.assertEqual(self._sort_rows_off(), 0, "as built")
        self.draft.with_user(self.dispatcher).priority = "1"
        self.assertEqual(self._sort_rows_off(), 0, "a priority")
        planned = self.planned
        self.env.cr.execute("UPDATE service_order SET priority = '2', scheduled_start = '2026-12-24 08:00'"
                            " WHERE id = %s", [planned.id])
        self.assertEqual(self._sort_rows_off(), 0, "a priority and a schedule written by SQL")
        self.env.cr.execute(SQL("SELECT count(*) FROM %s WHERE order_id = %s AND priority = '2'",
                                SQL.identifier(OPEN_WORKERS_TABLE), planned.id))
        self.assertEqual(self.env.cr.fetchone()[0], 2)
        self.env.cr.execute(SQL("UPDATE %s SET scheduled_start = NULL WHERE order_id = %s",
                                SQL.identifier(OPEN_WORKERS_TABLE), planned.id))
        self.assertEqual(self._sort_rows_off(), 2, "both workers' rows made wrong")
        self.assertEqual(self.env["service.order"]._cron_sync_open_workers(), 2)
        self.assertEqual(self._sort_rows_off(), 0, "set right by the hourly check")

    def test_open_filter_refuses_other_operators(self):
        orders = self.env["service.order"].with_user(self.technician)
        for domain in ([("is_open", "in", [True])], [("is_open", "=", "yes")], [("is_open", "ilike", "t")]):
            with self.subTest(domain=domain), self.assertRaisesRegex(UserError, "Search Open with"):
                orders.search(domain)

    def test_technicians_rule_checked_in_one_query_on_records_in_hand(self):
        mine = (self.planned | self.draft).with_user(self.technician)
        mine.invalidate_recordset()
        mine.check_access("read"), mine.check_access("write")  # the rules' domains, cached per user
        mine.invalidate_recordset()
        mine.fetch(["name", "company_id"])  # as a page's search leaves them in the cache
        # in Python, the rule would read every field worker of these orders (2 queries)
        with self.assertQueryCount(1):
            mine.check_access("read")
        with self.assertQueryCount(1):
            self.assertEqual(mine._filtered_access("write"), mine)
        # a record the rule refuses: Odoo's own check decides and words the error
        theirs = self.theirs.with_user(self.technician)
        for records in (theirs, mine | theirs):
            with self.subTest(records=records.ids), self.assertRaises(AccessError):
                records.check_access("read")
        self.assertEqual((mine | theirs)._filtered_access("read"), mine)
        with self.assertRaises(AccessError):
            theirs.write({"color": 3})
        # a dispatcher's rule (the company, already in the cache) stays in Python: no query
        office = (self.planned | self.theirs).with_user(self.dispatcher)
        office.check_access("read")
        office.invalidate_recordset()
        office.fetch(["company_id"])
        with self.assertQueryCount(0):
            office.check_access("read")
