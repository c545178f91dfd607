from odoo import api, fields, models

from .common import DISPATCHER_GROUP, SUPERVISOR_GROUP
from .service_order_states import (
    CLOSED_STATES,
    NEXT_ACTIONS,
    ON_SITE_STATUSES,
    OPEN_FIELD_STATES,
    STATE_TRANSITIONS,
    STATUS_TO_STATE,
    TECHNICIAN_STATUS_TRANSITIONS,
)

STEPS = [action for action in NEXT_ACTIONS if action.step]


class ServiceOrderActionsMixin(models.AbstractModel):
    """What the current user can do next on an order, from one table (NEXT_ACTIONS) read with
    the transition tables and the user's role: the buttons of the form's header and of the
    phone's block (``next_actions``), and the one big button of the My Day card and the phone
    (``next_action``, the first step offered). The views only show what these fields say; each
    button's method still checks who acts and from which state itself."""

    _name = "service.order.actions.mixin"
    _description = "Service Order: what the user can do next"

    next_actions = fields.Json(
        compute="_compute_next_actions",
        help="What the current user can do next on the order: the buttons the views show.")
    next_action = fields.Selection(
        [(action.key, action.label) for action in STEPS], compute="_compute_next_action",
        help="The current user's next step on the order, as one big button.")
    can_invite = fields.Boolean(compute="_compute_action_conditions")
    can_confirm = fields.Boolean(compute="_compute_action_conditions")
    can_clock_in = fields.Boolean(compute="_compute_action_conditions")

    @api.depends("state", "channel_id", "technician_status", "is_clocked_in")
    @api.depends_context("uid")
    def _compute_action_conditions(self):
        is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)
        for order in self:
            order.can_invite = bool(order.channel_id) and order.state not in CLOSED_STATES
            order.can_confirm = is_dispatcher or order.technician_status in ON_SITE_STATUSES
            order.can_clock_in = not order.is_clocked_in

    def _offered(self, actions):
        """``{order: [keys of actions offered to the current user]}``, in the table's order."""
        user = self.env.user
        roles = {"dispatcher": user.has_group(DISPATCHER_GROUP), "supervisor": user.has_group(SUPERVISOR_GROUP)}
        offered = {}
        for order in self:
            offered[order] = [action.key for action in actions if order._offers(action, roles)]
        return offered

    def _offers(self, action, roles):
        """Whether ``action`` (a row of NEXT_ACTIONS) is offered on this order to the current user."""
        self.ensure_one()
        field_work = self.state in OPEN_FIELD_STATES
        if (action.field_work or action.status) and not field_work:
            return False
        if action.state and action.state not in STATE_TRANSITIONS.get(self.state, ()):
            return False
        if action.status:
            if action.status not in TECHNICIAN_STATUS_TRANSITIONS.get(self.technician_status, ()):
                return False
            implied = STATUS_TO_STATE.get(action.status)
            if implied and implied != self.state and implied not in STATE_TRANSITIONS.get(self.state, ()):
                return False
        if action.from_statuses and self.technician_status not in action.from_statuses:
            return False
        if action.from_states and self.state not in action.from_states:
            return False
        if not self._offers_to(action.who, roles, field_work):
            return False
        return not action.extra or bool(self[action.extra])

    def _offers_to(self, who, roles, field_work):
        if who in roles:  # dispatcher, supervisor
            return roles[who]
        if who == "worker":
            return roles["dispatcher"] or (field_work and self._is_field_worker())
        if who == "field_worker":
            return self._is_field_worker()
        if who == "assignee":
            return field_work and self.my_assignment_state == "pending"
        return who == "anyone"

    @api.depends("state", "technician_status", "field_worker_ids", "assignment_ids.state", "channel_id",
                 "is_clocked_in")
    @api.depends_context("uid")
    def _compute_next_actions(self):
        offered = self._offered(NEXT_ACTIONS)
        for order in self:
            order.next_actions = offered[order]

    @api.depends("state", "technician_status", "field_worker_ids", "assignment_ids.state", "scheduled_start",
                 "scheduled_end")
    @api.depends_context("uid", "tz")
    def _compute_next_action(self):
        offered = self._offered(STEPS)
        steps = {action.key: action for action in STEPS}

        def is_step(order, key):
            action = steps[key]
            return (action.step is True or order.technician_status in action.step) \
                and not (action.step_unless and order[action.step_unless])
        for order in self:
            order.next_action = next((key for key in offered[order] if is_step(order, key)), False)
