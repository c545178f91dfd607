"""18.0.1.11.0: the working day without friction (issue 25). After the update:

- each role's home page after login, for the users who hold a role and have no home page of
  their own (the new install sets it by data; an update does not rerun it);
- the time logs made by hand before the update are marked so (``entry_type``: the new column
  defaults to clocked): a log created by another user than its technician was entered by a
  dispatcher; the logs' own values (times, technician, order) are not touched;
- the pricelists: a database where pricelists are active while Odoo's pricelist feature is off
  (the demo's contract pricelist, or one made by hand) gets the feature on, so that saving the
  settings, which shows no pricelist option to change, archives none of them.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.users"]._init_service_home_actions()
    cr.execute("UPDATE service_time_log SET entry_type = 'manual' WHERE create_uid IS DISTINCT FROM user_id")
    _logger.info("service_order: %d time log(s) marked as entered by hand", cr.rowcount)
    if env["res.config.settings"]._service_enable_pricelists_in_use():
        _logger.info("service_order: Odoo's pricelist feature turned on: active pricelists are in use")
