"""18.0.1.10.0 (reads on a replica): every approved order has its customer's link once updated
(made at the approval from this version on), so that the portal's pages only read it."""


def before(cr):
    cr.execute("SELECT count(*) FROM service_order WHERE approved_date IS NOT NULL")
    return {"approved": cr.fetchone()[0]}


def after(env, data):
    cr = env.cr
    cr.execute("SELECT id FROM service_order WHERE approved_date IS NOT NULL AND access_token IS NULL")
    missing = [order_id for order_id, in cr.fetchall()]
    assert not missing, f"approved orders without their customer's link after the update: {missing}"
    cr.execute("SELECT count(*) FROM service_order WHERE approved_date IS NOT NULL")
    assert cr.fetchone()[0] >= (data or {}).get("approved", 0), "approved orders were lost"
