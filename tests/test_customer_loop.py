import base64
from datetime import timedelta

import pytz
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .dispatch_common import TZ, DispatchCase, utc
from .work_item_common import PNG

# Monday 1 March 2027, 07:00 in Brussels (UTC+1 until the end of March)
NOW = utc(2027, 3, 1, 6, 0)
BRUSSELS = pytz.timezone(TZ)


def local(moment):
    return pytz.utc.localize(moment).astimezone(BRUSSELS)


@tagged("post_install", "-at_install")
class TestCustomerLoop(DispatchCase):
    """The customer in the loop: the appointment notice, the free windows and the reschedule by
    the link, the status page's token and ETA, the rating."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"tz": TZ, "lang": "en_US"})
        cls.public = cls.env.ref("base.public_user")
        cls.heating = cls.env["service.skill"].create({"name": "Heating (test)"})
        cls.technician_2.service_skill_ids = [Command.link(cls.heating.id)]
        cls.skilled_type = cls.env["service.order.type"].create({"name": "Heating (test)", "skill_id": cls.heating.id})
        cls.eta_question = cls.env["service.step.question"].create({
            "order_type_id": cls.order_type.id, "step": "depart", "name": "Expected arrival in (minutes)",
            "answer_type": "number", "required": False})

    def _planned(self, start, hours=2, **vals):
        with freeze_time(NOW):
            order = self._planned_order(scheduled_start=start, scheduled_end=start + timedelta(hours=hours), **vals)
            self._run_jobs()
        return order

    def _mails(self, order, xmlid):
        self.env["service.order"]._cron_send_customer_notices()  # the job runner of the notices
        template = self.env.ref(xmlid)
        subject = template._render_field("subject", order.ids)[order.id]
        return self.env["mail.mail"].sudo().search([("subject", "=", subject), ("body_html", "ilike", order.name)])

    def _link(self, order):
        self.env["service.order"]._cron_send_customer_notices()
        order = order.sudo()
        return order.id, order.customer_token

    # ------------------------------------------------------------------
    def test_planned_order_sends_the_appointment_notice_once(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))  # Tuesday 10:00-12:00 in Brussels
        self.assertEqual(order.sudo().customer_notices_due, "appointment", "due for the job runner")
        mails = self._mails(order, "service_order.mail_template_service_appointment")
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.customer)
        self.assertEqual(mails.state, "outgoing", "sent by the mail queue")
        self.assertFalse(mails.model, "the link is the customer's: bound to no record, not in the chatter")
        body = str(mails.body_html)
        self.assertIn("10:00 - 12:00", body, "the window in the customer's time zone")
        self.assertIn("Tuesday 2 March 2027", body)
        self.assertIn(self.technician.name.split()[0], body)
        token = order.sudo().customer_token
        self.assertTrue(token)
        self.assertIn(f"/service/visit/{order.id}/{token}/reschedule", body)
        self.assertNotIn(token, self._chatter(order), "the chatter says it was sent, without the link")
        self.assertIn("Appointment notice", self._chatter(order))
        # the token is the system's: no role reads it
        for user in (self.technician, self.dispatcher, self.supervisor):
            with self.assertRaises(AccessError):
                order.with_user(user).read(["customer_token"])
        # a second notice only when the window or the technician changes
        order._send_appointment_notice()
        self.assertEqual(len(self._mails(order, "service_order.mail_template_service_appointment")), 1)

    def test_the_technicians_photo_only_if_they_allow_it(self):
        self.technician.image_1920 = base64.b64encode(PNG)
        order = self._planned(utc(2027, 3, 2, 9, 0))
        self.assertNotIn("/technician", str(self._mails(order, "service_order.mail_template_service_appointment").body_html))
        self.assertIsNone(order._technician_photo())
        self.technician.with_user(self.technician).service_photo_to_customers = True  # their own preference
        self.assertTrue(order._technician_photo())
        order.with_user(self.dispatcher)._do_replan("Later", start=utc(2027, 3, 3, 9, 0), end=utc(2027, 3, 3, 11, 0))
        mails = self._mails(order, "service_order.mail_template_service_appointment")
        self.assertEqual(len(mails), 1, "the new appointment")
        self.assertIn(f"/service/visit/{order.id}/{order.sudo().customer_token}/technician", str(mails.body_html))

    def test_free_windows_stay_in_working_hours_and_avoid_booked_orders(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))        # Tuesday 10:00-12:00
        other = self._planned(utc(2027, 3, 2, 13, 0))       # Tuesday 14:00-16:00, same technician
        windows = order._free_windows(now=NOW)
        self.assertTrue(windows)
        by_day = {}
        for window in windows:
            start, end = local(window["start"]), local(window["end"])
            self.assertEqual(window["end"] - window["start"], timedelta(hours=2), "the order's length")
            self.assertLess(start.weekday(), 5, "no weekend")
            self.assertTrue((8 <= start.hour and end.hour <= 12 and end.date() == start.date())
                            or (13 <= start.hour and (end.hour, end.minute) <= (17, 0)),
                            f"within one stretch of working hours: {start} - {end}")
            self.assertEqual(window["user"], self.technician, "the type asks no skill: the order's technician")
            self.assertTrue(window["end"] <= other.scheduled_start or window["start"] >= other.scheduled_end,
                            "never over a booked order")
            by_day.setdefault(start.date().isoformat(), []).append(start.hour)
        # Monday from 10:00 (two hours of notice), Tuesday around both orders (its own window not offered)
        self.assertEqual(by_day["2027-03-01"], [10, 13, 14, 15])
        self.assertEqual(by_day["2027-03-02"], [8, 9])
        self.assertNotIn("2027-03-06", by_day)

    def test_technicians_with_the_skill_fill_the_busy_hours(self):
        order = self._planned(utc(2027, 3, 2, 9, 0), order_type_id=self.skilled_type.id)
        self._planned(utc(2027, 3, 2, 13, 0))
        windows = {(w["start"], w["user"]) for w in order._free_windows(now=NOW)}
        self.assertIn((utc(2027, 3, 2, 12, 0), self.technician_2), windows,
                      "13:00 on Tuesday: the technician is booked, the second has the type's skill")
        self.assertNotIn(utc(2027, 3, 2, 12, 0), {s for s, u in windows if u == self.technician})

    def test_reschedule_by_the_link_issues_exactly_one_new_version(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))
        order_id, token = self._link(order)
        versions, confirmations = len(order.sudo().document_ids), len(order.sudo().confirmation_ids)
        with freeze_time(NOW):
            linked = self.env["service.order"].with_user(self.public)._get_by_customer_token(order_id, token)
            self.assertEqual(linked, order)
            with self.assertRaises(UserError), self.env.cr.savepoint():
                linked._do_customer_reschedule(token, "2027-03-06 09:00:00", self.technician.id)  # a Saturday
            linked._do_customer_reschedule(token, "2027-03-03 12:00:00", self.technician.id)
            self._run_jobs()
        order.invalidate_recordset()
        self.assertEqual((order.scheduled_start, order.scheduled_end), (utc(2027, 3, 3, 12, 0), utc(2027, 3, 3, 14, 0)))
        self.assertEqual(order.state, "planned")
        self.assertEqual(len(order.sudo().confirmation_ids), confirmations + 1)
        self.assertEqual(len(order.sudo().document_ids), versions + 1, "exactly one new version")
        self.assertIn("Rescheduled by the customer", order.sudo().confirmation_ids[-1:].reason)
        activity = order.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(
            "service_order.mail_act_service_reschedule"))
        self.assertEqual(activity.user_id, self.dispatcher)
        self.assertEqual(len(self._mails(order, "service_order.mail_template_service_appointment")), 1,
                         "the new appointment (its subject names the new window)")
        # the link of another order does not move this one
        other = self._planned(utc(2027, 3, 4, 9, 0))
        with self.assertRaises(AccessError), freeze_time(NOW):
            other.sudo()._do_customer_reschedule(token, "2027-03-05 08:00:00", self.technician.id)

    def test_reschedule_waits_for_the_dispatcher_when_the_company_wants_it(self):
        self.company.service_reschedule_by_dispatcher = True
        order = self._planned(utc(2027, 3, 2, 9, 0))
        order_id, token = self._link(order)
        versions = len(order.sudo().document_ids)
        with freeze_time(NOW):
            self.env["service.order"]._get_by_customer_token(order_id, token)._do_customer_reschedule(
                token, "2027-03-03 12:00:00", self.technician.id)
        self.assertEqual(order.scheduled_start, utc(2027, 3, 2, 9, 0), "nothing moves before the dispatcher")
        self.assertEqual(len(order.sudo().document_ids), versions)
        self.assertEqual(order.reschedule_requested_start, utc(2027, 3, 3, 12, 0))
        self.assertTrue(order.activity_ids.filtered(lambda a: a.user_id == self.dispatcher))
        with self.assertRaises(AccessError):
            order.with_user(self.technician).action_accept_customer_window()
        action = order.with_user(self.dispatcher).action_accept_customer_window()
        self.assertEqual(action["res_model"], "service.order.replan")
        self.assertEqual(action["context"]["default_scheduled_start"], "2027-03-03 12:00:00")

    def test_confirm_and_no_change_once_on_the_way(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))
        order_id, token = self._link(order)
        linked = self.env["service.order"]._get_by_customer_token(order_id, token)
        linked._do_customer_confirm(token)
        self.assertTrue(order.appointment_confirmed_date)
        with freeze_time(utc(2027, 3, 2, 8, 30)):
            order.with_user(self.technician)._do_technician_status("en_route", answers={
                self.eta_question.id: {"value": 25}})
        mails = self._mails(order, "service_order.mail_template_service_on_the_way")
        self.assertEqual(len(mails), 1)
        self.assertIn(f"/service/visit/{order_id}/{token}", str(mails.body_html))
        self.assertEqual(order._customer_eta(), utc(2027, 3, 2, 8, 55), "departure plus the minutes given")
        values = order._customer_page_values()
        self.assertEqual((values["step"], values["eta"]), ("on_the_way", "09:55"), "in the customer's time zone")
        with self.assertRaises(UserError):
            linked._do_customer_reschedule(token, "2027-03-03 12:00:00", self.technician.id)

    def test_the_link_expires_after_closing_and_the_delay(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))
        order_id, token = self._link(order)
        Order = self.env["service.order"]
        self.assertFalse(Order._get_by_customer_token(order_id, token[:-1] + "x"))
        self.assertFalse(Order._get_by_customer_token(order_id + 1, token))
        self.company.service_status_link_hours = 24
        with freeze_time(utc(2027, 3, 2, 11, 0)):
            order.with_user(self.technician)._do_close("completed")
        self.assertEqual(order.state, "completed")
        with freeze_time(utc(2027, 3, 3, 10, 59)):
            self.assertEqual(Order._get_by_customer_token(order_id, token), order)
        with freeze_time(utc(2027, 3, 3, 11, 1)):
            self.assertFalse(Order._get_by_customer_token(order_id, token))

    def test_rating_and_the_low_rating_activity(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))
        order_id, token = self._link(order)
        order.with_user(self.technician)._do_close("completed")
        self.assertEqual(len(self._mails(order, "service_order.mail_template_service_rating")), 1)
        linked = self.env["service.order"]._get_by_customer_token(order_id, token)
        with self.assertRaises(UserError):
            linked._do_customer_rate(token, 6)
        linked._do_customer_rate(token, 2, "Came late, left a mess.")
        rating = order.sudo().rating_ids
        self.assertEqual((rating.rating, rating.feedback, rating.consumed), (2, "Came late, left a mess.", True))
        self.assertEqual(rating.rated_partner_id, self.technician.partner_id, "rated per technician")
        self.assertEqual(order.with_user(self.dispatcher).rating_last_value, 2)
        activity = order.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(
            "service_order.mail_act_service_low_rating"))
        self.assertEqual(activity.user_id, self.supervisor)
        with self.assertRaises(UserError):
            linked._do_customer_rate(token, 5)

    def test_a_good_rating_gives_no_activity(self):
        order = self._planned(utc(2027, 3, 2, 9, 0))
        order_id, token = self._link(order)
        order.with_user(self.technician)._do_close("completed")
        self.env["service.order"]._cron_send_customer_notices()  # the rating request
        self.env["service.order"]._get_by_customer_token(order_id, token)._do_customer_rate(token, 5)
        self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(
            "service_order.mail_act_service_low_rating")))

    def test_a_portal_request_is_a_draft_for_the_customer_only(self):
        contact = self.env["res.partner"].create({"name": "Marc Barman", "parent_id": self.customer.id,
                                                  "email": "marc@example.com"})
        portal = self.env["res.users"].with_context(no_reset_password=True).create({
            "login": "so_portal_marc", "name": "Marc Barman", "partner_id": contact.id,
            "groups_id": [Command.set([self.env.ref("base.group_portal").id])]})
        stranger = self.env["res.partner"].create({"name": "Other Customer", "is_company": True,
                                                   "street": "Rue Neuve 1", "city": "Bruxelles"})
        Order = self.env["service.order"].with_user(portal)
        self.assertIn(self.site, Order._portal_request_locations())
        self.assertNotIn(stranger, Order._portal_request_locations())
        count = self.env["service.order"].search_count([])
        for location, description in ((stranger.id, "Leak"), (self.site.id, "  ")):
            with self.subTest(location=location), self.assertRaises(UserError), self.env.cr.savepoint():
                Order._do_portal_request(description, location_id=location)
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.technician)._do_portal_request("Leak")
        self.assertEqual(self.env["service.order"].search_count([]), count, "nothing made by a refused request")
        order = Order._do_portal_request("The cold room leaks water.", location_id=self.site.id,
                                         windows="Tuesday morning")
        self.assertRecordValues(order, [{"state": "draft", "partner_id": self.customer.id, "location_id": self.site.id,
                                         "requested_on_portal": True}])
        self.assertIn("Tuesday morning", order.description)
        self.assertEqual(order.activity_ids.user_id, self.supervisor, "it waits for dispatch")
        with self.assertRaises(AccessError):
            order.with_user(portal).read(["name"])  # a draft stays internal
