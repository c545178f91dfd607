from odoo import models


class PortalShare(models.TransientModel):
    """Odoo's Share wizard on a service order: the link goes to the recipients privately
    (service.order.portal.mixin._send_customer_link), never into a message of the order's
    chatter, which the order's technicians read."""

    _inherit = "portal.share"

    def _send_public_link(self, partners=None):
        if self.res_model != "service.order":
            return super()._send_public_link(partners)
        partners = self.partner_ids if partners is None else partners
        return self.resource_ref._send_customer_link(partners, note=self.note)

    def _send_signup_link(self, partners=None):
        if self.res_model != "service.order":
            return super()._send_signup_link(partners)
        # the order's link, signed for each of them: no sign-up token in the chatter either
        partners = self.partner_ids.filtered(lambda partner: not partner.user_ids) if partners is None else partners
        return self.resource_ref._send_customer_link(partners, note=self.note)
