"""18.0.1.10.0: reads on a read-only replica (issue 30). An order gets its customer's link at
its approval now (``_give_customer_links``), so that the portal's pages only read the tokens;
the orders approved before get theirs here, as Odoo's ``_portal_ensure_token`` would have made
them on a first visit (a random UUID each). Nothing else changes: the trail, the issued PDF
versions and their checksums are not touched."""

import logging
import uuid

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

BATCH = 10000


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("SELECT id FROM service_order WHERE approved_date IS NOT NULL AND access_token IS NULL ORDER BY id"))
    ids = [row[0] for row in cr.fetchall()]
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        cr.execute(SQL(
            "UPDATE service_order o SET access_token = t.token FROM unnest(%s::int[], %s::varchar[]) AS t(id, token) "
            "WHERE o.id = t.id", batch, [str(uuid.uuid4()) for _id in batch]))
    _logger.info("service_order: the customer's link made for %d approved order(s)", len(ids))
