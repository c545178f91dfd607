from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.service_step_question import STEPS


class ServiceStepForm(models.TransientModel):
    """The short form of a technician transition (on my way, arrived, pause, cancel,
    completion): the order type's questions for that step, answered on the phone, then the
    transition itself. The answers are checked and kept by the order (steps mixin)."""

    _name = "service.step.form"
    _inherit = ["service.wizard.mixin"]
    _description = "Service Order Step Form"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    step = fields.Selection(STEPS, required=True)
    line_ids = fields.One2many("service.step.form.line", "form_id", string="Questions")
    cancel_type = fields.Selection(
        [("cancel", "Cancel"), ("customer_absent", "Customer absent")], default="cancel")
    reason = fields.Text(help="Why the order is cancelled, or not carried out (kept on the order and in the chatter).")
    # completing with no time clocked asks how long it took: the labour invoiced on the time spent
    ask_hours = fields.Boolean(compute="_compute_ask_hours")
    hours_required = fields.Boolean(compute="_compute_ask_hours")
    hours_spent = fields.Float(
        "Time Spent", help="No time was clocked on this order: how long did the work take? (hours:minutes)")

    @api.depends("order_id", "step")
    def _compute_ask_hours(self):
        for form in self:
            ask = form.step == "complete" and bool(form.order_id) and form.order_id._asks_time_spent()
            form.ask_hours = ask
            form.hours_required = ask and form.order_id._requires_time_spent()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["service.order"].browse(res.get("order_id"))
        if order and res.get("step") and "line_ids" in fields_list:
            res["line_ids"] = [fields.Command.create({"question_id": question.id})
                               for question in order._form_questions(res["step"])]
        return res

    def action_confirm(self):
        """Answer the step's questions and make the transition."""
        self.ensure_one()
        order, answers = self.order_id, {line.question_id.id: line._answer() for line in self.line_ids}
        if self.step == "cancel":
            order._do_cancel(self.reason, self.cancel_type, answers=answers)
        elif self.step == "not_done":
            order._do_close("not_done", reason=self.reason, answers=answers)
        elif self.step == "complete":
            if self.ask_hours and self.hours_spent:
                order._record_time_spent(self.hours_spent)
            elif self.hours_required:
                raise UserError(self.env._(
                    "No time was clocked on %(name)s: say how long the work took (its labour is invoiced on "
                    "the time spent).", name=order.name))
            order._do_close("completed", answers=answers)
        else:
            status = {"depart": "en_route", "arrive": "on_site", "pause": "break"}[self.step]
            order._do_technician_status(status, answers=answers)
        return {"type": "ir.actions.act_window_close"}


class ServiceStepFormLine(models.TransientModel):
    _name = "service.step.form.line"
    _inherit = ["service.wizard.mixin"]
    _description = "Service Order Step Form: one question"
    _order = "sequence, id"

    form_id = fields.Many2one("service.step.form", required=True, ondelete="cascade")
    question_id = fields.Many2one("service.step.question", string="Configured Question", required=True,
                                  ondelete="cascade")
    sequence = fields.Integer(related="question_id.sequence")
    name = fields.Char(related="question_id.name")
    help = fields.Char(related="question_id.help")
    answer_type = fields.Selection(related="question_id.answer_type")
    required = fields.Boolean(related="question_id.required")
    value_yes_no = fields.Selection([("yes", "Yes"), ("no", "No")], string="Yes / No")
    value_text = fields.Text("Answer")
    value_number = fields.Float("Number")
    value_binary = fields.Binary("Picture")
    signed_by = fields.Char("Signed by")

    def _answer(self):
        self.ensure_one()
        value = {"yes_no": self.value_yes_no, "text": self.value_text, "number": self.value_number,
                 "photo": self.value_binary, "signature": self.value_binary}[self.answer_type]
        return {"value": value, "signed_by": self.signed_by}
