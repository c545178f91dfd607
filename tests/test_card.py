from datetime import datetime, timedelta

import pytz

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import ServiceOrderCase
from .web_client import view_spec


@tagged("post_install", "-at_install")
class TestOrderCard(ServiceOrderCase):
    """What the board's cards and the list read (service.order.card.mixin): the activity state
    in one query, equal to mail's; the customer's name and the number of field workers kept
    stored as the order and the partner change; none of them written by a role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls.env["service.order"].with_user(cls.dispatcher).create(
            [cls._order_vals() for _i in range(8)])
        # assignees on both sides of the date line: "today" is not the same day for both
        cls.east = cls._user_in("so_card_east", "Pacific/Kiritimati")  # UTC+14
        cls.west = cls._user_in("so_card_west", "Pacific/Pago_Pago")  # UTC-11

    @classmethod
    def _user_in(cls, login, tz):
        return cls.env["res.users"].create({
            "name": login, "login": login, "tz": tz,
            "groups_id": [Command.set(cls.env.ref("service_order.group_service_order_dispatcher").ids)]})

    def _schedule(self, order, user, days):
        """An activity of ``user`` due ``days`` after today in their time zone."""
        today = datetime.now(pytz.utc).astimezone(pytz.timezone(user.tz)).date()
        return order.activity_schedule("mail.mail_activity_data_todo", user_id=user.id,
                                       date_deadline=today + timedelta(days=days))

    def test_activity_state_is_mails_in_one_query(self):
        o = self.orders
        self._schedule(o[0], self.east, -1)                            # overdue
        self._schedule(o[1], self.west, 0)                             # today, in Pago Pago
        self._schedule(o[2], self.east, 0)                             # today, in Kiritimati
        self._schedule(o[3], self.west, 2)                             # planned
        self._schedule(o[4], self.east, 3), self._schedule(o[4], self.west, -2)  # the most urgent wins
        self._schedule(o[5], self.west, 1), self._schedule(o[5], self.east, 0)
        self._schedule(o[6], self.east, -3).action_done()              # done: no open activity
        # o[7]: none
        orders = o.with_user(self.dispatcher)
        orders.invalidate_recordset()
        with self.assertQueryCount(1):
            ours = [order.activity_state for order in orders]
        self.assertEqual(ours, ["overdue", "today", "today", "planned", "overdue", "today", False, False])
        # mail's own compute (through the ORM, per activity) gives the same
        orders.invalidate_recordset()
        self.env.registry["mail.activity.mixin"]._compute_activity_state(orders)
        self.assertEqual([order.activity_state for order in orders], ours)

    def test_activity_state_of_a_new_record_is_mails(self):
        # a form's record not saved yet (a new id): mail's compute, nothing to read in the database
        draft = self.env["service.order"].with_user(self.dispatcher).new(self._order_vals())
        self.assertFalse(draft.activity_state)
        copy = self.env["service.order"].new(origin=self.orders[0])
        self._schedule(self.orders[0], self.east, -1)
        copy.invalidate_recordset()
        self.assertEqual(copy.activity_state, "overdue", "a form's copy of a saved order")

    def test_customer_name_and_worker_count_follow_the_order(self):
        order = self._create_order(field_worker_ids=[Command.set(self.technician.ids)],
                                   lead_technician_id=self.technician.id)
        self.assertEqual((order.partner_name, order.field_worker_count), ("Brasserie Test", 1))
        self.customer.name = "Brasserie Royale"  # the customer renamed: every card shows it
        self.assertEqual(order.partner_name, "Brasserie Royale")
        other = self.env["res.partner"].create({"name": "Hôtel Métropole"})
        order.with_user(self.dispatcher).write({"partner_id": other.id, "location_id": other.id})
        self.assertEqual(order.partner_name, "Hôtel Métropole")
        # after approval the workers change through the add-workers wizard (a confirmation)
        self._approve(self._submit(order))
        wizard = Form(self.env["service.order.worker.add"].with_user(self.dispatcher).with_context(
            default_order_id=order.id))
        wizard.user_ids.add(self.technician_2)
        wizard.save().action_confirm()
        self.assertEqual(order.field_worker_count, 2)
        self.env.flush_all()
        self.env.cr.execute("SELECT partner_name, field_worker_count FROM service_order WHERE id = %s", [order.id])
        self.assertEqual(self.env.cr.fetchone(), ("Hôtel Métropole", 2), "stored, as the board reads them")

    def test_stored_display_names_follow_the_user_and_the_vehicle(self):
        order = self._create_order(field_worker_ids=[Command.set(self.technician.ids)],
                                   lead_technician_id=self.technician.id, vehicle_id=self.vehicle.id)
        self.assertEqual((order.lead_technician_name, order.vehicle_name),
                         (self.technician.name, self.vehicle.name))
        self.technician.name = "Lucy Renamed"
        self.assertEqual(order.lead_technician_name, "Lucy Renamed")
        self.technician.partner_id.name = "Lucy Partner"  # a user's name is their partner's
        self.assertEqual(order.lead_technician_name, "Lucy Partner")
        self.vehicle.license_plate = "T-EST-99"  # the vehicle's name holds its plate
        self.assertIn("T-EST-99", order.vehicle_name)
        order.with_user(self.dispatcher).write({"field_worker_ids": [Command.set(self.technician_2.ids)],
                                                "lead_technician_id": self.technician_2.id, "vehicle_id": False})
        self.assertEqual((order.lead_technician_name, order.vehicle_name), (self.technician_2.name, False))

    def test_web_read_serves_the_stored_display_names_as_odoo_would(self):
        orders = self.orders[:3].with_user(self.dispatcher)
        orders[0].write({"field_worker_ids": [Command.set(self.technician.ids)],
                         "lead_technician_id": self.technician.id, "vehicle_id": self.vehicle.id})
        orders[1].write({"field_worker_ids": [Command.set(self.technician_2.ids)],
                         "lead_technician_id": self.technician_2.id})
        self.env.flush_all()
        names = {"fields": {"display_name": {}}}
        spec = {"name": {}, "lead_technician_id": names, "vehicle_id": names}
        # the same spec with a context is not "display name only": Odoo's own web_read answers
        odoo_spec = {"name": {}, "lead_technician_id": {**names, "context": {}}, "vehicle_id": {**names, "context": {}}}
        self.env.invalidate_all()
        ours = orders.web_read(spec)
        self.env.invalidate_all()
        self.assertEqual(ours, orders.web_read(odoo_spec))
        self.assertEqual(ours[0]["lead_technician_id"], {"id": self.technician.id, "display_name": self.technician.name})
        self.assertEqual((ours[1]["vehicle_id"], ours[2]["lead_technician_id"]), (False, False))
        # a page: the names come with the page's query, and only the asked fields come back
        self.env.invalidate_all()
        page = orders.web_search_read([("id", "in", orders.ids)], spec, order="id")
        self.assertEqual(page["records"], ours)
        self.env.invalidate_all()
        orders.search_fetch([("id", "in", orders.ids)], ["name", "lead_technician_id", "vehicle_id"])
        with self.assertQueryCount(1):  # the names, for the three orders at once; no res_users, no fleet
            orders.web_read(spec)

    def test_no_role_writes_them(self):
        order = self.orders[0]
        for user in (self.dispatcher, self.supervisor):
            for field, value in (("partner_name", "Someone else"), ("field_worker_count", 9),
                                 ("lead_technician_name", "Someone"), ("vehicle_name", "A van")):
                with self.subTest(user=user.login, field=field), self.assertRaises(AccessError):
                    order.with_user(user).write({field: value})
        self.assertEqual((order.partner_name, order.field_worker_count), ("Brasserie Test", 0))

    def test_the_card_and_the_list_read_them_not_the_widgets(self):
        Order = self.env["service.order"].with_user(self.dispatcher)
        for view_type in ("kanban", "list"):
            spec = view_spec(Order, view_type)
            with self.subTest(view_type):
                self.assertIn("activity_state", spec)
                self.assertIn("partner_name", spec)
                self.assertIn("field_worker_count", spec)
                # what costs a query per widget and ORM reads per record
                self.assertFalse({"activity_ids", "field_worker_ids", "partner_id"} & set(spec))
