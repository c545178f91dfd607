from odoo import api, fields, models

from ..models.common import TECHNICIAN_GROUP
from ..models.service_order_states import OPEN_FIELD_STATES
from ..models.service_work_item_states import FINAL_STATES as ITEM_FINAL_STATES


class ServiceFalloutAssign(models.TransientModel):
    _name = "service.fallout.assign"
    _inherit = ["service.wizard.mixin"]
    _description = "Assign Fallouts"

    fallout_ids = fields.Many2many("service.fallout", string="Fallouts", required=True)
    user_id = fields.Many2one(
        "res.users", string="Assign To", required=True, ondelete="cascade",
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids)])
    note = fields.Text()
    can_hand_over = fields.Boolean(compute="_compute_can_hand_over")
    hand_over = fields.Boolean(
        "Hand Over the Task",
        help="The fallout's work item goes to the assignee too; an assignee who is not a field worker of "
             "the order joins it through a confirmation (a new PDF version).")
    hand_over_note = fields.Char(compute="_compute_hand_over_note")

    @api.depends("fallout_ids")
    def _compute_can_hand_over(self):
        for wizard in self:
            wizard.can_hand_over = bool(wizard.fallout_ids) and all(
                fallout.work_item_id and fallout.work_item_id.state not in ITEM_FINAL_STATES
                and fallout.order_id.state in OPEN_FIELD_STATES for fallout in wizard.fallout_ids)

    @api.depends("hand_over", "user_id", "fallout_ids")
    def _compute_hand_over_note(self):
        for wizard in self:
            orders = wizard.fallout_ids.order_id.filtered(lambda o, u=wizard.user_id: u not in o.field_worker_ids)
            wizard.hand_over_note = self.env._(
                "%(user)s joins the field workers of %(orders)s: a confirmation issues the next PDF version.",
                user=wizard.user_id.name, orders=", ".join(orders.mapped("name"))) \
                if wizard.hand_over and wizard.user_id and orders else False

    def action_confirm(self):
        """Assign the fallouts (and hand their work items over); the assignee gets the activity,
        the previous one loses it."""
        self.ensure_one()
        self.fallout_ids._do_assign(self.user_id, self.note, hand_over=self.hand_over)
        return {"type": "ir.actions.act_window_close"}
