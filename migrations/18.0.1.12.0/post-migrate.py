"""18.0.1.12.0: parts from the van (Odoo's Inventory, a new dependency the update installs).

The vehicles get their vans from the data (``data/service_van_data.xml``, at every update,
before the demo data that stocks them). Here: each sale order line that sells a part of a
work item (made before, from the item's parts) is linked to its part (the same item and
product, in order), so that the part's move from the van, when the item is done, delivers that
line. Nothing of the trail changes; nothing used before this version moves (no move is made
for the past), and the quantities of the lines stay as they were.
"""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _link_parts_to_sale_lines(env):
    lines = env["sale.order.line"].search([
        ("service_work_item_id", "!=", False), ("product_id", "!=", False), ("service_work_item_part_id", "=", False),
        ("display_type", "=", False)], order="id")
    linked = 0
    for item, item_lines in lines.grouped("service_work_item_id").items():
        taken = env["sale.order.line"].search([("service_work_item_part_id", "in", item.part_ids.ids)])
        free = item.part_ids - taken.service_work_item_part_id
        for line in item_lines:
            part = free.filtered(lambda p, line=line: p.product_id == line.product_id)[:1]
            if part:
                line.service_work_item_part_id = part
                free -= part
                linked += 1
    _logger.info("Parts linked to their sale order lines: %s of %s", linked, len(lines))


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _link_parts_to_sale_lines(env)
