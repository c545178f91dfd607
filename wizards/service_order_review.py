from odoo import fields, models
from odoo.exceptions import UserError


class ServiceOrderReview(models.TransientModel):
    _name = "service.order.review"
    _description = "Review a Submitted Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="approve")
    reason = fields.Text(help="Required to reject; kept on the order and posted in its chatter.")

    def action_confirm(self):
        """Approve the order (it becomes Planned) or reject it with the reason given."""
        self.ensure_one()
        order = self.order_id
        order._check_can_review()
        if self.decision == "approve":
            order._do_approve()
        else:
            if not (self.reason or "").strip():
                raise UserError(self.env._("A reason is required to reject a service order."))
            order._do_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
