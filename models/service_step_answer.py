from odoo import api, fields, models

from .service_step_question import ANSWER_TYPES, STEPS


class ServiceStepAnswer(models.Model):
    """One answer given at a technician transition. Part of the trail: written by the
    order's step methods only (under sudo, after their checks), never edited or deleted;
    the question's text is kept as it was asked."""

    _name = "service.step.answer"
    _inherit = ["service.trail.mixin"]
    _trail_how = "the step forms of the order"
    _description = "Service Order Step Answer"
    _order = "order_id, date, sequence, id"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    step = fields.Selection(STEPS, required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    question_id = fields.Many2one("service.step.question", string="Configured Question", readonly=True,
                                  ondelete="set null")
    name = fields.Char("Question", required=True, readonly=True)
    answer_type = fields.Selection(ANSWER_TYPES, required=True, readonly=True)
    value_yes_no = fields.Selection([("yes", "Yes"), ("no", "No")], string="Yes / No", readonly=True)
    value_text = fields.Text("Text", readonly=True)
    value_number = fields.Float("Number", readonly=True)
    value_binary = fields.Binary("Picture", attachment=True, readonly=True)
    signed_by = fields.Char(readonly=True)
    value_display = fields.Char("Answer", compute="_compute_value_display")
    user_id = fields.Many2one("res.users", "By", required=True, readonly=True, ondelete="restrict")
    date = fields.Datetime(required=True, readonly=True)

    @api.depends("answer_type", "value_yes_no", "value_text", "value_number", "value_binary", "signed_by")
    def _compute_value_display(self):
        yes_no = dict(self._fields["value_yes_no"]._description_selection(self.env))
        for answer in self:
            if answer.answer_type == "yes_no":
                answer.value_display = yes_no.get(answer.value_yes_no, "—")
            elif answer.answer_type == "number":
                answer.value_display = f"{answer.value_number:g}"
            elif answer.answer_type in ("photo", "signature"):
                answer.value_display = (answer.signed_by or self.env._("Picture")) if answer.value_binary else "—"
            else:
                answer.value_display = answer.value_text or "—"
