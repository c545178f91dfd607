from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ServiceOrderCase


@tagged("post_install", "-at_install")
class TestOrderSecurity(ServiceOrderCase):

    multi_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Order = cls.env["service.order"]
        cls.mine = Order.with_user(cls.dispatcher).create(cls._order_vals(field_worker_ids=[Command.set(cls.technician.ids)],
                                                                     lead_technician_id=cls.technician.id))
        cls.theirs = Order.with_user(cls.dispatcher).create(cls._order_vals(field_worker_ids=[Command.set(cls.technician_2.ids)]))
        cls.unassigned = Order.with_user(cls.dispatcher).create(cls._order_vals())
        cls.other_company = Order.with_user(cls.dispatcher_b).create(cls._order_vals(
            company_id=cls.company_b.id, partner_id=cls.env["res.partner"].create({"name": "B customer"}).id,
            location_id=False, order_type_id=False))
        cls.all_orders = cls.mine | cls.theirs | cls.unassigned | cls.other_company

    def _visible(self, user):
        return self.env["service.order"].with_user(user).search([("id", "in", self.all_orders.ids)])

    def test_technician_sees_only_assigned_orders(self):
        self.assertEqual(self._visible(self.technician), self.mine)
        self.assertEqual(self._visible(self.technician_2), self.theirs)

    def test_technician_cannot_read_or_write_unassigned_order(self):
        with self.assertRaises(AccessError):
            self.theirs.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.unassigned.with_user(self.technician).write({"color": 2})
        self.assertEqual(self.unassigned.color, 0, "the refused write changed nothing")

    def test_technician_updates_assigned_order_but_cannot_create_or_delete(self):
        self.mine.with_user(self.technician).write({"color": 4})
        self.assertEqual(self.mine.color, 4)
        with self.assertRaisesRegex(AccessError, "buttons and wizards"):
            self.mine.with_user(self.technician).write({"priority": "1"})
        self.assertEqual(self.mine.priority, "0")
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.technician).create(self._order_vals())
        with self.assertRaises(AccessError):
            self.mine.with_user(self.technician).unlink()

    def test_dispatcher_and_supervisor_see_their_companies_orders(self):
        expected = self.mine | self.theirs | self.unassigned
        self.assertEqual(self._visible(self.dispatcher), expected)
        self.assertEqual(self._visible(self.supervisor), expected)
        self.assertEqual(self._visible(self.dispatcher_b), self.other_company)
        with self.assertRaises(AccessError):
            self.other_company.with_user(self.dispatcher).read(["name"])

    def test_multi_company_user_sees_both_when_both_companies_allowed(self):
        self.supervisor.write({"company_ids": [Command.link(self.company_b.id)]})
        both = self.env["service.order"].with_user(self.supervisor).with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]).search([("id", "in", self.all_orders.ids)])
        self.assertEqual(both, self.all_orders)

    def test_employee_without_group_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.employee).read(["name"])

    def test_only_supervisor_manages_order_types(self):
        Type = self.env["service.order.type"]
        self.assertTrue(Type.with_user(self.technician).search([("id", "=", self.order_type.id)]))
        with self.assertRaises(AccessError):
            Type.with_user(self.dispatcher).create({"name": "Not allowed"})
        created = Type.with_user(self.supervisor).create({"name": "Allowed"})
        self.assertTrue(created.exists())

    def test_role_groups_imply_each_other(self):
        self.assertTrue(self.supervisor.has_group("service_order.group_service_order_dispatcher"))
        self.assertTrue(self.supervisor.has_group("service_order.group_service_order_technician"))
        self.assertTrue(self.dispatcher.has_group("service_order.group_service_order_technician"))
        self.assertFalse(self.dispatcher.has_group("service_order.group_service_order_supervisor"))
        self.assertFalse(self.technician.has_group("service_order.group_service_order_dispatcher"))

    def test_field_workers_work_in_the_orders_company(self):
        """Finding 10: a dispatcher added a technician of another company as field worker, who
        then read the order's workspace."""
        outsider = new_test_user(self.env, login="so_tech_b", name="Tech B",
                                 groups="base.group_user,service_order.group_service_order_technician",
                                 company_id=self.company_b.id, company_ids=[Command.set(self.company_b.ids)])
        with self.assertRaisesRegex(ValidationError, "do not work in"), self.env.cr.savepoint():
            self.unassigned.with_user(self.dispatcher).write({"field_worker_ids": [Command.link(outsider.id)]})
        self.assertFalse(self.unassigned.field_worker_ids)
        order = self.mine.with_user(self.dispatcher)
        order._do_submit()
        order.with_user(self.supervisor)._do_approve()
        with self.assertRaisesRegex(ValidationError, "do not work in"), self.env.cr.savepoint():
            order._do_confirm("Help from B", workers=outsider)
        self.assertEqual(order.field_worker_ids, self.technician)
        self.assertNotIn(outsider.partner_id, order.sudo().channel_id.channel_member_ids.partner_id)
