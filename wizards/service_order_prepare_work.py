from odoo import api, fields, models


class ServiceOrderPrepareWork(models.TransientModel):
    """Prepare work before the visit: a preventive plan's tasks added to the order as work items."""

    _name = "service.order.prepare.work"
    _inherit = ["service.wizard.mixin"]
    _description = "Add Prepared Work to a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="order_id.partner_id")
    plan_id = fields.Many2one(
        "service.plan", string="Template of Plan", required=True, ondelete="cascade",
        domain="[('partner_id', 'parent_of', partner_id), ('task_ids', '!=', False)]",
        help="A preventive plan of the customer: its tasks, with their hours and parts.")
    task_ids = fields.Many2many("service.plan.task", string="Tasks", domain="[('plan_id', '=', plan_id)]",
                                help="The tasks to add (all the plan's by default).")

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        self.task_ids = self.plan_id.task_ids

    def action_confirm(self):
        """Add the chosen tasks to the order as prepared work items."""
        self.ensure_one()
        self.order_id._do_add_prepared_work(self.task_ids or self.plan_id.task_ids)
        return {"type": "ir.actions.act_window_close"}
