"""18.0.1.12.0: parts from the van (Odoo's Inventory, a new dependency the update installs).

Each service vehicle gets its van, a stock location under its company's warehouse
(``WH/Vans/<vehicle>``), as a vehicle made from now on gets it when made: the install's data
does it for a new database only (a ``noupdate`` function, which an update skips). Nothing of
the trail changes; the parts and materials used before this version keep the quantities their
sale order lines had (no move is made for the past).
"""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    vehicles = env["fleet.vehicle"].with_context(active_test=False).search([("service_location_id", "=", False)])
    vehicles._ensure_service_location()
    _logger.info("Van stock locations made for %s vehicles", len(vehicles.filtered("service_location_id")))
