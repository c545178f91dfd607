from odoo import api, fields, models

from ..models.common import field_technicians_domain


class ServiceOrderWorkerAdd(models.TransientModel):
    _name = "service.order.worker.add"
    _inherit = ["service.wizard.mixin"]
    _description = "Add Field Workers to a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    user_ids = fields.Many2many(
        "res.users", string="Technicians", required=True,
        domain=lambda self: field_technicians_domain(self.env),
    )
    lead_technician_id = fields.Many2one(
        "res.users",
        domain="[('id', 'in', user_ids)]",
        help="Leave empty to keep the current lead (or take the first technician).",
    )
    scheduled_start = fields.Datetime()
    scheduled_end = fields.Datetime()
    vehicle_id = fields.Many2one("fleet.vehicle")
    schedule_warning = fields.Char(compute="_compute_schedule_warning",
                                   help="Technicians already booked elsewhere at that time.")

    @api.depends("user_ids", "scheduled_start", "scheduled_end")
    def _compute_schedule_warning(self):
        Order = self.env["service.order"]
        for wizard in self:
            conflicts = Order._find_schedule_conflicts(
                wizard.user_ids, wizard.scheduled_start, wizard.scheduled_end, exclude=wizard.order_id)
            wizard.schedule_warning = Order._schedule_conflicts_text(conflicts) or False

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["service.order"].browse(res.get("order_id"))
        if order:
            res.setdefault("scheduled_start", order.scheduled_start)
            res.setdefault("scheduled_end", order.scheduled_end)
            res.setdefault("vehicle_id", order.vehicle_id.id)
        return res

    def action_confirm(self):
        """Add the technicians; they are notified, follow the order and join its workspace."""
        self.ensure_one()
        self.order_id._do_add_field_workers(
            self.user_ids, lead=self.lead_technician_id, scheduled_start=self.scheduled_start,
            scheduled_end=self.scheduled_end, vehicle=self.vehicle_id)
        return {"type": "ir.actions.act_window_close"}
