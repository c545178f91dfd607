from odoo import api, fields, models
from odoo.exceptions import UserError

CHECKLIST = ("check_work_done", "check_site_clean", "check_customer_informed")


class ServiceOrderClose(models.TransientModel):
    _name = "service.order.close"
    _description = "Close a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    outcome = fields.Selection(
        [("completed", "Completed"), ("not_done", "Not carried out")], required=True, default="completed")
    check_work_done = fields.Boolean("Work done as described")
    check_site_clean = fields.Boolean("Site left clean and safe")
    check_customer_informed = fields.Boolean("Customer informed of the result")
    reason = fields.Text(help="Required when the order was not carried out.")
    signature = fields.Binary("Customer Signature")
    signed_by = fields.Char("Signed By")
    blockers = fields.Text(compute="_compute_blockers")

    @api.depends("order_id", "outcome")
    def _compute_blockers(self):
        for wizard in self:
            blockers = wizard.order_id._get_close_blockers() if (
                wizard.order_id and wizard.outcome == "completed") else []
            wizard.blockers = "\n".join(blockers) or False

    def action_confirm(self):
        """Close the order as completed (checklist answered) or not carried out (reason)."""
        self.ensure_one()
        if self.outcome == "completed":
            unanswered = [self._fields[name].string for name in CHECKLIST if not self[name]]
            if unanswered:
                raise UserError(self.env._("Tick the checklist before completing: %(items)s.",
                                           items=", ".join(unanswered)))
            if self.signature and not (self.signed_by or "").strip():
                raise UserError(self.env._("Give the name of the person who signed."))
            self.order_id._do_close("completed", checklist=dict.fromkeys(CHECKLIST, True),
                                    signature=self.signature, signed_by=self.signed_by)
        else:
            self.order_id._do_close("not_done", reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
