"""18.0.1.1.0: the extension views are written again from the new files; the closing
checklist of 2026-11-22 (three booleans on the order) became completion step answers."""
CHECKLIST = {  # column -> the question, as that version's closing wizard asked it
    "check_work_done": "Work done as described",
    "check_site_clean": "Site left clean and safe",
    "check_customer_informed": "Customer informed of the result",
}


def before(cr):
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_name = 'service_order' AND column_name IN %s", (tuple(CHECKLIST),))
    columns = sorted(name for name, in cr.fetchall())
    if not columns:
        return {}
    cr.execute("SELECT id, closed_by_id, closed_date::text, {} FROM service_order WHERE {}".format(
        ", ".join(columns), " OR ".join(f"{column} IS TRUE" for column in columns)))
    return {str(row[0]): {"user_id": row[1], "date": row[2], "checks": dict(zip(columns, row[3:], strict=True))}
            for row in cr.fetchall()}


def after(env, data):
    # no extension view of the addon is left empty by the reset (migrations/0.0.0)
    Data = env["ir.model.data"]
    emptied = [
        d.name for d in Data.search([("module", "=", "service_order"), ("model", "=", "ir.ui.view")])
        if (env["ir.ui.view"].browse(d.res_id).arch_db or "").strip() in ("<data/>", "")
    ]
    assert not emptied, f"extension views left empty after the update: {emptied}"
    # every view of the addon's models still validates under the new code
    env["ir.ui.view"].search([("model", "like", "service.")])._check_xml()
    # the checklist answered at closing is now the order's completion answers
    Answer = env["service.step.answer"]
    for order_id, old in (data or {}).items():
        answers = Answer.search([("order_id", "=", int(order_id)), ("step", "=", "complete")])
        got = {a.name: (a.value_yes_no, a.user_id.id, str(a.date)) for a in answers}
        for column, checked in old["checks"].items():
            want = ("yes" if checked else "no", old["user_id"], old["date"])
            assert got.get(CHECKLIST[column]) == want, \
                f"order {order_id}: {CHECKLIST[column]!r} is {got.get(CHECKLIST[column])}, expected {want}"
    env.cr.execute("SELECT column_name FROM information_schema.columns "
                   "WHERE table_name = 'service_order' AND column_name LIKE 'check\\_%%'")
    assert not env.cr.fetchall(), "the checklist's columns are still on service_order"
