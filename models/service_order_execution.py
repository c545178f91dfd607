from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP, selection_labels
from .service_order_states import (
    CLOSED_STATES,
    OPEN_FIELD_STATES,
    STATUS_STEPS,
    STATUS_TO_STATE,
    TECHNICIAN_STATUS_TRANSITIONS,
    TECHNICIAN_STATUSES,
)


class ServiceOrderExecutionMixin(models.AbstractModel):
    """Field execution of a service order: the technician status (the buttons of the
    technician's day, each logged and posted), cancelling and closing. The technician
    status drives the order's state (``STATUS_TO_STATE``)."""

    _name = "service.order.execution.mixin"
    _description = "Service Order: field execution"

    technician_status = fields.Selection(
        TECHNICIAN_STATUSES, default="planned", required=True, tracking=True,
        copy=False,
    )
    # internal reason: staff read it, customers never (portal pages, RPC)
    cancel_reason = fields.Text(readonly=True, copy=False, groups="base.group_user")
    cancel_type = fields.Selection(
        [("cancel", "Cancelled"), ("customer_absent", "Customer Absent")], readonly=True, copy=False)
    close_reason = fields.Text(string="Reason Not Carried Out", readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False, ondelete="set null")
    customer_signature = fields.Binary(readonly=True, copy=False, attachment=True)
    customer_signed_by = fields.Char(readonly=True, copy=False)
    customer_signed_date = fields.Datetime(readonly=True, copy=False)
    status_log_ids = fields.One2many("service.order.status.log", "order_id", string="Status History",
                                     readonly=True)

    # ------------------------------------------------------------------
    # Technician status
    # ------------------------------------------------------------------
    def _is_field_worker(self, user=None):
        self.ensure_one()
        user = user or self.env.user
        return user in self.field_worker_ids

    def _check_can_work_in_field(self):
        """An assigned technician (or a dispatcher) acts on an order that is planned or under way."""
        is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)
        for order in self:
            if not is_dispatcher and not order._is_field_worker():
                raise AccessError(self.env._(
                    "You are not a field worker of order %(name)s.", name=order.name))
            if order.state not in OPEN_FIELD_STATES:
                raise UserError(self.env._(
                    "Order %(name)s is %(state)s: field work is possible only on planned or "
                    "in-progress orders.", name=order.name,
                    state=selection_labels(self, "state")[order.state]))

    def _check_technician_transition(self, status):
        labels = selection_labels(self, "technician_status")
        for order in self:
            if status not in TECHNICIAN_STATUS_TRANSITIONS.get(order.technician_status, set()):
                raise UserError(self.env._(
                    "Order %(name)s: the technician status cannot go from %(old)s to %(new)s.",
                    name=order.name, old=labels[order.technician_status], new=labels[status]))

    def _do_technician_status(self, status, answers=None, when=None):
        """A technician button: a field worker (or a dispatcher) moves the status, with the
        answers to the step's form when the order's type asks some (steps mixin). ``when``:
        the moment it happened, if not now (a tap made offline, replayed by the sync)."""
        self._check_can_work_in_field()
        self._check_technician_transition(status)
        step = STATUS_STEPS.get(status)
        # the step's questions, and those of a step the move leaves out (steps mixin)
        rows = [row for order in self for row in order._prepare_form_answers(step, answers, when=when)] if step else []
        if status == "en_route":
            self._accept_assignment_on_departure()  # day mixin: going is accepting
        self._set_technician_status(status, when=when)
        self._store_step_answers(rows)
        return True

    def _step_or_status(self, step, status):
        """The step's form if the type asks something there, else the status change in one tap."""
        self._check_can_work_in_field()
        self._check_technician_transition(status)
        return self._open_step_form_if_asked(step) or self._do_technician_status(status)

    def _set_technician_status(self, status, note=False, extra_vals=None, state=None, when=None):
        """The one place the technician status changes (buttons, cancel, close): checked
        against its table, logged and posted; it moves the order's state with it (the state
        of the status, or ``state``: a closing moves both in one write). The log is dated
        ``when`` (a tap replayed by the sync), else now."""
        labels = selection_labels(self, "technician_status")
        self._check_technician_transition(status)
        now = when or fields.Datetime.now()
        vals = dict(extra_vals or {}, technician_status=status)
        target_state = state or STATUS_TO_STATE.get(status)
        moving = self.filtered(lambda o: target_state and o.state != target_state)
        if moving:
            moving._set_state(target_state, vals)
        if self - moving:
            (self - moving)._write_workflow(vals)  # checked against the status table above
        self._clock_follows_status(status, when=when)  # time mixin: working clocks in, a break clocks out
        # the status log is the trail (its company given: the related field would be recomputed
        # by a second query)
        self.env["service.order.status.log"]._create_trail([{
            "order_id": order.id, "company_id": order.company_id.id, "status": status, "user_id": self.env.user.id,
            "date": now, "note": note or False} for order in self])
        # the workspace hears of it a moment later: posting to a channel is most of the request
        self._post_to_channel(self.env._("%(user)s: status %(status)s.", user=self.env.user.name,
                                         status=labels[status]), defer=True)
        return True

    def action_depart(self):
        """On my way: the technician leaves for the intervention location (the step's form
        first, when the order's type asks something, e.g. the ETA)."""
        return self._step_or_status("depart", "en_route")

    def action_arrive(self):
        """Arrived on site (the step's form first, when the order's type asks something)."""
        return self._step_or_status("arrive", "on_site")

    def action_start_work(self):
        """Start work on site."""
        return self._do_technician_status("working")

    def action_pause(self):
        """Pause the work (break; the step's form first, e.g. the reason)."""
        return self._step_or_status("pause", "break")

    def action_resume(self):
        """Resume the work after a break."""
        return self._do_technician_status("working")

    # ------------------------------------------------------------------
    # Cancel, close
    # ------------------------------------------------------------------
    def action_open_cancel(self):
        """Open the cancel form (reason required, and the type's cancel questions)."""
        self._check_can_cancel()
        return self._open_step_form_if_asked("cancel")

    def action_customer_absent(self):
        """Open the cancel form for an absent customer (reason kept)."""
        self._check_can_cancel()
        return self._open_step_form_if_asked("cancel", {"default_cancel_type": "customer_absent"})

    def action_open_not_done(self):
        """Not carried out (a field worker on site): the reason and the type's form for it (a photo
        of what stops the work...), then the order is closed and its completion report issued."""
        self._check_can_work_in_field()
        return self._open_step_form_if_asked("not_done")

    def action_open_close(self):
        """Open the Close wizard (completed or not carried out)."""
        self._check_can_work_in_field()
        return self._open_wizard("service.order.close", self.env._("Close %(name)s", name=self.name))

    def action_open_complete(self):
        """Complete: the completion form when the type asks something (checklist, signature) or
        when no time was recorded (time mixin), else completed in one tap."""
        self._check_can_work_in_field()
        return self._open_step_form_if_asked("complete", ask=self._asks_time_spent()) \
            or self._do_close("completed")

    def _check_can_cancel(self):
        is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)
        for order in self:
            if order.state in CLOSED_STATES:
                raise UserError(self.env._("Order %(name)s is already closed.", name=order.name))
            if order.state in ("draft", "submitted") and not is_dispatcher:
                raise AccessError(self.env._("Only dispatchers can cancel orders before they are planned."))
        self.filtered(lambda o: o.state in OPEN_FIELD_STATES)._check_can_work_in_field()

    def _do_cancel(self, reason, cancel_type="cancel", answers=None, when=None):
        """Cancel the orders with a reason (a dispatcher any open order; a field worker
        the order under way): the technician status and the order's state follow."""
        reason = self._require_reason(reason, self.env._("A reason is required to cancel a service order."))
        self._check_can_cancel()
        rows = [row for order in self for row in order._prepare_step_answers("cancel", answers, when=when)]
        label = self.env._("Customer absent") if cancel_type == "customer_absent" else self.env._("Cancelled")
        self.activity_unlink(["service_order.mail_act_service_order_approval"])
        self._set_technician_status("cancelled", note=f"{label}: {reason}", extra_vals={
            "cancel_reason": reason, "cancel_type": cancel_type}, when=when)
        self._store_step_answers(rows)
        for order in self:
            order.message_post(body=self.env._("%(label)s: %(reason)s", label=label, reason=reason))
        return True

    def _get_close_blockers(self):
        """Reasons the order cannot be closed as completed: a work item waiting or on hold
        (work mixin), an open fallout (fallout mixin)."""
        self.ensure_one()
        return self._get_work_item_close_blockers() + self._get_fallout_close_blockers()

    def _do_close(self, outcome, reason=False, answers=None, when=None):
        """Close the orders: ``completed`` (with the answers to the type's completion form:
        checklist, customer signature...) or ``not_done`` (reason). Either way the final PDF
        version, the completion report, is issued and e-mailed to the customer. ``when``: the
        moment it happened, if not now (a closing made offline, replayed by the sync)."""
        self._check_can_work_in_field()
        now = when or fields.Datetime.now()
        closing = {"closed_date": now, "closed_by_id": self.env.user.id}
        if outcome == "not_done":
            reason = self._require_reason(
                reason, self.env._("A reason is required to close an order as not carried out."))
            # the type's form for it (a photo of what stops the work...), checked before anything is written
            rows = [row for order in self for row in order._prepare_step_answers("not_done", answers)]
            self._set_state("not_done", dict(closing, close_reason=reason))
            self._store_step_answers(rows)
            # the body of the tracking message of the state: one message, not two
            self._track_set_log_message(self.env._("Not carried out: %(reason)s", reason=reason))
            self._issue_completion_report()  # versioning mixin
            return True
        rows = []
        for order in self:
            blockers = order._get_close_blockers()
            if blockers:
                raise UserError(self.env._(
                    "Order %(name)s cannot be closed as completed:\n%(reasons)s",
                    name=order.name, reasons="\n".join(f"- {b}" for b in blockers)))
            rows += order._prepare_step_answers("complete", answers, when=when)
        signature = next((row for row in rows if row["answer_type"] == "signature"), None)
        if signature:
            closing.update(customer_signature=signature["value_binary"],
                           customer_signed_by=signature["signed_by"], customer_signed_date=now)
        # completing from the office (no status on site) is allowed: the status follows, in
        # the write of the state
        on_site = self.filtered(lambda o: o.technician_status != "done")
        on_site._set_technician_status("done", extra_vals=closing, state="completed", when=when)
        if self - on_site:
            (self - on_site)._set_state("completed", closing)
        self._store_step_answers(rows)
        self._track_set_log_message(self.env._("Completed by %(user)s.", user=self.env.user.name))
        self._issue_completion_report()  # versioning mixin
        return True
