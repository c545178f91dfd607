from odoo import api, fields, models

from ..models.common import field_technicians_domain


class ServiceConfirmationCreate(models.TransientModel):
    """Create a confirmation: what differs in the field from the order, and why."""

    _name = "service.confirmation.create"
    _inherit = ["service.wizard.mixin"]
    _description = "Create a Confirmation of a Service Order"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    reason = fields.Text("Why", required=True)
    line_ids = fields.One2many("service.confirmation.create.line", "wizard_id",
                               string="Extra materials and unforeseen services")
    worker_ids = fields.Many2many(
        "res.users", string="Extra workers",
        domain=lambda self: field_technicians_domain(self.env),
    )
    remove_worker_ids = fields.Many2many(
        "res.users", "service_confirmation_create_remove_worker_rel", "wizard_id", "user_id",
        string="Workers leaving", domain="[('id', 'in', current_worker_ids)]")
    current_worker_ids = fields.Many2many(related="order_id.field_worker_ids")
    scheduled_start = fields.Datetime("New start")
    scheduled_end = fields.Datetime("New end")
    description = fields.Html()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["service.order"].browse(res.get("order_id"))
        if order and "description" in fields_list:
            res["description"] = order.description
        # the schedule as it is: a reschedule changes the start, the end follows
        for name in ("scheduled_start", "scheduled_end"):
            if order and name in fields_list and not res.get(name):
                res[name] = order[name]
        return res

    @api.onchange("scheduled_start")
    def _onchange_scheduled_start(self):
        """A new start keeps the job's length: the end follows (changed by hand only when the length changes)."""
        order = self.order_id
        if self.scheduled_start and order.scheduled_start and order.scheduled_end:
            self.scheduled_end = self.scheduled_start + (order.scheduled_end - order.scheduled_start)

    def action_confirm(self):
        """Apply the changes to the order and reserve its next PDF version (made by the job runner)."""
        self.ensure_one()
        order = self.order_id
        order._do_confirm(
            self.reason,
            lines=[{"product_id": line.product_id.id, "quantity": line.quantity, "name": line.name or False}
                   for line in self.line_ids],
            workers=self.worker_ids - order.field_worker_ids,
            remove_workers=self.remove_worker_ids,
            scheduled_start=self.scheduled_start if self.scheduled_start != order.scheduled_start else None,
            scheduled_end=self.scheduled_end if self.scheduled_end != order.scheduled_end else None,
            description=self.description,
        )
        return {"type": "ir.actions.act_window_close"}


class ServiceConfirmationCreateLine(models.TransientModel):
    _name = "service.confirmation.create.line"
    _inherit = ["service.wizard.mixin"]
    _description = "Create a Confirmation: one extra material or service"

    wizard_id = fields.Many2one("service.confirmation.create", required=True, ondelete="cascade")
    product_id = fields.Many2one("product.product", required=True)
    name = fields.Char("Description")
    quantity = fields.Float(default=1.0, required=True, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id")
