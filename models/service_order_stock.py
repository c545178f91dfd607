from odoo import models

from .service_order_states import CLOSED_STATES


class ServiceOrderStockMixin(models.AbstractModel):
    """Parts from the van (Odoo's Inventory): the van an order's parts leave (its vehicle's, else
    the technician's default van), the order's materials delivered from it when the order is
    completed (a work item's parts when the item is done: service.work.item.stock.mixin), and the
    sale order's quantities of those goods from their moves (``sale_stock``: delivered = what left
    the van, less what came back; ordered, once used, = delivered, as repair does)."""

    _name = "service.order.stock.mixin"
    _description = "Service Order: parts from the van"

    def _get_van_location(self, user=None):
        """The stock location the order's parts leave: its vehicle's van; else the default van of
        ``user`` (the technician who uses them), else of the lead technician; else, with no van
        at all, the stock of the company's warehouse."""
        self.ensure_one()
        # sudo: which van the order and its technician use (configuration a technician may not
        # read in full); the addon decides the van, a caller never names it
        order = self.sudo()
        users = ((user or self.env["res.users"]) | order.lead_technician_id).sudo()
        for vehicle in order.vehicle_id | users.service_vehicle_id:
            location = vehicle.service_location_id
            if location and location.company_id in (order.company_id, self.env["res.company"]):
                return location
        warehouse = self.env["stock.warehouse"].sudo().search([("company_id", "=", order.company_id.id)], limit=1)
        return warehouse.lot_stock_id

    # ------------------------------------------------------------------
    # Closing: the materials leave the van
    # ------------------------------------------------------------------
    def _get_close_blockers(self):
        """A tracked material without its serial numbers (or lot) cannot leave the van."""
        blockers = super()._get_close_blockers()
        # sudo: the lines' products and lots, whoever closes (a technician reads them too)
        lines = self.sudo().line_ids
        return blockers + lines.filtered(lambda line: not line._van_moves())._van_lot_problems()

    def _on_state_changed(self, new_state):
        """Completed: the order's materials leave the van (a work item's parts left when it was done),
        then the sale order's quantities follow their moves."""
        result = super()._on_state_changed(new_state)
        if new_state == "completed":
            for order in self:
                order.line_ids._van_deliver(order)
            self._sync_sale_order()
        return result

    # ------------------------------------------------------------------
    # The sale order: goods delivered by their moves
    # ------------------------------------------------------------------
    def _sale_line_quantities(self, line):
        """A line whose goods left the van by the addon's move: delivered is its moves' (Odoo
        computes it: ``sale_stock``), never written; ordered, once the part is used (its item done,
        the order completed), is what was delivered, so the invoice carries what was moved. A line
        without such a move (a service, or sold before the vans: 18.0.1.12.0) is kept as before."""
        quantities = super()._sale_line_quantities(line)
        if quantities is None or not line.move_ids.filtered(lambda m: m.service_part_id or m.service_order_line_id):
            return quantities
        ordered, _delivered = quantities
        used = (line.service_work_item_id.state == "done") if line.service_work_item_id \
            else self.sudo().state == "completed"
        if used:
            ordered = line.qty_delivered
        return ordered, None

    def _do_invoice(self):
        """What came back to a van since (Odoo's Return on the delivery) leaves the invoice too."""
        self.filtered(lambda order: order.state in CLOSED_STATES)._sync_sale_order()
        return super()._do_invoice()
