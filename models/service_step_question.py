from odoo import api, fields, models

# The technician's transitions that may ask a short form (per order type).
STEPS = [
    ("depart", "On my way"),
    ("arrive", "Arrived on site"),
    ("pause", "Pause"),
    ("cancel", "Cancel / customer absent"),
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
