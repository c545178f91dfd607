from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP, wizard_action
from .service_order_states import CLOSED_STATES, OPEN_FIELD_STATES
from .service_order_work import ON_SITE_STATUSES

# Where a dispatcher prepares work before the visit (from a plan's template or by hand): any
# order that is not closed or rejected; it goes to the customer once approved (OPEN_FIELD_STATES).
PREPARABLE_STATES = ("draft", "submitted", "planned", "in_progress")
QUOTATION_STATES = ("draft", "sent")


class ServiceOrderEstimateMixin(models.AbstractModel):
    """Prepared work and the order's one estimate.

    A dispatcher adds work items before the visit (a plan's template, or by hand), priced as
    every work item is, and either sends them for the customer's consent (the signed link of
    service.consent.request, item by item) or sends one estimate for the order: the order's
    sale order as an Odoo quotation (its PDF, its portal page), which the customer accepts by
    signing on the portal. The quotation is the order's sale order from the start, so that
    everything else that reaches the sale order (accepted work, a confirmation's materials)
    lands on it; accepting it confirms it and approves the items it proposed, declining it
    refuses them. The technician finds the accepted items on arrival, ready to repair."""

    _name = "service.order.estimate.mixin"
    _description = "Service Order: prepared work and the order's estimate"

    has_prepared_drafts = fields.Boolean(compute="_compute_has_prepared_drafts")
    estimate_state = fields.Selection(
        [("quotation", "Estimate to send"), ("sent", "Estimate sent"), ("accepted", "Estimate accepted"),
         ("declined", "Estimate declined")], compute="_compute_estimate_state", compute_sudo=True,
        help="Where the order's estimate (its sale order as a quotation) stands.")

    @api.depends("work_item_ids.state", "state")
    def _compute_has_prepared_drafts(self):
        for order in self:
            order.has_prepared_drafts = order.state in OPEN_FIELD_STATES and any(
                item.state == "draft" for item in order.work_item_ids)

    @api.depends("sale_order_id.state")
    def _compute_estimate_state(self):
        # computed as superuser (compute_sudo): whether an estimate was sent, never its amounts
        declined = {order for order, in self.env["sale.order"]._read_group(
            [("service_estimate_order_id", "in", self.ids), ("state", "=", "cancel")],
            ["service_estimate_order_id"])}
        states = {"draft": "quotation", "sent": "sent", "sale": "accepted"}
        for order in self:
            quotation = order.sale_order_id.filtered("service_estimate_order_id")
            if quotation:
                order.estimate_state = states.get(quotation.state, False)
            else:
                order.estimate_state = "declined" if order in declined else False

    # ------------------------------------------------------------------
    # Prepared work: a dispatcher adds work items before the visit
    # ------------------------------------------------------------------
    def _is_on_site(self):
        """A technician of the order is on site: the work items made now come from the diagnosis."""
        self.ensure_one()
        return self.state == "in_progress" and self.technician_status in ON_SITE_STATUSES

    def _is_preparing(self):
        """The current user prepares work on these orders: a dispatcher, on an open order."""
        return self.env.user.has_group(DISPATCHER_GROUP) and all(
            order.state in PREPARABLE_STATES for order in self)

    @api.depends_context("uid")
    def _compute_can_add_work_items(self):
        result = super()._compute_can_add_work_items()
        is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)
        for order in self:
            if is_dispatcher and order.state in PREPARABLE_STATES:
                order.can_add_work_items = True
        return result

    def _check_can_add_work_items(self):
        """A dispatcher adds (prepares) work items to any open order; a technician, on site."""
        preparing = self.filtered(lambda o: o._is_preparing())
        if preparing and not (self - preparing):
            return
        return super(ServiceOrderEstimateMixin, self - preparing)._check_can_add_work_items()

    def _check_can_prepare(self):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers prepare work for the customer."))
        closed = self.filtered(lambda o: o.state not in PREPARABLE_STATES)
        if closed:
            raise UserError(self.env._(
                "%(names)s is closed or rejected: no work is prepared or sent for it any more.",
                names=", ".join(closed.mapped("name"))))

    def _check_can_send_to_customer(self):
        """A dispatcher sends prepared work to the customer once the order is approved: the
        customer sees an order from its approval on (its link, its portal), never a draft."""
        self._check_can_prepare()
        unapproved = self.filtered(lambda o: o.state not in OPEN_FIELD_STATES)
        if unapproved:
            raise UserError(self.env._(
                "%(names)s is not approved yet: its work goes to the customer once it is planned.",
                names=", ".join(unapproved.mapped("name"))))

    def action_open_prepare_work(self):
        """Add a preventive plan's tasks to the order as prepared work items."""
        self.ensure_one()
        self._check_can_prepare()
        return wizard_action(self.env._("Add Prepared Work"), "service.order.prepare.work",
                             {"default_order_id": self.id})

    def _do_add_prepared_work(self, tasks):
        """The tasks (of a preventive plan's template) as prepared work items of the order,
        on its equipment; return the items."""
        self.ensure_one()
        self._check_can_prepare()
        if not tasks:
            raise UserError(self.env._("The plan has no task to prepare."))
        pieces = self.equipment_id
        vals_list = [dict(vals, user_id=self.env.user.id)
                     for task in tasks for vals in task._prepare_work_item_values(self, pieces)]
        # sudo: "prepared" and the plan's task are the workflow's (refused to every role), set on the
        # items of this order only, after the dispatcher's check above
        items = self.env["service.work.item"].sudo().create(vals_list).sudo(False)
        self.message_post(body=self.env._("Prepared work added by %(user)s: %(items)s.", user=self.env.user.name,
                                          items=", ".join(items.mapped("complaint"))))
        return items

    def _items_to_propose(self):
        """The work the dispatcher proposes: the draft items (prepared, or diagnosed on site)."""
        self.ensure_one()
        return self.work_item_ids.filtered(lambda i: i.state == "draft")

    def _do_send_for_consent(self):
        """Send the draft work items to the customer for consent before the visit: each waits for
        the customer, who gets the signed link to accept or refuse them item by item."""
        self.ensure_one()
        self._check_can_send_to_customer()
        items = self._items_to_propose()
        if not items:
            raise UserError(self.env._("%(name)s has no draft work item to send.", name=self.name))
        items._do_propose()  # waiting for the customer: the consent link goes out (consent mixin)
        return items

    def action_send_for_consent(self):
        """Send the prepared work items to the customer (the signed consent link)."""
        self._do_send_for_consent()
        return True

    # ------------------------------------------------------------------
    # The order's one estimate: its sale order as a quotation, accepted on the portal
    # ------------------------------------------------------------------
    def _estimate_quotation(self):
        """The order's sale order while it is an estimate still to be accepted, or nothing."""
        self.ensure_one()
        # sudo: whether the order's sale order is a quotation (readers of Sales aside)
        quotation = self.sudo().sale_order_id
        return quotation if quotation.state in QUOTATION_STATES else self.env["sale.order"]

    def _check_can_send_estimate(self):
        self._check_can_send_to_customer()
        for order in self:
            sale_order = order.sudo().sale_order_id
            if sale_order and sale_order.state not in QUOTATION_STATES:
                raise UserError(self.env._(
                    "%(name)s has its sale order %(sale)s already (accepted work): send the new work items for "
                    "consent instead.", name=order.name, sale=sale_order.name))
            if not order.partner_id.email:
                raise UserError(self.env._(
                    "%(customer)s has no e-mail address: add one to send the estimate.",
                    customer=order.partner_id.display_name))
            if not order._items_to_propose() and not order._estimate_quotation():
                raise UserError(self.env._("%(name)s has no draft work item to put on an estimate.",
                                           name=order.name))

    def _do_send_estimate(self):
        """One estimate for the order: its proposed work items, its materials and services, on
        one quotation (Odoo's, with its PDF), e-mailed to the customer, who accepts it on the
        portal. The items wait for the customer meanwhile (no consent link of their own)."""
        self.ensure_one()
        self._check_can_send_estimate()
        items = self._items_to_propose()
        quotation = self._estimate_quotation()
        if not quotation:
            quotation = self._ensure_sale_order(confirm=False)
            # sudo: the addon's quotation for this order (its sale order), accepted by signing
            quotation.sudo().write({"service_estimate_order_id": self.id, "require_signature": True,
                                    "require_payment": False})
            self.message_post(body=self.env._("Quotation %(name)s made for the estimate.", name=quotation.name))
        # their lines first, so that the items waiting for the customer are seen as the estimate's
        self._add_to_sale_order(items._prepare_sale_line_values())
        items._do_propose()
        self._send_estimate_mail(quotation)
        self.message_post(body=self.env._(
            "Estimate %(sale)s sent to %(customer)s by %(user)s for: %(items)s.", sale=quotation.name,
            customer=self.partner_id.display_name, user=self.env.user.name,
            items=", ".join(self._estimate_items(quotation).mapped("complaint")) or "—"))
        return quotation

    def action_send_estimate(self):
        """Send the order's estimate: one quotation of all the proposed work, accepted on the portal."""
        self._do_send_estimate()
        return True

    def _send_estimate_mail(self, quotation):
        """E-mail the quotation with Odoo's own template and PDF, as Sales' Send by Email does
        (which marks it sent)."""
        template = self.env.ref("sale.email_template_edi_sale")
        # sudo: the quotation is the addon's (the dispatcher may have no Sales rights); the message
        # is authored by the dispatcher, to the customer, on that quotation only
        composer = self.env["mail.compose.message"].sudo().with_context(
            default_model="sale.order", default_res_ids=quotation.ids, default_template_id=template.id,
            default_composition_mode="comment", mark_so_as_sent=True, force_email=True,
            default_email_layout_xmlid="mail.mail_notification_layout_with_responsible_signature",
            email_notification_allow_footer=True,
        ).create({})
        composer._action_send_mail()

    def _estimate_items(self, quotation):
        """The work items ``quotation`` proposes (those with a line on it)."""
        self.ensure_one()
        # sudo: the items' sale order lines (read by Sales users only)
        return self.work_item_ids.filtered(lambda i: quotation in i.sudo().sale_line_ids.order_id)

    def action_view_estimate(self):
        """Open the estimate's quotation (Sales users)."""
        return self.action_view_sale_order()

    # ------------------------------------------------------------------
    # The customer's answer (sale.order: confirmed or cancelled)
    # ------------------------------------------------------------------
    def _on_estimate_confirmed(self, quotation):
        """The customer signed the estimate on the portal (or it was confirmed in Sales): the
        items it proposed and that still wait for the customer are accepted."""
        self.ensure_one()
        items = self._estimate_items(quotation).filtered(lambda i: i.state == "waiting_customer")
        if items:
            items._do_estimate_decision("accepted", quotation)
        self.message_post(body=self.env._("Estimate %(sale)s accepted: the work items %(items)s are approved.",
                                          sale=quotation.name, items=", ".join(items.mapped("complaint")) or "—"),
                          author_id=self.company_id.partner_id.id)

    def _on_estimate_cancelled(self, quotation):
        """The customer declined the estimate (or it was cancelled in Sales): the items it
        proposed are refused, the order has no sale order any more, and the work accepted
        otherwise meanwhile goes to a new one."""
        self.ensure_one()
        if self.state in CLOSED_STATES:
            return
        items = self._estimate_items(quotation)
        waiting = items.filtered(lambda i: i.state == "waiting_customer")
        if waiting:
            waiting._do_estimate_decision("refused", quotation)
        order = self.sudo()  # sudo: the items' sale order lines (read by Sales users only)
        if order.sale_order_id == quotation:
            self._write_workflow({"sale_order_id": False})  # the declined quotation is not its sale order
            accepted = order.work_item_ids.filtered(
                lambda i: i.state not in ("draft", "waiting_dispatcher", "waiting_customer", "cancelled")
                and not i.sale_line_ids.filtered(lambda line: line.order_id.state != "cancel"))
            if accepted:
                self._add_to_sale_order(accepted._prepare_sale_line_values())
        self.message_post(body=self.env._("Estimate %(sale)s declined: the work items %(items)s are refused.",
                                          sale=quotation.name, items=", ".join(waiting.mapped("complaint")) or "—"),
                          author_id=self.company_id.partner_id.id)

    # ------------------------------------------------------------------
    # Hooks of the other features
    # ------------------------------------------------------------------
    def _send_consent_reminder(self, items):
        """The items of the order's estimate get the estimate's e-mail again, the others a new
        signed consent link."""
        quotation = self._estimate_quotation()
        in_estimate = self._estimate_items(quotation) & items if quotation else items.browse()
        if in_estimate:
            self._send_estimate_mail(quotation)
        return super()._send_consent_reminder(items - in_estimate)

    def _labour_quantities(self):
        """Work under warranty is not billed: its hours leave the labour line (each item under
        warranty carries its own hours at zero in its section)."""
        first, delivered = super()._labour_quantities()
        order = self.sudo()
        closed = order.state in CLOSED_STATES
        warranty = order.work_item_ids.filtered(
            lambda i: i.under_warranty and i.sale_line_ids
            and (i.state == "done" or (i.state != "cancelled" and not closed)))
        if not warranty:
            return first, delivered
        warranty_done = sum(warranty.filtered(lambda i: i.state == "done").mapped("estimated_hours"))
        delivered = max(0.0, delivered - warranty_done)
        if order.state == "completed":
            return delivered, delivered
        return max(0.0, first - sum(warranty.mapped("estimated_hours"))), delivered

    def _on_state_changed(self, new_state):
        """A completed order bills its work: an estimate still a quotation (everything on it was
        decided, or closing would have been refused) is confirmed."""
        result = super()._on_state_changed(new_state)
        if new_state == "completed":
            for order in self:
                quotation = order._estimate_quotation()
                if quotation:
                    # sudo: the work is done and decided; the addon confirms its own quotation
                    quotation.sudo().action_confirm()
                    order._sync_sale_order()
        return result
