"""18.0.1.8.0 (dispatch at the speed of a phone call): planned means booked. An approved order
that was Planned without a lead technician or a start, its work not started, waits To Plan with a
note; the orders submitted before were a supervisor's to approve; versions are untouched (kept.py)."""


def before(cr):
    cr.execute("""SELECT id FROM service_order
                   WHERE state = 'planned' AND technician_status = 'planned'
                     AND (lead_technician_id IS NULL OR scheduled_start IS NULL)""")
    unbooked = [order_id for order_id, in cr.fetchall()]
    cr.execute("SELECT id FROM service_order WHERE submitted_date IS NOT NULL")
    submitted = [order_id for order_id, in cr.fetchall()]
    return {"unbooked": unbooked, "submitted": submitted}


def after(env, data):
    data = data or {}
    orders = env["service.order"].with_context(active_test=False)
    for order in orders.browse(data.get("unbooked", [])):
        assert order.state == "to_plan", f"{order.name} was planned without a booking and is {order.state}"
        assert "planned means booked" in " ".join(order.message_ids.mapped("body")), \
            f"{order.name} moved To Plan without a note saying why"
    submitted = orders.browse(data.get("submitted", []))
    missing = submitted.filtered(lambda order: not order.approval_level)
    assert not missing, f"orders submitted before have no approval level: {missing.mapped('name')}"
    # nothing is Planned without its booking any more
    assert not orders.search_count([("state", "=", "planned"), "|", ("lead_technician_id", "=", False),
                                     ("scheduled_start", "=", False)]), "an order is Planned without a booking"
