from odoo import fields, models


class ServiceFalloutReport(models.TransientModel):
    _name = "service.fallout.report"
    _inherit = ["service.wizard.mixin"]
    _description = "Report a Fallout"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    work_item_id = fields.Many2one("service.work.item", ondelete="cascade",
                                   domain="[('order_id', '=', order_id), ('state', 'not in', ('done', 'cancelled'))]")
    type_id = fields.Many2one("service.fallout.type", required=True, ondelete="cascade")
    description = fields.Text(required=True)

    def action_confirm(self):
        """Report the fallout; its work item goes on hold and the dispatcher gets an activity."""
        self.ensure_one()
        self.env["service.fallout"].create({
            "order_id": self.order_id.id,
            "work_item_id": self.work_item_id.id,
            "type_id": self.type_id.id,
            "description": self.description,
        })
        return {"type": "ir.actions.act_window_close"}
