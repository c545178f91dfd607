"""The breaks found by trying the trust model over real HTTP (XML-RPC, JSON-RPC, plain
pages), each replayed as the least-privileged role that found it. Every attempt must be
refused and leave the records as they were."""
import base64
import re
import xmlrpc.client
from datetime import datetime

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .work_item_common import PNG, WorkItemCase

LINK = re.compile(r"/service_order/consent/([A-Za-z0-9_\-]+)")


class TrustHttpCase(HttpCase, WorkItemCase):
    """Two companies, a portal contact of the customer, another customer and its order, and
    the helpers that call the server over XML-RPC, JSON-RPC and plain pages as a user."""

    multi_company = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, login="so_trust_portal", groups="base.group_portal",
                                        name="Trust Portal")
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer SA", "email": "o@example.com"})
        # a password long enough for any password policy: the login of each user + a suffix
        for user in (cls.technician, cls.technician_2, cls.dispatcher, cls.supervisor, cls.portal_user):
            user.password = cls._password(user)
        cls.order = cls._on_site_order()
        cls.other = cls._planned_order(partner_id=cls.other_customer.id, location_id=cls.other_customer.id)

    @staticmethod
    def _password(user):
        return f"{user.login}-Trust-2026"

    def _rpc(self, user, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, user.login, self._password(user), {})
        self.assertEqual(uid, user.id, f"{user.login} logs in")
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, self._password(user), model, method,
                                             list(args), kwargs)

    def _refused(self, user, model, method, *args, **kwargs):
        """The call is refused by a check (an access or user error), not by the login."""
        with self.assertRaises(xmlrpc.client.Fault, msg=f"{user.login}: {model}.{method}{args}") as refusal:
            self._rpc(user, model, method, *args, **kwargs)
        self.assertNotEqual(refusal.exception.faultCode, 3, refusal.exception.faultString)

    def _json_rpc(self, user, model, method, *args, **kwargs):
        self.authenticate(user.login, self._password(user))
        return self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs})


@tagged("post_install", "-at_install")
class TestTrustOverHttp(TrustHttpCase):

    # 1. the consent link ---------------------------------------------------------------
    def test_consent_token_is_in_no_message_staff_can_read(self):
        self.set_options(consent=True)
        item = self._create_item(self.order)
        item.action_submit()
        mail = self._consent_mails(self.order)
        self.assertEqual(len(mail), 1)
        token = LINK.search(mail.body_html).group(1)
        for user in (self.technician, self.dispatcher, self.supervisor):
            for domain in ([("model", "=", "service.consent.request")],
                           [("body", "ilike", token)], [("body", "ilike", "/service_order/consent/")]):
                found = self._json_rpc(user, "mail.message", "search_read", domain, fields=["body"])
                self.assertEqual(found, [], f"{user.login} reads no message holding the link")
            with self.assertRaises(JsonRpcException):
                self._json_rpc(user, "mail.mail", "search_read", [], fields=["body_html"])
            activities = self._json_rpc(user, "mail.activity", "search_read", [], fields=["note"])
            self.assertFalse([a for a in activities if token in (a["note"] or "")])
        # what staff see instead
        self.assertIn("Customer consent requested from Brasserie Test", self._chatter(self.order))
        # the link works for the customer who got the e-mail
        self.authenticate(None, None)
        page = self.url_open(f"/service_order/consent/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Cold room does not cool", page.text)

    # 2. confirmations cannot be forged or rewritten ------------------------------------
    def test_confirmations_cannot_be_forged_or_rewritten(self):
        self.order.with_user(self.technician)._do_confirm(
            "Extra vessel", lines=[{"product_id": self.part_vessel.id, "quantity": 1}])
        confirmation = self.order.confirmation_ids
        other_doc = self.other.current_document_id
        self._refused(self.technician, "service.confirmation", "create", {
            "order_id": self.order.id, "sequence": 9, "reason": "forged", "user_id": self.dispatcher.id,
            "date": "2020-01-01 00:00:00", "document_id": other_doc.id})
        self._refused(self.technician, "service.confirmation", "write", [confirmation.id],
                      {"reason": "rewritten", "user_id": self.dispatcher.id})
        self._refused(self.technician, "service.confirmation", "copy", confirmation.id)
        self._refused(self.technician, "service.confirmation.change", "create", {
            "confirmation_id": confirmation.id, "field_name": "x", "field_label": "X", "new_value": "y"})
        self._refused(self.dispatcher, "service.confirmation", "write", [confirmation.id], {"reason": "rewritten"})
        self._refused(self.supervisor, "service.confirmation", "unlink", [confirmation.id])
        self.env.invalidate_all()
        self.assertEqual(self.order.confirmation_ids, confirmation)
        self.assertEqual(confirmation.reason, "Extra vessel")
        self.assertEqual(confirmation.user_id, self.technician)
        self.assertEqual(confirmation.document_id, self.order.current_document_id)

    # 3. audit and workflow fields -----------------------------------------------------
    def test_dispatcher_cannot_write_audit_or_workflow_fields(self):
        order = self.order
        token = order.sudo()._portal_ensure_token()
        before = order.sudo().read(["technician_status", "approved_by_id", "approved_date", "closed_by_id",
                                    "customer_signed_by", "channel_id", "access_token",
                                    "current_document_id", "company_id", "customer_signature"])[0]
        forged = [
            {"technician_status": "done"}, {"approved_by_id": self.dispatcher.id},
            {"approved_date": "2020-01-01 00:00:00"}, {"customer_signed_by": "Nobody"},
            {"customer_signature": base64.b64encode(PNG).decode()}, {"closed_by_id": self.dispatcher.id},
            {"close_reason": "forged"}, {"channel_id": False}, {"access_token": "chosen-token"},
            {"current_document_id": self.other.current_document_id.id},
            {"company_id": self.company_b.id},
        ]
        for vals in forged:
            self._refused(self.dispatcher, "service.order", "write", [order.id], vals)
        self._refused(self.dispatcher, "service.order", "create",
                      self._order_vals(access_token="chosen-token", technician_status="done"))
        self.env.invalidate_all()
        self.assertEqual(order.sudo().read(list(before))[0], before)
        # a token of the dispatcher's choice opens nothing; another customer's PDF is not served
        refused = self.url_open(f"/my/service_orders/{order.id}/document?access_token=chosen-token",
                                allow_redirects=False)
        self.assertIn(refused.status_code, (302, 303))
        pdf = self.url_open(f"/my/service_orders/{order.id}/document?access_token={token}")
        self.assertEqual(pdf.content, order.current_document_id.sudo().attachment_id.raw)

    # 4. lines and printed fields change only through a confirmation ---------------------
    def test_lines_and_printed_fields_change_only_through_a_confirmation(self):
        order = self.order
        line = self.env["service.order.line"].sudo().create(
            {"order_id": order.id, "product_id": self.part_pipe.id, "quantity": 1})
        version = order.current_version
        self._refused(self.technician, "service.order.line", "create",
                      {"order_id": order.id, "product_id": self.part_pipe.id, "quantity": 4})
        self._refused(self.dispatcher, "service.order.line", "write", [line.id], {"quantity": 9})
        self._refused(self.dispatcher, "service.order.line", "unlink", [line.id])
        self._refused(self.dispatcher, "service.order", "write", [order.id], {"description": "<p>Other work</p>"})
        self._refused(self.dispatcher, "service.order", "write", [order.id],
                      {"scheduled_start": "2030-01-01 08:00:00"})
        self._refused(self.dispatcher, "service.order", "write", [order.id],
                      {"line_ids": [(0, 0, {"product_id": self.part_pipe.id, "quantity": 3})]})
        self.env.invalidate_all()
        self.assertEqual(order.line_ids, line)
        self.assertEqual(line.quantity, 1)
        self.assertIn("Cold room", order.description)
        self.assertEqual(order.current_version, version)
        # the way that works: a confirmation, by the dispatcher too, issues the next version
        self._rpc(self.dispatcher, "service.order", "write", [order.id], {"priority": "2"})
        wizard = self._rpc(self.dispatcher, "service.confirmation.create", "create", {
            "order_id": order.id, "reason": "Customer asked for a later visit",
            "scheduled_start": "2030-01-01 08:00:00", "description": str(order.description)})
        self._rpc(self.dispatcher, "service.confirmation.create", "action_confirm", [wizard])
        self.env.invalidate_all()
        self.assertEqual(order.current_version, version + 1)
        self.assertEqual(order.scheduled_start, datetime(2030, 1, 1, 8))
        # completed: the technician adds nothing any more
        order.with_user(self.technician).action_start_work()
        order.with_user(self.technician)._do_close("completed")
        self._refused(self.technician, "service.order.line", "create",
                      {"order_id": order.id, "product_id": self.part_pipe.id, "quantity": 4})
        self.assertEqual(len(order.line_ids), 1)

    # 6. smaller leaks -------------------------------------------------------------------
    def test_no_file_can_be_attached_to_a_version(self):
        document = self.order.current_document_id
        self._refused(self.technician, "ir.attachment", "create", {
            "name": "extra.png", "datas": base64.b64encode(PNG).decode(), "res_model": "service.order.document",
            "res_id": document.id})
        mine = self._rpc(self.technician, "ir.attachment", "create", {"name": "mine.txt", "datas": "eA=="})
        self._refused(self.technician, "ir.attachment", "write", [mine],
                      {"res_model": "service.order.document", "res_id": document.id})
        self.assertEqual(self.env["ir.attachment"].sudo().search_count(
            [("res_model", "=", "service.order.document"), ("res_id", "=", document.id)]), 1)

    def test_technician_sets_no_workflow_field_at_creation(self):
        fallout_type = self.fallout_type.id
        for vals in ({"resolution": "done already"}, {"resolved_by_id": self.dispatcher.id},
                     {"reported_by_id": self.dispatcher.id}, {"name": "FAL-FORGED"}):
            self._refused(self.technician, "service.fallout", "create", {
                "order_id": self.order.id, "type_id": fallout_type, "description": "Valve seized", **vals})
        self._refused(self.technician, "service.work.item", "create", {
            "order_id": self.order.id, "complaint": "Leak", "user_id": self.technician_2.id})
        self.assertFalse(self.env["service.fallout"].sudo().search([("order_id", "=", self.order.id)]))
        self.assertFalse(self.order.work_item_ids)

    def test_portal_sees_orders_from_approval_on_and_no_internal_reason(self):
        submitted = self._submit(self._create_order())
        rejected = self._submit(self._create_order())
        rejected.with_user(self.supervisor)._do_reject("Internal: the customer owes us money")
        for order in (submitted, rejected):
            token = order.sudo()._portal_ensure_token()
            page = self.url_open(f"/my/service_orders/{order.id}?access_token={token}", allow_redirects=False)
            self.assertIn(page.status_code, (302, 303), f"{order.state} order through its token")
        self.authenticate(self.portal_user.login, self._password(self.portal_user))
        listing = self.url_open("/my/service_orders")
        self.assertIn(self.order.name, listing.text)
        self.assertNotIn(submitted.name, listing.text)
        self.assertNotIn(rejected.name, listing.text)
        self.assertNotIn("owes us money", listing.text)
        visible = self._json_rpc(self.portal_user, "service.order", "search_read", [], fields=["name"])
        self.assertEqual([row["name"] for row in visible], [self.order.name])
        with self.assertRaises(JsonRpcException):
            self._json_rpc(self.portal_user, "service.order", "read", [self.order.id], ["reject_reason"])
        with self.assertRaises(JsonRpcException):
            self._json_rpc(self.portal_user, "service.order", "read", [self.order.id], ["cancel_reason"])
