import base64
import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from .work_item_common import PNG, WorkItemCase

CONSENT = "service_order.mail_act_work_item_consent"
LINK = re.compile(r"/service_order/consent/([A-Za-z0-9_\-]+)")
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestConsentPortal(HttpCase, WorkItemCase):
    """Workflow B through real HTTP requests to the signed link, as the customer would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # built once: each test starts from it as built (the transaction rolls back)
        cls.set_options(consent=True)
        cls.order = cls._on_site_order()
        cls.item_a = cls._create_item(cls.order, complaint="Replace the compressor relay", estimated_hours=1.25)
        cls.item_b = cls._create_item(cls.order, complaint="Replace the door seal", estimated_hours=0.5,
                                      part_ids=[])
        (cls.item_a | cls.item_b).action_submit()
        cls.consent_mails = cls._consent_mails(cls.order)
        cls.token = LINK.search(cls.consent_mails[:1].body_html).group(1)
        cls.consent_request = cls.env["service.consent.request"].sudo().search([("order_id", "=", cls.order.id)])

    def test_one_mail_for_the_items_submitted_together(self):
        self.assertEqual(len(self.consent_mails), 1)

    def _url(self, token=None):
        return f"/service_order/consent/{token or self.token}"

    def _get(self, token=None):
        return self.url_open(self._url(token))

    def _post(self, decisions, token=None):
        page = self._get()  # a fresh page of the valid link gives the session's CSRF token
        csrf = CSRF.search(page.text)
        data = {"csrf_token": csrf.group(1) if csrf else ""}
        data.update({f"decision_{item.id}": decision for item, decision in decisions.items()})
        return self.url_open(self._url(token), data=data)

    def _assert_unchanged(self):
        self.env.invalidate_all()
        self.assertEqual((self.item_a | self.item_b).mapped("state"), ["waiting_customer"] * 2)
        self.assertFalse((self.item_a | self.item_b).mapped("customer_decision")[0])
        self.assertEqual(self.order.waiting_for, "customer")

    def test_customer_accepts_one_item_and_refuses_the_other(self):
        page = self._get()
        self.assertEqual(page.status_code, 200)
        self.assertIn("Replace the compressor relay", page.text)
        self.assertIn("Replace the door seal", page.text)
        self.assertIn("Expansion vessel (test)", page.text)
        self.assertIn("1.25", page.text)
        self.assertEqual(len(self._activities(self.item_a, CONSENT)), 1)

        done = self._post({self.item_a: "accepted", self.item_b: "refused"})
        self.assertEqual(done.status_code, 200)
        self.assertIn("your decision is recorded", done.text)
        self.env.invalidate_all()
        self.assertEqual(self.item_a.state, "approved")
        self.assertEqual(self.item_a.customer_decision, "accepted")
        self.assertEqual(self.item_a.customer_decision_ip, "127.0.0.1")
        self.assertAlmostEqual(self.item_a.customer_decision_date, fields.Datetime.now(), delta=timedelta(minutes=5))
        self.assertEqual(self.item_a.with_user(self.dispatcher).consent_request_id, self.consent_request)
        self.assertEqual(self.item_b.state, "cancelled")
        self.assertEqual(self.item_b.customer_decision, "refused")
        self.assertEqual(self.item_b.customer_decision_ip, "127.0.0.1")
        self.assertEqual(self.consent_request.state, "used")
        self.assertEqual(self.consent_request.used_ip, "127.0.0.1")
        self.assertFalse(self._activities(self.item_a, CONSENT) | self._activities(self.item_b, CONSENT))
        self.assertFalse(self.order.waiting_for)
        self.assertIn("Accepted by the customer", self._chatter(self.item_a))
        self.assertIn("Refused by the customer", self._chatter(self.order))

        # the technician goes on with the accepted item and finishes the order
        self.item_a.action_start_repair()
        self.item_a.action_submit_repair()
        self.item_a.action_complete_repair()
        self.assertEqual(self.item_a.state, "done")
        self.order.with_user(self.technician)._do_close("completed")
        self.assertEqual(self.order.state, "completed")

    def test_customer_accepts_all(self):
        done = self._post({self.item_a: "accepted", self.item_b: "accepted"})
        self.assertEqual(done.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual((self.item_a | self.item_b).mapped("state"), ["approved", "approved"])

    def test_reused_link_changes_nothing(self):
        self._post({self.item_a: "accepted", self.item_b: "refused"})
        again = self._get()
        self.assertEqual(again.status_code, 403)
        # not a dead end: the page shows the decision made, item by item
        self.assertIn("Your decision is recorded", again.text)
        decided = again.text[again.text.index("o_service_order_consent_decided"):]
        self.assertIn("Replace the compressor relay", decided)
        self.assertIn("Accepted by the customer", decided)
        self.assertIn("Refused by the customer", decided)
        csrf = CSRF.search(self.url_open("/web/login").text)
        replay = self.url_open(self._url(), data={
            "csrf_token": csrf.group(1) if csrf else "",
            f"decision_{self.item_a.id}": "refused", f"decision_{self.item_b.id}": "accepted"})
        self.assertEqual(replay.status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.item_a.customer_decision, "accepted")
        self.assertEqual(self.item_b.state, "cancelled")

    def test_tampered_or_forged_link_is_refused(self):
        tampered = self.token[:-1] + ("A" if self.token[-1] != "A" else "B")
        for token in (tampered, "forged-token", self.token + "x"):
            page = self._get(token)
            self.assertEqual(page.status_code, 404, token)
            self.assertIn("This link is not valid", page.text)
        refused = self._post({self.item_a: "accepted", self.item_b: "accepted"}, token=tampered)
        self.assertEqual(refused.status_code, 404)
        self._assert_unchanged()
        self.assertEqual(self.consent_request.state, "pending")

    def test_expired_link_is_refused(self):
        page = self._get()  # the CSRF token, while the link is still valid
        csrf = CSRF.search(page.text).group(1)
        self.consent_request.write({"expires_at": fields.Datetime.now() - timedelta(minutes=1)})
        self.env.flush_all()
        expired = self._get()
        self.assertEqual(expired.status_code, 403)
        self.assertIn("This link has expired", expired.text)
        refused = self.url_open(self._url(), data={
            "csrf_token": csrf,
            f"decision_{self.item_a.id}": "accepted", f"decision_{self.item_b.id}": "accepted"})
        self.assertEqual(refused.status_code, 403)
        self._assert_unchanged()

    def test_missing_decision_is_refused_and_link_stays_usable(self):
        incomplete = self._post({self.item_a: "accepted"})
        self.assertEqual(incomplete.status_code, 400)
        self.assertIn("Accept or refuse each work item", incomplete.text)
        self._assert_unchanged()
        self.assertEqual(self.consent_request.state, "pending")
        done = self._post({self.item_a: "accepted", self.item_b: "accepted"})
        self.assertEqual(done.status_code, 200)

    def test_link_after_skip_has_nothing_to_decide(self):
        (self.item_a | self.item_b).with_user(self.dispatcher)._do_skip_consent("Agreed by phone")
        self.env.flush_all()
        page = self._get()
        self.assertEqual(page.status_code, 403)
        self.assertIn("Nothing waits for your decision", page.text)

    def test_consent_stops_when_the_order_is_closed(self):
        """Finding 7: the customer's link, the dispatcher's Skip and a new consent e-mail all
        worked on cancelled or not-carried-out orders (items approved, a sale order made)."""
        page = self._get()  # the CSRF token, while the order is under way
        csrf = CSRF.search(page.text).group(1)
        self.order.with_user(self.dispatcher)._do_close("not_done", reason="The customer sold the building")
        self.env.flush_all()
        closed = self._get()
        self.assertEqual(closed.status_code, 403)
        self.assertIn("This service order is closed", closed.text)
        refused = self.url_open(self._url(), data={
            "csrf_token": csrf, f"decision_{self.item_a.id}": "accepted", f"decision_{self.item_b.id}": "accepted"})
        self.assertEqual(refused.status_code, 403)
        self._assert_unchanged()
        self.assertEqual(self.consent_request.state, "pending")
        items = (self.item_a | self.item_b).with_user(self.dispatcher)
        with self.assertRaisesRegex(UserError, "is closed or cancelled"):
            items._do_skip_consent("Agreed by phone")
        with self.assertRaisesRegex(UserError, "not_done|Not Carried Out|field work is possible only"):
            self.order.with_user(self.dispatcher).action_send_consent_request()
        with self.assertRaisesRegex(UserError, "closed"):
            self.env["service.consent.request"]._create_and_send(self.order, self.item_a)
        self._assert_unchanged()
        self.assertEqual(len(self._consent_mails(self.order)), 1, "no new consent e-mail")
        self.assertFalse(self.order.sudo().sale_order_id, "nothing sold")

    def test_token_is_stored_hashed(self):
        self.assertNotEqual(self.consent_request.token_hash, self.token)
        self.assertNotIn(self.token, self.consent_request.token_hash)
        self.assertEqual(self.env["service.consent.request"]._find_by_token(self.token), self.consent_request)
        self.assertFalse(self.env["service.consent.request"]._find_by_token(self.consent_request.token_hash))

    # the dispatcher's copy of a link, and the consent on site ------------------------------
    def test_a_dispatcher_copies_a_new_link_that_works_once(self):
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician).action_copy_consent_link()
        action = self.order.with_user(self.dispatcher).action_copy_consent_link()
        self.assertEqual(action["tag"], "service_order_copy_link")
        url = action["params"]["url"]
        token = LINK.search(url).group(1)
        copied = self.env["service.consent.request"].sudo().search(
            [("order_id", "=", self.order.id), ("channel", "=", "copied")])
        self.assertEqual(copied.token_hash, copied._hash_token(token), "the database keeps its hash only")
        self.assertNotIn(token, self._chatter(self.order), "the link is nowhere but in the dispatcher's browser")
        self.assertIn("copied a consent link", self._chatter(self.order))
        done = self._post({self.item_a: "accepted", self.item_b: "accepted"}, token=token)
        self.assertEqual(done.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.item_a.sudo().consent_request_id, copied)
        # the e-mailed link now shows what was decided
        self.assertIn("Nothing waits for your decision any more", self._get().text)

    def test_the_customer_decides_on_the_technicians_phone_and_signs(self):
        order = self.order.with_user(self.technician)
        action = order.action_open_consent_on_site()
        wizard = Form(self.env["service.consent.onsite"].with_user(self.technician).with_context(**action["context"]))
        self.assertIn("Replace the compressor relay", wizard.summary)
        wizard.accepted_item_ids.add(self.item_a)
        wizard.signed_by = "Marie Client"
        with self.assertRaisesRegex(UserError, "a signature is required"):
            order._do_consent_on_site(self.item_a, self.item_b, "Marie Client", False)
        with self.assertRaisesRegex(UserError, "Accept or refuse each work item"):
            order._do_consent_on_site(self.item_a, self.item_a, "Marie Client", base64.b64encode(PNG))
        self._assert_unchanged()
        wizard.signature = base64.b64encode(PNG)
        wizard.save().action_confirm()
        self.env.invalidate_all()
        self.assertEqual((self.item_a.state, self.item_b.state), ("approved", "cancelled"))
        self.assertEqual((self.item_a.customer_decision, self.item_b.customer_decision), ("accepted", "refused"))
        signed = self.item_a.sudo().consent_request_id
        self.assertEqual((signed.channel, signed.signed_by, signed.handed_by_id), ("on_site", "Marie Client",
                                                                                  self.technician))
        self.assertTrue(signed.signature)
        self.assertIn("Accepted by the customer on site, signed by Marie Client", self._chatter(self.order))
        # a technician not on the order cannot take it
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician_2).action_open_consent_on_site()
