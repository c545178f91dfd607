"""The states of a work item, how they move, whom each wait is for, and which fields
who may write when. Plain data: no model is defined here."""

ITEM_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("waiting_dispatcher", "Waiting for Dispatcher"),
    ("waiting_customer", "Waiting for Customer"),
    ("approved", "Approved"),
    ("in_repair", "In Repair"),
    ("repair_submitted", "Repair Submitted"),
    ("waiting_repair_approval", "Waiting for Repair Approval"),
    ("done", "Done"),
    ("on_hold", "On Hold"),
    ("cancelled", "Cancelled"),
]
# States an item may be put on hold from, and come back to when its fallouts are over.
HOLDABLE_STATES = {
    "draft", "waiting_dispatcher", "waiting_customer", "approved", "in_repair",
    "repair_submitted", "waiting_repair_approval",
}
FINAL_STATES = ("done", "cancelled")

# Every allowed move of a work item. One table, read by the one method that changes the
# state (`_set_state`). "submitted" is passed through in the same transaction: the
# company's approval options then route the item to its first wait, or straight to
# "approved" when no approval is required (workflow A).
ITEM_TRANSITIONS = {
    "draft": {"submitted", "on_hold", "cancelled"},
    "submitted": {"waiting_dispatcher", "waiting_customer", "approved", "cancelled"},
    "waiting_dispatcher": {"waiting_customer", "approved", "on_hold", "cancelled"},
    "waiting_customer": {"approved", "on_hold", "cancelled"},
    "approved": {"in_repair", "on_hold", "cancelled"},
    "in_repair": {"repair_submitted", "on_hold", "cancelled"},
    "repair_submitted": {"waiting_repair_approval", "done", "in_repair", "on_hold", "cancelled"},
    "waiting_repair_approval": {"done", "in_repair", "on_hold", "cancelled"},
    "on_hold": HOLDABLE_STATES | {"cancelled"},
}

# Who an item in a waiting state waits for, and the activity the waiting person gets.
ITEM_WAITING_FOR = [
    ("dispatcher", "Waiting for dispatcher"),
    ("customer", "Waiting for customer"),
]
WAITING_STATES = {
    "waiting_dispatcher": "dispatcher",
    "waiting_customer": "customer",
    "waiting_repair_approval": "dispatcher",
}
WAIT_ACTIVITIES = {
    "waiting_dispatcher": "service_order.mail_act_work_item_approval",
    "waiting_customer": "service_order.mail_act_work_item_consent",
    "waiting_repair_approval": "service_order.mail_act_repair_approval",
}

# Fields a technician or dispatcher may write directly, by item state. Everything else
# (state, approvals, customer decision) changes only through the item's buttons.
CONTENT_FIELDS = {"complaint", "diagnosis", "estimated_hours", "part_ids", "sequence", "equipment_id"}
NOTE_FIELDS = {"notes", "photo_ids", "color"}
# Set only by the item's own methods, never given at creation.
WORKFLOW_FIELDS = {
    "state", "hold_previous_state", "submitted_date", "approved_by_id", "approved_date",
    "repair_approved_by_id", "repair_approved_date", "refuse_reason", "customer_decision",
    "customer_decision_date", "customer_decision_ip", "consent_request_id", "consent_skip_reason",
    "consent_skipped_by_id", "manager_approval",
}

# The technician's next step on an item, as one big button (the order's work items, the item's
# form on the phone): computed by service.work.item (``next_step``) from the state and the waits
# that apply; the button runs ``action_next_step``.
#   submit: a draft whose diagnosis waits for an approval (dispatcher, customer)
#   done:   the repair is finished, in one tap from the draft when nothing waits before the
#           repair (workflow A), from approved or in repair otherwise: the item passes through
#           every state between (each logged), to done or to the repair approval
ITEM_NEXT_STEPS = [("submit", "Submit"), ("done", "Done")]
# the states "done" passes through, in order
DONE_PATH = ("draft", "approved", "in_repair", "repair_submitted")
