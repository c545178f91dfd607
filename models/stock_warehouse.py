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
    service_van_type_id = fields.Many2one(
        "stock.picking.type", string="Parts Used from the Vans", readonly=True, copy=False, ondelete="restrict",
        help="The operation type of the parts the technicians use: from their van to the customer. Its "
             "returns (Odoo's Return) go back to the van they left.")
    service_van_refill_type_id = fields.Many2one(
        "stock.picking.type", string="Van Refills", readonly=True, copy=False, ondelete="restrict",
        help="The operation type of the internal transfers that refill the vans from the warehouse's stock.")
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
        # the refills' own type, whose destination is the vans: a move of a reordering rule of a
        # van then ends in that van (stock.move's destination: the rule's final location when it
        # lies under its type's destination), not in the warehouse's stock
        refill_type = self.env["stock.picking.type"].sudo().create({
            "name": self.env._("Van Refills"),
            "code": "internal",
            "sequence_code": "VANR",
            "warehouse_id": warehouse.id,
            "company_id": warehouse.company_id.id,
            "default_location_src_id": warehouse.lot_stock_id.id,
            "default_location_dest_id": parent.id,
            "sequence": 101,
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
                "picking_type_id": refill_type.id,
                "warehouse_id": warehouse.id,
                "company_id": warehouse.company_id.id,
            })],
        })
        warehouse.write({"service_van_location_id": parent.id, "service_van_route_id": route.id,
                         "service_van_refill_type_id": refill_type.id})
        return parent

    def _service_van_type(self):
        """The warehouse's operation type of the parts used from its vans, made on first use: an
        outgoing type of its own whose returns come back where the parts left (the van), not to
        the warehouse's stock as a return of a delivery does (Odoo returns a picking to its source
        unless its type names an incoming return type)."""
        self.ensure_one()
        # sudo: an operation type is the warehouse's configuration, made once by the first
        # technician's part that leaves a van (no Inventory rights); only this warehouse's
        warehouse = self.sudo()
        if not warehouse.service_van_type_id:
            customers = self.env.ref("stock.stock_location_customers", raise_if_not_found=False)
            warehouse.service_van_type_id = self.env["stock.picking.type"].sudo().create({
                "name": self.env._("Parts Used from the Vans"),
                "code": "outgoing",
                "sequence_code": "VAN",
                "warehouse_id": warehouse.id,
                "company_id": warehouse.company_id.id,
                "default_location_src_id": warehouse._service_van_parent().id,
                "default_location_dest_id": customers.id if customers else False,
                "sequence": 100,
            })
        return warehouse.service_van_type_id
