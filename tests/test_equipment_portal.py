import re

from odoo.tests import HttpCase, tagged

from .equipment_common import EquipmentCase
from .work_item_common import PNG

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
REQUEST_ACTIVITY = "service_order.mail_act_service_request"


@tagged("post_install", "-at_install")
class TestEquipmentPortal(HttpCase, EquipmentCase):
    """The equipment's page on the portal, as its label opens it: a customer sees only their own
    equipment and its history; a label's token opens its own equipment only; the request form
    makes a draft order for that equipment's customer, whatever is posted; an employee is sent to
    the equipment in Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the boiler's history: an approved order worked on site (an item, its parts), and a
        # draft order (not approved: internal)
        cls.order = cls._on_site_order(equipment_id=cls.boiler.id)
        cls.item = cls._create_item(cls.order, complaint="Burner cleaned")
        # an order booked without equipment, whose work was on the heat pump
        cls.loose_order = cls._on_site_order()
        cls._create_item(cls.loose_order, complaint="Heat pump fan replaced", equipment_id=cls.heat_pump.id)
        cls.draft = cls._create_order(equipment_id=cls.boiler.id, description="<p>Internal: alarm code 4711</p>")
        cls.other_order = cls._planned_order(partner_id=cls.other_customer.id, location_id=cls.other_customer.id,
                                             equipment_id=cls.other_boiler.id)
        cls.token = cls.boiler.sudo().access_token
        cls.requests_before = cls.env["service.order"].search([("requested_on_portal", "=", True)])
        cls.other_token = cls.other_boiler.sudo().access_token

    def _requests(self):
        """The orders requested on the portal by the test (the demo data may hold others)."""
        return self.env["service.order"].search([("requested_on_portal", "=", True)]) - self.requests_before

    def _url(self, equipment, token=None):
        return f"/my/equipment/{equipment.id}" + (f"?access_token={token}" if token else "")

    def _post_request(self, equipment, token, page_url=None, files=None, **data):
        page = self.url_open(page_url or self._url(equipment, token))
        data = {"csrf_token": CSRF.search(page.text).group(1), **data}
        if token:
            data["access_token"] = token
        return self.url_open(f"/my/equipment/{equipment.id}/request", data=data, files=files)

    def test_record_rules_for_the_portal_customer(self):
        Equipment = self.env["service.equipment"].with_user(self.portal_user)
        self.assertEqual(Equipment.search([]), self.boiler | self.heat_pump)
        history = self.env["service.equipment.history"].with_user(self.portal_user).search([])
        self.assertEqual(set(history.mapped("order_name")), {self.order.name, self.loose_order.name},
                         "their equipment's approved orders only: not the draft, not another customer's")
        self.assertEqual(self.env["service.equipment"].with_user(self.other_portal_user).search([]),
                         self.other_boiler)

    def test_customer_sees_only_their_own_equipment_and_history(self):
        self.authenticate("so_eq_portal", "so_eq_portal_pw1")
        listing = self.url_open("/my/equipment")
        self.assertEqual(listing.status_code, 200)
        self.assertIn("Boiler cellar", listing.text)
        self.assertIn("Heat pump roof", listing.text)
        self.assertNotIn("Other boiler", listing.text)
        page = self.url_open(self._url(self.boiler))
        self.assertEqual(page.status_code, 200)
        for shown in ("Boiler cellar", "BX24-0001", self.order.name, "Burner cleaned", "Expansion vessel (test)",
                      "Request service"):
            self.assertIn(shown, page.text)
        self.assertIn(f'href="/my/service_orders/{self.order.id}"', page.text, "their order opens")
        self.assertNotIn(self.draft.name, page.text, "a draft order is internal")
        self.assertNotIn("4711", page.text)
        refused = self.url_open(self._url(self.other_boiler))
        self.assertEqual(refused.status_code, 404)
        self.assertNotIn("Other boiler", refused.text)
        pump = self.url_open(self._url(self.heat_pump))
        self.assertIn(self.loose_order.name, pump.text, "the work on it, whatever the order was booked for")
        self.assertIn("Heat pump fan replaced", pump.text)
        self.assertNotIn("Burner cleaned", pump.text)

    def test_a_label_opens_its_own_equipment_only(self):
        page = self.url_open(self._url(self.boiler, self.token))  # the phone's camera, not logged in
        self.assertEqual(page.status_code, 200)
        self.assertIn("Boiler cellar", page.text)
        self.assertIn(self.order.name, page.text)
        self.assertNotIn(f'href="/my/service_orders/{self.order.id}"', page.text,
                         "a label shows the history, the orders and their PDFs take the customer's account")
        for url in (self._url(self.other_boiler, self.token),     # another equipment's token
                    self._url(self.boiler, self.token[:-4] + "abcd"),  # forged
                    self._url(self.boiler)):                       # none
            with self.subTest(url=url):
                refused = self.url_open(url)
                self.assertEqual(refused.status_code, 404)
                self.assertIn("This label opens nothing", refused.text)
                self.assertNotIn("BX24", refused.text)
        self.boiler.with_user(self.dispatcher).action_renew_label()
        self.assertEqual(self.url_open(self._url(self.boiler, self.token)).status_code, 404,
                         "a renewed label voids the printed ones")

    def test_an_employee_is_sent_to_the_equipment_in_odoo(self):
        self.authenticate(self.technician.login, self.technician.login + "x" * (8 - len(self.technician.login)))
        response = self.url_open(self._url(self.boiler, self.token), allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith(
            f"/odoo/action-service_order.service_equipment_action/{self.boiler.id}"))

    def test_request_from_the_label_makes_a_draft_for_that_customer(self):
        response = self._post_request(
            self.boiler, self.token, description="Error E4 and the radiators stay cold.",
            contact="Anne, 0470 12 34 56",
            # whatever else is posted, the order is the equipment's customer's
            partner_id=str(self.other_customer.id), equipment_id=str(self.other_boiler.id),
            files=[("photos", ("boiler.png", PNG, "image/png"))])
        self.assertEqual(response.status_code, 200)
        order = self._requests()
        self.assertEqual(len(order), 1)
        self.assertIn(order.name, response.text)
        self.assertRecordValues(order, [{
            "state": "draft", "partner_id": self.customer.id, "location_id": self.site.id,
            "equipment_id": self.boiler.id, "request_contact": "Anne, 0470 12 34 56",
            "requested_by_id": False, "dispatcher_id": self.dispatcher.id,
        }])
        self.assertIn("Error E4 and the radiators stay cold.", str(order.description))
        photos = self.env["ir.attachment"].search([("res_model", "=", "service.order"), ("res_id", "=", order.id)])
        self.assertEqual(photos.mapped("name"), ["boiler.png"])
        activity = order.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(REQUEST_ACTIVITY))
        self.assertEqual(activity.user_id, self.dispatcher, "the equipment's dispatcher plans it")
        self.assertIn("Service requested for Boiler cellar", str(activity.note))

        # a second request while the first is a draft: added to it, not a second order
        again = self._post_request(self.boiler, self.token, description="Now it leaks too.")
        self.assertIn("was open already", again.text)
        self.assertEqual(len(self._requests()), 1)
        self.assertIn("Now it leaks too.", self._chatter(order))

    def test_bad_requests_change_nothing(self):
        count = self.env["service.order"].search_count([])
        cases = {
            "empty": ({"description": "   "}, None, "cannot be empty"),
            "not a photo": ({"description": "Cold"}, [("photos", ("notes.png", b"<svg onload=x>", "image/png"))],
                            "notes.png: add a picture"),
            "a broken picture": ({"description": "Cold"},
                                 [("photos", ("cut.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"))],
                                 "cut.png: add a picture"),
            "too long": ({"description": "x" * 20001}, None, "too long"),
        }
        for name, (data, files, message) in cases.items():
            with self.subTest(case=name):
                response = self._post_request(self.boiler, self.token, files=files, **data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        forged = self.url_open(f"/my/equipment/{self.boiler.id}/request",
                               data={"csrf_token": "x", "description": "Cold", "access_token": self.other_token})
        self.assertNotEqual(forged.status_code, 200)
        self.assertEqual(self.env["service.order"].search_count([]), count)

    def test_logged_in_customer_requests_service(self):
        self.authenticate("so_eq_portal", "so_eq_portal_pw1")
        response = self._post_request(self.heat_pump, None, description="The heat pump trips the breaker.")
        self.assertEqual(response.status_code, 200)
        order = self._requests()
        self.assertEqual((order.partner_id, order.equipment_id), (self.customer, self.heat_pump))
        self.assertEqual(order.request_contact, self.portal_user.partner_id.display_name)
        message = order.message_ids.filtered(lambda m: "trips the breaker" in str(m.body))
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        refused = self._post_request(self.other_boiler, None, page_url=self._url(self.heat_pump),
                                     description="Not mine")
        self.assertEqual(refused.status_code, 404)
        self.assertEqual(len(self._requests()), 1)
