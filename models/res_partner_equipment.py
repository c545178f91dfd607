from odoo import api, fields, models

from .common import TECHNICIAN_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    # the orders of which this partner is the customer: the record rules of the equipment read
    # through them (a technician reads the equipment of their orders' customers)
    service_order_ids = fields.One2many("service.order", "partner_id", string="Service Orders (as Customer)",
                                        groups=TECHNICIAN_GROUP)
    service_equipment_ids = fields.One2many("service.equipment", "partner_id", string="Equipment",
                                            groups=TECHNICIAN_GROUP)
    service_equipment_count = fields.Integer("Equipment Count", compute="_compute_service_equipment_count",
                                             groups=TECHNICIAN_GROUP)

    @api.depends("service_equipment_ids")
    def _compute_service_equipment_count(self):
        counts = dict(self.env["service.equipment"]._read_group(
            [("partner_id", "child_of", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.service_equipment_count = sum(
                count for owner, count in counts.items() if owner == partner or owner.parent_id == partner)

    def action_view_service_equipment(self):
        """The customer's equipment (the installed base)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Equipment of %(customer)s", customer=self.display_name),
            "res_model": "service.equipment",
            "view_mode": "list,kanban,form",
            "domain": [("partner_id", "child_of", self.commercial_partner_id.id)],
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }
