from odoo import fields, models


class ServiceFalloutResolve(models.TransientModel):
    _name = "service.fallout.resolve"
    _inherit = ["service.wizard.mixin"]
    _description = "Resolve Fallouts"

    fallout_ids = fields.Many2many("service.fallout", string="Fallouts", required=True)
    resolution = fields.Text(required=True)

    def action_confirm(self):
        """Resolve the fallouts; their work items go back to work."""
        self.ensure_one()
        self.fallout_ids._do_resolve(self.resolution)
        return {"type": "ir.actions.act_window_close"}
