"""18.0.1.12.0: parts from the van. The update installed Odoo's Inventory (``stock`` and
``sale_stock``, new dependencies); every service vehicle has its van, an internal stock location
under its company's warehouse; the quantities of the sale order lines the addon keeps (ordered,
delivered) are those they had: nothing sold or delivered before moves or is lost because
goods are now delivered by stock moves; each part's line knows its part."""

LINKS = ("service_labour_order_id", "service_order_line_id", "service_work_item_id")


def before(cr):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'sale_order_line' "
               "AND column_name IN %s", (LINKS,))
    present = [name for name, in cr.fetchall()]
    if not present:
        return {}
    cr.execute(f"""SELECT id, product_uom_qty, qty_delivered, qty_invoiced FROM sale_order_line
                   WHERE {" OR ".join(f"{name} IS NOT NULL" for name in present)}""")
    return {str(line_id): [float(v or 0) for v in values] for line_id, *values in cr.fetchall()}


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
    lines = env["sale.order.line"].browse(int(line_id) for line_id in data or {})
    lines.invalidate_recordset()
    changed = [f"{line.id}: {data[str(line.id)]} -> {[line.product_uom_qty, line.qty_delivered, line.qty_invoiced]}"
               for line in lines
               if [round(v, 4) for v in data[str(line.id)]]
               != [round(v, 4) for v in (line.product_uom_qty, line.qty_delivered, line.qty_invoiced)]]
    assert not changed, "sale order lines' quantities changed by the update: " + "; ".join(changed)
    parts = lines.filtered(lambda line: line.service_work_item_id and line.product_id)
    unlinked = parts.filtered(lambda line: not line.service_work_item_part_id)
    assert not unlinked, f"parts' sale order lines not linked to their part: {unlinked.ids}"
