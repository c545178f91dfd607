"""The short smoke test of an updated database, under the new code: on an order that was open
before the update, its technician takes a step, makes a confirmation (a new PDF version) and
closes the order; each new version is issued and verifies. Acts through the buttons and the
forms they open, as the technician does. A later version that changes these flows changes
this file (the sources' scripts in days/ stay as they are)."""
import base64

PICTURE = base64.b64encode(base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
# My Day's one big button -> the method it calls ("complete" ends the steps)
NEXT_BUTTONS = {"accept": "action_accept_assignment", "depart": "action_depart", "arrive": "action_arrive",
                "start_work": "action_start_work", "resume": "action_resume"}


def _answer_form(env, user, action):
    """A button returned a form (the step's questions): answer every question and confirm."""
    form = env[action["res_model"]].with_user(user).with_context(**action.get("context", {})).create({})
    for line in form.line_ids:
        line.write({
            "yes_no": {"value_yes_no": "yes"}, "number": {"value_number": 10.0},
            "text": {"value_text": "Smoke test after the update"},
            "photo": {"value_binary": PICTURE},
            "signature": {"value_binary": PICTURE, "signed_by": "Customer (smoke test)"},
        }[line.answer_type])
    return form.action_confirm()


def _press(env, user, order, method):
    result = getattr(order.with_user(user), method)()
    if isinstance(result, dict) and result.get("res_model"):
        _answer_form(env, user, result)


def _issue(env, order, count_before):
    """The job runner issues the versions reserved; the new one verifies."""
    env["service.order.document"]._issue_pending_versions(batch=100)
    documents = order.sudo().document_ids.sorted("version")
    assert len(documents) == count_before + 1, f"{order.name}: {len(documents)} versions, expected {count_before + 1}"
    latest = documents[-1]
    assert latest.state == "issued" and latest._verify_checksum(), f"{latest.name} is not issued and verified"
    return latest


def run(env, before):
    technicians = env.ref("service_order.group_service_order_technician").users \
        - env.ref("service_order.group_service_order_dispatcher").users
    old_ids = sorted(int(order_id) for order_id in before["tables"]["service_order"])
    order = next((o for o in env["service.order"].browse(old_ids)
                  if o.state in ("planned", "in_progress") and o.field_worker_ids & technicians), None)
    assert order, "no open order with a technician in the data before the update"
    user = (order.lead_technician_id & technicians) or (order.field_worker_ids & technicians)[:1]
    steps = len(order.sudo().status_log_ids)

    # a technician's step: My Day's next button until work is under way (a pause and its
    # resume when it already is)
    if order.with_user(user).next_action in ("complete", False):
        _press(env, user, order, "action_pause")
    for _ in range(5):
        button = NEXT_BUTTONS.get(order.with_user(user).next_action)
        if not button:
            break
        _press(env, user, order, button)
    assert order.technician_status == "working", f"{order.name}: {order.technician_status} after the steps"
    assert len(order.sudo().status_log_ids) > steps, f"{order.name}: no status logged"

    # the day page's sync (18.0.1.9.0): a note the phone kept without signal, sent twice
    operation = {"uuid": f"smoke-note-{order.id}", "sequence": 1, "kind": "note", "order_id": order.id,
                 "base": {"version": order.current_version}, "payload": {"body": "Smoke test: sent from the phone"},
                 "device_date": str(env.cr.now())[:19]}
    Sync = env["service.sync.operation"].with_user(user)
    results = Sync._sync_batch("smoke-phone", [operation]) + Sync._sync_batch("smoke-phone", [operation])
    assert [result["status"] for result in results] == ["applied", "applied"], f"{order.name}: sync {results}"
    assert Sync.sudo().search_count([("uuid", "=", operation["uuid"])]) == 1, "the note was recorded twice"

    # a new version: a confirmation with an extra part
    versions = len(order.sudo().document_ids)
    action = order.with_user(user).action_open_confirmation()
    product = env["product.product"].search([("sale_ok", "=", True), ("type", "=", "consu")], limit=1)
    env[action["res_model"]].with_user(user).with_context(**action["context"]).create({
        "reason": "Smoke test after the update: one more part",
        "line_ids": [(0, 0, {"product_id": product.id, "quantity": 1})],
    }).action_confirm()
    confirmed = _issue(env, order, versions)

    # the close: the completion form answered, the completion report issued
    _press(env, user, order, "action_open_complete")
    assert order.state == "completed", f"{order.name} is {order.state} after the close"
    report = _issue(env, order, versions + 1)
    return (f"{user.login} on {order.name}: steps to working, a note synced once, {confirmed.name} ({confirmed.reason}), "
            f"closed, {report.name} ({report.reason})")
