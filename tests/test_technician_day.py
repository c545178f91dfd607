"""The technician's day: each role's landing page, My day, accepting or declining an
assignment, a form per step (one tap when the type asks nothing), the completion report
e-mailed to the customer, and a rejected order revised and submitted again."""
import base64
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .work_item_common import PNG, WorkItemCase


@tagged("post_install", "-at_install")
class TestTechnicianDay(WorkItemCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Question = cls.env["service.step.question"]
        cls.form_type = cls.env["service.order.type"].create({"name": "Boiler (forms)", "default_duration": 2})
        cls.q_eta = Question.create({"order_type_id": cls.form_type.id, "step": "depart", "name": "ETA (minutes)",
                                     "answer_type": "number"})
        cls.q_photo = Question.create({"order_type_id": cls.form_type.id, "step": "arrive", "name": "Boiler plate",
                                       "answer_type": "photo", "required": False})
        cls.q_restarted = Question.create({"order_type_id": cls.form_type.id, "step": "complete",
                                           "name": "Boiler restarted", "answer_type": "yes_no"})
        cls._build_order_pool(planned=2, on_site=1)

    # landing pages ---------------------------------------------------------------------
    def test_each_role_lands_on_its_work(self):
        Order = self.env["service.order"]
        self._submit(self._create_order())
        landing = {user: Order.with_user(user)._landing_action()["xml_id"]
                   for user in (self.technician, self.dispatcher, self.supervisor)}
        self.assertEqual(landing[self.technician], "service_order.service_order_action_my_day")
        self.assertEqual(landing[self.dispatcher], "service_order.service_order_action")
        self.assertEqual(landing[self.supervisor], "service_order.service_order_action_to_approve")
        menu = self.env.ref("service_order.service_order_menu_root")
        self.assertEqual(menu.action, self.env.ref("service_order.service_order_action_landing"))
        # the dispatcher's board creates orders
        action = Order.with_user(self.dispatcher)._landing_action()
        self.assertNotIn("'create': False", action.get("context") or "")

    def test_my_day_cards(self):
        today = fields.Datetime.now().replace(hour=8, minute=0, second=0, microsecond=0)
        self.site.phone = "+32 2 555 01 02"
        order = self._planned_order(scheduled_start=today, scheduled_end=today + timedelta(hours=2))
        card = order.with_user(self.technician).with_context(tz="UTC")
        self.assertEqual(card.time_window, "08:00 – 10:00")
        self.assertEqual(card.next_action, "depart", "today's job: going is accepting, one tap less")
        self.assertIn("accept", card.next_actions, "accepting ahead stays offered")
        self.assertTrue(card.navigation_url.startswith("geo:50.846800,4.363000"))
        self.assertEqual(card.phone_url, "tel:+3225550102")
        self.assertEqual(card.action_call()["url"], "tel:+3225550102")
        card.action_accept_assignment()
        self.assertEqual(card.next_action, "depart")
        for method, next_action in (("action_depart", "arrive"), ("action_arrive", "start_work"),
                                    ("action_start_work", "complete")):
            getattr(card, method)()
            self.assertEqual(card.next_action, next_action)
        # another technician has no next action on it (and cannot read it)
        with self.assertRaises(AccessError):
            order.with_user(self.technician_2).read(["next_action"])

    def test_my_day_by_date(self):
        """My Day: today's jobs first (by time), then the open jobs of days gone (flagged overdue),
        then tomorrow's; nothing later, nothing closed, nobody else's."""
        zone = "Europe/Brussels"
        self.technician.tz = zone
        Order = self.env["service.order"].with_user(self.technician).with_context(tz=zone)
        today = Order._local_day_bounds(0)  # the technician's midnight, in UTC as stored

        def job(start_hours, workers=None, hours=1):
            start = today + timedelta(hours=start_hours)
            return self._planned_order(workers=workers, scheduled_start=start, scheduled_end=start + timedelta(hours=hours))

        late_morning, early, yesterday, tomorrow, later = job(10), job(8), job(-14), job(24 + 9), job(72 + 9)
        closed_yesterday = job(-15)
        closed_yesterday.with_user(self.dispatcher)._do_close("completed")
        not_mine = job(9, workers=self.technician_2)
        mine = Order.search([("in_my_day", "=", True)])
        self.assertEqual(mine, late_morning | early | yesterday | tomorrow)
        self.assertNotIn(not_mine, Order.sudo().search([("in_my_day", "=", True)]).filtered("assigned_to_me"))
        cards = Order.with_context(service_my_day=True).web_search_read(
            [("in_my_day", "=", True)], {"name": {}}, order="scheduled_start")["records"]
        self.assertEqual([card["id"] for card in cards], [early.id, late_morning.id, yesterday.id, tomorrow.id],
                         "today first, by time; then the overdue job; then tomorrow's")
        flags = {order: (order.is_today, order.is_overdue, order.is_other_day)
                 for order in (early | yesterday | tomorrow).with_user(self.technician).with_context(tz=zone)}
        self.assertEqual(list(flags.values()), [(True, False, False), (False, True, True), (False, False, True)])
        self.assertEqual(Order.search([("is_overdue", "=", True)]), yesterday)
        # tomorrow's job: accepting is the big step, and leaving for it asks first (the views' confirm)
        self.assertEqual(tomorrow.with_user(self.technician).with_context(tz=zone).next_action, "accept")
        self.assertTrue(later.with_user(self.technician).is_other_day)

    def test_each_role_gets_its_home_page_when_the_role_is_given(self):
        Users = self.env["res.users"].with_context(no_reset_password=True)
        my_day = self.env.ref("service_order.service_order_action_my_day")
        board = self.env.ref("service_order.service_order_action")
        to_approve = self.env.ref("service_order.service_order_action_to_approve")
        self.assertEqual([user.action_id.id for user in (self.technician, self.dispatcher, self.supervisor)],
                         [my_day.id, board.id, to_approve.id])
        self.assertFalse(self.employee.action_id, "no role, no home page of ours")
        user = new_test_user(self.env, login="so_new_tech", groups="base.group_user,service_order.group_service_order_technician")
        self.assertEqual(user.action_id.id, my_day.id)
        user.write({"groups_id": [(4, self.env.ref("service_order.group_service_order_dispatcher").id)]})
        self.assertEqual(user.action_id.id, board.id, "promoted: the board")
        # a home page the user chose is left alone
        discuss = self.env.ref("mail.action_discuss")
        user.action_id = discuss.id
        user.write({"groups_id": [(4, self.env.ref("service_order.group_service_order_supervisor").id)]})
        self.assertEqual(user.action_id.id, discuss.id)
        other = Users.create({"name": "Sam Field", "login": "so_new_field",
                              "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        self.assertFalse(other.action_id)
        self.env.ref("service_order.group_service_order_technician").write({"users": [(4, other.id)]})
        self.assertEqual(other.action_id.id, my_day.id, "a role given through the group too")

    def test_office_roles_do_not_see_the_field_menus(self):
        field_menus = {self.env.ref(xmlid).id for xmlid in (
            "service_order.service_order_menu_my_day", "service_order.service_order_menu_my",
            "service_order.service_route_menu_mine")}
        for user, sees in ((self.technician, True), (self.dispatcher, False), (self.supervisor, False)):
            with self.subTest(user=user.login):
                menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
                self.assertEqual(field_menus <= set(menus), sees)

    def test_the_assign_lists_offer_technicians_only(self):
        Order = self.env["service.order"].with_user(self.dispatcher)
        for model, name in (("service.order", "field_worker_ids"), ("service.order", "lead_technician_id"),
                            ("service.order.worker.add", "user_ids"), ("service.confirmation.create", "worker_ids")):
            with self.subTest(field=f"{model}.{name}"):
                field = self.env[model]._fields[name]
                offered = self.env["res.users"].search(field.get_domain_list(Order.env[model]))
                self.assertIn(self.technician, offered)
                self.assertFalse(offered & (self.dispatcher | self.supervisor | self.env.ref("base.user_admin")))

    # accept / decline -----------------------------------------------------------------------
    def test_accept_and_decline(self):
        order = self._planned_order(workers=self.technician | self.technician_2)
        self.assertEqual(order.acceptance, "pending")
        self.assertEqual(order.assignment_ids.mapped("state"), ["pending", "pending"])
        order.with_user(self.technician).action_accept_assignment()
        self.assertEqual(order.acceptance, "pending", "one worker still has to answer")
        with self.assertRaisesRegex(UserError, "reason is required"):
            order.with_user(self.technician_2)._do_decline_assignment("  ")
        wizard = Form(self.env["service.order.decline"].with_user(self.technician_2).with_context(
            **order.with_user(self.technician_2).action_open_decline()["context"]))
        wizard.reason = "No gas certificate"
        wizard.save().action_confirm()
        self.assertEqual(order.acceptance, "declined")
        declined = order.assignment_ids.filtered(lambda a: a.user_id == self.technician_2)
        self.assertEqual(declined.decline_reason, "No gas certificate")
        activity = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("service_order.mail_act_assignment_declined"))
        self.assertEqual(activity.user_id, self.dispatcher, "the dispatcher re-plans")
        # nobody else answers for them, and the answers are the trail
        with self.assertRaises(AccessError):
            order.with_user(self.dispatcher).action_accept_assignment()
        with self.assertRaises(AccessError):
            declined.with_user(self.dispatcher).write({"state": "accepted"})

    def test_going_on_the_way_accepts(self):
        order = self._planned_order()
        order.with_user(self.technician).action_depart()
        self.assertEqual(order.acceptance, "accepted")

    # a form per step -----------------------------------------------------------------------
    def test_a_step_without_questions_is_one_tap(self):
        order = self._planned_order()
        self.assertTrue(order.with_user(self.technician).action_depart() is True)
        self.assertEqual(order.technician_status, "en_route")

    def test_step_form_asks_the_types_questions(self):
        order = self._planned_order(order_type_id=self.form_type.id)
        tech = order.with_user(self.technician)
        action = tech.action_depart()
        self.assertEqual(action["res_model"], "service.step.form", "the ETA is asked first")
        self.assertEqual(order.technician_status, "planned", "nothing moved before the answer")
        with self.assertRaisesRegex(UserError, "Answer before going on: ETA"):
            tech._do_technician_status("en_route")
        form = Form(self.env["service.step.form"].with_user(self.technician).with_context(**action["context"]))
        with form.line_ids.edit(0) as line:
            line.value_number = 25
        form.save().action_confirm()
        self.assertEqual(order.technician_status, "en_route")
        # arrive: the only question is optional, a photo; a PDF is not a photo
        with self.assertRaisesRegex(UserError, "add a picture"):
            tech._do_technician_status("on_site", {self.q_photo.id: {"value": base64.b64encode(b"%PDF-1.4")}})
        tech._do_technician_status("on_site", {self.q_photo.id: {"value": base64.b64encode(PNG)}})
        tech.action_start_work()
        self.assertEqual(tech.action_open_complete()["res_model"], "service.step.form")
        tech._do_close("completed", answers={self.q_restarted.id: {"value": "no"}})
        answers = order.step_answer_ids
        self.assertEqual(answers.mapped("step"), ["depart", "arrive", "complete"])
        self.assertEqual(answers.mapped("value_display"), ["25", "Picture", "No"])
        self.assertEqual(set(answers.mapped("user_id")), {self.technician})
        with self.assertRaises(AccessError):
            answers[0].with_user(self.dispatcher).write({"value_number": 5})
        with self.assertRaises(UserError):
            answers.sudo().unlink()

    def test_arriving_straight_from_planned_answers_the_skipped_step(self):
        """Finding 12: going from planned straight to Arrived skipped the required question of
        the step left out (on my way)."""
        order = self._planned_order(order_type_id=self.form_type.id)
        tech = order.with_user(self.technician)
        action = tech.action_arrive()
        self.assertEqual(action["res_model"], "service.step.form")
        defaults = self.env["service.step.form"].with_user(self.technician).with_context(
            **action["context"]).default_get(["order_id", "step", "line_ids"])
        self.assertEqual([command[2]["question_id"] for command in defaults["line_ids"]],
                         [self.q_eta.id, self.q_photo.id], "on my way's question first, then arrived's")
        with self.assertRaisesRegex(UserError, "Answer before going on: ETA"):
            tech._do_technician_status("on_site", {self.q_photo.id: {"value": base64.b64encode(PNG)}})
        self.assertEqual(order.technician_status, "planned")
        tech._do_technician_status("on_site", {self.q_eta.id: {"value": 5}})
        self.assertEqual(order.technician_status, "on_site")
        answer = order.step_answer_ids
        self.assertEqual((answer.step, answer.name, answer.value_number), ("depart", "ETA (minutes)", 5))

    # completion report ----------------------------------------------------------------------
    def test_closing_issues_the_completion_report_and_emails_it(self):
        for outcome in ("completed", "not_done"):
            with self.subTest(outcome=outcome):
                order = self._on_site_order()
                order.with_user(self.technician)._do_close(outcome, reason="Spare part missing")
                report = order.current_document_id
                self.assertEqual((report.version, report.reason, report.state), (2, "completion", "pending"),
                                 "the number is reserved at closing; the PDF is made off the request")
                self.assertEqual(order._issued_document().version, 1, "until then the customer gets version 1")
                self._run_jobs()
                self.assertEqual(report.state, "issued")
                self.assertEqual(order._issued_document(), report)
                self.assertIn("Completion report", self._pdf_text(report))
                self.env.flush_all()
                mail = self.env["mail.mail"].sudo().search([
                    ("model", "=", "service.order"), ("res_id", "=", order.id),
                    ("subject", "ilike", "completion report")])
                self.assertEqual(len(mail), 1, "the customer gets the report by e-mail")
                self.assertEqual(mail.recipient_ids, self.customer)
                self.assertEqual(mail.attachment_ids, report.sudo().attachment_id, "the issued file, as issued")
                self.assertIn(report.sudo().attachment_id.name, self._channel_text(order))

    # rejected is not a dead end --------------------------------------------------------------
    def test_rejected_order_is_revised_and_submitted_again(self):
        order = self._submit(self._create_order(**self._booking()))
        order.with_user(self.supervisor)._do_reject("Describe which cold room")
        with self.assertRaises(AccessError):
            order.with_user(self.technician)._do_revise()
        order.with_user(self.dispatcher).action_revise()
        self._flush_tracking()  # as if the next step came in another request
        self.assertEqual(order.state, "draft")
        order.with_user(self.dispatcher).write({"description": "<p>Cold room 2, behind the bar.</p>"})
        self._submit(order)
        self._approve(order)
        self.assertEqual(order.state, "planned")
        self.assertIn("Rejected by So Supervisor: Describe which cold room", self._chatter(order))
        self.assertIn("Revised by So Dispatcher after the rejection", self._chatter(order))
        self.assertEqual([new for _old, new in self._state_trackings(order)],
                         ["Submitted", "Rejected", "Draft", "Submitted", "Planned"])
        with self.assertRaisesRegex(UserError, "Only rejected orders can be revised"):
            order.with_user(self.dispatcher)._do_revise()

    def test_time_window_empty_without_schedule(self):
        # approved without a start: it waits To Plan
        order = self._approve(self._submit(self._create_order(
            field_worker_ids=[Command.set(self.technician.ids)], lead_technician_id=self.technician.id)))
        self.assertEqual(order.state, "to_plan")
        self.assertFalse(order.with_user(self.technician).time_window)
        order_later = self._planned_order(scheduled_start=datetime(2026, 6, 1, 7, 30))
        self.assertEqual(order_later.with_user(self.technician).with_context(tz="Europe/Brussels").time_window, "09:30")

    # the workspace beyond staff ------------------------------------------------------------
    def test_customer_contact_and_subcontractor_join_the_workspace_only(self):
        order = self._planned_order()
        other = self._planned_order()
        contact = new_test_user(self.env, login="so_ws_contact", groups="base.group_portal", name="Marie Client")
        contact.partner_id.parent_id = self.customer
        subcontractor = self.env["res.partner"].create({"name": "Frigo Services SRL", "email": "frigo@example.com",
                                                        "is_company": True, "service_subcontractor": True})
        with self.assertRaises(AccessError):
            order.with_user(self.technician)._do_invite_to_workspace(subcontractor)
        with self.assertRaisesRegex(UserError, "work in the company"):
            order.with_user(self.dispatcher)._do_invite_to_workspace(self.technician_2.partner_id)
        wizard = self.env["service.order.workspace.invite"].with_user(self.dispatcher).create({
            "order_id": order.id, "partner_ids": [(6, 0, (contact.partner_id | subcontractor).ids)]})
        wizard.action_confirm()
        members = order.sudo().channel_id.channel_member_ids.partner_id
        self.assertLessEqual(contact.partner_id | subcontractor, members)
        self.assertFalse(contact.partner_id & other.sudo().channel_id.channel_member_ids.partner_id)
        self.assertTrue(contact.share, "invited as a partner, not an internal user")
        # the portal contact sees that channel only, and reads its messages
        channels = self.env["discuss.channel"].with_user(contact).search([])
        self.assertEqual(channels, order.sudo().channel_id)
        self.assertIn("invited Marie Client, Frigo Services SRL", " ".join(channels.message_ids.mapped("body")))
        with self.assertRaises(AccessError):
            order.with_user(contact).read(["cancel_reason"])  # internal reasons stay internal

    def test_the_workspace_takes_the_customers_contacts_and_subcontractors_only_and_keeps_them(self):
        """Findings 5, 17, 18: another customer's contact was added to a workspace; an archived
        employee's partner passed the invitation's filter; invited people silently left the
        workspace the next time the order's people changed."""
        order = self._planned_order()
        contact = self.env["res.partner"].create({"name": "Marie Client", "parent_id": self.customer.id})
        stranger = self.env["res.partner"].create({"name": "Other Customer SA", "email": "other@example.com"})
        former = new_test_user(self.env, login="so_ws_former", groups="base.group_user", name="Former Employee")
        former.active = False
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        foreign = self.env["res.partner"].create({"name": "Foreign Sub", "is_company": True,
                                                  "service_subcontractor": True, "company_id": other_company.id})
        Invite = self.env["service.order.workspace.invite"].with_user(self.dispatcher)
        for partner, refusal in ((stranger, "contacts of the order's customer"),
                                 (former.partner_id, "work in the company"),
                                 (foreign, "contacts of the order's customer")):
            with self.subTest(partner=partner.name), self.assertRaisesRegex(UserError, refusal):
                Invite.create({"order_id": order.id, "partner_ids": [(6, 0, partner.ids)]}).action_confirm()
        Invite.create({"order_id": order.id, "partner_ids": [(6, 0, contact.ids)]}).action_confirm()
        channel = order.sudo().channel_id
        self.assertIn(contact, channel.channel_member_ids.partner_id)
        self.assertFalse((stranger | former.partner_id | foreign) & channel.channel_member_ids.partner_id)
        # the order's people change: the invited contact stays, the removed technician leaves
        order.with_user(self.dispatcher)._do_confirm("Lucy takes over", workers=self.technician_2,
                                                     remove_workers=self.technician)
        members = channel.channel_member_ids.partner_id
        self.assertIn(contact, members, "the invited contact stays")
        self.assertIn(self.technician_2.partner_id, members)
        self.assertNotIn(self.technician.partner_id, members, "the removed technician leaves")

    # bulk work off the request -----------------------------------------------------------------
    def test_a_confirmation_leaves_its_pdf_to_the_job_runner(self):
        order = self._planned_order(workers=self.technician)
        with patch.object(type(self.env["service.order"]), "_html_to_pdf",
                          side_effect=AssertionError("no PDF in the request")):
            confirmation = order.with_user(self.technician)._do_confirm(
                "A second expansion vessel", lines=[{"product_id": self.part_pipe.id, "quantity": 2}])
        version = confirmation.sudo().document_id
        self.assertEqual((version.version, version.state, order.current_version), (2, "pending", 2),
                         "its number is reserved and its content frozen in the request")
        self.assertFalse(version.sudo().attachment_id)
        self.assertEqual(order._issued_document().version, 1, "the customer still gets version 1")
        self.env.cr.flush()  # the commit of the request: it wakes the job runner
        self.assertTrue(self.env["ir.cron.trigger"].sudo().search(
            [("cron_id", "=", self.env.ref("service_order.ir_cron_issue_document_versions").id)]))
        self._run_jobs()
        self.assertEqual(version.state, "issued")
        self.assertTrue(version.sudo().attachment_id)
        self.assertEqual(order._issued_document(), version)
        self.assertIn(version.sudo().attachment_id, order.message_ids.attachment_ids, "posted with its PDF")

    def test_bulk_approval_leaves_the_pdfs_to_the_job_runner(self):
        orders = self._submit(self._create_order(**self._booking()) | self._create_order(**self._booking())
                              | self._create_order(**self._booking()))
        with patch.object(type(self.env["service.order"]), "_html_to_pdf",
                          side_effect=AssertionError("no PDF in the request")):
            orders.with_user(self.supervisor)._do_approve()
        self.assertEqual(orders.mapped("state"), ["planned"] * 3)
        documents = orders.current_document_id
        self.assertEqual(documents.mapped("state"), ["pending"] * 3)
        self.assertEqual(documents.mapped("version"), [1, 1, 1], "the numbers are reserved at approval")
        self.assertFalse(documents.sudo().attachment_id)
        self.env.cr.flush()  # the commit of the request: it wakes the job runner
        trigger = self.env["ir.cron.trigger"].sudo().search(
            [("cron_id", "=", self.env.ref("service_order.ir_cron_issue_document_versions").id)])
        self.assertTrue(trigger, "the job runner is woken up")
        # the frozen content is what the PDF shows, whatever happens before it is made
        first = orders[0]
        first.with_user(self.dispatcher)._do_confirm("Later visit", scheduled_start=datetime(2030, 1, 2, 8),
                                                     scheduled_end=datetime(2030, 1, 2, 10))
        self.assertEqual(first.current_version, 2)
        self._run_jobs()
        self.assertEqual((orders | first).document_ids.mapped("state"), ["issued"] * 4)
        version_1 = first.document_ids.filtered(lambda d: d.version == 1)
        self.assertNotIn("01/02/2030", self._pdf_text(version_1))
        self.assertTrue(first.document_ids._verify_checksum())
        # a pending version is never downloaded, changed or deleted
        with self.assertRaises(UserError):
            version_1.write({"state": "pending"})

    def test_a_dispatcher_creates_a_new_caller_from_the_order(self):
        """Finding: a new caller could not be created as a customer from the order."""
        caller_id, _name = self.env["res.partner"].with_user(self.dispatcher).name_create("Café Nouveau")
        order = self.env["service.order"].with_user(self.dispatcher).create(self._order_vals(
            partner_id=caller_id, location_id=caller_id))
        self.assertEqual(order.partner_id.name, "Café Nouveau")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.technician).name_create("Not from the field")
