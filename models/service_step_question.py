from odoo import api, fields, models, tools

# The technician's transitions that may ask a short form (per order type).
STEPS = [
    ("depart", "On my way"),
    ("arrive", "Arrived on site"),
    ("pause", "Pause"),
    ("cancel", "Cancel / customer absent"),
    ("not_done", "Not carried out"),
    ("complete", "Completion"),
]
ANSWER_TYPES = [
    ("yes_no", "Yes / No"),
    ("text", "Text"),
    ("number", "Number"),
    ("photo", "Photo"),
    ("signature", "Signature"),
]


class ServiceStepQuestion(models.Model):
    """One question a technician transition asks, configured per order type (the design's
    "wizard-based survey forms for each transition"). A step with no question stays one tap."""

    _name = "service.step.question"
    _inherit = ["service.integer.bounds.mixin"]
    _description = "Service Order Step Question"
    _order = "order_type_id, step, sequence, id"

    order_type_id = fields.Many2one("service.order.type", required=True,
                                    index=True, ondelete="cascade")
    company_id = fields.Many2one(related="order_type_id.company_id", store=True)
    step = fields.Selection(STEPS, required=True, default="complete")
    sequence = fields.Integer(default=10)
    name = fields.Char("Question", required=True, translate=True)
    answer_type = fields.Selection(ANSWER_TYPES, required=True, default="yes_no")
    required = fields.Boolean(default=True)
    help = fields.Char(translate=True, help="Shown under the question.")

    @api.depends("name", "step")
    def _compute_display_name(self):
        steps = dict(STEPS)
        for question in self:
            question.display_name = f"{steps.get(question.step, '')}: {question.name or ''}"

    # The questions of a type's step are asked for at every transition of every order (most
    # types ask none): kept per process, as Odoo keeps its rules and groups, and forgotten
    # when a question changes.
    @api.model
    @tools.ormcache("type_id", "step")
    def _question_ids(self, type_id, step):
        """ids of the questions ``step`` of the order type ``type_id`` asks, in their order."""
        # sudo: the answer is shared by whoever acts on an order of that type (the cache is
        # per process), and the type is the order's, which they read
        return tuple(self.sudo().search([("order_type_id", "=", type_id), ("step", "=", step)],
                                        order="sequence, id").ids)

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
