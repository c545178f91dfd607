"""Who may do what on an approved order under way: the one table the access-matrix test
proves cell by cell (tests/test_access_matrix.py) and the README prints (``markdown()``).

Plain data, no Odoo import, so that the README's table can be made from it anywhere.
A cell is True (allowed) or False (refused, with an error and nothing changed).
"""

ROLES = ("tech_on", "tech_off", "dispatcher", "supervisor", "billing", "portal", "public")
ROLE_LABELS = {
    "tech_on": "technician on the order",
    "tech_off": "technician not on it",
    "dispatcher": "dispatcher",
    "supervisor": "supervisor",
    "billing": "dispatcher with Invoicing rights",
    "portal": "portal customer",
    "public": "public",
}
OPERATIONS = ("read", "create", "write", "unlink")
LETTERS = {"read": "R", "create": "C", "write": "W", "unlink": "D"}


def _row(read, create, write, unlink):
    """Each argument: the roles allowed, as a space-separated string."""
    return {op: set(roles.split()) for op, roles in zip(OPERATIONS, (read, create, write, unlink), strict=False)}


OFFICE = "dispatcher supervisor billing"
STAFF = "tech_on " + OFFICE

# model: (what the cell acts on, its operations)
MATRIX = {
    "service.order": ("the order (write: its priority)",
                      _row(STAFF + " portal", OFFICE, OFFICE, "")),
    "service.order.line": ("an issued material line",
                           _row(STAFF, "", "", "")),
    "service.confirmation": ("a confirmation", _row(STAFF, "", "", "")),
    "service.confirmation.change": ("a confirmation's change", _row(STAFF, "", "", "")),
    "service.order.document": ("a PDF version", _row(STAFF + " portal", "", "", "")),
    "service.order.status.log": ("a status log", _row(STAFF, "", "", "")),
    "service.work.item": ("a draft work item", _row(STAFF, STAFF, STAFF, OFFICE)),
    "service.work.item.part": ("a part of a draft work item", _row(STAFF, STAFF, STAFF, STAFF)),
    "service.fallout": ("a fallout", _row(STAFF, STAFF, OFFICE, "")),
    "service.time.log": ("a closed time log", _row(STAFF, OFFICE, "", "")),
    "service.consent.request": ("a consent request", _row(OFFICE, "", "", "")),
    "service.route": ("the technician's day route (write: its start, its stops' order)",
                      _row(STAFF, "", OFFICE, "")),
    "service.route.stop": ("a stop of the day route (write: its place)", _row(STAFF, "", OFFICE, "")),
    # the technician's day offline: what their phone sent, read by them and the office, written by none
    "service.sync.operation": ("an operation the technician's phone sent (the sync's trail)",
                               _row(STAFF, "", "", "")),
    "service.sync.upload": ("a photo the technician's phone sent", _row("tech_on", "", "", "")),
    "service.equipment": ("the order's equipment (write: its notes)", _row(STAFF + " portal", OFFICE, OFFICE, "")),
    "service.equipment.history": ("a row of the equipment's history", _row(STAFF + " portal", "", "", "")),
    "service.plan": ("a preventive plan of the customer (write: its lead time)", _row(OFFICE, OFFICE, OFFICE, OFFICE)),
    "service.plan.task": ("a task of the plan's template", _row(OFFICE, OFFICE, OFFICE, OFFICE)),
    # Odoo's own rights: Sales or Invoicing groups, and the customer as a follower of it
    "sale.order": ("the order's sale order (write: its customer reference)",
                   _row("billing portal", "", "billing", "")),
}

# Every wizard (transient model) of the addon: its row in the table acts on a row made by
# the least-privileged role who uses it (WIZARD_OWNERS); its rows are their creator's own
# (read, write, delete), and "create" is making a row of one's own on the same order (or
# work item, fallout, wizard), which takes the right to open the wizard and to read what it
# points at. A wizard missing here fails tests/test_access_matrix.py.
TECH_WIZARD = "tech_on " + OFFICE  # a technician's wizard: the order's field workers and the office
WIZARDS = {
    "service.order.submit": ("dispatcher", "a Submit wizard's row", _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.order.review": ("supervisor", "a Review wizard's row",
                             _row("supervisor", "supervisor", "supervisor", "")),
    "service.order.worker.add": ("dispatcher", "an Add Field Workers wizard's row",
                                 _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.order.workspace.invite": ("dispatcher", "an Invite to the Workspace wizard's row",
                                       _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.order.close": ("tech_on", "a Close wizard's row", _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.order.decline": ("tech_on", "a Decline wizard's row (the reason)",
                              _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.step.form": ("tech_on", "a step form wizard's row", _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.step.form.line": ("tech_on", "a step form wizard's answer (a picture, a signature)",
                               _row("tech_on", "tech_on", "tech_on", "tech_on")),
    "service.confirmation.create": ("tech_on", "a Create a Confirmation wizard's row (the description)",
                                    _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.confirmation.create.line": ("tech_on", "a Create a Confirmation wizard's material",
                                         _row("tech_on", "tech_on", "tech_on", "tech_on")),
    "service.work.item.skip": ("dispatcher", "a Skip Approval wizard's row (the reason)",
                               _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.work.item.refuse": ("dispatcher", "a Refuse wizard's row (the reason)",
                                 _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.fallout.report": ("tech_on", "a Report a Fallout wizard's row",
                               _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.fallout.assign": ("dispatcher", "an Assign Fallouts wizard's row",
                               _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.fallout.resolve": ("tech_on", "a Resolve Fallouts wizard's row",
                                _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.route.plan": ("dispatcher", "a Plan Routes wizard's row", _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.consent.onsite": ("tech_on", "a Consent on Site wizard's row (the signature)",
                               _row("tech_on", TECH_WIZARD, "tech_on", "")),
    "service.order.replan": ("dispatcher", "a Re-plan wizard's row (a drop's confirmation)",
                             _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.order.reassign": ("dispatcher", "a Reassign the Day wizard's row",
                               _row("dispatcher", OFFICE, "dispatcher", "")),
    "service.order.prepare.work": ("dispatcher", "an Add Prepared Work wizard's row",
                                   _row("dispatcher", OFFICE, "dispatcher", "")),
}
WIZARD_OWNERS = {model: owner for model, (owner, _what, _ops) in WIZARDS.items()}
MATRIX.update({model: (what, ops) for model, (_owner, what, ops) in WIZARDS.items()})

# Fields refused to every role that may write the model (set by the addon's methods only),
# and, for the order, what the PDF prints (changed only by a confirmation after approval).
PROTECTED = {
    "service.order": (
        "technician_status", "approved_by_id", "approved_date", "submitted_date", "reject_reason",
        "cancel_reason", "close_reason", "closed_by_id", "closed_date", "customer_signed_by",
        "customer_signature", "step_answer_ids", "channel_id", "access_token",
        "current_document_id", "name", "partner_lang", "sla_policy_id", "sla_response_deadline",
        "sla_resolution_deadline", "sla_responded_date", "sla_result", "sla_alert_date", "route_stop_ids",
        "sale_order_id", "partner_name", "field_worker_count", "lead_technician_name", "vehicle_name",
        "plan_id", "plan_due_date", "requested_on_portal", "request_contact", "work_item_progress",
    ),
    "service.order printed": (
        "partner_id", "location_id", "order_type_id", "scheduled_start", "scheduled_end",
        "description", "field_worker_ids", "lead_technician_id", "vehicle_id", "line_ids", "equipment_id",
    ),
    "service.work.item": (
        "approved_by_id", "approved_date", "customer_decision", "customer_decision_date",
        "customer_decision_ip", "consent_skip_reason", "refuse_reason", "user_id",
        "submitted_date", "prepared", "plan_task_id",
    ),
    "service.fallout": ("name", "reported_by_id", "resolution", "resolved_by_id", "resolved_date",
                        "reported_date", "due_date", "escalated_date"),
    "service.route": ("user_id", "date", "company_id", "optimised_date", "optimised_by_id"),
    "service.route.stop": ("route_id", "order_id"),
    "service.equipment": ("access_token",),
    "service.plan": ("last_due_date",),
}


def allowed(model, role, operation):
    return role in MATRIX[model][1][operation]


def markdown():
    """The README's "who can do what" table."""
    header = "| model (on an approved order under way) | " + " | ".join(
        ROLE_LABELS[role] for role in ROLES) + " |"
    lines = [header, "|" + " --- |" * (len(ROLES) + 1)]
    for model, (what, _ops) in MATRIX.items():
        cells = ["".join(LETTERS[op] for op in OPERATIONS if allowed(model, role, op)) or "—"
                 for role in ROLES]
        lines.append(f"| `{model}`: {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
