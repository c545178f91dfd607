"""18.0.1.2.0: the closed doors (issue "closed doors").

- "Technicians See Prices" was a group implied by the technician group, for every company of
  the database; it is now each company's setting (res.company.service_technician_prices). An
  implication found here turns the setting on for every company (what the group did), and is
  removed; the group itself goes with the update (its record is no longer in the data).
- The customers' links to orders (access_token) could be read by any staff member of the order
  before this version (get_portal_url, the field): every token made before is cleared, so no
  link handed out to staff still opens an order. The next e-mail to the customer, or Share by
  a dispatcher with Sales or Invoicing rights, makes a new one.
"""
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _move_technicians_see_prices(env):
    prices = env.ref("service_order.group_service_order_prices", raise_if_not_found=False)
    technician = env.ref("service_order.group_service_order_technician", raise_if_not_found=False)
    if not prices or not technician:
        return
    if prices in technician.implied_ids:
        companies = env["res.company"].with_context(active_test=False).search([])
        companies.write({"service_technician_prices": True})
        _logger.info("Technicians See Prices: on for %s companies (it was the group's)", len(companies))
    # the implications of the old group: the technician's (the setting) and the dispatcher's
    (technician | env.ref("service_order.group_service_order_dispatcher")).write(
        {"implied_ids": [(3, prices.id)]})


def _clear_customer_links(env):
    env.cr.execute("UPDATE service_order SET access_token = NULL WHERE access_token IS NOT NULL")
    _logger.info("Customer links cleared on %s service orders", env.cr.rowcount)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _move_technicians_see_prices(env)
    _clear_customer_links(env)
