import secrets
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import consteq, hmac

from .common import format_moment
from .service_order_states import OPEN_FIELD_STATES

TOKEN_SCOPE = "service_order.consent"
DEFAULT_VALIDITY_DAYS = 7


class ServiceConsentRequest(models.Model):
    """One signed link sent to a customer to accept or refuse work items.

    The link carries a random token (256 bits) that exists only in the email: the database
    keeps its HMAC (keyed with the database secret), so a copy of the table gives no usable
    link. A link works once, until its expiry, and only for the items it was sent for that
    still wait for the customer.
    """

    _name = "service.consent.request"
    _description = "Customer Consent Request"
    _order = "id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("service.order", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True,
                                 ondelete="restrict")
    work_item_ids = fields.Many2many("service.work.item", "service_consent_request_item_rel",
                                     "request_id", "work_item_id", string="Work Items", readonly=True)
    token_hash = fields.Char(required=True, readonly=True, index=True, copy=False, groups="base.group_system")
    expires_at = fields.Datetime("Expires On", required=True, readonly=True)
    state = fields.Selection([("pending", "Pending"), ("used", "Used")], default="pending",
                             required=True, readonly=True)
    used_date = fields.Datetime(readonly=True)
    used_ip = fields.Char("Used From IP Address", readonly=True)
    email_sent = fields.Boolean(readonly=True)
    channel = fields.Selection(
        [("email", "E-mailed"), ("copied", "Copied by a dispatcher"), ("on_site", "Signed on site")],
        default="email", required=True, readonly=True,
        help="How the customer got it: the e-mail, a link a dispatcher copied (for a message of their own), or "
             "the technician's phone on site, where the customer signs.")
    signed_by = fields.Char(readonly=True)
    signature = fields.Binary(readonly=True, attachment=True, copy=False)
    handed_by_id = fields.Many2one("res.users", "Handed Over By", readonly=True, ondelete="set null",
                                   help="The technician whose phone the customer decided on.")

    _sql_constraints = [
        ("token_hash_uniq", "unique(token_hash)", "A consent token is used once."),
    ]

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Consent requests are written by the customer's link only."))
        return super().write(vals)

    @api.model
    def _hash_token(self, token):
        # sudo: reads the database secret, the HMAC key
        return hmac(self.env(su=True), TOKEN_SCOPE, token)

    @api.model
    def _validity(self):
        # sudo: a technical setting read by the system
        days = self.env["ir.config_parameter"].sudo().get_param(
            "service_order.consent_link_validity_days", DEFAULT_VALIDITY_DAYS)
        return timedelta(days=int(days))

    @api.model
    def _create_request(self, order, items, channel="email", extra=None):
        """Create a request for ``items`` of ``order``; return ``(request, token)``.

        The raw token is returned once, to be sent; it is not stored."""
        token = secrets.token_urlsafe(32)
        # sudo: requests are written by the system, on behalf of the technician or dispatcher
        # whose action made the items wait for the customer
        request = self.sudo().create({
            "order_id": order.id,
            "partner_id": order.partner_id.id,
            "work_item_ids": [fields.Command.set(items.ids)],
            "token_hash": self._hash_token(token),
            "expires_at": fields.Datetime.now() + self._validity(),
            "channel": channel,
            **(extra or {}),
        })
        return request, token

    def _get_consent_url(self, token):
        self.ensure_one()
        return f"{self.order_id.get_base_url()}/service_order/consent/{token}"

    @api.model
    def _create_and_send(self, order, items):
        """Create a request and email its link to the order's customer; note it in the chatter.
        A closed or cancelled order asks nothing any more."""
        if order.state not in OPEN_FIELD_STATES:
            raise UserError(self.env._("Order %(name)s is closed: its customer is asked nothing any more.",
                                       name=order.name))
        request, token = self._create_request(order, items)
        url = request._get_consent_url(token)
        names = ", ".join(items.mapped("complaint"))
        if order.partner_id.email:
            template = self.env.ref("service_order.mail_template_work_item_consent")
            # sudo: the estimate's prices go to the customer only, in this e-mail that no
            # employee reads (see below); the technician whose action sent it sees no price
            estimate = items.sudo()._get_estimate()
            # The e-mail is the only place the link exists. It is queued by the superuser,
            # attached to no record and authored by the company, so that no employee (not
            # even the technician whose action sent it) is its creator, author, recipient
            # or reader through a document, and it is deleted once sent.
            template.with_user(SUPERUSER_ID).with_context(consent_url=url, estimate=estimate).send_mail(
                request.id, email_layout_xmlid="mail.mail_notification_light", email_values={
                    "model": False, "res_id": False, "auto_delete": True,
                    "author_id": order.company_id.partner_id.id,
                })
            request.sudo().write({"email_sent": True})  # sudo: written by the system only
            order.message_post(body=self.env._(
                "Customer consent requested from %(customer)s for: %(items)s (link valid until %(date)s).",
                customer=order.partner_id.display_name, items=names,
                date=format_moment(self.env, request.expires_at)))
        else:
            order.message_post(body=self.env._(
                "Customer consent is required for: %(items)s, but %(customer)s has no email address. "
                "Add one and send the request again, or Skip approval.",
                items=names, customer=order.partner_id.display_name))
        return request

    @api.model
    def _find_by_token(self, token):
        """The request a token belongs to (any state), as superuser, or an empty recordset."""
        if not token or len(token) > 128:
            return self.browse()
        digest = self._hash_token(token)
        # sudo: the token is the credential; the caller is the public user
        request = self.sudo().search([("token_hash", "=", digest)], limit=1)
        if request and consteq(request.token_hash, digest):
            return request
        return self.browse()

    def _get_link_problem(self):
        """Why this link can no longer be used, or False."""
        self.ensure_one()
        if self.state == "used":
            return "used"
        if self.order_id.state not in OPEN_FIELD_STATES:
            return "closed"  # closed or cancelled: nothing is accepted on it any more
        if self.expires_at <= fields.Datetime.now():
            return "expired"
        if not self._get_waiting_items():
            return "nothing"
        return False

    def _get_waiting_items(self):
        self.ensure_one()
        return self.work_item_ids.filtered(lambda i: i.state == "waiting_customer")

    def _do_decide(self, decisions, ip_address):
        """Apply the customer's decisions ``{item_id: 'accepted'|'refused'}`` and use up the link."""
        self.ensure_one()
        problem = self._get_link_problem()
        if problem:
            raise UserError(self.env._("This link cannot be used any more."))
        items = self._get_waiting_items()
        missing = items.filtered(lambda i: decisions.get(i.id) not in ("accepted", "refused"))
        if missing:
            raise UserError(self.env._(
                "Accept or refuse each work item: %(items)s.", items=", ".join(missing.mapped("complaint"))))
        # sudo: the link is the customer's credential, checked above; no role writes requests
        self.sudo().write({"state": "used", "used_date": fields.Datetime.now(), "used_ip": ip_address})
        for decision in ("accepted", "refused"):
            decided = items.filtered(lambda i, decision=decision: decisions[i.id] == decision)
            if decided:
                decided._do_customer_decision(decision, self, ip_address)
        return items
