"""What the web client of Odoo 18.0 asks for each screen of the comparison: the field
specifications it builds from the views, read from the views themselves as each user gets
them (tests/web_client.py, shared with the performance tests), the default filters of the
actions and the views' default order.

Ours: service.order's kanban and list views (with their dispatch and repair extensions) and
My day. Theirs: fieldservice's fsm.order kanban and list views. Each as the user of the
operation: a technician's card has no double-booking flag (a node of the dispatchers' group).
"""
import os
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from web_client import NAME, view_spec  # noqa: F401  (the tests' module, without the test framework)

# service_order_action: the "Open" filter is on by default
SO_OPEN = [("is_open", "=", True)]
MY_DAY_VIEW = "service_order.service_order_view_kanban_my_day"
FSM_LIST_ORDER = "scheduled_date_start ASC"  # their list's default_order


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
