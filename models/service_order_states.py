"""The states of a service order and of its technician's work, and how they move.

Read by service.order (its state) and service.order.execution.mixin (the technician
status), and by the status log. Plain data: no model is defined here.
"""

ORDER_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("completed", "Completed"),
    ("not_done", "Not Carried Out"),
    ("cancelled", "Cancelled"),
    ("rejected", "Rejected"),
]
CLOSED_STATES = ("completed", "not_done", "cancelled", "rejected")
# the others, named: a domain "state in OPEN_STATES" is served by the index of the open orders
OPEN_STATES = ("draft", "submitted", "planned", "in_progress")
OPEN_FIELD_STATES = ("planned", "in_progress")

# Every allowed move of the order's state. One table, read by the one method that
# changes the state (`_set_state`); buttons, wizards and kanban drag & drop all go there.
STATE_TRANSITIONS = {
    "draft": {"submitted", "cancelled"},
    "submitted": {"planned", "rejected", "cancelled"},
    # a rejected order can be revised (seed 004: "further investigation") and submitted again
    "rejected": {"draft"},
    "planned": {"in_progress", "completed", "not_done", "cancelled"},
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
