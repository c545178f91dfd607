from odoo import Command, fields, models


class StockWarehouse(models.Model):
    """Where a warehouse keeps its service vans: a ``Vans`` location of its own, beside its stock
    (``WH/Vans/<vehicle>``), and the route that refills them from the stock.

    Beside, not under, ``WH/Stock``: a location's quantities include its children's, so a van
    under the stock would count as warehouse stock, and a refill taken from the stock could
    reserve the parts already in another van."""

    _inherit = "stock.warehouse"

    service_van_location_id = fields.Many2one(
        "stock.location", string="Service Vans", readonly=True, copy=False, ondelete="restrict",
        help="The parent of the stock locations of the service vehicles of this warehouse.")
    service_van_route_id = fields.Many2one(
        "stock.route", string="Van Refill Route", readonly=True, copy=False, ondelete="restrict",
        help="Pulls parts from the warehouse's stock into a van: the reordering rules of a van "
             "propose internal transfers through it.")

    def _service_van_parent(self):
        """The warehouse's ``Vans`` location, made with its refill route on first use."""
        self.ensure_one()
        # sudo: locations, a route and a rule are the warehouse's configuration, made once when the
        # first vehicle needs a van (by a fleet or service user without Inventory rights)
        warehouse = self.sudo()
        if warehouse.service_van_location_id:
            return warehouse.service_van_location_id
        parent = self.env["stock.location"].sudo().create({
            "name": self.env._("Vans"),
            "usage": "view",
            "location_id": warehouse.view_location_id.id,
            "company_id": warehouse.company_id.id,
        })
        route = self.env["stock.route"].sudo().create({
            "name": self.env._("%(warehouse)s: Refill the Vans", warehouse=warehouse.name),
            "company_id": warehouse.company_id.id,
            "sequence": 100,
            "product_selectable": False,
            "warehouse_selectable": True,
            "warehouse_ids": [Command.link(warehouse.id)],
            "rule_ids": [Command.create({
                "name": self.env._("%(warehouse)s: Stock → Vans", warehouse=warehouse.name),
                "action": "pull",
                "procure_method": "make_to_stock",
                "location_src_id": warehouse.lot_stock_id.id,
                "location_dest_id": parent.id,
                "picking_type_id": warehouse.int_type_id.id,
                "warehouse_id": warehouse.id,
                "company_id": warehouse.company_id.id,
            })],
        })
        warehouse.write({"service_van_location_id": parent.id, "service_van_route_id": route.id})
        return parent
