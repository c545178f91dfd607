"""What the web client of Odoo 18.0 asks for each screen of the comparison: the field
specifications it builds from the views (every field of the arch, optional columns too; a
many2one or many2many as its display_name; the activity widgets' own fields), the default
filters of the actions and the views' default order.

Ours: service_order_view_kanban/_list with their dispatch extensions, and My day, as a
dispatcher (no multi-company group). Theirs: fieldservice's fsm_order_kanban_view and
fsm_order_list_view, as a fieldservice dispatcher (no tag or multi-company group).
"""
from datetime import date, timedelta

NAME = {"fields": {"display_name": {}}}
ACTIVITY = {  # kanban_activity and list_activity: the field and its dependencies
    "activity_ids": {"fields": {}}, "activity_exception_decoration": {}, "activity_exception_icon": {},
    "activity_state": {}, "activity_summary": {}, "activity_type_icon": {}, "activity_type_id": NAME,
}

# service_order_action: the "Open" filter is on by default
SO_OPEN = [("state", "in", ("draft", "submitted", "planned", "in_progress"))]
SO_KANBAN = {
    "color": {}, "state": {}, "sla_status": {}, "double_booked": {}, "name": {}, "priority": {},
    "partner_id": NAME, "location_address": {}, "sla_reason": {}, "order_type_id": NAME, "scheduled_start": {},
    "technician_status": {}, "acceptance": {}, "field_worker_ids": NAME, **ACTIVITY,
}
# a technician's card: without the dispatchers' double-booking flag (a view of their group)
SO_KANBAN_TECHNICIAN = {name: spec for name, spec in SO_KANBAN.items() if name != "double_booked"}
SO_LIST = {
    "route_stop_number": {}, "priority": {}, "name": {}, "partner_id": NAME, "location_address": {},
    "order_type_id": NAME, "scheduled_start": {}, "sla_status": {}, "sla_due_date": {}, "sla_reason": {},
    "double_booked": {}, "lead_technician_id": NAME, "field_worker_ids": NAME, "vehicle_id": NAME,
    "technician_status": {}, "state": {}, **ACTIVITY,
}
SO_MY_DAY = {
    "state": {}, "next_action": {}, "technician_status": {}, "navigation_url": {}, "phone_url": {},
    "route_stop_number": {}, "time_window": {}, "partner_id": NAME, "location_address": {}, "name": {},
    "order_type_id": NAME,
}

FSM_KANBAN = {"stage_id": NAME, "name": {}, "priority": {}, "location_id": NAME, "person_id": NAME, "color": {}}
FSM_LIST = {"scheduled_date_start": {}, "name": {}, "location_id": NAME, "person_id": NAME, "stage_id": NAME}
FSM_LIST_ORDER = "scheduled_date_start ASC"  # the list's default_order


def day_domain(today=None):
    """The search view's "Today" filter, as the web client evaluates it."""
    today = today or date.today()
    start, end = f"{today:%Y-%m-%d} 00:00:00", f"{today + timedelta(days=1):%Y-%m-%d} 00:00:00"
    return [("scheduled_start", "<", end), "|", ("scheduled_end", ">=", start), ("scheduled_start", ">=", start)]

# ours with the fields of their card and list (the same information: number, priority, customer,
# technician, state), to compare the engines apart from what our cards show more
SO_KANBAN_THEIRS = {"state": {}, "name": {}, "priority": {}, "partner_id": NAME, "lead_technician_id": NAME,
                    "color": {}}
SO_LIST_THEIRS = {"scheduled_start": {}, "name": {}, "partner_id": NAME, "lead_technician_id": NAME, "state": {}}
