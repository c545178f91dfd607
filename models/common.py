"""What every part of the addon shares: the role groups and the wizard action."""

SUPERVISOR_GROUP = "service_order.group_service_order_supervisor"
DISPATCHER_GROUP = "service_order.group_service_order_dispatcher"
TECHNICIAN_GROUP = "service_order.group_service_order_technician"


def wizard_action(title, model, context):
    """The action opening ``model`` (a wizard) in a dialog, with ``context``."""
    return {
        "type": "ir.actions.act_window",
        "name": title,
        "res_model": model,
        "view_mode": "form",
        "target": "new",
        "context": context,
    }
