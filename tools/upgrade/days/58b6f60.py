"""A day of work on the release of 2026-11-22 (58b6f60), with its demo data, through that
version's own buttons and wizards, each pressed by the role that presses it. Run by
tools/upgrade_test.sh under that version's code (tools/upgrade/odoo_env.py gives ``env``).

That version has no invoicing (it came with Sales later). It is frozen with its source: a
script of a source is never changed for a later version's sake.
"""
import base64
from datetime import timedelta

from odoo import Command, fields

env = globals()["env"]
ref = env.ref
SIGNATURE = base64.b64encode(base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
supervisor, dispatcher, technician, technician2 = (
    ref(f"service_order.user_{login}") for login in ("supervisor", "dispatcher", "technician", "technician2"))
start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def wizard(model, user, order, **vals):
    """The wizard a button opens on ``order``, filled in as ``user``."""
    return env[model].with_user(user).with_context(default_order_id=order.id).create(dict(vals, order_id=order.id))


# the dispatcher takes a call: a new order, submitted to the supervisor
new = env["service.order"].with_user(dispatcher).create({
    "partner_id": ref("service_order.partner_bakery").id,
    "location_id": ref("service_order.partner_bakery").id,
    "order_type_id": ref("service_order.service_order_type_repair").id,
    "description": "<p>The proofer does not heat any more (upgrade test).</p>",
    "supervisor_id": supervisor.id,
})
wizard("service.order.submit", dispatcher, new, supervisor_id=supervisor.id).action_submit()

# the supervisor approves it and the order waiting since yesterday: a PDF version each
submitted = ref("service_order.order_submitted")
for order in new | submitted:
    wizard("service.order.review", supervisor, order, decision="approve").action_confirm()

# the dispatcher plans them
for order, worker in ((new, technician), (submitted, technician2)):
    wizard("service.order.worker.add", dispatcher, order, user_ids=[Command.set(worker.ids)],
           scheduled_start=start, scheduled_end=start + timedelta(hours=2)).action_confirm()

# the technician works the planned order of the demo, from the road to its close: time
# logged, a confirmation (an extra part: a new version), the checklist and a signature
planned = ref("service_order.order_planned").with_user(technician)
planned.action_depart()
planned.action_arrive()
planned.action_start_work()
planned.action_clock_in()
planned.action_clock_out()
wizard("service.order.modify", technician, planned, reason="A second pipe was corroded (upgrade test).",
       line_ids=[Command.create({"product_id": ref("service_order.product_copper_pipe").id, "quantity": 2})],
       ).action_confirm()
wizard("service.order.close", technician, planned, outcome="completed", check_work_done=True,
       check_site_clean=True, check_customer_informed=True, signature=SIGNATURE,
       signed_by="Customer (upgrade test)").action_confirm()

# the second technician takes a break on the order under way; the new order's technician
# is on the way: both left open for the smoke test after the update
ref("service_order.order_in_progress").with_user(technician2).action_pause()
new.with_user(technician).action_depart()

assert planned.state == "completed" and len(planned.confirmation_ids) == 1, planned.state
env.cr.commit()
print(f"day of work done: {new.name} approved and on the way, {submitted.name} approved and planned, "
      f"{planned.name} confirmed and completed")
