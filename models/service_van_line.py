from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero


class ServiceVanLineMixin(models.AbstractModel):
    """A part (of a work item) or a material (of an order) taken from the technician's van: its
    lots or serial numbers, and the one validated stock move that takes it from the van to the
    customer (``_van_deliver``), keyed by the line (a unique key on the move), so that nothing
    moves twice whatever is repeated or replayed.

    The concrete model gives ``_van_move_field``, the stock.move field pointing at it, and
    ``_van_sale_line()``, the sale order line billing it."""

    _name = "service.van.line.mixin"
    _description = "Part or material taken from the van"
    _van_move_field = None

    # the line's product and quantity (the concrete model defines them in full)
    product_id = fields.Many2one("product.product")
    quantity = fields.Float(digits="Product Unit of Measure")
    lot_ids = fields.Many2many(
        "stock.lot", string="Lots/Serial Numbers", copy=False, domain="[('product_id', '=', product_id)]",
        help="Tracked products: the serial numbers used (as many as the quantity), or the lot.")
    tracking = fields.Selection(related="product_id.tracking", string="Tracked By")
    # the key of a line added from the phone (its client's id for the addition): a replay of the
    # same addition finds the line made the first time instead of adding a second one
    client_key = fields.Char(readonly=True, copy=False, index="btree_not_null")
    van_delivered_qty = fields.Float(
        "Delivered from the Van", compute="_compute_van_delivered_qty", compute_sudo=True,
        digits="Product Unit of Measure",
        help="What left the van for the customer, less what came back (Odoo's Return on the delivery).")

    _sql_constraints = [("client_key_unique", "unique(client_key)", "This part was added already.")]

    def write(self, vals):
        if "client_key" in vals and not self.env.su:
            raise UserError(self.env._("The key of an addition is given when the line is made, never changed."))
        return super().write(vals)

    @api.model
    def _lot_only_commands(self, commands):
        """Whether x2many ``commands`` (from the order's or the item's form) only choose the lots of
        existing lines: the line's own check then decides (``_check_lots_editable``), not the
        guard of the order's printed lines or of the item's estimate."""
        return bool(commands) and all(
            isinstance(command, (list, tuple)) and len(command) == 3 and command[0] == Command.UPDATE
            and isinstance(command[2], dict) and set(command[2]) <= {"lot_ids"}
            for command in commands)

    def _van_moves(self):
        """The moves that took these lines from the van (one per line at most), their returns aside."""
        # sudo: the moves are Inventory's; the addon reads which of its lines left the van
        return self.env["stock.move"].sudo().search([(self._van_move_field, "in", self.ids)])

    def _compute_van_delivered_qty(self):
        delivered = defaultdict(float)
        for move in self._van_moves():
            line_id = move[self._van_move_field].id
            if move.state == "done":
                delivered[line_id] += move.product_qty
            for back in move.returned_move_ids.filtered(lambda m: m.state == "done"):
                delivered[line_id] -= back.product_qty
        for line in self:
            line.van_delivered_qty = delivered[line.id]

    @api.constrains("lot_ids", "product_id")
    def _check_lot_product(self):
        for line in self:
            wrong = line.lot_ids.filtered(lambda lot, line=line: lot.product_id != line.product_id)
            if wrong:
                raise ValidationError(self.env._(
                    "%(lots)s: not lots or serial numbers of %(product)s.",
                    lots=", ".join(wrong.mapped("name")), product=line.product_id.display_name))

    def _van_goods(self):
        """The lines that leave a van: goods (Odoo's "consu" products), not services."""
        return self.filtered(lambda line: line.product_id.type == "consu")

    def _van_lot_problems(self):
        """What keeps these lines from leaving the van, in words: a tracked product without its
        serial numbers (as many as the quantity, a whole number) or its one lot."""
        problems = []
        for line in self._van_goods():
            count, name = len(line.lot_ids), line.product_id.display_name
            if line.tracking == "serial":
                whole = float_is_zero(line.quantity - round(line.quantity), precision_digits=6)
                if not whole or count != round(line.quantity):
                    quantity = format(line.quantity, "g")
                    problems.append(self.env._(
                        "%(product)s × %(quantity)s is tracked by serial number: choose %(quantity)s serial "
                        "number(s) (%(count)s chosen).", product=name, quantity=quantity, count=count))
            elif line.tracking == "lot" and count != 1:
                problems.append(self.env._(
                    "%(product)s is tracked by lot: choose the one lot it comes from (%(count)s chosen).",
                    product=name, count=count))
        return problems

    def _van_user(self, order):
        """Whose van the line leaves: who added it, when they work on the order, else the lead
        technician (``order._get_van_location``)."""
        self.ensure_one()
        user = self.create_uid
        return user if user in order.field_worker_ids else order.lead_technician_id

    def _van_deliver(self, order):
        """Take these lines (of ``order``) from the van to the customer: one delivery (an
        Odoo delivery order, from the van) per van, its moves validated, one per line and
        linked to the line's sale order line, so that the sale order's delivered quantity comes
        from them (``sale_stock``). Lines already moved, and services, are left alone. The
        caller checked who acts and from which state."""
        # sudo: the technician has no Inventory rights; the addon moves exactly these lines, from the
        # van the order decides (never one the caller names), after the caller's checks
        lines = self.sudo()._van_goods()
        moved = lines._van_moves()[lines._van_move_field]
        lines = (lines - moved).filtered(lambda line: float_compare(
            line.quantity, 0, precision_rounding=line.product_id.uom_id.rounding) > 0)
        if not lines:
            return self.env["stock.picking"]
        lines._van_check_ready(order)
        order = order.sudo()
        sale_order = order.sale_order_id
        partner = sale_order.partner_shipping_id or order.location_id or order.partner_id
        customer = partner.property_stock_customer
        pickings = self.env["stock.picking"].sudo()
        for source, source_lines in lines._van_sources(order).items():
            pickings |= source_lines._van_picking(order, source, customer, partner)
        return pickings

    def _van_sources(self, order):
        """{the van location: its lines} of these lines of ``order``."""
        order = order.sudo()
        return self.grouped(lambda line: order._get_van_location(line._van_user(order)))

    def _van_check_ready(self, order):
        """Raise, changing nothing, when a line of ``order`` cannot leave its van: a tracked product
        without its serial numbers (or lot), or with serial numbers its van does not hold. Called
        before the step that moves them (Complete, Approve repair, the order's closing)."""
        lines = self.sudo()._van_goods()
        problems = lines._van_lot_problems()
        if problems:
            raise UserError(self.env._("%(order)s: these parts cannot leave the van yet:\n%(problems)s",
                                       order=order.name, problems="\n".join(f"- {p}" for p in problems)))
        for source, source_lines in lines._van_sources(order).items():
            source_lines._check_serials_in(source)

    def _check_serials_in(self, source):
        """A serial number used must be in the van it leaves (else the stock would show it in two places)."""
        tracked = self.filtered(lambda line: line.tracking == "serial")
        if not tracked:
            return
        quants = self.env["stock.quant"].sudo()._read_group(
            [("location_id", "child_of", source.id), ("lot_id", "in", tracked.lot_ids.ids), ("quantity", ">", 0)],
            ["lot_id"])
        here = {lot for lot, in quants}
        missing = tracked.lot_ids.filtered(lambda lot: lot not in here)
        if missing:
            raise UserError(self.env._(
                "Serial number(s) %(lots)s are not in %(van)s: choose those the van carries, or have its stock "
                "corrected.", lots=", ".join(missing.mapped("name")), van=source.display_name))

    def _van_picking(self, order, source, customer, partner):
        """One validated delivery of these lines from ``source`` to ``customer``."""
        sale_order = order.sale_order_id
        group = sale_order.procurement_group_id
        if sale_order and not group:
            group = self.env["procurement.group"].create(sale_order.order_line[:1]._prepare_procurement_group_vals())
            sale_order.procurement_group_id = group
        warehouse = source.warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", order.company_id.id)], limit=1)
        picking = self.env["stock.picking"].create({
            "picking_type_id": warehouse._service_van_type().id,
            "location_id": source.id,
            "location_dest_id": customer.id,
            "partner_id": partner.id,
            "origin": order.name,
            "company_id": order.company_id.id,
            "move_type": "direct",
            "move_ids": [Command.create(dict(line._van_move_values(order, source, customer), group_id=group.id))
                         for line in self],
        })
        moves = picking.move_ids
        moves._action_confirm(merge=False)  # one move per line: its key
        moves._do_unreserve()  # what the confirmation reserved: the lines below say what left
        self.env["stock.move.line"].create([
            vals for move in moves for vals in move[self._van_move_field]._van_move_line_values(move)])
        moves.picked = True
        picking.with_context(cancel_backorder=True)._action_done()
        return picking

    def _van_move_values(self, order, source, customer):
        self.ensure_one()
        return {
            "name": self.product_id.display_name,
            "product_id": self.product_id.id,
            "product_uom": self.product_id.uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": source.id,
            "location_dest_id": customer.id,
            "partner_id": (order.location_id or order.partner_id).id,
            "origin": order.name,
            "company_id": order.company_id.id,
            "sale_line_id": self._van_sale_line().id,
            self._van_move_field: self.id,
        }

    def _van_move_line_values(self, move):
        """The detailed operations of the line's move: one per serial number, one for the lot, or one."""
        self.ensure_one()
        common = {"move_id": move.id, "picking_id": move.picking_id.id, "product_id": move.product_id.id,
                  "product_uom_id": move.product_uom.id, "location_id": move.location_id.id,
                  "location_dest_id": move.location_dest_id.id, "picked": True}
        if self.tracking == "serial":
            return [dict(common, lot_id=lot.id, quantity=1.0) for lot in self.lot_ids]
        return [dict(common, lot_id=self.lot_ids[:1].id, quantity=self.quantity)]
