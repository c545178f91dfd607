from odoo import fields, models

from ..models.common import TECHNICIAN_GROUP


class ServiceFalloutAssign(models.TransientModel):
    _name = "service.fallout.assign"
    _description = "Assign Fallouts"

    fallout_ids = fields.Many2many("service.fallout", string="Fallouts", required=True)
    user_id = fields.Many2one(
        "res.users", string="Assign To", required=True, ondelete="cascade",
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids)])
    note = fields.Text()

    def action_confirm(self):
        """Assign the fallouts; the assignee gets the activity, the previous one loses it."""
        self.ensure_one()
        self.fallout_ids._do_assign(self.user_id, self.note)
        return {"type": "ir.actions.act_window_close"}
