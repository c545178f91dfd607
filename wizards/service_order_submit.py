from odoo import api, fields, models


class ServiceOrderSubmit(models.TransientModel):
    _name = "service.order.submit"
    _inherit = ["service.wizard.mixin"]
    _description = "Submit a Service Order for Approval"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    supervisor_id = fields.Many2one(
        "res.users", string="Approver", required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(
            "service_order.group_service_order_supervisor").ids)],
    )
    missing_data = fields.Text(compute="_compute_missing_data")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["service.order"].browse(res.get("order_id"))
        if order and "supervisor_id" in fields_list:
            res["supervisor_id"] = (order.supervisor_id
                                    or self.env.company.service_default_supervisor_id).id
        return res

    @api.depends("order_id")
    def _compute_missing_data(self):
        for wizard in self:
            order = wizard.order_id
            missing = order._get_missing_submit_data() if order else []
            wizard.missing_data = ", ".join(missing) if missing else False

    def action_submit(self):
        """Check the order's data, then submit it to the chosen supervisor."""
        self.ensure_one()
        order = self.order_id
        if order.supervisor_id != self.supervisor_id:
            order.supervisor_id = self.supervisor_id
        order._check_can_submit()
        order._do_submit()
        return {"type": "ir.actions.act_window_close"}
