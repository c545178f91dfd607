from odoo import fields, models


class ServiceOrderWorkspaceInvite(models.TransientModel):
    _name = "service.order.workspace.invite"
    _inherit = ["service.wizard.mixin"]
    _description = "Invite to a Service Order's Workspace"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    customer_id = fields.Many2one(related="order_id.partner_id.commercial_partner_id")
    company_id = fields.Many2one(related="order_id.company_id")
    # the order checks them again (service.order.workspace.mixin._invitable_partners)
    partner_ids = fields.Many2many(
        "res.partner", string="People", required=True,
        domain="['&', '|', ('company_id', '=', False), ('company_id', '=', company_id), "
               "'|', ('commercial_partner_id', '=', customer_id), "
               "('commercial_partner_id.service_subcontractor', '=', True)]",
        help="The customer's contacts, a subcontractor's (Service Subcontractor on the contact): people "
             "outside the company.")

    def action_confirm(self):
        """Add them to the order's workspace channel."""
        self.ensure_one()
        self.order_id._do_invite_to_workspace(self.partner_ids)
        return {"type": "ir.actions.act_window_close"}
