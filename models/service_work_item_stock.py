from odoo import Command, api, models
from odoo.exceptions import UserError, ValidationError

from .common import DISPATCHER_GROUP, MAX_QUANTITY, MAX_SHORT_TEXT, check_number

# Accepted work (the customer's price given): a part added now is an extra material, which
# after approval only a confirmation adds (it issues the next PDF version).
ACCEPTED_STATES = ("approved", "in_repair", "repair_submitted", "waiting_repair_approval")
PICKER_LIMIT = 30  # products listed by the phone's Add a part at a time


class ServiceWorkItemStockMixin(models.AbstractModel):
    """A work item's parts from the technician's van: added on the phone in three taps (Add a
    part: search or scan, quantity, done), with the van's quantity on hand beside each product;
    their serial numbers asked for tracked products; taken from the van, validated, when the item
    is done. Each addition carries its key (the client's id), so a replay adds nothing twice."""

    _name = "service.work.item.stock.mixin"
    _description = "Work Item: parts from the van"

    # ------------------------------------------------------------------
    # Done: the parts leave the van
    # ------------------------------------------------------------------
    def _check_parts_ready(self):
        """Raise naming every part that cannot leave the van yet (a tracked product without its
        serial numbers or lot)."""
        problems = [f"{item.display_name}: {problem}" for item in self
                    for problem in item.sudo().part_ids._van_lot_problems()]
        if problems:
            raise UserError(self.env._("Choose the serial numbers (or lots) of the parts used first:\n%(problems)s",
                                       problems="\n".join(f"- {p}" for p in problems)))
        for item in self:
            parts = item.sudo().part_ids
            parts.filtered(lambda part: not part._van_moves())._van_check_ready(item.order_id)

    def _on_state_changed(self, new_state):
        """Done: the parts leave the van (one validated delivery per item and van), before the
        sale order's quantities follow (service.work.item.sale.mixin)."""
        if new_state == "done":
            for order, items in self.grouped("order_id").items():
                items.part_ids._van_deliver(order)
        return super()._on_state_changed(new_state)

    # ------------------------------------------------------------------
    # The phone's Add a part
    # ------------------------------------------------------------------
    def _van_quantities(self, location, products):
        """{product id: quantity on hand in ``location``} and {product id: [lots there]}."""
        Quant = self.env["stock.quant"]
        domain = [("location_id", "child_of", location.id), ("product_id", "in", products.ids)]
        on_hand = {product.id: quantity for product, quantity in Quant._read_group(
            domain, ["product_id"], ["quantity:sum"])}
        lots = {}
        for product, lot, quantity in Quant._read_group(
                domain + [("lot_id", "!=", False), ("quantity", ">", 0)], ["product_id", "lot_id"], ["quantity:sum"],
                order="lot_id"):
            lots.setdefault(product.id, []).append({"id": lot.id, "name": lot.name, "quantity": quantity})
        return on_hand, lots

    @api.readonly
    def get_part_picker(self, search=None):
        """What the phone's Add a part shows: the van the parts leave (the order's vehicle, else
        the user's default van), and the products found by ``search`` (name, reference or barcode;
        empty: what the van carries), each with its quantity on hand there and, when tracked, the
        lots or serial numbers the van holds. Reads only."""
        self.ensure_one()
        self.check_access("read")
        order = self.order_id
        van = order._get_van_location(self.env.user)
        Product = self.env["product.product"]
        domain = [("type", "=", "consu"), ("sale_ok", "=", True),
                  ("company_id", "in", [False, order.company_id.id])]
        search = (search or "").strip()[:MAX_SHORT_TEXT]
        if search:
            domain += ["|", "|", ("name", "ilike", search), ("default_code", "ilike", search), ("barcode", "=", search)]
            products = Product.search(domain, limit=PICKER_LIMIT)
        else:
            carried = [product.id for product, in self.env["stock.quant"]._read_group(
                [("location_id", "child_of", van.id), ("quantity", ">", 0)], ["product_id"])]
            products = Product.search(domain + [("id", "in", carried)], limit=PICKER_LIMIT, order="name")
        on_hand, lots = self._van_quantities(van, products)
        return {
            "van": van.display_name,
            "mode": self._part_addition_mode(),
            "products": [{
                "id": product.id,
                "name": product.display_name,
                "uom": product.uom_id.name,
                "on_hand": on_hand.get(product.id, 0.0),
                "tracking": product.tracking,
                "lots": lots.get(product.id, []),
            } for product in products],
        }

    def _part_addition_mode(self):
        """How a part is added to the item now: ``part`` (its parts are still the estimate: a
        draft, or a dispatcher's item waiting for them), ``confirmation`` (accepted work: an extra
        material, through a confirmation), or False (not now)."""
        self.ensure_one()
        if self.state == "draft" or (self.state == "waiting_dispatcher" and self.env.user.has_group(DISPATCHER_GROUP)):
            return "part"
        if self.state in ACCEPTED_STATES:
            return "confirmation"
        return False

    def _find_added_part(self, key):
        """The part or material a first delivery of the addition ``key`` made, or nothing."""
        if not key:
            return None
        # sudo: whether the key was used; only a line of this item's order is answered
        for model in ("service.work.item.part", "service.order.line"):
            line = self.env[model].sudo().search([("client_key", "=", key)], limit=1)
            if line:
                if line.order_id != self.order_id:
                    raise UserError(self.env._("This addition belongs to another order."))
                return line
        return None

    def action_add_part(self, product_id, quantity=1.0, lot_ids=None, key=None):
        """Add a part used, from the van (the phone's Add a part). While the item's parts are its
        estimate (a draft) it joins them; once the work is accepted it is an extra material of the
        order, through a confirmation (the next PDF version). ``key``, the client's id of the
        addition, makes a replay return the first one's line instead of adding another.
        Returns {"model", "id"} of the line."""
        self.ensure_one()
        done = self._find_added_part(key)
        if done:
            return {"model": done._name, "id": done.id}
        self._check_field_work()
        mode = self._part_addition_mode()
        if not mode:
            raise UserError(self.env._(
                "Work item %(item)s is %(state)s: no part can be added to it now.",
                item=self.display_name, state=self._state_label(self.state)))
        product = self.env["product.product"].browse(product_id).exists() if isinstance(product_id, int) else None
        if not product or product.type != "consu":
            raise ValidationError(self.env._("Choose a part (a product the van carries) to add."))
        if key and (not isinstance(key, str) or len(key) > 64):
            raise ValidationError(self.env._("The addition's key is a text of at most 64 characters."))
        lots = self.env["stock.lot"].browse(lot_ids or []).exists()
        if product.tracking == "serial" and lots:
            quantity = len(lots)
        quantity = check_number(self.env, quantity, self.env._("The quantity of part %(product)s",
                                                               product=product.display_name), MAX_QUANTITY,
                                positive=True)
        vals = {"product_id": product.id, "quantity": quantity, "lot_ids": [Command.set(lots.ids)],
                "client_key": key or False}
        if mode == "part":
            # as the user: the part's own checks (who may edit the item's parts now) apply
            part = self.env["service.work.item.part"].create(dict(vals, work_item_id=self.id))
            return {"model": part._name, "id": part.id}
        shown = format(quantity, "g")
        confirmation = self.order_id._do_confirm(
            self.env._("Part used on work item %(item)s, from the van: %(quantity)s × %(product)s.",
                       item=self.complaint, quantity=shown, product=product.display_name),
            lines=[vals])
        line = confirmation.sudo().line_ids[:1]
        return {"model": line._name, "id": line.id}
