from odoo import api, fields, models


class ServiceOrderReplan(models.TransientModel):
    """Re-plan an approved order: the confirmation of a drop on the planning (the timeline, the
    calendar), or Plan on an order waiting To Plan. Its lead technician and time window, with the
    reason prefilled (editable); confirmed, one confirmation and the next PDF version; cancelled,
    nothing changes."""

    _name = "service.order.replan"
    _inherit = ["service.wizard.mixin"]
    _description = "Re-plan a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    lead_technician_id = fields.Many2one(
        "res.users", required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "service_order.group_service_order_technician").ids), ("share", "=", False)])
    scheduled_start = fields.Datetime("Start", required=True)
    scheduled_end = fields.Datetime("End", required=True)
    vehicle_id = fields.Many2one("fleet.vehicle")
    reason = fields.Text("Why", compute="_compute_reason", store=True, readonly=False, required=True,
                         help="Prefilled with what moves; kept with the confirmation and printed on the next version.")
    schedule_warning = fields.Char(compute="_compute_booking", help="Technicians already booked elsewhere then.")
    technician_day = fields.Html("Their Day", compute="_compute_booking", sanitize=False)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["service.order"].browse(res.get("order_id"))
        if order:
            res.setdefault("lead_technician_id", order.lead_technician_id.id)
            res.setdefault("scheduled_start", order.scheduled_start)
            res.setdefault("scheduled_end", order.scheduled_end)
            res.setdefault("vehicle_id", order.vehicle_id.id)
        return res

    @api.depends("order_id", "lead_technician_id", "scheduled_start", "scheduled_end")
    def _compute_reason(self):
        for wizard in self:
            wizard.reason = wizard.order_id._replan_reason(
                wizard.lead_technician_id, wizard.scheduled_start, wizard.scheduled_end) if wizard.order_id else False

    @api.depends("order_id", "lead_technician_id", "scheduled_start", "scheduled_end")
    def _compute_booking(self):
        Order = self.env["service.order"]
        for wizard in self:
            users = wizard.lead_technician_id | wizard.order_id.field_worker_ids - wizard.order_id.lead_technician_id
            conflicts = Order._find_schedule_conflicts(
                users, wizard.scheduled_start, wizard.scheduled_end, exclude=wizard.order_id)
            wizard.schedule_warning = Order._schedule_conflicts_text(conflicts) or False
            wizard.technician_day = Order._technician_day_html(
                users, wizard.scheduled_start, wizard.scheduled_end, exclude=wizard.order_id)

    def action_confirm(self):
        """Re-plan the order: one confirmation, its next PDF version (made by the job runner); the
        technicians concerned are told."""
        self.ensure_one()
        self.order_id._do_replan(self.reason, lead=self.lead_technician_id, start=self.scheduled_start,
                                 end=self.scheduled_end, vehicle=self.vehicle_id)
        return {"type": "ir.actions.act_window_close"}
