"""The customer's visit page over HTTP (no login, the order's own token): what a link shows and
refuses, that its pages only read, and the phone tour from the appointment link to the technician
on the way."""
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .test_tours import TOUR_TIMEOUT, ServiceOrderTourCase

PHONE = "390x844"
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestCustomerVisitHttp(ServiceOrderTourCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.brasserie.write({"email": "bar@example.com", "tz": "Europe/Brussels", "lang": "en_US"})
        cls.hotel.write({"email": "hotel@example.com"})
        cls.order = cls._planned_order(cls.brasserie, "The cold room shows 9 degrees.", workers=cls.technician)
        cls.other = cls._planned_order(cls.hotel, "The lobby lights flicker.", workers=cls.technician_2)
        cls.env["service.order"]._cron_send_customer_notices()  # the job runner e-mails the appointments
        cls.token = cls.order.sudo().customer_token
        cls.url = f"/service/visit/{cls.order.id}/{cls.token}"

    def test_a_link_shows_its_own_order_only(self):
        self.assertTrue(self.token, "the appointment notice made the link")
        response = self.url_open(self.url)  # a read-only request: the page writes nothing
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertIn("Your appointment", response.text)
        self.assertNotIn(self.other.name, response.text)
        self.assertNotIn("flicker", response.text)
        # this token on another order, a forged token: the same answer as no link at all
        for url in (f"/service/visit/{self.other.id}/{self.token}", f"/service/visit/{self.order.id}/{self.token}x",
                    f"/service/visit/{self.other.id}/{self.token}/reschedule"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(self.other.name, response.text)
        response = self.url_open(f"{self.url}/reschedule")  # read-only as well: the free windows
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_service_visit_slot", response.text)

    def test_confirm_by_the_link(self):
        csrf = CSRF.search(self.url_open(self.url).text).group(1)
        response = self.url_open(f"/service/visit/{self.order.id}/wrong/confirm", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.order.appointment_confirmed_date)
        response = self.url_open(f"{self.url}/confirm", data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("the appointment is confirmed", response.text)
        self.env.invalidate_all()
        self.assertTrue(self.order.appointment_confirmed_date)

    def test_the_link_stops_after_closing_and_the_delay(self):
        self.company.service_status_link_hours = 0
        self.order.with_user(self.technician)._do_close("completed")
        self.order.sudo().closed_date = fields.Datetime.now() - timedelta(minutes=1)
        self.assertEqual(self.url_open(self.url).status_code, 404)

    def test_phone_tour_reschedule_then_on_the_way(self):
        versions = len(self.order.sudo().document_ids)
        start = self.order.scheduled_start
        # 1. the customer opens the appointment e-mail's link on a phone and picks another window
        self.browser_size, self.touch_enabled = PHONE, True
        self.start_tour(self.url, "service_order_customer_reschedule", login=None, timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()
        self.assertNotEqual(self.order.scheduled_start, start)
        self.assertEqual(len(self.order.sudo().confirmation_ids), 1, "one confirmation")
        self.assertEqual(len(self.order.sudo().document_ids), versions + 1, "one new version")
        # 2. the technician leaves (On my way; the technicians' own tours tap it on their phone)
        self.order.with_user(self.technician).action_depart()
        self.env.invalidate_all()
        self.assertEqual(self.order.technician_status, "en_route")
        # 3. the customer's page shows the technician on the way, with the expected arrival
        self.start_tour(self.url, "service_order_customer_on_the_way", login=None, timeout=TOUR_TIMEOUT)

    def test_a_logged_in_customer_asks_for_a_visit(self):
        contact = self.env["res.partner"].create({"name": "Anne Barmaid", "parent_id": self.brasserie.id,
                                                  "email": "anne@example.com"})
        new_test_user(self.env, login="so_tour_portal_anne", groups="base.group_portal", partner_id=contact.id)
        self.authenticate("so_tour_portal_anne", "so_tour_portal_anne")
        page = self.url_open("/my/service_orders/request")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.brasserie.name, page.text)
        self.assertNotIn(self.hotel.name, page.text, "another customer's address is not offered")
        csrf = CSRF.search(page.text).group(1)
        before = self.env["service.order"].search_count([])
        refused = self.url_open("/my/service_orders/request", data={
            "csrf_token": csrf, "description": "Leak", "location_id": self.hotel.id})
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(self.env["service.order"].search_count([]), before, "nothing made for another customer")
        done = self.url_open("/my/service_orders/request", data={
            "csrf_token": csrf, "description": "The tap in the cellar leaks.", "windows": "Friday afternoon"})
        self.assertEqual(done.status_code, 200)
        order = self.env["service.order"].search([("requested_on_portal", "=", True),
                                                  ("partner_id", "=", self.brasserie.id)])
        self.assertRecordValues(order, [{"state": "draft", "location_id": self.brasserie.id}])
        self.assertIn(order.name, done.text)
