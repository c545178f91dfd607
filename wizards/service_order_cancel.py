from odoo import fields, models


class ServiceOrderCancel(models.TransientModel):
    _name = "service.order.cancel"
    _description = "Cancel a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    cancel_type = fields.Selection(
        [("cancel", "Cancel"), ("customer_absent", "Customer absent")], required=True, default="cancel")
    reason = fields.Text(required=True)

    def action_confirm(self):
        """Cancel the order with the reason given (kept on the order and in the chatter)."""
        self.ensure_one()
        self.order_id._do_cancel(self.reason, self.cancel_type)
        return {"type": "ir.actions.act_window_close"}
