from odoo import fields, models


class ServiceOrderDecline(models.TransientModel):
    _name = "service.order.decline"
    _inherit = ["service.wizard.mixin"]
    _description = "Decline a Service Order Assignment"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    reason = fields.Text(required=True, help="Why you cannot take the order; the dispatcher re-plans it.")

    def action_confirm(self):
        """Decline the assignment: the dispatcher gets an activity."""
        self.ensure_one()
        self.order_id._do_decline_assignment(self.reason)
        return {"type": "ir.actions.act_window_close"}
