import re

from odoo.tests import HttpCase, tagged

from .sale_common import SaleCase

LINK = re.compile(r"/service_order/consent/([A-Za-z0-9_\-]+)")
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestSalePortal(HttpCase, SaleCase):
    """The customer's side over HTTP: the consent link shows the estimate's lines, unit prices,
    taxes and totals; once the accepted work is done and invoiced, the order's page lists the
    invoice as Odoo lists a sale order's."""

    def test_consent_page_shows_the_estimate_and_the_order_page_the_invoice(self):
        token = LINK.search(self._consent_mails(self.order).body_html).group(1)
        page = self.url_open(f"/service_order/consent/{token}")
        self.assertEqual(page.status_code, 200)
        text = page.text
        for shown in ("Labour (test)", "1.5 Hours", "54.00", "66.60", "9.00", "VAT 20% (test)",
                      "204.12",   # item A, taxes included
                      "32.40",    # item B
                      "197.10", "39.42", "236.52"):  # untaxed, taxes and total of both
            self.assertIn(shown, text)
        self.assertIn("The labour is invoiced on the time spent", text)

        data = {"csrf_token": CSRF.search(text).group(1),
                f"decision_{self.item_a.id}": "accepted", f"decision_{self.item_b.id}": "refused"}
        self.assertEqual(self.url_open(f"/service_order/consent/{token}", data=data).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.order.sudo().sale_order_id.state, "sale")

        self._do_work(self.item_a, hours=2.5)
        self._complete()
        invoice = self.order.with_user(self.billing)._do_invoice()
        invoice.with_user(self.billing).action_post()
        self.env.flush_all()
        page = self.url_open(f"/my/service_orders/{self.order.id}?access_token={self.order.sudo()._portal_ensure_token()}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(invoice.name, page.text)
        self.assertIn("268.92", page.text)
        self.assertIn("Waiting Payment", page.text)
        self.assertIn(invoice.get_portal_url(), page.text.replace("&amp;", "&"))
