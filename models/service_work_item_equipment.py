from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from .common import DISPATCHER_GROUP, selection_labels
from .service_order_sale import WORK_ITEM_SEQUENCE

# Set by the addon only: prepared before the visit (and from which plan task), the warranty.
EQUIPMENT_ITEM_PROTECTED_FIELDS = frozenset({"prepared", "plan_task_id"})


class ServiceWorkItemEquipmentMixin(models.AbstractModel):
    """A work item's equipment and warranty, the work a dispatcher prepared before the visit,
    and the customer's answer to the order's estimate.

    Work on a piece of equipment under warranty on the order's day is priced at zero, with the
    reason on each line (the consent page, the quotation and its PDF): its parts and its hours
    are on the sale order at a 100% discount (its hours in its own section, not on the order's
    labour line)."""

    _name = "service.work.item.equipment.mixin"
    _description = "Work Item: equipment, warranty, prepared work"

    equipment_id = fields.Many2one(
        "service.equipment", compute="_compute_equipment_id", store=True, readonly=False,
        index="btree_not_null", ondelete="restrict", check_company=True, tracking=True,
        domain="[('partner_id', 'parent_of', partner_id)]",
        help="The piece of the customer's equipment the work is on (the order's by default).")
    under_warranty = fields.Boolean(
        compute="_compute_under_warranty", store=True,
        help="The equipment's warranty runs on the order's day: the work is priced at zero.")
    warranty_reason = fields.Char(compute="_compute_warranty_reason")
    prepared = fields.Boolean(
        "Prepared Before the Visit", readonly=True, copy=False,
        help="Added by a dispatcher before the technician's visit (from a plan's template or by hand).")
    plan_task_id = fields.Many2one("service.plan.task", readonly=True, copy=False,
                                   ondelete="set null")
    fallout_ids = fields.One2many("service.fallout", "work_item_id", string="Fallouts")

    @api.model_create_multi
    def create(self, vals_list):
        # after the item's own checks (service.work.item.create): an item made while nobody is
        # on site is prepared work (a dispatcher's, before the visit)
        orders = self.env["service.order"].browse({vals.get("order_id") for vals in vals_list} - {None, False})
        on_site = {order.id for order in orders.sudo() if order._is_on_site()}
        for vals in vals_list:
            vals.setdefault("prepared", vals.get("order_id") not in on_site)
        return super().create(vals_list)

    @api.depends("order_id.equipment_id")
    def _compute_equipment_id(self):
        for item in self:
            if not item.equipment_id:
                item.equipment_id = item.order_id.equipment_id

    @api.depends("equipment_id.warranty_end_date", "order_id.scheduled_start", "order_id.create_date")
    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for item in self:
            end = item.equipment_id.warranty_end_date
            start = item.order_id.scheduled_start or item.order_id.create_date
            day = fields.Date.context_today(self, start) if start else today
            item.under_warranty = bool(end) and day <= end

    @api.depends("under_warranty", "equipment_id")
    def _compute_warranty_reason(self):
        for item in self:
            item.warranty_reason = item.equipment_id._warranty_reason() if item.under_warranty else False

    # ------------------------------------------------------------------
    # Priced at zero under warranty, with the reason
    # ------------------------------------------------------------------
    def _warranty_line(self, vals, lang):
        """``vals`` of a sale order line of this item under warranty: a 100% discount and the reason."""
        self.ensure_one()
        product = self.env["product.product"].browse(vals["product_id"]).with_context(lang=lang)
        reason = self.equipment_id._warranty_reason(lang=lang)
        return dict(vals, service_warranty=True, name=f"{product.display_name}\n{reason}")

    def _estimate_line_values(self):
        vals_list = super()._estimate_line_values()
        if not self.under_warranty:
            return vals_list
        lang = self.order_id.partner_id.lang
        return [self._warranty_line(vals, lang) for vals in vals_list]

    def _prepare_sale_line_values(self):
        """Under warranty: the section says why, the parts and the item's own hours are at zero."""
        by_item = defaultdict(list)
        for vals in super()._prepare_sale_line_values():
            by_item[vals["service_work_item_id"]].append(vals)
        vals_list = []
        for item in self:
            item_vals = by_item[item.id]
            if item.under_warranty:
                lang = item.order_id.partner_id.lang
                labour = item.order_id.order_type_id.labour_product_id
                reason = item.equipment_id._warranty_reason(lang=lang)
                for index, vals in enumerate(item_vals):
                    if vals.get("display_type") == "line_section":
                        item_vals[index] = dict(vals, name=f"{vals['name']} · {reason}")
                    else:
                        item_vals[index] = item._warranty_line(vals, lang)
                if labour and item.estimated_hours:
                    item_vals.append(item._warranty_line({
                        "product_id": labour.id, "product_uom_qty": item.estimated_hours,
                        "sequence": WORK_ITEM_SEQUENCE, "service_work_item_id": item.id}, lang))
            vals_list += item_vals
        return vals_list

    # ------------------------------------------------------------------
    # Prepared work sent to the customer
    # ------------------------------------------------------------------
    def _check_can_propose(self):
        """A dispatcher proposes draft items of open orders to the customer."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers send work items to the customer."))
        self.order_id._check_can_send_to_customer()
        self._check_state(("draft",), self.env._("Send to the customer"))

    def _do_propose(self):
        """Draft items sent to the customer by a dispatcher (who approves them by sending them):
        they wait for the customer, whatever the company's consent setting."""
        if not self:
            return True
        self._check_can_propose()
        now = fields.Datetime.now()
        self._set_state("submitted", {"submitted_date": now})
        self._set_state("waiting_customer", {"approved_by_id": self.env.user.id, "approved_date": now})
        return True

    def _pending_estimates(self):
        """The quotations (estimates still to be accepted) holding lines of these items."""
        # sudo: the items' sale order lines (read by Sales users only)
        return self.sudo().sale_line_ids.order_id.filtered(lambda so: so.state in ("draft", "sent"))

    def _request_customer_consent(self):
        # the items of an estimate are answered on the estimate itself: no consent link for them
        in_estimate = self.filtered(lambda i: i._pending_estimates())
        return super(ServiceWorkItemEquipmentMixin, self - in_estimate)._request_customer_consent()

    def _do_skip_consent(self, reason):
        """Skipping the consent of the items of an estimate records that the customer accepted
        the estimate (e.g. by phone): all its waiting items at once, and the quotation confirmed."""
        estimates = self._pending_estimates()
        for quotation in estimates:
            # sudo: which items the quotation proposes (read by Sales users only)
            waiting = quotation.sudo().order_line.service_work_item_id.filtered(
                lambda i: i.state == "waiting_customer")
            if waiting - self:
                raise UserError(self.env._(
                    "The work items of estimate %(sale)s are accepted together: skip the approval of all of them "
                    "(%(items)s), or cancel those the customer refused first.",
                    sale=quotation.name, items=", ".join(waiting.mapped("complaint"))))
        result = super()._do_skip_consent(reason)
        if estimates:
            # sudo: the customer accepted the estimate, as the dispatcher records (checked above)
            estimates.sudo().action_confirm()
        return result

    def _do_estimate_decision(self, decision, quotation):
        """The customer's answer to the estimate ``quotation``: ``accepted`` (signed on the portal,
        or confirmed by a user: then recorded as a skip by that user) or ``refused``."""
        self._check_state(("waiting_customer",), self.env._("A customer decision"))
        self._check_order_under_way()
        # sudo: which items the quotation proposes (read by Sales users only)
        if decision not in ("accepted", "refused") or self - quotation.sudo().order_line.service_work_item_id:
            raise UserError(self.env._("A decision on an estimate comes through that estimate."))
        now = fields.Datetime.now()
        # the customer answers on the portal (Odoo's quotation page, which confirms or cancels it as
        # superuser): who made the request, not the environment's superuser
        by_customer = bool(request) and not request.env.user._is_internal()
        ip_address = request.httprequest.remote_addr if by_customer else False
        if decision == "accepted" and not by_customer:
            vals = {"customer_decision": "skipped", "customer_decision_date": now,
                    "consent_skip_reason": self.env._("Estimate %(sale)s confirmed by %(user)s.",
                                                      sale=quotation.name, user=self.env.user.name),
                    "consent_skipped_by_id": self.env.user.id}
        else:
            vals = {"customer_decision": decision, "customer_decision_date": now,
                    "customer_decision_ip": ip_address}
        label = selection_labels(self, "customer_decision")[vals["customer_decision"]]
        self.activity_feedback(["service_order.mail_act_work_item_consent"], feedback=label)
        self._set_state("approved" if decision == "accepted" else "cancelled", vals)
        author = quotation.partner_id.id if by_customer else self.env.user.partner_id.id
        for item in self:
            item.message_post(body=self.env._("%(decision)s: estimate %(sale)s.", decision=label, sale=quotation.name),
                              author_id=author)
        return True
