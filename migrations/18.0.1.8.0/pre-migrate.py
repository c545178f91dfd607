"""18.0.1.8.0: dispatch at the speed of a phone call (issue 24). Before the update: the partial
index of the open orders (``service_order_open_index``) is made again by the model's ``init``
with the new open state To Plan in its predicate (an index kept with the old predicate would not
serve "state in the open states" any more). Nothing of the trail is touched."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute(SQL("DROP INDEX IF EXISTS service_order_open_index"))
    _logger.info("service_order: the index of the open orders dropped, made again with To Plan")
