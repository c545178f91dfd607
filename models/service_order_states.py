"""The states of a service order and of its technician's work, and how they move.

Read by service.order (its state) and service.order.execution.mixin (the technician
status), and by the status log. Plain data: no model is defined here.
"""
from typing import NamedTuple

ORDER_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("to_plan", "To Plan"),
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("completed", "Completed"),
    ("not_done", "Not Carried Out"),
    ("cancelled", "Cancelled"),
    ("rejected", "Rejected"),
]
CLOSED_STATES = ("completed", "not_done", "cancelled", "rejected")
# the others, named: a domain "state in OPEN_STATES" is served by the index of the open orders
OPEN_STATES = ("draft", "submitted", "to_plan", "planned", "in_progress")
OPEN_FIELD_STATES = ("planned", "in_progress")
# Approved orders a dispatcher books or re-plans (a confirmation, the next PDF version): waiting
# to be planned, or planned, or under way.
APPROVED_OPEN_STATES = ("to_plan", "planned", "in_progress")

# Every allowed move of the order's state. One table, read by the one method that
# changes the state (`_set_state`); buttons, wizards and kanban drag & drop all go there.
STATE_TRANSITIONS = {
    "draft": {"submitted", "cancelled"},
    # approved: planned when it is booked (a lead technician and a start), else to plan
    "submitted": {"to_plan", "planned", "rejected", "cancelled"},
    # a rejected order can be revised (seed 004: "further investigation") and submitted again
    "rejected": {"draft"},
    # Planned means booked: a confirmation that books it plans it, one that unbooks it before the
    # work starts puts it back to plan
    "to_plan": {"planned", "cancelled"},
    "planned": {"to_plan", "in_progress", "completed", "not_done", "cancelled"},
    "in_progress": {"completed", "not_done", "cancelled"},
}

# The technician statuses whose transition may ask a short form (service.step.question).
STATUS_STEPS = {"en_route": "depart", "on_site": "arrive", "break": "pause"}
# The steps a move leaves out, whose questions its form asks too (from the technician status,
# with the step): arriving straight from planned answers "on my way" as well.
SKIPPED_STEPS = {("planned", "arrive"): ("depart",)}

PRIORITIES = [
    ("0", "Normal"),
    ("1", "Important"),
    ("2", "Urgent"),
    ("3", "Emergency"),
]

TECHNICIAN_STATUSES = [
    ("planned", "Planned"),
    ("en_route", "En Route"),
    ("on_site", "On Site"),
    ("working", "Working"),
    ("break", "Break"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

# Allowed moves of the technician status, and the order state each status implies.
TECHNICIAN_STATUS_TRANSITIONS = {
    # done from planned or en route: an order closed as completed from the office
    "planned": {"en_route", "on_site", "done", "cancelled"},
    "en_route": {"on_site", "done", "cancelled"},
    "on_site": {"working", "done", "cancelled"},
    "working": {"break", "done", "cancelled"},
    "break": {"working", "done", "cancelled"},
}
STATUS_TO_STATE = {
    "en_route": "in_progress",
    "on_site": "in_progress",
    "working": "in_progress",
    "break": "in_progress",
    "cancelled": "cancelled",
}


class NextAction(NamedTuple):
    """A button of the order's workflow, and when it is offered (see NEXT_ACTIONS)."""
    key: str                      # the name the views test: "'depart' in next_actions"
    label: str                    # the big button's words (My Day, the phone)
    method: str                   # the button's method
    who: str                      # dispatcher, supervisor, worker (a dispatcher, or a field worker of the
                                  # order during field work), field_worker, assignee (whose assignment
                                  # is pending, during field work), anyone (who reads the order)
    state: str | None = None      # the order state it moves to: offered while STATE_TRANSITIONS allows it
    status: str | None = None     # the technician status it moves to: offered during field work while
                                  # TECHNICIAN_STATUS_TRANSITIONS allows it (and the state it implies)
    from_statuses: tuple = ()     # offered from these technician statuses only
    from_states: tuple = ()       # offered from these order states only
    field_work: bool = False      # offered during field work only (OPEN_FIELD_STATES)
    step: bool | tuple = False    # a step of the technician's day, the big button on the phone and My Day
                                  # (a tuple: only from these technician statuses)
    extra: str | None = None      # a boolean of the order that must hold too (what the tables do not say)
    step_unless: str | None = None  # not the big step while this boolean of the order holds (offered still)


# What a user can do next on an order: every button of the order's workflow, once, in the order
# the steps come. Read by service.order.actions.mixin (``next_actions``, ``next_action``), which the
# form's header, the phone's block and the My Day card show; a new state, or a new move in the
# tables above, changes what is offered without a change to a view.
ON_SITE_STATUSES = ("on_site", "working", "break")
NEXT_ACTIONS = (
    NextAction("submit", "Submit", "action_open_submit", "dispatcher", state="submitted"),
    NextAction("review", "Review", "action_open_review", "supervisor", state="planned", from_states=("submitted",)),
    NextAction("revise", "Revise", "action_revise", "dispatcher", state="draft"),
    NextAction("invite", "Invite to Workspace", "action_open_invite", "dispatcher", extra="can_invite"),
    # an approved order waiting to be booked: the dispatcher plans it (a confirmation)
    NextAction("plan", "Plan", "action_open_plan", "dispatcher", state="planned", from_states=("to_plan",)),
    NextAction("add_workers", "Add Field Workers", "action_open_add_workers", "dispatcher",
               from_states=APPROVED_OPEN_STATES),
    # offered while the assignment waits for an answer; the big step only before the work starts
    # (today's job: going is accepting, the big step is On my way)
    NextAction("accept", "Accept", "action_accept_assignment", "assignee", step=("planned",), step_unless="is_today"),
    NextAction("decline", "Decline", "action_open_decline", "assignee", from_statuses=("planned",)),
    # the technician's own steps: offered to the order's field workers only (the office closes or cancels)
    NextAction("depart", "On my way", "action_depart", "field_worker", status="en_route", step=True),
    NextAction("arrive", "Arrived on site", "action_arrive", "field_worker", status="on_site",
               from_statuses=("en_route",), step=True),
    NextAction("start_work", "Start work", "action_start_work", "field_worker", status="working",
               from_statuses=("on_site",), step=True),
    NextAction("pause", "Pause", "action_pause", "field_worker", status="break"),
    NextAction("resume", "Resume", "action_resume", "field_worker", status="working", from_statuses=("break",),
               step=True),
    # after approval, what the PDF prints changes only through a confirmation: a field worker on
    # site, or a dispatcher at any time of the field work
    NextAction("confirm", "Create a Confirmation", "action_open_confirmation", "worker", field_work=True,
               extra="can_confirm"),
    NextAction("complete", "Complete", "action_open_complete", "field_worker", status="done", state="completed",
               from_statuses=ON_SITE_STATUSES, step=True),
    # a cancellation whose reason is kept as "customer absent": offered on the way and on site
    NextAction("customer_absent", "Customer Absent", "action_customer_absent", "field_worker", state="cancelled",
               from_statuses=("en_route", "on_site")),
    # the technician on site closes what cannot be done: the type's form (reason, photo), then the
    # completion report as any close
    NextAction("not_done", "Not Carried Out", "action_open_not_done", "field_worker", state="not_done",
               field_work=True, from_statuses=ON_SITE_STATUSES),
    NextAction("close", "Close", "action_open_close", "dispatcher", state="completed"),
    NextAction("cancel", "Cancel", "action_open_cancel", "worker", state="cancelled"),
    NextAction("clock_in", "Clock In", "action_clock_in", "field_worker", field_work=True, extra="can_clock_in"),
    NextAction("clock_out", "Clock Out", "action_clock_out", "anyone", extra="is_clocked_in"),
    NextAction("report_fallout", "Report Fallout", "action_report_fallout", "worker", field_work=True),
)
