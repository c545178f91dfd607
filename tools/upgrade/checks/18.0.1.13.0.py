"""18.0.1.13.0 (the customer in the loop): the update installs Odoo's rating module (a new
dependency), gives every company the link's default delay after closing, and e-mails nobody: the
orders planned before get their appointment notice when they are planned or re-planned next."""


def before(cr):
    cr.execute("SELECT id FROM service_order WHERE state = 'planned'")
    return {"planned": [order_id for order_id, in cr.fetchall()]}


def after(env, data):
    data = data or {}
    rating = env["ir.module.module"].search([("name", "=", "rating")])
    assert rating.state == "installed", f"the rating module is {rating.state} after the update"
    assert "rating_ids" in env["service.order"]._fields, "the orders are not rated"
    companies = env["res.company"].search([])
    assert all(company.service_status_link_hours == 72 for company in companies), \
        "a company has no delay for the customer's link after closing"
    # the update itself sends no appointment notice (a notice makes the order's token)
    orders = env["service.order"].sudo().browse(data.get("planned", [])).exists()
    noticed = orders.filtered(lambda order: order.customer_token and not order.appointment_sent_start)
    assert not noticed, f"orders got a link without a notice: {noticed.mapped('name')}"
