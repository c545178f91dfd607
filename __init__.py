from . import controllers
from . import models
from . import wizards


def uninstall_hook(env):
    """The trigger functions of the open orders' field workers (models/service_order_open_workers.py):
    Odoo drops the addon's tables, with their triggers, but not functions."""
    env.cr.execute("DROP FUNCTION IF EXISTS service_order_open_worker_of_rel(), "
                   "service_order_open_worker_of_order() CASCADE")
