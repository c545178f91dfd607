from odoo import api, fields, models


class ServiceOrderClose(models.TransientModel):
    """Close from the office: completed (then the type's completion form, if it asks
    something) or not carried out (reason)."""

    _name = "service.order.close"
    _inherit = ["service.wizard.mixin"]
    _description = "Close a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    outcome = fields.Selection(
        [("completed", "Completed"), ("not_done", "Not carried out")], required=True, default="completed")
    reason = fields.Text(help="Required when the order was not carried out.")
    blockers = fields.Text(compute="_compute_blockers")

    @api.depends("order_id", "outcome")
    def _compute_blockers(self):
        for wizard in self:
            blockers = wizard.order_id._get_close_blockers() if (
                wizard.order_id and wizard.outcome == "completed") else []
            wizard.blockers = "\n".join(blockers) or False

    def action_confirm(self):
        """Close the order as completed (through its completion form) or not carried out."""
        self.ensure_one()
        if self.outcome == "completed":
            return self.order_id.action_open_complete()
        if self.order_id._form_questions("not_done"):
            # the type's form for it first (a photo...), with the reason given here
            self.order_id._check_can_work_in_field()
            return self.order_id._open_step_form_if_asked("not_done", {"default_reason": self.reason})
        self.order_id._do_close("not_done", reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
