from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAX_MIN_PHOTOS = 100  # photos a work item must have before its repair is submitted


class ResCompany(models.Model):
    _inherit = "res.company"

    service_default_supervisor_id = fields.Many2one(
        "res.users", string="Default Service Supervisor", ondelete="set null",
        help="Proposed as the approver when a service order is submitted.",
    )
    # Approval options of the repair board (SPEC §4): where the technician must wait.
    service_item_dispatcher_approval = fields.Boolean(
        "Require Dispatcher Approval for Work Items",
        help="Submitted work items wait for a dispatcher before the repair may start.")
    service_item_customer_consent = fields.Boolean(
        "Require Customer Consent for Work Items",
        help="The customer receives a signed link to accept or refuse the work items; "
             "a dispatcher may skip the consent with a reason.")
    service_repair_dispatcher_approval = fields.Boolean(
        "Require Dispatcher Approval for Repairs",
        help="Completed repairs wait for a dispatcher before they count as done.")
    service_technician_prices = fields.Boolean(
        "Technicians See Prices",
        help="The technicians of this company read the priced estimates of its work items, as "
             "dispatchers do.")
    # The second approval tier (seed 003): above this amount a Service Manager approves orders
    # and work items, a supervisor's or a dispatcher's approval is not enough.
    service_manager_amount = fields.Monetary(
        "Service Manager Approval Above", currency_field="currency_id",
        help="Orders estimated above this amount, and work items whose estimate is above it, are approved "
             "by a Service Manager (0 = no second tier).")
    service_default_manager_id = fields.Many2one(
        "res.users", string="Default Service Manager", ondelete="set null",
        help="Proposed as the approver of the orders above the amount, and given the activities of the "
             "work items waiting for a Service Manager.")
    service_min_photos = fields.Integer(
        "Minimum Photos Before Submitting Work", default=0,
        help="Photos a work item needs before its repair can be submitted (0 = none).")
    # The customer in the loop (service_order_customer.py)
    service_status_link_hours = fields.Integer(
        "Customer Link Valid After Closing (hours)", default=72,
        help="The customer's appointment and status link stops working this long after the order is closed.")
    service_reschedule_by_dispatcher = fields.Boolean(
        "Customer Reschedules Wait for a Dispatcher",
        help="A window the customer picks from the appointment link waits for a dispatcher, who re-plans the "
             "order; otherwise the order is re-planned at once (a confirmation and a new version).")

    _sql_constraints = [
        ("service_manager_amount_positive", "CHECK(service_manager_amount IS NULL OR service_manager_amount >= 0)",
         "The amount above which a Service Manager approves cannot be negative."),
        ("service_status_link_hours_range", "CHECK(service_status_link_hours >= 0 AND service_status_link_hours <= 8760)",
         "The customer's link stays valid from 0 to 8760 hours (a year) after closing."),
    ]

    @api.constrains("service_min_photos")
    def _check_service_min_photos(self):
        for company in self:
            if company.service_min_photos < 0:
                raise ValidationError(self.env._(
                    "%(company)s: the minimum number of photos cannot be negative (%(value)s).",
                    company=company.name, value=company.service_min_photos))
            if company.service_min_photos > MAX_MIN_PHOTOS:
                raise ValidationError(self.env._(
                    "%(company)s: at most %(max)s photos can be required before submitting work, not %(value)s.",
                    company=company.name, max=MAX_MIN_PHOTOS, value=company.service_min_photos))
