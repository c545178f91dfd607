from datetime import datetime, time, timedelta

import pytz

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .service_order_states import OPEN_STATES


class ServiceVanStockReport(models.Model):
    """Each van's stock and what tomorrow's orders need from it: per van and product, the
    quantity on hand, the quantity the open work of the orders it serves tomorrow needs (the
    parts of their work items not done yet, prepared work included, and their materials), and
    what is missing. A query over the live data (``_table_query``, no database view): it is never
    stale, and reading it writes nothing. Tomorrow is the reader's (their time zone)."""

    _name = "service.van.stock.report"
    _description = "Van Stock and Tomorrow's Needs"
    _auto = False
    _rec_name = "product_id"
    _order = "vehicle_id, qty_missing desc, product_id"
    # what the query reads: flushed before the report is
    _depends = {
        "service.order": ["state", "scheduled_start", "vehicle_id", "lead_technician_id"],
        "service.work.item": ["state", "order_id"],
        "service.work.item.part": ["work_item_id", "product_id", "quantity"],
        "service.order.line": ["order_id", "product_id", "quantity"],
        "stock.quant": ["location_id", "product_id", "quantity"],
        "fleet.vehicle": ["service_location_id", "active"],
        "res.users": ["service_vehicle_id"],
    }

    vehicle_id = fields.Many2one("fleet.vehicle", string="Van", readonly=True)
    location_id = fields.Many2one("stock.location", string="Van Location", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    qty_on_hand = fields.Float("On Hand", readonly=True, digits="Product Unit of Measure")
    qty_needed = fields.Float("Needed Tomorrow", readonly=True, digits="Product Unit of Measure")
    qty_missing = fields.Float("Missing", readonly=True, digits="Product Unit of Measure")
    is_missing = fields.Boolean("Missing for Tomorrow", readonly=True)

    def _tomorrow(self):
        """(start, end) of tomorrow in the reader's time zone, as UTC database values."""
        try:
            zone = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        today = datetime.now(zone).date()
        start = zone.localize(datetime.combine(today + timedelta(days=1), time.min))
        end = zone.localize(datetime.combine(today + timedelta(days=2), time.min))
        return (start.astimezone(pytz.utc).replace(tzinfo=None), end.astimezone(pytz.utc).replace(tzinfo=None))

    @property
    def _table_query(self):
        start, end = self._tomorrow()
        return SQL(
            """WITH vans AS (
                   SELECT v.id AS vehicle_id, v.service_location_id AS location_id, l.company_id
                     FROM fleet_vehicle v JOIN stock_location l ON l.id = v.service_location_id
                    WHERE v.active
               ), day_orders AS (
                   SELECT o.id, COALESCE(o.vehicle_id, u.service_vehicle_id) AS vehicle_id
                     FROM service_order o LEFT JOIN res_users u ON u.id = o.lead_technician_id
                    WHERE o.state IN %(open)s AND o.scheduled_start >= %(start)s AND o.scheduled_start < %(end)s
               ), needs AS (
                   SELECT d.vehicle_id, p.product_id, p.quantity
                     FROM service_work_item_part p
                     JOIN service_work_item i ON i.id = p.work_item_id AND i.state NOT IN ('done', 'cancelled')
                     JOIN day_orders d ON d.id = i.order_id
                   UNION ALL
                   SELECT d.vehicle_id, l.product_id, l.quantity
                     FROM service_order_line l JOIN day_orders d ON d.id = l.order_id
               ), need AS (
                   SELECT n.vehicle_id, n.product_id, SUM(n.quantity) AS quantity
                     FROM needs n
                     JOIN product_product pp ON pp.id = n.product_id
                     JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.type = 'consu'
                    WHERE n.vehicle_id IS NOT NULL
                    GROUP BY n.vehicle_id, n.product_id
               ), stock AS (
                   SELECT vans.vehicle_id, q.product_id, SUM(q.quantity) AS quantity
                     FROM stock_quant q JOIN vans ON vans.location_id = q.location_id
                    GROUP BY vans.vehicle_id, q.product_id
               ), pairs AS (
                   SELECT vehicle_id, product_id FROM stock UNION SELECT vehicle_id, product_id FROM need
               )
               SELECT (vans.vehicle_id::bigint << 32) + pairs.product_id AS id,
                      vans.vehicle_id, vans.location_id, vans.company_id, pairs.product_id,
                      COALESCE(stock.quantity, 0) AS qty_on_hand,
                      COALESCE(need.quantity, 0) AS qty_needed,
                      GREATEST(COALESCE(need.quantity, 0) - GREATEST(COALESCE(stock.quantity, 0), 0), 0) AS qty_missing,
                      COALESCE(need.quantity, 0) > GREATEST(COALESCE(stock.quantity, 0), 0) AS is_missing
                 FROM pairs
                 JOIN vans ON vans.vehicle_id = pairs.vehicle_id
                 LEFT JOIN stock ON stock.vehicle_id = pairs.vehicle_id AND stock.product_id = pairs.product_id
                 LEFT JOIN need ON need.vehicle_id = pairs.vehicle_id AND need.product_id = pairs.product_id""",
            open=OPEN_STATES, start=start, end=end)

    def action_refill(self):
        """Refill the vans for tomorrow (Inventory users): one internal transfer per van, from its
        warehouse's stock, of what these rows miss. Made as the user: Inventory's rights decide."""
        missing = self.filtered("is_missing")
        if not missing:
            raise UserError(self.env._("Nothing is missing for tomorrow in the rows chosen."))
        Picking = self.env["stock.picking"]
        pickings = Picking
        for van, rows in missing.grouped("location_id").items():
            warehouse = van.warehouse_id
            pickings |= Picking.create({
                "picking_type_id": (warehouse.service_van_refill_type_id or warehouse.int_type_id).id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": van.id,
                "origin": self.env._("Refill for tomorrow"),
                "company_id": van.company_id.id,
                "move_ids": [Command.create({
                    "name": row.product_id.display_name, "product_id": row.product_id.id,
                    "product_uom": row.product_id.uom_id.id, "product_uom_qty": row.qty_missing,
                    "location_id": warehouse.lot_stock_id.id, "location_dest_id": van.id,
                    "company_id": van.company_id.id,
                }) for row in rows],
            })
        pickings.action_confirm()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Van refills"),
            "res_model": "stock.picking",
            "view_mode": "list,form",
            "domain": [("id", "in", pickings.ids)],
        }
