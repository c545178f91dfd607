from odoo import api, fields, models


class FleetVehicle(models.Model):
    """A service vehicle is a van: its own internal stock location, under its company's
    warehouse (``WH/Vans/<vehicle>``), from which the parts its technicians use are taken."""

    _inherit = "fleet.vehicle"

    service_location_id = fields.Many2one(
        "stock.location", string="Van Stock Location", readonly=True, copy=False, ondelete="restrict",
        help="The stock the vehicle carries: parts used on service orders leave from here; its "
             "reordering rules refill it from the warehouse.")

    @api.model_create_multi
    def create(self, vals_list):
        vehicles = super().create(vals_list)
        vehicles._ensure_service_location()
        return vehicles

    def _service_warehouse(self):
        """The warehouse of the vehicle's company (the user's company for a vehicle without one)."""
        self.ensure_one()
        company = self.company_id or self.env.company
        # sudo: which warehouse a company has (fleet users may have no Inventory rights)
        return self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)

    def _ensure_service_location(self):
        """Give each of these vehicles its van location (idempotent: a vehicle that has one keeps it).
        Called when a vehicle is made, at the install (the vehicles there already) and by the update
        to 18.0.1.12.0."""
        for vehicle in self.filtered(lambda v: not v.service_location_id):
            warehouse = vehicle._service_warehouse()
            if not warehouse:
                continue  # a company without a warehouse: its parts leave from no van
            parent = warehouse._service_van_parent()
            # sudo: the van's location is configuration made with the vehicle (fleet users have no
            # Inventory rights); only this vehicle's location is made and linked
            location = self.env["stock.location"].sudo().create({
                "name": vehicle.license_plate or vehicle.name or self.env._("Van"),
                "usage": "internal",
                "location_id": parent.id,
                "company_id": warehouse.company_id.id,
            })
            vehicle.sudo().service_location_id = location
        return True

    def action_view_van_stock(self):
        """Open the van's stock: what it carries, and what tomorrow's orders need from it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_order.service_van_stock_action")
        action["domain"] = [("vehicle_id", "=", self.id)]
        action["context"] = {"search_default_group_vehicle": 0}
        return action
