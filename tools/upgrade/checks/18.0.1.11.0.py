"""18.0.1.11.0 (the working day without friction): the time logs entered by hand before are
marked so, the others are clocked; the pricelists active before stay active (the pricelist
feature is turned on where they were in use); each role's users have their home page unless
they had chosen another."""


def before(cr):
    cr.execute("SELECT id, create_uid IS DISTINCT FROM user_id FROM service_time_log")
    logs = {str(log_id): manual for log_id, manual in cr.fetchall()}
    cr.execute("SELECT id FROM product_pricelist WHERE active")
    pricelists = [pricelist_id for pricelist_id, in cr.fetchall()]
    cr.execute("SELECT id, action_id FROM res_users WHERE action_id IS NOT NULL")
    homes = {str(user_id): action_id for user_id, action_id in cr.fetchall()}
    return {"logs": logs, "pricelists": pricelists, "homes": homes}


def after(env, data):
    data = data or {}
    logs = data.get("logs", {})
    if logs:
        env.cr.execute("SELECT id, entry_type FROM service_time_log WHERE id IN %s",
                       (tuple(int(log_id) for log_id in logs),))
        wrong = [log_id for log_id, entry in env.cr.fetchall()
                 if entry != ("manual" if logs[str(log_id)] else "clock")]
        assert not wrong, f"time logs marked clocked or by hand wrongly: {wrong}"
    pricelists = env["product.pricelist"].with_context(active_test=False).browse(data.get("pricelists", []))
    archived = pricelists.filtered(lambda pricelist: not pricelist.active)
    assert not archived, f"pricelists archived by the update: {archived.mapped('name')}"
    if pricelists:
        assert env.ref("product.group_product_pricelist") in env.ref("base.group_user").implied_ids, \
            "pricelists are active and Odoo's pricelist feature is still off (saving the settings archives them)"
    homes = {int(user_id): action_id for user_id, action_id in data.get("homes", {}).items()}
    technicians = env.ref("service_order.group_service_order_technician").users.filtered(lambda user: not user.share)
    ours = {env.ref(xmlid).id for xmlid in ("service_order.service_order_action_to_approve",
                                            "service_order.service_order_action",
                                            "service_order.service_order_action_my_day")}
    for user in technicians:
        if user.id in homes and homes[user.id] not in ours:
            assert user.action_id.id == homes[user.id], f"{user.login}'s own home page was changed"
        else:
            assert user.action_id, f"{user.login} holds a role and has no home page after the update"
