from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .service_fallout_states import OPEN_FALLOUT_STATES

# Set by the addon only: the plan and due date an order was made for (the job), whether it
# came from the customer's portal and who asked (the request form), its progress (computed).
EQUIPMENT_ORDER_PROTECTED_FIELDS = frozenset({
    "plan_id", "plan_due_date", "requested_on_portal", "request_contact", "work_item_progress",
})


class ServiceOrderEquipmentMixin(models.AbstractModel):
    """The order's equipment (a piece of the customer's installed base, printed on the order),
    the preventive plan and due date it was made for, the request from the equipment's label,
    and the order's progress: the share of its work items done and its open fallouts, stored for
    the list and the board, and the tree order → work items → fallouts on the form."""

    _name = "service.order.equipment.mixin"
    _description = "Service Order: equipment, preventive plan, progress"

    equipment_id = fields.Many2one(
        "service.equipment", tracking=True, index="btree_not_null", ondelete="restrict",
        check_company=True,
        domain="['|', ('partner_id', 'parent_of', partner_id), ('partner_id', 'child_of', partner_id)]",
        help="The customer's equipment the order is for: its warranty prices the work, its history shows "
             "every order made for it.")
    equipment_under_warranty = fields.Boolean(related="equipment_id.under_warranty", string="Under Warranty")
    plan_id = fields.Many2one("service.plan", string="Preventive Plan", readonly=True, copy=False,
                              index="btree_not_null", ondelete="restrict")
    plan_due_date = fields.Date("Due Date", readonly=True, copy=False,
                                help="The due date of the preventive plan's visit this order was made for.")
    requested_on_portal = fields.Boolean("Requested by the Customer", readonly=True, copy=False,
                                         help="Made from the equipment's page on the portal (its label).")
    request_contact = fields.Char("Requested By (Contact)", readonly=True, copy=False)
    work_item_progress = fields.Float(
        "Progress", compute="_compute_work_item_progress", store=True, aggregator="avg", digits=(5, 1),
        help="The share of the order's work items done, in percent (cancelled items do not count).")
    progress_tree = fields.Html(compute="_compute_progress_tree", sanitize=False)

    _sql_constraints = [
        ("plan_due_date_uniq", "unique(plan_id, plan_due_date)",
         "A preventive plan makes one order per due date."),
    ]

    @api.depends("work_item_ids.state")
    def _compute_work_item_progress(self):
        for order in self:
            items = order.work_item_ids.filtered(lambda i: i.state != "cancelled")
            done = items.filtered(lambda i: i.state == "done")
            order.work_item_progress = 100.0 * len(done) / len(items) if items else 0.0

    @api.depends("work_item_ids.state", "fallout_ids.state", "work_item_progress")
    def _compute_progress_tree(self):
        QWeb = self.env["ir.qweb"]
        item_states = dict(self.env["service.work.item"]._fields["state"]._description_selection(self.env))
        fallout_states = dict(self.env["service.fallout"]._fields["state"]._description_selection(self.env))
        for order in self:
            if not order.id:
                order.progress_tree = False
                continue
            fallouts = order.fallout_ids
            order.progress_tree = QWeb._render("service_order.service_order_progress_tree", {
                "order": order,
                "items": order.work_item_ids,
                "fallouts_by_item": {item.id: fallouts.filtered(lambda f, i=item: f.work_item_id == i)
                                     for item in order.work_item_ids},
                "order_fallouts": fallouts.filtered(lambda f: not f.work_item_id),
                "open_fallout_states": OPEN_FALLOUT_STATES,
                "item_states": item_states,
                "fallout_states": fallout_states,
            })

    @api.constrains("equipment_id", "partner_id")
    def _check_equipment_customer(self):
        for order in self.filtered("equipment_id"):
            if order.equipment_id.partner_id.commercial_partner_id != order.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Order %(name)s: the equipment %(equipment)s belongs to %(owner)s, not to the order's "
                    "customer.", name=order.name, equipment=order.equipment_id.display_name,
                    owner=order.equipment_id.partner_id.display_name))

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        equipment = self.equipment_id
        if not equipment:
            return
        if not self.partner_id or self.partner_id.commercial_partner_id != equipment.partner_id.commercial_partner_id:
            self.partner_id = equipment.partner_id
        if equipment.location_id:
            self.location_id = equipment.location_id

    def action_view_equipment(self):
        """Open the order's equipment: what it is, its warranty and its whole history."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_view_plan(self):
        """Open the preventive plan the order was made for."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.plan",
            "res_id": self.plan_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
