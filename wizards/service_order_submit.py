from odoo import api, fields, models

from ..models.common import MANAGER_GROUP, SUPERVISOR_GROUP


class ServiceOrderSubmit(models.TransientModel):
    _name = "service.order.submit"
    _inherit = ["service.wizard.mixin"]
    _description = "Submit a Service Order for Approval"

    order_id = fields.Many2one("service.order", required=True, ondelete="cascade")
    supervisor_id = fields.Many2one(
        "res.users", string="Approver", domain="[('groups_id', 'in', approver_group_id)]",
        help="Who approves the order: a supervisor, a Service Manager above the company's amount; none "
             "when the order type's policy approves it on submit.")
    approval_needed = fields.Selection(related="order_id.approval_needed")
    approver_group_id = fields.Many2one("res.groups", compute="_compute_approver_group_id")
    missing_data = fields.Text(compute="_compute_missing_data")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        order = self.env["service.order"].browse(res.get("order_id"))
        if order and "supervisor_id" in fields_list:
            approver = order.supervisor_id or self.env.company.service_default_supervisor_id
            if order.approval_needed == "manager" and not (approver and approver.has_group(MANAGER_GROUP)):
                approver = order.company_id.service_default_manager_id
            res["supervisor_id"] = approver.id
        return res

    @api.depends("approval_needed")
    def _compute_approver_group_id(self):
        for wizard in self:
            wizard.approver_group_id = self.env.ref(
                MANAGER_GROUP if wizard.approval_needed == "manager" else SUPERVISOR_GROUP)

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
        if self.supervisor_id and order.supervisor_id != self.supervisor_id:
            order.supervisor_id = self.supervisor_id
        order._check_can_submit()
        order._do_submit()
        return {"type": "ir.actions.act_window_close"}
