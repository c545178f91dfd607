from odoo import fields, models

ASSIGNMENT_STATES = [("pending", "To accept"), ("accepted", "Accepted"), ("declined", "Declined")]


class ServiceOrderAssignment(models.Model):
    """A field worker's answer to being put on an order: accepted, or declined with a
    reason. Written by the order's methods only (the trail); one row per order and worker."""

    _name = "service.order.assignment"
    _inherit = ["service.trail.mixin"]
    _trail_how = "Accept and Decline on the order"
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
