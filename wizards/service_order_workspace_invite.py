from odoo import fields, models


class ServiceOrderWorkspaceInvite(models.TransientModel):
    _name = "service.order.workspace.invite"
    _inherit = ["service.wizard.mixin"]
    _description = "Invite to a Service Order's Workspace"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    partner_ids = fields.Many2many(
        "res.partner", string="People", required=True,
        domain="['|', ('user_ids', '=', False), ('user_ids.share', '=', True)]",
        help="The customer's contact, a subcontractor: people outside the company.")

    def action_confirm(self):
        """Add them to the order's workspace channel."""
        self.ensure_one()
        self.order_id._do_invite_to_workspace(self.partner_ids)
        return {"type": "ir.actions.act_window_close"}
