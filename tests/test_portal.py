import hashlib
from datetime import datetime

from odoo.tests import HttpCase, new_test_user, tagged

from .common import ServiceOrderCase


@tagged("post_install", "-at_install")
class TestCustomerPortal(HttpCase, ServiceOrderCase):
    """The customer reads their orders and downloads the current PDF version, as a portal
    user or through the order's signed link; nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="so_portal", password="so_portal_pw1",
                                        groups="base.group_portal", name="Marie Client")
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer SA"})

        # built once: each test starts from them as built (the transaction rolls back)
        cls.order = cls._planned_order()
        cls.other = cls._planned_order(partner_id=cls.other_customer.id, location_id=cls.other_customer.id)
        cls.draft = cls._create_order()

    def test_record_rules_for_the_portal_user(self):
        visible = self.env["service.order"].with_user(self.portal_user).search([])
        self.assertEqual(visible, self.order, "only their approved orders, not drafts, not other customers'")
        docs = self.env["service.order.document"].with_user(self.portal_user).search([])
        self.assertEqual(docs, self.order.current_document_id)

    def test_portal_user_lists_and_reads_own_orders(self):
        self.authenticate("so_portal", "so_portal_pw1")
        listing = self.url_open("/my/service_orders")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.order.name, listing.text)
        self.assertNotIn(self.other.name, listing.text)
        self.assertNotIn(self.draft.name, listing.text)
        page = self.url_open(f"/my/service_orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Order, version 1 (approved), PDF", page.text)
        pdf = self.url_open(f"/my/service_orders/{self.order.id}/document")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertEqual(hashlib.sha256(pdf.content).hexdigest(), self.order.current_document_id.checksum)
        # another customer's order: sent back to the portal home, no content
        refused = self.url_open(f"/my/service_orders/{self.other.id}", allow_redirects=False)
        self.assertIn(refused.status_code, (302, 303))
        self.assertNotIn(self.other.name, refused.text)
        refused_pdf = self.url_open(f"/my/service_orders/{self.other.id}/document", allow_redirects=False)
        self.assertIn(refused_pdf.status_code, (302, 303))
        self.assertFalse(refused_pdf.content.startswith(b"%PDF"))

    def test_signed_link_without_login(self):
        token = self.order.sudo()._portal_ensure_token()
        page = self.url_open(f"/my/service_orders/{self.order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.order.name, page.text)
        pdf = self.url_open(f"/my/service_orders/{self.order.id}/document?access_token={token}")
        self.assertEqual(hashlib.sha256(pdf.content).hexdigest(), self.order.current_document_id.checksum)
        forged = self.url_open(f"/my/service_orders/{self.order.id}?access_token={token[:-2]}xx",
                               allow_redirects=False)
        self.assertIn(forged.status_code, (302, 303))
        other_token = self.order.sudo().access_token
        cross = self.url_open(f"/my/service_orders/{self.other.id}/document?access_token={other_token}",
                              allow_redirects=False)
        self.assertIn(cross.status_code, (302, 303), "a token opens its own order only")

    def test_the_customer_reads_the_order_its_work_and_documents_in_their_time(self):
        """The portal page: the customer's time zone, no seconds; the work items and what was
        decided, the estimate, and each document by what it is."""
        self.customer.tz = "Europe/Brussels"
        order = self._on_site_planned_order()
        # sudo: test set-up, the schedule of an approved order (a confirmation in real life)
        order.sudo().write({"scheduled_start": datetime(2030, 1, 10, 8, 0, 0), "scheduled_end": datetime(2030, 1, 10, 10, 0, 0)})
        item = self.env["service.work.item"].with_user(self.technician).create({
            "order_id": order.id, "complaint": "Cold room does not cool", "diagnosis": "Relay burnt."})
        item.action_done()
        order.with_user(self.technician)._do_close("completed")
        self._run_jobs()
        self.authenticate("so_portal", "so_portal_pw1")
        page = self.url_open(f"/my/service_orders/{order.id}").text
        self.assertIn("01/10/2030 09:00", page, "Brussels time, the customer's")
        self.assertNotIn("01/10/2030 09:00:00", page, "no seconds")
        self.assertIn("Cold room does not cool", page[page.index("o_service_order_portal_work_items"):])
        documents = page[page.index("o_service_order_portal_documents"):]
        self.assertIn("Completion report (version 2)", documents)
        self.assertIn("Order, version 1 (approved)", documents)
        first = self.url_open(f"/my/service_orders/{order.id}/document/1")
        self.assertEqual(hashlib.sha256(first.content).hexdigest(),
                         order.document_ids.filtered(lambda d: d.version == 1).checksum)

    @classmethod
    def _on_site_planned_order(cls):
        order = cls._planned_order()
        order.with_user(cls.technician).action_depart()
        order.with_user(cls.technician).action_arrive()
        return order
