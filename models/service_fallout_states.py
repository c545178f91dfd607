"""The states of a fallout and how they move. Plain data: no model is defined here."""

FALLOUT_STATES = [
    ("open", "Open"),
    ("in_progress", "In Progress"),
    ("on_hold", "On Hold"),
    ("awaiting_info", "Awaiting Information"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# A fallout in one of these states holds its work item and blocks closing the order.
OPEN_FALLOUT_STATES = ("open", "in_progress", "on_hold", "awaiting_info")

# Every allowed move of a fallout, read by the one method that changes the state.
FALLOUT_TRANSITIONS = {
    "open": {"in_progress", "on_hold", "awaiting_info", "resolved", "cancelled"},
    "in_progress": {"open", "on_hold", "awaiting_info", "resolved", "cancelled"},
    "on_hold": {"open", "in_progress", "awaiting_info", "resolved", "cancelled"},
    "awaiting_info": {"open", "in_progress", "on_hold", "resolved", "cancelled"},
    "resolved": {"closed", "in_progress"},
}
