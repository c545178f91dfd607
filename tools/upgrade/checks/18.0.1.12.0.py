"""18.0.1.12.0: parts from the van. The update installed Odoo's Inventory (a new dependency),
and every service vehicle has its van, an internal stock location under its company's
warehouse."""


def after(env, data):
    installed = env["ir.module.module"].search([("name", "in", ("stock", "sale_stock")), ("state", "=", "installed")])
    assert len(installed) == 2, "the update did not install Inventory (stock, sale_stock)"
    vehicles = env["fleet.vehicle"].with_context(active_test=False).search([])
    assert vehicles, "no vehicle to check"
    without = vehicles.filtered(lambda v: not v.service_location_id)
    assert not without, f"vehicles without their van: {without.mapped('name')}"
    wrong = vehicles.filtered(lambda v: v.service_location_id.usage != "internal"
                              or not v.service_location_id.warehouse_id)
    assert not wrong, f"vans outside a warehouse, or not internal: {wrong.mapped('name')}"
