from datetime import datetime, time, timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .sale_common import PIPE_PRICE, VESSEL_PRICE, SaleCase


class VanStockCase(SaleCase):
    """Two vans with stock (the class's vehicle, the technician's default van; a second one,
    the second technician's), a product tracked by serial number, an Inventory user (the
    warehouse keeper) and a customer who needs no estimate (workflow A: an item submitted is
    approved at once)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        (cls.part_vessel | cls.part_pipe).write({"is_storable": True})
        cls.circulator = env["product.product"].create({
            "name": "Circulator (test)", "type": "consu", "is_storable": True, "tracking": "serial",
            "barcode": "5700395000001", "list_price": 200, "taxes_id": [Command.set(cls.tax.ids)]})
        cls.serials = env["stock.lot"].create([
            {"name": f"CIRC-{index}", "product_id": cls.circulator.id} for index in (1, 2, 3)])
        cls.van_1 = cls.vehicle
        cls.van_2 = env["fleet.vehicle"].create({"model_id": cls.vehicle.model_id.id, "license_plate": "T-EST-02"})
        cls.loc_1, cls.loc_2 = cls.van_1.service_location_id, cls.van_2.service_location_id
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.technician.service_vehicle_id = cls.van_1
        cls.technician_2.service_vehicle_id = cls.van_2
        Quant = env["stock.quant"]
        for location, product, quantity, lot in (
                (cls.loc_1, cls.part_vessel, 3, None), (cls.loc_1, cls.part_pipe, 10, None),
                (cls.loc_1, cls.circulator, 1, cls.serials[0]), (cls.loc_1, cls.circulator, 1, cls.serials[1]),
                (cls.loc_2, cls.part_vessel, 1, None), (cls.loc_2, cls.circulator, 1, cls.serials[2]),
                (cls.warehouse.lot_stock_id, cls.part_vessel, 20, None)):
            Quant._update_available_quantity(product, location, quantity, lot_id=lot)
        # a dispatcher who keeps the warehouse too (Inventory rights)
        cls.keeper = new_test_user(env, login="so_keeper", name="So Keeper", groups=(
            "base.group_user,stock.group_stock_user,service_order.group_service_order_dispatcher"))
        cls.stock_manager = new_test_user(env, login="so_stock_manager", name="So Stock Manager",
                                          groups="base.group_user,stock.group_stock_manager")
        cls.plain_customer = env["res.partner"].create({"name": "Plain Customer", "is_company": True,
                                                        "street": "Rue Neuve 1", "city": "Bruxelles"})
        cls.customer_location = env.ref("stock.stock_location_customers")

    def _on_hand(self, location, product, lot=None):
        return self.env["stock.quant"]._get_available_quantity(product, location, lot_id=lot, strict=bool(lot),
                                                               allow_negative=True)

    def _moves(self, order):
        return self.env["stock.move"].search([("origin", "=", order.name), ("location_dest_id.usage", "=", "customer")])

    def _workflow_a_item(self, parts, user=None):
        """An item of a new on-site order of the plain customer (no estimate), submitted: approved."""
        order = self._on_site_order(partner_id=self.plain_customer.id, location_id=self.plain_customer.id)
        item = self._create_item(order, user=user, part_ids=parts)
        item.action_submit()
        self.assertEqual(item.state, "approved")
        return item


class TestVanStockMoves(VanStockCase):
    """A part used leaves the right van once; a tracked part needs its serial number."""

    def test_part_used_on_done_item_leaves_the_technicians_van_exactly_once(self):
        self._decide(a="accepted", b="refused")
        self.assertFalse(self._moves(self.order), "nothing leaves the van before the work is done")
        self._do_work(self.item_a, hours=0)
        self.assertEqual(self.item_a.state, "done")
        moves = self._moves(self.order)
        self.assertEqual(sorted((m.product_id, m.quantity, m.state, m.location_id) for m in moves),
                         sorted([(self.part_vessel, 1.0, "done", self.loc_1), (self.part_pipe, 2.5, "done", self.loc_1)]))
        self.assertEqual(moves.picking_id.state, "done")
        self.assertEqual(moves.picking_id.picking_type_id, self.warehouse.service_van_type_id)
        self.assertEqual(moves.picking_id.picking_type_id.code, "outgoing")
        self.assertEqual((self._on_hand(self.loc_1, self.part_vessel), self._on_hand(self.loc_1, self.part_pipe)),
                         (2.0, 7.5))
        self.assertEqual(self._on_hand(self.loc_2, self.part_vessel), 1.0, "the other van is untouched")
        self.assertEqual(self._on_hand(self.warehouse.lot_stock_id, self.part_vessel), 20.0,
                         "nothing leaves the warehouse: the sale order's delivery is the van's")
        self.assertFalse(self.order.sudo().sale_order_id.picking_ids - moves.picking_id)
        self.assertEqual(self.item_a.part_ids.mapped("van_delivered_qty"), [1.0, 2.5])

        # the step repeated or replayed: the done state's effect again, the order completed
        self.item_a.sudo()._on_state_changed("done")
        self.item_a.part_ids._van_deliver(self.order)
        self._complete()
        self.assertEqual(self._moves(self.order), moves, "nothing moved twice")
        self.assertEqual(self._on_hand(self.loc_1, self.part_vessel), 2.0)
        with self.assertRaises(IntegrityError), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["stock.move"].create(dict(moves[0].copy_data()[0], service_part_id=moves[0].service_part_id.id))

    def test_parts_leave_the_van_of_the_orders_vehicle_else_the_users(self):
        item = self._workflow_a_item([Command.create({"product_id": self.part_vessel.id, "quantity": 1})],
                                     user=self.technician)
        item.order_id.sudo().vehicle_id = self.van_2  # the order names its vehicle: its van
        item.action_start_repair()
        item.action_submit_repair()
        item.action_complete_repair()
        self.assertEqual(self._moves(item.order_id).location_id, self.loc_2)
        self.assertEqual(self._on_hand(self.loc_2, self.part_vessel), 0.0)
        self.assertEqual(self._on_hand(self.loc_1, self.part_vessel), 3.0)

    def test_a_tracked_part_needs_its_serial_numbers_from_the_van(self):
        item = self._workflow_a_item([Command.create({"product_id": self.circulator.id, "quantity": 1})])
        item.action_start_repair()
        item.action_submit_repair()
        with self.assertRaisesRegex(UserError, "serial number"):
            item.action_complete_repair()
        self.assertEqual(item.state, "repair_submitted")
        part = item.part_ids
        # a serial number of the other van: refused when the part would leave
        item.write({"part_ids": [Command.update(part.id, {"lot_ids": [Command.set(self.serials[2].ids)]})]})
        with self.assertRaisesRegex(UserError, "CIRC-3 are not in"):
            item.action_complete_repair()
        self.assertEqual(item.state, "repair_submitted")
        self.assertFalse(self._moves(item.order_id))
        # one of this van's: it leaves, with its serial number
        item.write({"part_ids": [Command.update(part.id, {"lot_ids": [Command.set(self.serials[0].ids)]})]})
        item.action_complete_repair()
        self.assertEqual(item.state, "done")
        move = self._moves(item.order_id)
        self.assertEqual(move.move_line_ids.lot_id, self.serials[0])
        self.assertEqual(self._on_hand(self.loc_1, self.circulator, self.serials[0]), 0.0)
        self.assertEqual(self._on_hand(self.loc_1, self.circulator, self.serials[1]), 1.0)
        self.assertEqual(self.serials[0].sudo().quant_ids.filtered(lambda q: q.quantity > 0).location_id.usage,
                         "customer")
        with self.assertRaisesRegex(UserError, "kept as they left the van"):
            part.with_user(self.technician).write({"lot_ids": [Command.set(self.serials[1].ids)]})

    def test_add_a_part_from_the_phone_once_whatever_is_replayed(self):
        order = self._on_site_order(partner_id=self.plain_customer.id, location_id=self.plain_customer.id)
        item = self._create_item(order, part_ids=[])
        picker = item.get_part_picker()
        self.assertEqual(picker["van"], self.loc_1.display_name)
        self.assertEqual(picker["mode"], "part")
        carried = {p["name"]: p["on_hand"] for p in picker["products"]}
        self.assertEqual(carried, {self.part_vessel.display_name: 3.0, self.part_pipe.display_name: 10.0,
                                   self.circulator.display_name: 2.0})
        by_barcode = item.get_part_picker("5700395000001")["products"]
        self.assertEqual([(p["id"], sorted(lot["name"] for lot in p["lots"])) for p in by_barcode],
                         [(self.circulator.id, ["CIRC-1", "CIRC-2"])], "the van's serial numbers only")
        first = item.action_add_part(self.part_vessel.id, quantity=2, key="tap-1")
        again = item.action_add_part(self.part_vessel.id, quantity=2, key="tap-1")
        self.assertEqual(first, again)
        self.assertEqual([(p.product_id, p.quantity) for p in item.part_ids], [(self.part_vessel, 2.0)])
        serial = item.action_add_part(self.circulator.id, lot_ids=self.serials[:2].ids, key="tap-2")
        part = self.env[serial["model"]].browse(serial["id"])
        self.assertEqual((part.quantity, part.lot_ids), (2.0, self.serials[:2]))
        with self.assertRaisesRegex(UserError, "another order"):
            self._create_item(self._on_site_order(), part_ids=[]).action_add_part(self.part_vessel.id, key="tap-1")
        with self.assertRaisesRegex(UserError, "greater than 0"):
            item.action_add_part(self.part_pipe.id, quantity=-1, key="tap-3")
        self.assertEqual(len(item.part_ids), 2, "bad input changes nothing")
        # accepted work: the part is an extra material, through a confirmation; it leaves the van
        # when the order is completed
        item.action_submit()
        self.assertEqual(item.state, "approved")
        extra = item.action_add_part(self.part_pipe.id, quantity=1.5, key="tap-4")
        self.assertEqual(extra["model"], "service.order.line")
        item.write({"part_ids": [Command.update(part.id, {"lot_ids": [Command.set(self.serials[:2].ids)]})]})
        item.action_start_repair()
        item.action_submit_repair()
        item.action_complete_repair()
        self.assertEqual(self._on_hand(self.loc_1, self.part_pipe), 10.0, "the material leaves with the order")
        order.with_user(self.technician)._do_close("completed")
        self.assertEqual(self._on_hand(self.loc_1, self.part_pipe), 8.5)
        self.assertEqual(self._on_hand(self.loc_1, self.part_vessel), 1.0)
        self.assertEqual(self._on_hand(self.loc_1, self.circulator), 0.0)


class TestVanStockInvoice(VanStockCase):
    """Money follows work: what left the van is what the invoice carries."""

    def test_invoice_carries_what_left_the_van_less_what_came_back(self):
        # buttons only: the customer accepts A, the technician adds a part on the phone, works, closes
        self._decide(a="accepted", b="refused")
        technician_item = self.item_a.with_user(self.technician)
        technician_item.action_add_part(self.part_pipe.id, quantity=1, key="invoice-1")  # an extra metre
        technician_item.action_start_repair()
        technician_item.action_submit_repair()
        technician_item.action_complete_repair()
        self._complete()
        self.assertEqual(self._on_hand(self.loc_1, self.part_pipe), 6.5)
        lines = self._sale_lines()
        self.assertEqual(lines[self.part_vessel.name], (1.0, 1.0))
        pipes = self.order.sudo().sale_order_id.order_line.filtered(lambda line: line.product_id == self.part_pipe)
        self.assertEqual(sorted(pipes.mapped("qty_delivered")), [1.0, 2.5])
        # one metre of the extra came back to the van: the warehouse keeper's Return
        delivery = self._moves(self.order).filtered(lambda m: m.service_order_line_id).picking_id
        wizard = self.env["stock.return.picking"].with_user(self.keeper).with_context(
            active_id=delivery.id, active_model="stock.picking").create({})
        wizard.product_return_moves.write({"quantity": 0.5})
        returned = wizard._create_return()
        returned.button_validate()
        self.assertEqual(returned.state, "done")
        self.assertEqual(self._on_hand(self.loc_1, self.part_pipe), 7.0)
        billing_order = self.order.with_user(self.billing)
        action = billing_order.action_create_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        quantities = {(line.product_id, line.quantity) for line in invoice.invoice_line_ids if line.product_id}
        self.assertIn((self.part_vessel, 1.0), quantities)
        self.assertIn((self.part_pipe, 2.5), quantities)
        self.assertIn((self.part_pipe, 0.5), quantities, "the extra metre, less the half that came back")
        parts = sum(line.price_subtotal for line in invoice.invoice_line_ids if line.product_id != self.labour)
        self.assertAlmostEqual(parts, VESSEL_PRICE + 3.0 * PIPE_PRICE)
        with self.assertRaisesRegex(UserError, "nothing left to invoice"):
            billing_order.action_create_invoice()


class TestVanStockAccess(VanStockCase):
    """Who may move what: technicians through the addon only, from the van the order decides."""

    def test_technician_moves_no_other_stock_and_validates_no_transfer(self):
        refill = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.int_type_id.id, "location_id": self.warehouse.lot_stock_id.id,
            "location_dest_id": self.loc_2.id,
            "move_ids": [Command.create({"name": "vessel", "product_id": self.part_vessel.id, "product_uom_qty": 2,
                                         "location_id": self.warehouse.lot_stock_id.id,
                                         "location_dest_id": self.loc_2.id})]})
        refill.action_confirm()
        for user in (self.technician, self.dispatcher):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    refill.with_user(user).button_validate()
                with self.assertRaises(AccessError):
                    self.env["stock.picking"].with_user(user).create({
                        "picking_type_id": self.warehouse.int_type_id.id, "location_id": self.loc_2.id,
                        "location_dest_id": self.loc_1.id})
                with self.assertRaises(AccessError):
                    refill.move_ids.with_user(user).write({"quantity": 2, "picked": True})
                with self.assertRaises(AccessError):
                    self.env["stock.quant"].with_user(user).create({
                        "product_id": self.part_vessel.id, "location_id": self.loc_1.id, "inventory_quantity": 50})
        with self.assertRaises(AccessError):
            self.technician.with_user(self.technician).write({"service_vehicle_id": self.van_2.id})
        self.assertEqual(refill.state, "assigned")
        self.assertEqual(self._on_hand(self.loc_2, self.part_vessel), 1.0)

    def test_technician_cannot_take_parts_from_another_technicians_van(self):
        # on an order of the second technician, the first one's parts leave their own van, never
        # another: the addon decides the van; a serial number of another van is refused
        item = self._workflow_a_item([Command.create({"product_id": self.circulator.id, "quantity": 1})],
                                     user=self.technician)
        item.write({"part_ids": [Command.update(item.part_ids.id, {"lot_ids": [Command.set(self.serials[2].ids)]})]})
        item.action_start_repair()
        item.action_submit_repair()
        with self.assertRaisesRegex(UserError, "not in"):
            item.action_complete_repair()
        self.assertEqual(self._on_hand(self.loc_2, self.circulator, self.serials[2]), 1.0)
        with self.assertRaises(AccessError):
            self.env["service.van.stock.report"].with_user(self.technician).search([])


class TestVanRefill(VanStockCase):
    """A dispatcher sees each van's stock and tomorrow's needs; the warehouse refills the vans."""

    def test_dispatcher_sees_what_tomorrow_needs_and_the_keeper_refills(self):
        tomorrow = datetime.combine(datetime.now().date() + timedelta(days=1), time(12))
        self._planned_order(scheduled_start=tomorrow, line_ids=[Command.create(
            {"product_id": self.part_vessel.id, "name": "Vessel", "quantity": 5})])
        rows = self.env["service.van.stock.report"].with_user(self.dispatcher).search(
            [("vehicle_id", "=", self.van_1.id), ("product_id", "=", self.part_vessel.id)])
        self.assertRecordValues(rows, [{"qty_on_hand": 3.0, "qty_needed": 5.0, "qty_missing": 2.0, "is_missing": True}])
        with self.assertRaises(AccessError):
            rows.with_user(self.dispatcher).action_refill()  # Inventory's rights decide
        keeper_rows = self.env["service.van.stock.report"].with_user(self.keeper).browse(rows.ids)
        action = keeper_rows.action_refill()
        refill = self.env["stock.picking"].browse(action["domain"][0][2])
        self.assertRecordValues(refill, [{"location_id": self.warehouse.lot_stock_id.id,
                                          "location_dest_id": self.loc_1.id, "state": "assigned"}])
        self.assertEqual(refill.move_ids.product_uom_qty, 2.0)
        refill.with_user(self.keeper).button_validate()
        self.assertEqual(self._on_hand(self.loc_1, self.part_vessel), 5.0)
        self.assertEqual(self._on_hand(self.warehouse.lot_stock_id, self.part_vessel), 18.0)
        self.env.invalidate_all()
        self.assertFalse(rows.with_user(self.dispatcher).is_missing)

    def test_reordering_rule_of_a_van_proposes_a_transfer_from_the_warehouse(self):
        orderpoint = self.env["stock.warehouse.orderpoint"].with_user(self.stock_manager).create({
            "product_id": self.part_vessel.id, "warehouse_id": self.warehouse.id, "location_id": self.loc_2.id,
            "product_min_qty": 2, "product_max_qty": 4})
        self.assertEqual(self.warehouse.service_van_route_id.rule_ids.location_src_id, self.warehouse.lot_stock_id)
        orderpoint.with_user(self.stock_manager).action_replenish()
        move = self.env["stock.move"].search([("orderpoint_id", "=", orderpoint.id)])
        self.assertRecordValues(move, [{"location_id": self.warehouse.lot_stock_id.id,
                                        "location_dest_id": self.loc_2.id, "product_uom_qty": 3.0}])
        self.assertEqual(move.picking_id.picking_type_id, self.warehouse.service_van_refill_type_id)
        self.assertEqual(move.picking_id.location_dest_id, self.loc_2)
