from odoo import models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class ServiceStateMixin(models.AbstractModel):
    """A state machine, shared by the order, the work item and the fallout.

    Each model gives its transition table (``_state_transitions``: state -> next states)
    and the fields only its own methods write (``_protected_fields``: state, approvals,
    audit dates, signatures, tokens...). ``_set_state`` is the one method that moves the
    state; ``create`` and ``write`` refuse the protected fields to every role. Whoever writes
    the state (the superuser included), ``write`` checks the move against the table and runs
    the model's hook (``_on_state_changed``): its side effects cannot be skipped.

    The model's own methods check who acts and from which state first (``_check_can_*``),
    then write the protected fields on exactly their records under ``sudo()``: superuser
    mode is never reachable over RPC, so no caller can set those fields, and no flag or
    context key turns the checks off.
    """

    _name = "service.state.mixin"
    _description = "Service State Machine"

    _state_transitions = {}
    _protected_fields = frozenset()

    def _check_protected_fields(self, names):
        """Refuse a direct write of workflow and audit fields (any role; never over RPC)."""
        if self.env.su:
            return
        given = sorted(set(names) & self._protected_fields)
        if given:
            raise AccessError(self.env._(
                "%(model)s: these fields are set by the workflow's buttons, never written "
                "directly: %(fields)s.", model=self._description,
                fields=", ".join(self._fields[name]._description_string(self.env) for name in given)))

    def _require_reason(self, reason, message):
        """``reason`` stripped, or a UserError saying ``message`` when it says nothing."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(message)
        return reason

    def _state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(state, state)

    def _state_refusal(self, record, new_state):
        """The error saying ``record`` cannot move to ``new_state``."""
        return UserError(self.env._(
            "%(record)s cannot go from %(old)s to %(new)s.", record=record.display_name,
            old=self._state_label(record.state), new=self._state_label(new_state)))

    def _check_state_transition(self, new_state):
        """Refuse, naming the record, a move of the state that the transition table does not allow."""
        for record in self:
            if new_state not in self._state_transitions.get(record.state, ()):
                raise self._state_refusal(record, new_state)

    def _set_state(self, new_state, extra_vals=None):
        """Move every record of ``self`` to ``new_state`` (with the workflow fields in
        ``extra_vals``) after checking the transition table; the write runs the model's hook."""
        self._check_state_transition(new_state)
        self._write_workflow(dict(extra_vals or {}, state=new_state))
        return True

    def _write_workflow(self, vals):
        """Write workflow and audit fields on exactly these records, as the workflow does once
        the caller's rights and the transition were checked (the one sudo of such writes)."""
        # sudo: the caller's method checked who acts and from which state before calling this;
        # only these records are written
        return self.sudo().write(vals)

    def write(self, vals):
        """Every change of the state moves along the transition table and runs the model's hook
        (``_on_state_changed``), whoever writes it: ``_set_state``, and the superuser too (another
        addon's ``sudo().write({"state": ...})``): time logs, sale order, activities and consent
        cannot be skipped. A role's own write of the state never gets here as such: each model
        performs it as the matching button, or refuses it."""
        if "state" not in vals:
            return super().write(vals)
        new_state = vals["state"]
        moving = self.filtered(lambda record: record.state != new_state)
        moving._check_state_transition(new_state)
        result = super().write(vals)
        if moving:
            moving._on_state_changed(new_state)
        return result

    def _lock_for_numbering(self):
        """Take the rows of ``self`` for this transaction before numbering what belongs to them
        (a confirmation, a version): a concurrent request numbering the same record waits, then
        fails to serialize and is retried by Odoo with the first one's number in view, instead
        of meeting a unique constraint. NO KEY: the rows that merely point at these records (a
        status log, a time log) are not held up."""
        if self.ids:
            self.env.cr.execute(SQL("SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE",
                                    SQL.identifier(self._table), tuple(self.ids)))

    def _on_state_changed(self, new_state):
        """Hook run after every change of the state, by ``write`` (activities, side effects of
        other features); ``self`` holds the records that moved to ``new_state``."""
        return True
