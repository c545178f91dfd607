from odoo import api, fields, models


class ServiceConfirmation(models.Model):
    """One modification of an order made in the field, with the before/after of each change."""

    _name = "service.confirmation"
    _trail_how = "Create a Confirmation on the order"
    _description = "Service Order Confirmation"
    _inherit = ["mail.thread", "service.trail.mixin"]
    _order = "order_id, sequence"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="restrict",
                               readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    sequence = fields.Integer("Number", required=True, readonly=True)
    name = fields.Char(compute="_compute_name", store=True)
    reason = fields.Text("Why", required=True, readonly=True)
    user_id = fields.Many2one("res.users", "By", required=True, readonly=True, ondelete="restrict",
                              default=lambda self: self.env.user)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    change_ids = fields.One2many("service.confirmation.change", "confirmation_id", string="Changes",
                                 readonly=True)
    line_ids = fields.One2many("service.order.line", "confirmation_id", string="Added Lines",
                               readonly=True)
    document_id = fields.Many2one("service.order.document", string="Document Version", readonly=True,
                                  ondelete="restrict")

    _sql_constraints = [
        ("order_sequence_uniq", "unique(order_id, sequence)", "Confirmation numbers are unique per order."),
    ]

    @api.depends("order_id.name", "sequence")
    def _compute_name(self):
        for confirmation in self:
            confirmation.name = self.env._("Confirmation %(number)s", number=confirmation.sequence)

def _trail_error(env):
    return env._("Confirmations and their changes are the order's trail: they are never changed "
                 "or deleted. Record a new confirmation instead.")
