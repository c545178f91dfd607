import uuid

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .common import DISPATCHER_GROUP, SALE_READERS


class ServiceOrderPortalMixin(models.AbstractModel):
    """The customer's link to the order (``access_token``, Odoo's portal.mixin): the order's
    page, its issued PDF and its invoices without a login. The link is the customer's:

    - it is handed out only to the customer (Odoo's notifications to them, made by the
      system) and, through Odoo's *Share*, by a dispatcher with Sales or Invoicing rights,
      who may read everything the page shows; a technician or a dispatcher without those
      rights never receives it (``get_portal_url``, the field itself, the share wizard), so
      removing or reassigning them leaves no working link behind;
    - *Share* e-mails the link privately (queued by the system, attached to no record,
      deleted once sent): it is never written in the chatter staff read;
    - the link reads; it does not post. A message on the order's page takes the link e-mailed
      to one contact (signed for them), which names who writes (or the rights of staff)."""

    _name = "service.order.portal.mixin"
    _inherit = ["portal.mixin"]
    _description = "Service Order: the customer's link"

    # the raw token: for the people who may share the link (the system reads it under sudo)
    access_token = fields.Char(groups=SALE_READERS)

    def _check_can_share_link(self):
        """Raise an AccessError unless the current user may receive the customer's link: the
        system, the customer's own portal contacts, or a dispatcher with Sales or Invoicing
        rights (who reads the invoices the page lists)."""
        if self.env.su:
            return
        user = self.env.user
        if not user.share and not (user.has_group(DISPATCHER_GROUP) and user.has_groups(SALE_READERS)):
            raise AccessError(self.env._(
                "The customer's link to an order is shared by a dispatcher with Sales or Invoicing rights "
                "(Share); it shows the order's invoices."))
        self.check_access("read")

    def _give_customer_links(self):
        """Each order gets its customer's link when its customer starts to see it (the
        approval): the portal's pages (the list, the pager of the order's page) then read the
        tokens instead of making them on a customer's first visit, so that they are served by
        a read-only replica. Nobody receives the link by this; it is made, not shared."""
        # sudo: the token field is for the sharers only; the system makes the token here
        for order in self.sudo().filtered(lambda order: not order.access_token):
            order.access_token = str(uuid.uuid4())

    def _portal_ensure_token(self):
        self._check_can_share_link()
        # sudo: the token field is for the sharers only; the check above was made
        return super(ServiceOrderPortalMixin, self.sudo())._portal_ensure_token()

    def _sign_token(self, pid):
        # the signature of the link e-mailed to one partner is computed from the token: the
        # system computes it whoever triggers the e-mail (the signature is not the token)
        return super(ServiceOrderPortalMixin, self.sudo())._sign_token(pid)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The customer's link reads the order's messages; posting (and reacting, attaching)
        takes the rights of staff or the link signed for one contact (``pid``, ``hash``): an
        anonymous POST with the bare token is refused, so nobody writes in the customer's name."""
        if mode != "read":
            kwargs.pop("token", None)
        return super()._get_thread_with_access(thread_id, mode=mode, **kwargs)

    def action_share(self):
        """Share the customer's link (Odoo's Share wizard): a dispatcher with Sales or
        Invoicing rights."""
        self._check_can_share_link()
        return super().action_share()

    def _send_customer_link(self, partners, note=False):
        """E-mail the customer's link (signed for each partner) to ``partners`` privately:
        queued by the system, attached to no record, authored by the company and deleted once
        sent, so that no employee reads the link in a message; the chatter says who got it."""
        self.ensure_one()
        self._check_can_share_link()
        # sudo: the link is built and e-mailed by the system after the check above
        order = self.sudo()
        company = order.company_id
        for partner in partners:
            lang = partner.lang or self.env.lang
            link = order.get_base_url() + order._get_share_url(redirect=True, pid=partner.id)
            body = self.env["ir.qweb"].with_context(lang=lang)._render("portal.portal_share_template", {
                "partner": partner, "note": note, "record": order, "share_link": link, "user": self.env.user,
                "model_description": self.env["ir.model"].with_context(lang=lang)._get(self._name).display_name,
            })
            self.env["mail.mail"].sudo().create({
                "subject": self.with_context(lang=lang).env._(
                    "Invitation to access %(name)s", name=order.display_name),
                "body_html": body,
                "recipient_ids": [fields.Command.link(partner.id)],
                "author_id": company.partner_id.id,
                "email_from": company.email_formatted or self.env.user.email_formatted,
                "auto_delete": True,
                "model": False,
                "res_id": False,
            })
        if partners:
            self.message_post(body=self.env._("Link to the order shared with %(names)s by %(user)s.",
                                              names=", ".join(partners.mapped("name")),
                                              user=self.env.user.name))
        return True
