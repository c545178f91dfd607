from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

ASSIGNMENT_STATES = [("pending", "To accept"), ("accepted", "Accepted"), ("declined", "Declined")]


class ServiceOrderAssignment(models.Model):
    """A field worker's answer to being put on an order: accepted, or declined with a
    reason. Written by the order's methods only (the trail); one row per order and worker."""

    _name = "service.order.assignment"
    _description = "Service Order Assignment"
    _order = "order_id, id"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Technician", required=True, index=True, readonly=True,
                              ondelete="restrict")
    state = fields.Selection(ASSIGNMENT_STATES, default="pending", required=True, readonly=True)
    decline_reason = fields.Text(readonly=True)
    date = fields.Datetime("Answered On", readonly=True)

    _sql_constraints = [
        ("order_user_uniq", "unique(order_id, user_id)", "A technician is assigned once per order."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Assignments follow the order's field workers."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Accept or decline with the buttons of the order."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Assignments are the order's trail: they are never deleted."))
