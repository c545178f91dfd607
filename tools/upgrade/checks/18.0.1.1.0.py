"""18.0.1.1.0: the extension views are emptied and written again from the new files, their
translations carried over (migrations/0.0.0); the closing checklist of 2026-11-22 (three
booleans on the order) became completion step answers."""
CHECKLIST = {  # column -> the question, as that version's closing wizard asked it
    "check_work_done": "Work done as described",
    "check_site_clean": "Site left clean and safe",
    "check_customer_informed": "Customer informed of the result",
}


def _checklist(cr):
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_name = 'service_order' AND column_name IN %s", (tuple(CHECKLIST),))
    columns = sorted(name for name, in cr.fetchall())
    if not columns:
        return {}
    cr.execute("SELECT id, closed_by_id, closed_date::text, {} FROM service_order WHERE {}".format(
        ", ".join(columns), " OR ".join(f"{column} IS TRUE" for column in columns)))
    return {str(row[0]): {"user_id": row[1], "date": row[2], "checks": dict(zip(columns, row[3:], strict=True))}
            for row in cr.fetchall()}


# A French label edited in the database by the administrator (work/a8937fc.py)
EDITED_VIEW, EDITED_LABEL = "service_order_view_form_repair", 'string="Pointer (atelier)"'


def _edited_label(cr):
    cr.execute("SELECT v.arch_db->>'fr_FR' FROM ir_ui_view v JOIN ir_model_data d ON d.res_id = v.id "
               "AND d.model = 'ir.ui.view' AND d.module = 'service_order' AND d.name = %s", (EDITED_VIEW,))
    found = cr.fetchone()
    return bool(found and found[0] and EDITED_LABEL in found[0])


def before(cr):
    return {"orders": _checklist(cr), "edited_label": _edited_label(cr)}


def after(env, data):
    data = data or {}
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
    for order_id, old in data.get("orders", {}).items():
        answers = Answer.search([("order_id", "=", int(order_id)), ("step", "=", "complete")])
        got = {a.name: (a.value_yes_no, a.user_id.id, str(a.date)) for a in answers}
        for column, checked in old["checks"].items():
            want = ("yes" if checked else "no", old["user_id"], old["date"])
            assert got.get(CHECKLIST[column]) == want, \
                f"order {order_id}: {CHECKLIST[column]!r} is {got.get(CHECKLIST[column])}, expected {want}"
    env.cr.execute("SELECT column_name FROM information_schema.columns "
                   "WHERE table_name = 'service_order' AND column_name LIKE 'check\\_%%'")
    assert not env.cr.fetchall(), "the checklist's columns are still on service_order"
    # the translations of the emptied views came back, the one edited in the database too
    env.cr.execute("SELECT 1 FROM pg_tables WHERE tablename = 'service_order_upgrade_view_arch'")
    assert not env.cr.fetchall(), "the saved views' table is left over"
    if data.get("edited_label"):
        assert _edited_label(env.cr), f"{EDITED_VIEW}: the French label edited in the database is lost"
