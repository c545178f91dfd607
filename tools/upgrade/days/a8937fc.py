"""A day of work on a8937fc (the last commit before the upgrade test, 18.0.1.0.0), with its
demo data, through that version's own buttons and wizards, each pressed by the role that
presses it: approve, plan, a technician's day with a confirmation and the completion form,
the job runner's versions, the invoice, and a French label edited by the administrator. Run by tools/upgrade_test.sh under that
version's code (tools/upgrade/odoo_env.py gives ``env``).

It is frozen with its source: a script of a source is never changed for a later version's
sake (smoke.py follows the new code).
"""
import base64
from datetime import timedelta

from odoo import Command, fields

env = globals()["env"]
ref = env.ref
PICTURE = base64.b64encode(base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
NEXT_BUTTONS = {"accept": "action_accept_assignment", "depart": "action_depart", "arrive": "action_arrive",
                "start_work": "action_start_work", "resume": "action_resume"}
supervisor, dispatcher, technician, technician2 = (
    ref(f"service_order.user_{login}") for login in ("supervisor", "dispatcher", "technician", "technician2"))
start = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def wizard(model, user, order, **vals):
    """The wizard a button opens on ``order``, filled in as ``user``."""
    return env[model].with_user(user).with_context(default_order_id=order.id).create(dict(vals, order_id=order.id))


def press(user, order, method):
    """A button, and the step's form it opens when the order's type asks questions there."""
    action = getattr(order.with_user(user), method)()
    if isinstance(action, dict) and action.get("res_model") == "service.step.form":
        form = env["service.step.form"].with_user(user).with_context(**action["context"]).create({})
        for line in form.line_ids:
            line.write({"yes_no": {"value_yes_no": "yes"}, "number": {"value_number": 15.0},
                        "text": {"value_text": "Upgrade test"}, "photo": {"value_binary": PICTURE},
                        "signature": {"value_binary": PICTURE, "signed_by": "Customer (upgrade test)"},
                        }[line.answer_type])
        form.action_confirm()


def to_work(user, order):
    """My Day's one big button, pressed until the work is under way."""
    for _ in range(5):
        button = NEXT_BUTTONS.get(order.with_user(user).next_action)
        if not button:
            break
        press(user, order, button)


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

# the technician works the planned order of the demo to its close: the steps (and their
# forms), time logged, a confirmation with an extra part (a new version), the completion form
planned = ref("service_order.order_planned")
to_work(technician, planned)
planned.with_user(technician).action_clock_in()
planned.with_user(technician).action_clock_out()
wizard("service.confirmation.create", technician, planned, reason="A second pipe was corroded (upgrade test).",
       line_ids=[Command.create({"product_id": ref("service_order.product_copper_pipe").id, "quantity": 2})],
       ).action_confirm()
press(technician, planned, "action_open_complete")

# the job runner issues the versions reserved (the confirmation's, the completion report)
env["service.order.document"]._issue_pending_versions(batch=100)

# the dispatcher invoices the completed order and posts the invoice
planned.with_user(dispatcher).action_create_invoice()
invoices = planned.sale_order_id.invoice_ids
invoices.with_user(dispatcher).action_post()

# the second technician takes a break on the order under way; the new order's technician
# is on the way: both left open for the smoke test after the update
press(technician2, ref("service_order.order_in_progress"), "action_pause")
press(technician, new, "action_depart")

# the administrator adds French (the addon's translations) and words one button of an
# extension view their own way: an update keeps translations edited in the database
env["res.lang"]._activate_lang("fr_FR")
env["ir.module.module"].search([("name", "=", "service_order")])._update_translations(["fr_FR"])
ref("service_order.service_order_view_form_repair").update_field_translations(
    "arch_db", {"fr_FR": {"Clock In": "Pointer (atelier)"}})

assert planned.state == "completed" and invoices and set(invoices.mapped("state")) == {"posted"}, planned.state
assert not env["service.order.document"].search([("state", "=", "pending")]), "versions left pending"
env.cr.commit()
print(f"day of work done: {new.name} approved and on the way, {submitted.name} approved and planned, "
      f"{planned.name} confirmed, completed and invoiced ({', '.join(invoices.mapped('name'))})")
