import base64
import binascii
import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .common import MAX_LONG_TEXT, check_picture, check_text
from .service_order_states import SKIPPED_STEPS
from .service_step_question import STEPS

MAX_ANSWER_NUMBER = 1e9  # a measurement on site (°C, bar, ppm, minutes...)
# The steps whose form always opens: they need a reason.
REASON_STEPS = ("cancel", "not_done")


class ServiceOrderStepsMixin(models.AbstractModel):
    """The short forms a technician fills at each transition (on my way, arrived, pause,
    cancel, completion), configured per order type; the answers are kept per order and
    transition, shown on the order and printed in the report. A step whose type asks no
    question stays one tap."""

    _name = "service.order.steps.mixin"
    _description = "Service Order: step forms"

    step_answer_ids = fields.One2many("service.step.answer", "order_id", string="Step Answers", readonly=True)

    def _step_questions(self, step):
        self.ensure_one()
        Question = self.env["service.step.question"]
        return Question.browse(Question._question_ids(self.order_type_id.id, step)) if self.order_type_id else Question

    def _form_steps(self, step):
        """The steps whose questions the form of ``step`` asks now: its own, after those of the
        steps it leaves out (arriving straight from planned answers "on my way" too)."""
        self.ensure_one()
        return [*SKIPPED_STEPS.get((self.technician_status, step), ()), step]

    def _form_questions(self, step):
        """The questions the form of ``step`` asks now, in the order of the steps."""
        Question = self.env["service.step.question"]
        return Question.union(*(self._step_questions(form_step) for form_step in self._form_steps(step)))

    def _prepare_form_answers(self, step, answers, when=None):
        """The answer rows of the form of ``step`` (``_prepare_step_answers`` for each of its
        steps, each answer kept under the step that asks it), dated ``when`` (else now)."""
        self.ensure_one()
        answers = answers or {}
        asked = {form_step: set(self._step_questions(form_step).ids) for form_step in self._form_steps(step)}
        unknown = set(answers) - set().union(*asked.values())
        if unknown:
            raise UserError(self.env._("These answers are not questions of this step: %(ids)s.",
                                       ids=", ".join(map(str, sorted(unknown)))))
        return [row for form_step, ids in asked.items() for row in self._prepare_step_answers(
            form_step, {question_id: answer for question_id, answer in answers.items() if question_id in ids},
            when=when)]

    def _open_step_form_if_asked(self, step, context=None, ask=False):
        """The step's form when the order's type asks something at ``step`` (or at a step it
        leaves out; always for a cancellation or a close as not carried out, which need a reason;
        and when ``ask``: the caller has a question of its own, e.g. the time spent), else False:
        the caller then acts at once."""
        self.ensure_one()
        if step not in REASON_STEPS and not ask and not self._form_questions(step):
            return False
        return self._open_wizard("service.step.form", dict(STEPS)[step], {"default_step": step, **(context or {})})

    def _prepare_step_answers(self, step, answers, when=None):
        """The answer rows for ``answers`` (``{question_id: {"value": ..., "signed_by": ...}}``)
        to the questions of ``step``, dated ``when`` (else now); raises naming every required
        question left unanswered and every answer of the wrong kind. Nothing is written here."""
        self.ensure_one()
        questions = self._step_questions(step)
        answers = answers or {}
        unknown = set(answers) - set(questions.ids)
        if unknown:
            raise UserError(self.env._("These answers are not questions of this step: %(ids)s.",
                                       ids=", ".join(map(str, sorted(unknown)))))
        now = when or fields.Datetime.now()
        missing, rows = [], []
        for question in questions:
            given = answers.get(question.id) or {}
            value = given.get("value")
            if value in (None, False, "") or (isinstance(value, str) and not value.strip()):
                if question.required:
                    missing.append(question.name)
                continue
            row = {"order_id": self.id, "step": step, "sequence": question.sequence, "question_id": question.id,
                   "name": question.name, "answer_type": question.answer_type, "user_id": self.env.uid,
                   "date": now}
            row.update(self._step_answer_value(question, value, given.get("signed_by")))
            rows.append(row)
        if missing:
            raise UserError(self.env._("Answer before going on: %(questions)s.", questions=", ".join(missing)))
        return rows

    @api.model
    def _step_answer_value(self, question, value, signed_by):
        kind = question.answer_type
        if kind == "yes_no":
            if value not in ("yes", "no"):
                raise ValidationError(self.env._("%(question)s: answer yes or no.", question=question.name))
            return {"value_yes_no": value}
        if kind == "number":
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number) or abs(number) > MAX_ANSWER_NUMBER:
                raise ValidationError(self.env._("%(question)s: %(value)s is not a measurement.",
                                                 question=question.name, value=value))
            return {"value_number": number}
        if kind == "text":
            return {"value_text": check_text(self.env, value, question.name, MAX_LONG_TEXT).strip()}
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError, TypeError):
            raw = b""
        check_picture(self.env, raw, question.name)  # a raster image by its bytes, within the size limit
        if kind == "signature" and not (signed_by or "").strip():
            raise ValidationError(self.env._("%(question)s: give the name of the person who signed.",
                                             question=question.name))
        return {"value_binary": value, "signed_by": (signed_by or "").strip() or False}

    def _store_step_answers(self, rows):
        """Keep the answers (the trail: no role creates or edits them)."""
        if rows:  # by the step methods only, after their checks
            self.env["service.step.answer"]._create_trail(rows)
