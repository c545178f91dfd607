from odoo import fields, models


class ServiceOrderReview(models.TransientModel):
    _name = "service.order.review"
    _inherit = ["service.wizard.mixin"]
    _description = "Review a Submitted Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve")
    reason = fields.Text(help="Required to reject; kept on the order and posted in its chatter.")

    def action_confirm(self):
        """Approve the order (it becomes Planned) or reject it with the reason given."""
        self.ensure_one()
        order = self.order_id
        if self.decision == "approve":
            order._do_approve()
        else:
            order._do_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
