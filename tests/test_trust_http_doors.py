"""The doors found open by the second probe over real HTTP (issue "closed doors"), each
replayed as the least-privileged role that found it: wizard rows, the customer's link and
what it may post, the workspace's membership, money rights. Every attempt must be refused
and leave the records as they were; the way that is allowed still works."""
import re
from urllib.parse import parse_qs, urlparse

from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .test_trust_http import TrustHttpCase

TOKEN = re.compile(r"access_token=([0-9a-f-]{36})")


@tagged("post_install", "-at_install")
class TestClosedDoorsOverHttp(TrustHttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env, login="so_doors_billing", name="Doors Billing", email="billing@example.com",
            groups="base.group_user,base.group_partner_manager,service_order.group_service_order_dispatcher,"
                   "account.group_account_invoice")
        cls.billing.password = cls._password(cls.billing)
        # the customer's contact, who gets the shared link
        cls.contact = cls.env["res.partner"].create({
            "name": "Marie Client", "email": "marie@example.com", "parent_id": cls.customer.id})

    def _public_json(self, url, params):
        self.authenticate(None, None)
        return self.make_jsonrpc_request(url, params)

    # 1. wizard rows ----------------------------------------------------------------------
    def test_a_wizard_row_is_its_creators_only(self):
        """Finding 1: a second technician of the same order listed and rewrote the first one's
        pending step answer, which was then stored under the first one's name; a dispatcher read
        the decline reasons and the descriptions copied into others' confirmation wizards."""
        order = self._planned_order(workers=self.technician | self.technician_2)
        question = self.env["service.step.question"].create({
            "order_type_id": self.order_type.id, "step": "depart", "name": "Arrival time", "answer_type": "text"})
        form_id = self._rpc(self.technician, "service.step.form", "create", {
            "order_id": order.id, "step": "depart",
            "line_ids": [(0, 0, {"question_id": question.id, "value_text": "At ten"})]})
        line_id = self._rpc(self.technician, "service.step.form", "read", [form_id], ["line_ids"])[0]["line_ids"][0]
        decline_id = self._rpc(self.technician_2, "service.order.decline", "create", {
            "order_id": order.id, "reason": "Alarm code 4711, key under the mat"})
        for user in (self.technician_2, self.dispatcher, self.supervisor):
            for model in ("service.step.form", "service.step.form.line", "service.order.decline",
                          "service.confirmation.create"):
                found = self._rpc(user, model, "search_read", [], fields=["id"])
                own = decline_id if (user, model) == (self.technician_2, "service.order.decline") else None
                self.assertEqual([row["id"] for row in found if row["id"] != own], [],
                                 f"{user.login} lists no other user's {model}")
        self._refused(self.technician_2, "service.step.form.line", "write", [line_id], {"value_text": "All fine"})
        self._refused(self.technician_2, "service.step.form.line", "read", [line_id], ["value_text"])
        self._refused(self.technician_2, "service.step.form.line", "create", {
            "form_id": form_id, "question_id": question.id, "value_text": "All fine"})
        self._refused(self.dispatcher, "service.order.decline", "read", [decline_id], ["reason"])
        self._refused(self.technician_2, "service.step.form", "action_confirm", [form_id])
        # a wizard never points at an order its creator cannot open
        self._refused(self.technician_2, "service.confirmation.create", "create", {
            "order_id": self.other.id, "reason": "Curious"})
        # the owner's answer is stored as they gave it, under their name
        self._rpc(self.technician, "service.step.form", "action_confirm", [form_id])
        answer = order.step_answer_ids
        self.assertEqual((answer.value_text, answer.user_id), ("At ten", self.technician))
        self.assertEqual(order.technician_status, "en_route")

    # 3. the customer's link --------------------------------------------------------------
    def test_staff_without_the_right_to_share_never_get_the_customers_link(self):
        """Finding 3: a technician (or a dispatcher without invoicing rights) called
        get_portal_url and opened the link without logging in: invoice amounts and signed
        links to the invoice PDF; the token never changed, so a technician removed from the
        order kept that access."""
        order = self.order
        # made at the approval (the portal's pages only read it), handed to nobody
        token_made = order.sudo().access_token
        self.assertTrue(token_made)
        for user in (self.technician, self.dispatcher, self.supervisor):
            self._refused(user, "service.order", "get_portal_url", [order.id])
            rows = self._json_rpc(user, "service.order", "search_read", [("id", "=", order.id)], fields=[])
            self.assertNotIn("access_token", rows[0], f"{user.login} does not read the token")
            with self.assertRaises(JsonRpcException, msg=f"{user.login} reads no access_token"):
                self._json_rpc(user, "service.order", "read", [order.id], ["access_token"])
            # Odoo's Share wizard shows the link: it does not open for them
            with self.assertRaises(JsonRpcException):
                self._json_rpc(user, "portal.share", "default_get", ["share_link"],
                               context={"active_model": "service.order", "active_id": order.id})
        self.assertEqual(order.sudo().access_token, token_made, "nothing was made for them")
        # the technician removed from the order takes nothing with them
        order.with_user(self.dispatcher)._do_confirm("Lucy takes over", workers=self.technician_2,
                                                     remove_workers=self.technician)
        self._refused(self.technician, "service.order", "get_portal_url", [order.id])
        # a dispatcher with Invoicing rights shares it: the link opens the page without a login
        url = self._rpc(self.billing, "service.order", "get_portal_url", [order.id])
        token = TOKEN.search(url).group(1)
        self.assertEqual(token, order.sudo().access_token)
        self.authenticate(None, None)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(order.name, page.text)

    def test_share_sends_the_link_privately(self):
        """The standard way: a dispatcher with Invoicing rights shares the order through Odoo's
        Share wizard; the link reaches the contact by e-mail, never the chatter staff read."""
        order = self.order
        context = {"active_model": "service.order", "active_id": order.id}
        action = self._rpc(self.billing, "service.order", "action_share", [order.id], context=context)
        self.assertEqual(action["res_model"], "portal.share")
        wizard = self._rpc(self.billing, "portal.share", "create", {
            "partner_ids": [(6, 0, self.contact.ids)], "note": "Your order"}, context=context)
        self._rpc(self.billing, "portal.share", "action_send_mail", [wizard], context=context)
        token = order.sudo().access_token
        self.assertTrue(token)
        mail = self.env["mail.mail"].sudo().search([("recipient_ids", "in", self.contact.ids),
                                                    ("body_html", "ilike", token)])
        self.assertEqual(len(mail), 1, "the contact gets the link by e-mail")
        self.assertFalse(mail.model or mail.res_id, "the e-mail belongs to no record")
        self.assertIn("Link to the order shared with Marie Client", self._chatter(order))
        self.assertNotIn(token, self._chatter(order))
        found = self._json_rpc(self.technician, "mail.message", "search_read",
                               [("body", "ilike", token)], fields=["body"])
        self.assertEqual(found, [], "the technician reads no message holding the link")
        # the link e-mailed to the contact opens the order's page
        link = re.search(r'href="([^"]*/mail/view[^"]*)"', mail.body_html).group(1).replace("&amp;", "&")
        self.authenticate(None, None)
        page = self.url_open(urlparse(link)._replace(scheme="", netloc="").geturl())
        self.assertEqual(page.status_code, 200)
        self.assertIn(order.name, page.text)
        self.assertEqual(parse_qs(urlparse(link).query)["pid"], [str(self.contact.id)])

    # 4. what the link may post -----------------------------------------------------------
    def test_the_bare_link_posts_nothing_in_the_customers_name(self):
        """Finding 4: with the link, an anonymous POST to /mail/message/post landed in the
        chatter authored by the customer."""
        order = self.order
        token = order.sudo()._portal_ensure_token()
        messages = order.sudo().message_ids
        params = {"thread_model": "service.order", "thread_id": order.id, "token": token,
                  "post_data": {"body": "Please also fix the door (forged)", "message_type": "comment"}}
        with self.assertRaises(JsonRpcException):
            self._public_json("/mail/message/post", params)
        self.env.invalidate_all()
        self.assertEqual(order.sudo().message_ids, messages, "nothing was posted")
        # the page opens with the link, its messages read, without a composer
        page = self.url_open(f"/my/service_orders/{order.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-allow_composer="0"', page.text)
        read = self._public_json("/mail/chatter_fetch", {"thread_model": "service.order", "thread_id": order.id,
                                                         "token": token})
        self.assertIn("messages", read)
        # the link signed for one contact names who writes: they post, as themselves
        signed = dict(params, pid=self.contact.id, hash=order.sudo()._sign_token(self.contact.id),
                      post_data={"body": "The door code is 1234", "message_type": "comment"})
        self._public_json("/mail/message/post", signed)
        self.env.invalidate_all()
        posted = order.sudo().message_ids - messages
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.author_id, self.contact)

    # 5, 17. the workspace ----------------------------------------------------------------
    def test_members_of_a_workspace_add_nobody_and_rename_nothing(self):
        """Finding 5: a member of an order's workspace added another customer's contact with
        discuss.channel.add_members, who then read the channel's messages. Finding 17: a
        technician renamed the workspace."""
        channel = self.order.sudo().channel_id
        name, members = channel.name, channel.channel_member_ids
        stranger = self.other_customer
        for user in (self.technician, self.dispatcher):
            with self.assertRaises(JsonRpcException, msg=f"{user.login} adds a member from inside"):
                self._json_rpc(user, "discuss.channel", "add_members", [channel.id], partner_ids=stranger.ids)
            with self.assertRaises(JsonRpcException, msg=f"{user.login} renames the workspace"):
                self._json_rpc(user, "discuss.channel", "channel_rename", [channel.id], "Party")
            with self.assertRaises(JsonRpcException):
                self._json_rpc(user, "discuss.channel.member", "create",
                               {"channel_id": channel.id, "partner_id": stranger.id})
        # the channel's invitation link lets no one in either
        self.authenticate(None, None)
        page = self.url_open(f"/chat/{channel.id}/{channel.uuid}")
        self.assertEqual(page.status_code, 404)
        self.env.invalidate_all()
        self.assertEqual((channel.name, channel.channel_member_ids), (name, members))
        # the way in: a dispatcher's invitation of the customer's contact, from the order
        contact = self.portal_user.partner_id
        wizard = self._rpc(self.dispatcher, "service.order.workspace.invite", "create", {
            "order_id": self.order.id, "partner_ids": [(6, 0, contact.ids)]})
        self._rpc(self.dispatcher, "service.order.workspace.invite", "action_confirm", [wizard])
        self.env.invalidate_all()
        self.assertIn(contact, channel.channel_member_ids.partner_id)
        wizard = self._rpc(self.dispatcher, "service.order.workspace.invite", "create", {
            "order_id": self.order.id, "partner_ids": [(6, 0, stranger.ids)]})
        self._refused(self.dispatcher, "service.order.workspace.invite", "action_confirm", [wizard])
        self.assertNotIn(stranger, channel.channel_member_ids.partner_id)
