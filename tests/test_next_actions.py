from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.service_order.models.service_order_states import (
    NEXT_ACTIONS,
    OPEN_FIELD_STATES,
    STATE_TRANSITIONS,
    TECHNICIAN_STATUS_TRANSITIONS,
)

from .common import ServiceOrderCase

METHODS = {action.method: action.key for action in NEXT_ACTIONS}


@tagged("post_install", "-at_install")
class TestNextActions(ServiceOrderCase):
    """What a user can do next on an order comes from one table (NEXT_ACTIONS) read with the
    transition tables and the user's role; the header, the phone's block and the My Day card
    show it and decide nothing themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls._create_order(field_worker_ids=[(6, 0, cls.technician.ids)],
                                      lead_technician_id=cls.technician.id)
        cls.submitted = cls._submit(cls._create_order())
        cls.planned = cls._planned_order()

    def offered(self, order, user):
        order.invalidate_recordset()
        order = order.with_user(user)
        offered, step = set(order.next_actions or ()), order.next_action
        # the My Day card shows Decline with the Accept step: the table offers them together
        self.assertEqual("decline" in offered, step == "accept")
        return offered, step

    def test_what_each_role_is_offered_along_the_workflow(self):
        self.assertEqual(self.offered(self.draft, self.dispatcher), ({"submit", "cancel"}, False))
        self.assertEqual(self.offered(self.draft, self.technician), (set(), False),
                         "a technician acts on an order once it is planned")
        self.assertEqual(self.offered(self.submitted, self.supervisor), ({"review", "cancel"}, False))
        self.assertEqual(self.offered(self.submitted, self.dispatcher), ({"cancel"}, False))
        order = self.planned
        field = {"cancel", "clock_in", "report_fallout"}
        self.assertEqual(self.offered(order, self.technician),
                         ({"accept", "decline", "depart", *field}, "accept"))
        # the office closes or cancels: the technician's own steps are not offered to a dispatcher
        self.assertEqual(self.offered(order, self.dispatcher),
                         ({"invite", "add_workers", "confirm", "close", "cancel", "report_fallout"}, False))
        tech = order.with_user(self.technician)
        tech.action_accept_assignment()
        self.assertEqual(self.offered(order, self.technician), ({"depart", *field}, "depart"))
        tech.action_depart()
        self.assertEqual(self.offered(order, self.technician), ({"arrive", "customer_absent", *field}, "arrive"))
        tech.action_arrive()
        on_site = {"confirm", "complete", "customer_absent", "not_done", *field}
        self.assertEqual(self.offered(order, self.technician), ({"start_work", *on_site}, "start_work"))
        tech.action_start_work()  # clocks in: time follows the work
        working = {"confirm", "complete", "not_done", "cancel", "report_fallout"}
        self.assertEqual(self.offered(order, self.technician), ({"pause", "clock_out", *working}, "complete"))
        tech.action_pause()  # clocks out
        self.assertEqual(self.offered(order, self.technician), ({"resume", "clock_in", *working}, "resume"))
        order.with_user(self.dispatcher)._do_close("completed")
        self.assertEqual(self.offered(order, self.technician), (set(), False), "closed: nothing left to do")
        with self.assertRaises(AccessError):  # another technician reads nothing of it
            self.offered(order, self.technician_2)

    def test_a_worker_still_to_answer_once_the_work_started(self):
        """Accept stays offered while the assignment waits, but the big step is the work's."""
        order = self._planned_order(workers=self.technician | self.technician_2)
        order.with_user(self.technician_2).action_depart()
        offered, step = self.offered(order, self.technician)
        self.assertEqual((offered, step), ({"accept", "arrive", "customer_absent", "cancel", "clock_in",
                                            "report_fallout"}, "arrive"))
        order.with_user(self.technician).action_accept_assignment()
        self.assertNotIn("accept", self.offered(order, self.technician)[0])

    def test_what_is_offered_is_what_the_methods_allow(self):
        """Every offered button passes its method's own checks (run, then rolled back); a status
        move that is not offered is refused by its method."""
        tried, refused = set(), set()
        for order in (self.draft, self.submitted, self.planned):
            for user in (self.technician, self.dispatcher, self.supervisor):
                if not order.with_user(user).has_access("read"):
                    continue
                offered, _step = self.offered(order, user)
                for action in NEXT_ACTIONS:
                    with self.subTest(order=order.state, user=user.login, action=action.key), \
                            self.env.cr.savepoint() as savepoint:
                        button = getattr(order.with_user(user), action.method)
                        if action.key in offered:
                            button()  # raises if the method refuses what the views offer
                            tried.add(action.key)
                        elif action.status and (order.state not in OPEN_FIELD_STATES or action.status not in
                                                TECHNICIAN_STATUS_TRANSITIONS.get(order.technician_status, ())):
                            with self.assertRaises(UserError):  # AccessError among them
                                button()
                            refused.add(action.key)
                        savepoint.rollback()
                        self.env.invalidate_all()
        self.assertEqual(tried, {"submit", "cancel", "review", "accept", "decline", "depart", "clock_in",
                                 "report_fallout", "invite", "add_workers", "confirm", "close"})
        self.assertEqual(refused, {"depart", "arrive", "start_work", "pause", "resume", "complete"})

    def test_the_views_show_what_the_table_says(self):
        """No button of the workflow decides by itself: each is shown by the key of its row."""
        Order = self.env["service.order"].with_user(self.dispatcher)
        form = etree.fromstring(Order.get_view(view_type="form")["arch"])
        my_day = etree.fromstring(Order.get_view(
            self.env.ref("service_order.service_order_view_kanban_my_day").id, "kanban")["arch"])
        buttons = [(arch, b) for arch in (form, my_day) for b in arch.iter("button") if b.get("name") in METHODS]
        self.assertGreaterEqual(len(buttons), 30, "the header, the phone's block and the card")
        for arch, button in buttons:
            invisible = button.get("invisible", "")
            key = METHODS[button.get("name")]
            with self.subTest(button=button.get("name"), invisible=invisible):
                # the card's Decline comes with the Accept step, as the table offers it
                shown_by = {"decline": "accept"}.get(key, key) if arch is my_day else key
                self.assertTrue(f"'{key}' not in next_actions" in invisible
                                or f"next_action != '{shown_by}'" in invisible, invisible)
                self.assertNotIn("state", invisible)
                self.assertNotIn("technician_status", invisible)

    def test_a_move_taken_out_of_the_tables_is_no_longer_offered(self):
        self.assertIn("cancel", self.offered(self.planned, self.dispatcher)[0])
        with patch.dict(STATE_TRANSITIONS, {"planned": STATE_TRANSITIONS["planned"] - {"cancelled"}}), \
                patch.dict(TECHNICIAN_STATUS_TRANSITIONS,
                           {"planned": TECHNICIAN_STATUS_TRANSITIONS["planned"] - {"en_route"}}):
            offered, step = self.offered(self.planned, self.dispatcher)
            self.assertNotIn("cancel", offered)
            self.assertNotIn("depart", offered)
            self.assertEqual(step, False)
            self.assertEqual(self.offered(self.planned, self.technician)[1], "accept")
