from odoo import fields, models


class ServiceWorkItemRefuse(models.TransientModel):
    _name = "service.work.item.refuse"
    _inherit = ["service.wizard.mixin"]
    _description = "Refuse Work Items or Repairs"

    work_item_ids = fields.Many2many("service.work.item", string="Work Items", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        """Refuse: waiting work items are cancelled, waiting repairs go back to repair."""
        self.ensure_one()
        self.work_item_ids._do_refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
