from odoo import fields, models
from odoo.exceptions import UserError

from .common import selection_labels
from .service_order_states import OPEN_FIELD_STATES


class ServiceWorkItemConsentMixin(models.AbstractModel):
    """The customer's consent to work items: a signed link e-mailed to the customer (see
    service.consent.request), the decision taken through it, or a dispatcher's skip with a
    reason (e.g. agreed by phone)."""

    _name = "service.work.item.consent.mixin"
    _description = "Work Item: customer consent"

    def _requires_customer_consent(self):
        """The company asks its customers' consent, or this customer requires estimates."""
        self.ensure_one()
        return self.company_id.service_item_customer_consent \
            or self.order_id.partner_id.commercial_partner_id.service_estimate_required

    def _request_customer_consent(self):
        """Send each order's customer one signed link for its items waiting for consent."""
        # a closed or cancelled order asks its customer nothing any more
        items = self.filtered(lambda i: i.state == "waiting_customer" and i.order_id.state in OPEN_FIELD_STATES)
        # sudo: requests are technical records, not readable by technicians
        covered = self.env["service.consent.request"].sudo().search([
            ("work_item_ids", "in", items.ids), ("state", "=", "pending"),
            ("expires_at", ">", fields.Datetime.now())]).work_item_ids
        items -= covered
        for order, order_items in items.grouped("order_id").items():
            self.env["service.consent.request"]._create_and_send(order, order_items)
        return True

    def _do_customer_decision(self, decision, consent_request, ip_address):
        """Record the customer's decision (``accepted`` or ``refused``) taken through a link."""
        self._check_state(("waiting_customer",), self.env._("A customer decision"))
        self._check_order_under_way()
        if decision not in ("accepted", "refused") or self - consent_request.work_item_ids \
                or consent_request.state != "used":
            raise UserError(self.env._("A customer decision comes through the link sent for these items."))
        now = fields.Datetime.now()
        label = selection_labels(self, "customer_decision")[decision]
        self.activity_feedback(["service_order.mail_act_work_item_consent"], feedback=label)
        vals = {"customer_decision": decision, "customer_decision_date": now,
                "customer_decision_ip": ip_address or False, "consent_request_id": consent_request.id}
        self._set_state("approved" if decision == "accepted" else "cancelled", vals)
        for item in self:
            # the message's own date says when (in each reader's time zone)
            if consent_request.channel == "on_site":
                body = self.env._("%(decision)s on site, signed by %(name)s on the phone of %(user)s.",
                                  decision=label, name=consent_request.signed_by,
                                  user=consent_request.handed_by_id.name)
            else:
                body = self.env._("%(decision)s (IP address %(ip)s).", decision=label, ip=ip_address)
            item.message_post(body=body, author_id=consent_request.partner_id.id)
            item.order_id.message_post(body=self.env._(
                "Work item %(item)s: %(body)s", item=item.complaint, body=body),
                author_id=consent_request.partner_id.id)
        return True

    def _check_can_skip_consent(self):
        self._check_is_dispatcher(self.env._("skip the customer consent of"))
        self._check_state(("waiting_customer",), self.env._("Skip approval"))
        self._check_order_under_way()

    def _do_skip_consent(self, reason):
        """Approve without the customer's answer through the link (e.g. agreed by phone)."""
        reason = self._require_reason(
            reason, self.env._("Say why the customer consent is skipped: a reason is required."))
        self._check_can_skip_consent()
        self.activity_feedback(["service_order.mail_act_work_item_consent"],
                               feedback=self.env._("Skipped: %(reason)s", reason=reason))
        self._set_state("approved", {
            "customer_decision": "skipped", "customer_decision_date": fields.Datetime.now(),
            "consent_skip_reason": reason, "consent_skipped_by_id": self.env.user.id,
        })
        for item in self:
            body = self.env._("Customer consent skipped by %(user)s: %(reason)s",
                              user=self.env.user.name, reason=reason)
            item.message_post(body=body)
            item.order_id.message_post(body=self.env._(
                "Work item %(item)s: %(body)s", item=item.complaint, body=body))
        return True

    def action_open_skip_consent(self):
        """Open the Skip approval wizard (reason required, kept in the chatter)."""
        self._check_can_skip_consent()
        return self._open_item_wizard("service.work.item.skip", self.env._("Skip approval"))
