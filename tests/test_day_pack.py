"""The day pack the phone keeps (service.sync.pack): the technician's own orders of today and
tomorrow, with what a visit needs offline, nothing they may not read."""
import json
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .sync_common import MORNING, PHONE_START, SyncCase


@tagged("post_install", "-at_install")
class TestDayPack(SyncCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.phone = "+32 2 555 12 34"
        vals = [
            {"name": "today", "hours": 0},
            {"name": "tomorrow", "hours": 24},
            {"name": "in three days", "hours": 72},
        ]
        cls.orders = {v["name"]: cls._day_order(hours=v["hours"]) for v in vals}
        cls.orders["other technician"] = cls._day_order(workers=cls.technician_2)
        # under way since yesterday: still on the phone
        cls.orders["yesterday under way"] = cls._day_order(hours=-24)
        with freeze_time(MORNING):
            cls.orders["yesterday under way"].with_user(cls.technician).action_depart()
            cls.orders["done today"] = cls._day_order(hours=1)
            cls.orders["done today"].with_user(cls.dispatcher)._do_close("not_done", reason="No access")
            cls.orders["to approve"] = cls._submit(cls._create_order(
                field_worker_ids=[Command.set(cls.technician.ids)], lead_technician_id=cls.technician.id,
                scheduled_start=PHONE_START, scheduled_end=PHONE_START + timedelta(hours=1)))
            cls.site_order = cls._site_order()
            cls.item = cls._create_item(cls.site_order)
        cls._run_jobs()

    def _pack(self, user=None):
        self.env.invalidate_all()
        return self.env["service.sync.pack"].with_user(user or self.technician)._build()

    def test_the_technicians_own_orders_of_today_and_tomorrow(self):
        pack = self._pack()
        days = {card["name"]: card["day"] for card in pack["orders"]}
        names = {order.name: key for key, order in self.orders.items()}
        self.assertEqual({names.get(name, name): day for name, day in days.items()}, {
            "today": "today", "tomorrow": "tomorrow", "yesterday under way": "today",
            self.site_order.name: "today"})
        self.assertEqual(pack["user"], {"id": self.technician.id, "name": self.technician.name})
        # another technician's day is theirs
        other = {card["name"] for card in self._pack(self.technician_2)["orders"]}
        self.assertEqual(other, {self.orders["other technician"].name})
        with self.assertRaises(AccessError):
            self.env["service.sync.pack"].with_user(self.employee)._build()

    def test_what_a_visit_needs_offline(self):
        pack = self._pack()
        card = next(c for c in pack["orders"] if c["name"] == self.orders["today"].name)
        order = self.orders["today"]
        self.assertEqual(card["address"], order.location_address)
        self.assertEqual(card["phone_url"], "tel:+3225551234")
        self.assertTrue(card["navigation_url"].startswith("geo:"))
        # today's job: going is accepting, the big step is On my way; another day's asks for an answer
        self.assertEqual(card["next_action"], "depart")
        tomorrow = next(c for c in pack["orders"] if c["name"] == self.orders["tomorrow"].name)
        self.assertEqual(tomorrow["next_action"], "accept")
        self.assertEqual(card["version"], 1)
        self.assertEqual(card["document"], {
            "id": order.current_document_id.id, "version": 1, "name": order.current_document_id.name,
            "url": f"/service_order/day/document/{order.current_document_id.id}.pdf"})
        self.assertEqual(card["description"], "Cold room at 9 °C instead of 3 °C.")
        steps = pack["questions"][str(self.boiler.id)]
        self.assertEqual([q["name"] for q in steps["arrive"]], ["Site accessible", "Boiler photo"])
        self.assertEqual([(q["type"], q["required"]) for q in steps["complete"]],
                         [("yes_no", True), ("signature", True)])
        site = next(c for c in pack["orders"] if c["name"] == self.site_order.name)
        item = site["work_items"][0]
        self.assertEqual((item["complaint"], item["state"], item["estimated_hours"]),
                         ("Cold room does not cool", "draft", 1.5))
        self.assertEqual(sorted(part["product"] for part in item["parts"]),
                         ["Copper pipe (test)", "Expansion vessel (test)"])
        self.assertEqual(site["item_flow"], {"after_submit": "approved", "after_complete": "done", "min_photos": 0})
        self.assertIn({"id": self.part_pipe.id, "name": "Copper pipe (test)", "uom": "Units"}, pack["products"])
        self.assertIn(self.fallout_type.id, [t["id"] for t in pack["fallout_types"]])
        self.assertEqual(pack["flow"]["next_by_status"], {
            "planned": "depart", "en_route": "arrive", "on_site": "start_work", "working": "complete",
            "break": "resume"})
        self.assertEqual(pack["labels"]["next"]["depart"], "On my way")

    def test_no_token_and_prices_only_for_who_may_read_them(self):
        self.set_options(consent=True)
        self.item.with_user(self.technician).action_submit()
        mails = self.env["mail.mail"].sudo().search([]).mapped("body_html")
        consent_tokens = [token for body in mails for token in re.findall(r"/service_order/consent/([\w-]+)", body or "")]
        self.assertTrue(consent_tokens, "the customer was sent a consent link")
        text = json.dumps(self._pack())
        for token in (self.site_order.sudo()._portal_ensure_token(), *consent_tokens):
            self.assertNotIn(token, text)
        self.assertNotIn("access_token", text)
        self.assertNotIn('"estimate":', text)
        self.company.service_technician_prices = True
        pack = self._pack()
        self.assertTrue(pack["prices"])
        item = next(c for c in pack["orders"] if c["name"] == self.site_order.name)["work_items"][0]
        self.assertIn("estimate", item)

    def test_a_ten_stop_day_is_small_and_read_in_few_queries(self):
        orders = self.env["service.order"]
        for hour in range(10):
            orders |= self._day_order(hours=hour * 0.5)
        self._pack()  # the questions of the type are kept per process (ormcache)
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=45, default=45):
            pack = self._pack()
        self.assertGreaterEqual(len(pack["orders"]), 12)
        size = len(json.dumps(pack).encode())
        self.assertLess(size, 100 * 1024, "a day of 12 orders is tens of kB (the limit is 2 MB)")
