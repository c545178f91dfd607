"""18.0.1.2.0 (closed doors): the customers' links made before are cleared; "Technicians See
Prices", a group implied by the technicians' group, became each company's setting."""


def before(cr):
    cr.execute("SELECT id, access_token FROM service_order WHERE access_token IS NOT NULL")
    tokens = dict(cr.fetchall())
    # the group implied by the technicians' (its XML ids: this addon's)
    cr.execute("""SELECT 1 FROM res_groups_implied_rel r
                    JOIN ir_model_data t ON t.res_id = r.gid AND t.model = 'res.groups'
                     AND t.module = 'service_order' AND t.name = 'group_service_order_technician'
                    JOIN ir_model_data p ON p.res_id = r.hid AND p.model = 'res.groups'
                     AND p.module = 'service_order' AND p.name = 'group_service_order_prices'""")
    return {"tokens": {str(k): v for k, v in tokens.items()}, "prices_implied": bool(cr.fetchall())}


def after(env, data):
    data = data or {}
    tokens = data.get("tokens", {})
    if tokens:
        env.cr.execute("SELECT id FROM service_order WHERE id IN %s AND access_token IN %s",
                       (tuple(int(k) for k in tokens), tuple(tokens.values())))
        still = [order_id for order_id, in env.cr.fetchall()]
        assert not still, f"customer links made before the update still open orders {still}"
    assert not env.ref("service_order.group_service_order_prices", raise_if_not_found=False), \
        "the group Technicians See Prices is still there"
    if data.get("prices_implied"):
        companies = env["res.company"].with_context(active_test=False).search([])
        assert all(companies.mapped("service_technician_prices")), \
            "Technicians See Prices was on for every company and is not a company setting now"
