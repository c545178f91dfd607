import base64

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP, check_picture, check_text, format_moment, selection_labels, wizard_action
from .service_work_item_states import WAITING_STATES

ORDER_WAITING_FOR = [
    ("dispatcher", "Waiting for dispatcher"),
    ("customer", "Waiting for customer"),
    ("dispatcher_customer", "Waiting for dispatcher and customer"),
]
ON_SITE_STATUSES = ("on_site", "working", "break")


class ServiceOrderWorkMixin(models.AbstractModel):
    """The order's work items (the repair board): created on site, waiting for the approvals
    the company requires, and the customer's consent."""

    _name = "service.order.work.mixin"
    _description = "Service Order: work items"

    work_item_ids = fields.One2many("service.work.item", "order_id", string="Work Items")
    work_item_count = fields.Integer(compute="_compute_work_item_count")
    waiting_for = fields.Selection(
        ORDER_WAITING_FOR, compute="_compute_waiting_for", store=True, index=True,
        help="Whom the order's work items wait for before the technician can go on.")
    can_add_work_items = fields.Boolean(compute="_compute_can_add_work_items")
    # what the buttons of the order's header need to know about its items
    has_items_to_approve = fields.Boolean(compute="_compute_work_item_flags")
    has_repairs_to_approve = fields.Boolean(compute="_compute_work_item_flags")
    has_items_waiting_customer = fields.Boolean(compute="_compute_work_item_flags")
    has_repairs_to_complete = fields.Boolean(compute="_compute_work_item_flags")

    @api.depends("work_item_ids")
    def _compute_work_item_count(self):
        counts = self._count_by_order("service.work.item")
        for order in self:
            order.work_item_count = counts.get(order, 0)

    @api.depends("work_item_ids.state")
    def _compute_work_item_flags(self):
        for order in self:
            states = set(order.work_item_ids.mapped("state"))
            order.has_items_to_approve = "waiting_dispatcher" in states
            order.has_repairs_to_approve = "waiting_repair_approval" in states
            order.has_items_waiting_customer = "waiting_customer" in states
            order.has_repairs_to_complete = "repair_submitted" in states

    @api.depends("work_item_ids.waiting_for")
    def _compute_waiting_for(self):
        for order in self:
            waits = set(order.work_item_ids.mapped("waiting_for")) - {False}
            if waits == {"dispatcher", "customer"}:
                order.waiting_for = "dispatcher_customer"
            else:
                order.waiting_for = waits.pop() if waits else False

    @api.depends("state", "technician_status")
    def _compute_can_add_work_items(self):
        for order in self:
            order.can_add_work_items = order.state == "in_progress" \
                and order.technician_status in ON_SITE_STATUSES

    def _check_can_add_work_items(self):
        """Work items come from the diagnosis on site: the order is in progress, the
        technician on site, working or on a break."""
        self._check_can_work_in_field()
        for order in self:
            if not order.can_add_work_items:
                raise UserError(self.env._(
                    "Work items are created on site: order %(name)s must be in progress with the "
                    "technician on site, working or on a break.", name=order.name))

    def _get_wait_approver(self):
        """The user who gets the activities of the work items waiting for a dispatcher."""
        self.ensure_one()
        return self.dispatcher_id or self.supervisor_id or self.company_id.service_default_supervisor_id \
            or self.env.user

    def _get_work_item_close_blockers(self):
        """Why the order cannot be completed yet, as far as its work items say."""
        self.ensure_one()
        blockers = []
        labels = selection_labels(self.env["service.work.item"], "state")
        for item in self.work_item_ids.filtered(lambda i: i.state in WAITING_STATES or i.state == "on_hold"):
            blockers.append(self.env._("Work item %(item)s is %(state)s.",
                                       item=item.complaint, state=labels[item.state].lower()))
        return blockers

    def action_view_work_items(self):
        """Open the order's repair board (its work items)."""
        action = self._open_related("service.work.item", self.env._("Work Items of %(name)s", name=self.name),
                                    {"create": self.can_add_work_items}, view_mode="kanban,list,form")
        action["help"] = Markup("<p class='o_view_nocontent_smiling_face'>%s</p><p>%s</p>") % (
            self.env._("No work item on this order yet"),
            self.env._("The technician on site adds one per thing to repair, from the diagnosis: on the order, "
                       "New Work Item."))
        return action

    def action_new_work_item(self):
        """Create a work item from the diagnosis on site."""
        self.ensure_one()
        self._check_can_add_work_items()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Work Item"),
            "res_model": "service.work.item",
            "view_mode": "form",
            "target": "current",
            "context": {"default_order_id": self.id},
        }

    def action_submit_work(self):
        """Submit work: complete every repaired item of the order (done, or waiting for the
        dispatcher's repair approval)."""
        self.ensure_one()
        items = self.work_item_ids.filtered(lambda i: i.state == "repair_submitted")
        if not items:
            raise UserError(self.env._(
                "Order %(name)s has no submitted repair to complete: submit the repair of each "
                "work item first.", name=self.name))
        return items._do_complete()

    def action_send_consent_request(self):
        """Send the customer a new signed link for the work items waiting for their consent."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can send consent requests."))
        self._check_can_work_in_field()  # a closed or cancelled order asks its customer nothing
        for order in self:
            order._send_consent_reminder(order._items_in_state("waiting_customer"))
        return True

    def action_copy_consent_link(self):
        """A new signed link for the work items waiting for the customer, to copy into a message of
        the dispatcher's own (an SMS, a chat): shown once, in the dispatcher's browser only (the
        database keeps its hash, as for the e-mailed link); it works once, until its expiry."""
        self.ensure_one()
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can copy a consent link."))
        self._check_can_work_in_field()  # a closed or cancelled order asks its customer nothing
        items = self._items_in_state("waiting_customer")
        request, token = self.env["service.consent.request"]._create_request(self, items, channel="copied")
        expiry = format_moment(self.env, request.expires_at)
        self.message_post(body=self.env._(
            "%(user)s copied a consent link for: %(items)s (valid until %(date)s).",
            user=self.env.user.name, items=", ".join(items.mapped("complaint")), date=expiry))
        return {
            "type": "ir.actions.client",
            "tag": "service_order_copy_link",
            "target": "new",
            "name": self.env._("Consent link of %(name)s", name=self.name),
            "params": {"url": request._get_consent_url(token), "expires": expiry,
                       "customer": self.partner_id.display_name},
        }

    def action_open_consent_on_site(self):
        """The customer decides on the technician's phone, and signs."""
        self.ensure_one()
        self._check_can_consent_on_site()
        return wizard_action(self.env._("Customer's consent on site"), "service.consent.onsite",
                             {"default_order_id": self.id})

    def _check_can_consent_on_site(self):
        self.ensure_one()
        self._check_can_work_in_field()
        self._items_in_state("waiting_customer")

    def _do_consent_on_site(self, accepted, refused, signed_by, signature):
        """The customer's decisions taken on site, signed on the technician's phone: each work item
        waiting for them accepted or refused, the signature and the signer kept with the decision
        (a consent request of its own, used at once)."""
        self.ensure_one()
        self._check_can_consent_on_site()
        waiting = self._items_in_state("waiting_customer")
        if (accepted | refused) != waiting or accepted & refused:
            raise UserError(self.env._(
                "Accept or refuse each work item waiting for the customer: %(items)s.",
                items=", ".join(waiting.mapped("complaint"))))
        signed_by = check_text(self.env, signed_by, self.env._("The signer's name"), 200, required=True).strip()
        if not signature:
            raise UserError(self.env._("The customer signs their decision: a signature is required."))
        check_picture(self.env, base64.b64decode(signature), self.env._("The signature"))
        request, _token = self.env["service.consent.request"]._create_request(self, waiting, channel="on_site", extra={
            "signed_by": signed_by, "signature": signature, "handed_by_id": self.env.user.id})
        decisions = {item.id: "accepted" if item in accepted else "refused" for item in waiting}
        # the decision is the customer's, signed; recorded as through a link used on the spot
        request._do_decide(decisions, False)
        return request
    def _send_consent_reminder(self, items):
        """Ask the order's customer again for their consent to ``items`` (waiting for it): a new
        signed link. The checks of action_send_consent_request were made."""
        self.ensure_one()
        if items:
            self.env["service.consent.request"]._create_and_send(self, items)

    def _items_in_state(self, state):
        self.ensure_one()
        items = self.work_item_ids.filtered(lambda i: i.state == state)
        if not items:
            label = selection_labels(self.env["service.work.item"], "state")[state].lower()
            raise UserError(self.env._("No work item of %(name)s is %(state)s.", name=self.name, state=label))
        return items

    def action_approve_work_items(self):
        """Approve every work item of the order waiting for a dispatcher."""
        return self._items_in_state("waiting_dispatcher").action_approve()

    def action_approve_repairs(self):
        """Approve every repair of the order waiting for a dispatcher."""
        return self._items_in_state("waiting_repair_approval").action_approve_repair()

    def action_open_skip_waiting_consents(self):
        """Open Skip approval for every work item of the order waiting for the customer."""
        return self._items_in_state("waiting_customer").action_open_skip_consent()
