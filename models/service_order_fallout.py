from odoo import api, fields, models

from .service_fallout_states import OPEN_FALLOUT_STATES


class ServiceOrderFalloutMixin(models.AbstractModel):
    """The order's fallouts: an open one blocks closing the order as completed."""

    _name = "service.order.fallout.mixin"
    _description = "Service Order: fallouts"

    fallout_ids = fields.One2many("service.fallout", "order_id", string="Fallouts")
    fallout_count = fields.Integer(compute="_compute_fallout_count")
    # stored: the list and the board show it beside the order's progress
    open_fallout_count = fields.Integer("Open Fallouts", compute="_compute_open_fallout_count", store=True)

    @api.depends("fallout_ids")
    def _compute_fallout_count(self):
        total = self._count_by_order("service.fallout")
        for order in self:
            order.fallout_count = total.get(order, 0)

    @api.depends("fallout_ids.state")
    def _compute_open_fallout_count(self):
        for order in self:
            order.open_fallout_count = len(order.fallout_ids.filtered(lambda f: f.state in OPEN_FALLOUT_STATES))

    def _get_fallout_close_blockers(self):
        """Why the order cannot be completed yet, as far as its fallouts say."""
        self.ensure_one()
        blockers = []
        # sudo: an open fallout blocks closing even if the closing user cannot read it
        for fallout in self.sudo().fallout_ids.filtered(lambda f: f.state in OPEN_FALLOUT_STATES):
            blockers.append(self.env._("Fallout %(name)s (%(type)s) is open.",
                                       name=fallout.name, type=fallout.type_id.name))
        return blockers

    def action_report_fallout(self):
        """Open the Report fallout wizard for this order."""
        self._check_can_work_in_field()
        return self._open_wizard("service.fallout.report", self.env._("Report a fallout"))

    def action_view_fallouts(self):
        """List the order's fallouts."""
        return self._open_related("service.fallout", self.env._("Fallouts of %(name)s", name=self.name),
                                  view_mode="list,kanban,form")
