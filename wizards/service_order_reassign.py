from odoo import api, fields, models

from ..models.common import TECHNICIAN_GROUP


class ServiceOrderReassign(models.TransientModel):
    """Reassign the day: all the open orders of one technician on a day go to another technician
    in one go, each with its own confirmation and version (a sick technician, a van off the road)."""

    _name = "service.order.reassign"
    _inherit = ["service.wizard.mixin"]
    _description = "Reassign a Technician's Day"

    from_user_id = fields.Many2one(
        "res.users", string="Technician", required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids), ("share", "=", False)])
    date = fields.Date("Day", required=True, default=fields.Date.context_today)
    to_user_id = fields.Many2one(
        "res.users", string="Take Over By", required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids), ("share", "=", False)])
    reason = fields.Text("Why", compute="_compute_reason", store=True, readonly=False, required=True,
                         help="Kept with each order's confirmation and printed on its next version.")
    order_ids = fields.Many2many("service.order", string="Orders", compute="_compute_order_ids",
                                 help="The technician's approved orders of the day not started yet.")
    schedule_warning = fields.Char(compute="_compute_schedule_warning",
                                   help="Orders of the day the new technician is already booked on.")

    @api.depends("from_user_id", "to_user_id", "date")
    def _compute_reason(self):
        for wizard in self:
            wizard.reason = self.env._(
                "The day of %(day)s of %(user)s taken over by %(other)s.", day=wizard.date,
                user=wizard.from_user_id.name, other=wizard.to_user_id.name) \
                if wizard.from_user_id and wizard.to_user_id else False

    @api.depends("from_user_id", "date")
    def _compute_order_ids(self):
        Order = self.env["service.order"]
        for wizard in self:
            wizard.order_ids = Order._orders_of_day(wizard.from_user_id, wizard.date) \
                if wizard.from_user_id and wizard.date else Order

    @api.depends("order_ids", "to_user_id")
    def _compute_schedule_warning(self):
        Order = self.env["service.order"]
        for wizard in self:
            conflicts = [conflict for order in wizard.order_ids for conflict in Order._find_schedule_conflicts(
                wizard.to_user_id, order.scheduled_start, order.scheduled_end, exclude=wizard.order_ids)]
            wizard.schedule_warning = Order._schedule_conflicts_text(conflicts) or False

    def action_confirm(self):
        """Give the day to the other technician: one confirmation and one version per order; both
        technicians are told."""
        self.ensure_one()
        orders = self.env["service.order"]._do_reassign_day(self.from_user_id, self.to_user_id, self.date, self.reason)
        return {
            "type": "ir.actions.act_window", "name": self.env._("Reassigned"), "res_model": "service.order",
            "view_mode": "list,form", "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", orders.ids)], "target": "current",
        }
