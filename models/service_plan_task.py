from odoo import Command, api, fields, models

from .common import MAX_HOURS, MAX_LONG_TEXT, MAX_SHORT_TEXT, check_number, check_text


class ServicePlanTask(models.Model):
    """A task of a plan's template: a prepared work item of each visit (hours and parts)."""

    _name = "service.plan.task"
    _description = "Preventive Plan Task"
    _inherit = ["service.integer.bounds.mixin"]  # a sequence beyond the integer column: refused
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one("service.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Task", required=True, help="The work item's title on each visit.")
    description = fields.Text("Instructions", help="What the technician does: the work item's diagnosis.")
    estimated_hours = fields.Float(digits=(16, 2))
    part_ids = fields.One2many("service.plan.task.part", "task_id", string="Parts", copy=True)

    _sql_constraints = [
        ("estimated_hours_positive", "CHECK(estimated_hours >= 0)", "The hours of a task cannot be negative."),
    ]

    @api.model
    def _check_values(self, vals):
        if "estimated_hours" in vals:
            check_number(self.env, vals["estimated_hours"], self.env._("Estimated hours"), MAX_HOURS)
        if "name" in vals:
            check_text(self.env, vals["name"], self.env._("The task"), MAX_SHORT_TEXT, required=True)
        if vals.get("description"):
            check_text(self.env, vals["description"], self.env._("The instructions"), MAX_LONG_TEXT)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_values(vals)
        return super().write(vals)

    def _prepare_work_item_values(self, order, equipment):
        """The prepared work items of this task on ``order``: one per piece of ``equipment``
        (one without equipment when the plan names none)."""
        self.ensure_one()
        pieces = equipment or [self.env["service.equipment"]]
        return [{
            "order_id": order.id,
            "complaint": f"{self.name} · {piece.name}" if len(equipment) > 1 else self.name,
            "diagnosis": self.description or False,
            "estimated_hours": self.estimated_hours,
            "part_ids": [Command.create({"product_id": part.product_id.id, "quantity": part.quantity})
                         for part in self.part_ids],
            "equipment_id": piece.id or order.equipment_id.id,
            "prepared": True,
            "plan_task_id": self.id,
            "user_id": (self.plan_id.user_id or self.env.user).id,
        } for piece in pieces]
