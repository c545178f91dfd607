from odoo import fields, models

from .service_order_states import TECHNICIAN_STATUSES


class ServiceOrderStatusLog(models.Model):
    _name = "service.order.status.log"
    _inherit = ["service.trail.mixin"]
    _trail_how = "the technician's buttons"
    _description = "Technician Status Change"
    _order = "date desc, id desc"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    status = fields.Selection(TECHNICIAN_STATUSES, required=True)
    user_id = fields.Many2one("res.users", string="By", required=True, ondelete="restrict")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    note = fields.Char()
