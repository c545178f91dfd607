"""The technician's day without signal, in a browser on a 390x844 phone: the day is loaded
online, the network goes (the browser's own emulation), the page is reloaded and a whole
visit is done offline (a step form with a photo, a work item with a part and a photo, a
note, a pause, the completion form with the customer's signature); nothing reaches the
server meanwhile. When the network comes back, the server holds exactly what the same visit
made online holds, dated with the phone's times."""
import base64
import io
import os
import random
import tempfile
from datetime import timedelta
from unittest.mock import patch

from PIL import Image

import odoo.http
from odoo import Command, fields
from odoo.tests import tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from .offline_browser import PhoneBrowser
from .test_tours import ServiceOrderTourCase

DAY = "/service_order/day/"
NOTE = "Customer asks for a yearly contract."


def card(order, action):
    return f'.o_so_day_card[data-order="{order.name}"] .o_so_day_next[data-action="{action}"]'


@tagged("post_install", "-at_install")
class TestOfflineDay(ServiceOrderTourCase):
    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician.tz = "UTC"
        cls.boiler = cls.env["service.order.type"].create({"name": "Boiler (offline)", "default_duration": 2})
        cls.q_access, cls.q_photo, cls.q_restarted, cls.q_signature = cls.env["service.step.question"].create([
            {"order_type_id": cls.boiler.id, "step": "arrive", "sequence": 1, "name": "Site accessible",
             "answer_type": "yes_no"},
            {"order_type_id": cls.boiler.id, "step": "arrive", "sequence": 2, "name": "Boiler photo",
             "answer_type": "photo", "required": False},
            {"order_type_id": cls.boiler.id, "step": "complete", "sequence": 1, "name": "Boiler restarted",
             "answer_type": "yes_no"},
            {"order_type_id": cls.boiler.id, "step": "complete", "sequence": 2, "name": "Customer signature",
             "answer_type": "signature"},
        ])
        # a photo as a phone takes it: 3000 x 2000 px, a few MB
        cls.photo_dir = tempfile.mkdtemp(suffix="_so_offline")
        cls.photo = os.path.join(cls.photo_dir, "boiler.jpg")
        noise = random.Random(4).randbytes(3000 * 2000 * 3)
        Image.frombytes("RGB", (3000, 2000), noise).save(cls.photo, "JPEG", quality=92)
        cls.addClassCleanup(lambda: [os.remove(cls.photo), os.rmdir(cls.photo_dir)])

    def _orders(self, count):
        start = fields.Datetime.now().replace(second=0, microsecond=0)
        orders = self.env["service.order"].with_user(self.dispatcher).create([{
            "partner_id": self.brasserie.id, "location_id": self.brasserie.id, "order_type_id": self.boiler.id,
            "description": "<p>Yearly boiler service.</p>", "supervisor_id": self.supervisor.id,
            "field_worker_ids": [Command.set(self.technician.ids)], "lead_technician_id": self.technician.id,
            # the part planned for the job: in the phone's catalogue of parts
            "line_ids": [Command.create({"product_id": self.product.id, "quantity": 1})],
            "scheduled_start": start, "scheduled_end": start + timedelta(hours=2)} for _index in range(count)])
        orders.with_user(self.dispatcher)._do_submit()
        for order in orders:
            order.with_user(self.supervisor)._do_approve()
        return orders

    def _phone(self):
        """Odoo's test browser as the technician's phone, signed in (as browser_js does)."""
        browser = PhoneBrowser(self)
        self.http_request_key = self.canonical_tag + "_browser_js"
        self.authenticate(self.technician.login, self.technician.login, browser=browser)
        self.http_request_strict_check = True
        self.cr.flush()
        self.cr.clear()
        return browser

    def _put_away(self, browser):
        browser.stop()
        self._wait_remaining_requests()
        self.http_request_key = self.canonical_tag
        self.opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.http_request_key

    def test_a_whole_visit_offline(self):
        offline, online = self._orders(2)
        requests = []
        real_call = odoo.http.Application.__call__

        def counting_call(app, environ, start_response):
            requests.append(environ.get("PATH_INFO"))
            return real_call(app, environ, start_response)

        browser = self._phone()
        try:
            with patch.object(odoo.http.Application, "__call__", counting_call):
                self._visit(browser, offline, requests)
        finally:
            self._put_away(browser)
        self.env.invalidate_all()
        self._same_visit_online(online)
        self._check(offline, online)

    def test_refused_expired_session_and_logout(self):
        cancelled, kept = self._orders(2)
        browser = self._phone()
        try:
            browser.navigate_to(browser.base_url() + DAY, wait_stop=True)
            browser.wait_for(f"document.querySelector('{card(kept, 'depart')}') && "
                             "document.body.dataset.soDayShell === '1'", timeout=60)
            browser.set_offline(True)
            # today's jobs: going is accepting
            browser.tap(card(cancelled, "depart"))
            browser.tap(card(kept, "depart"))
            browser.wait_for("document.body.dataset.soDayWaiting === '2'")
            # meanwhile the office cancels one of the orders, and the session expires (the test
            # works in the transaction the server shares: no request of the page runs meanwhile)
            self._wait_remaining_requests()
            cancelled.with_user(self.dispatcher)._do_cancel("The customer replaced the boiler.")
            odoo.http.root.session_store.delete(self.session)
            browser.set_offline(False)
            browser.evaluate("window.dispatchEvent(new Event('online'))")
            browser.wait_for("document.querySelector('.o_so_day_expired .o_so_day_sign_in')",
                             message="the phone asks to sign in again")
            self.assertEqual(browser.evaluate("document.body.dataset.soDayWaiting"), "2", "nothing is lost")
            # signing out clears the day on the phone, not what waits to be sent
            browser.tap(".o_so_day_sign_out")
            browser.wait_for("location.pathname === '/web/login'", message="signed out")
            kept_data = browser.evaluate("""new Promise((resolve) => {
                const request = indexedDB.open("service_order_day");
                request.onsuccess = () => {
                    const transaction = request.result.transaction(["pack", "ops"]);
                    const pack = transaction.objectStore("pack").count();
                    const ops = transaction.objectStore("ops").count();
                    transaction.oncomplete = () => resolve([pack.result, ops.result]);
                };
            })""")
            self.assertEqual(kept_data, [0, 2], "the pack is gone, the 2 operations wait")
            self.assertEqual(browser.evaluate(
                "caches.keys().then((keys) => keys.filter((key) => key.startsWith('so-day')).length)"), 0)
            # signed in again, the phone sends what waited: one applied, one refused with why
            browser.navigate_to("about:blank", wait_stop=True)
            self._wait_remaining_requests()
            self.authenticate(self.technician.login, self.technician.login, browser=browser)
            browser.navigate_to(browser.base_url() + DAY, wait_stop=True)
            browser.wait_for(f"document.querySelector('.o_so_day_refusal[data-order=\"{cancelled.name}\"]')",
                             message="the refused operation is shown")
            reason = browser.evaluate("document.querySelector('.o_so_day_refusal_why').textContent")
            self.assertEqual(reason, f"Order {cancelled.name} was cancelled while you were offline: "
                                     "The customer replaced the boiler.")
            self.assertEqual(browser.evaluate("document.body.dataset.soDayWaiting"), "0")
            browser.tap(".o_so_day_refusal .o_so_day_dismiss")
            browser.wait_for("!document.querySelector('.o_so_day_refused')")
        finally:
            self._put_away(browser)
        self.env.invalidate_all()
        self.assertEqual(kept.acceptance, "accepted")
        self.assertEqual(cancelled.acceptance, "pending")
        refused = self.env["service.sync.operation"].sudo().search([("order_id", "=", cancelled.id)])
        self.assertEqual((refused.state, refused.conflict), ("refused", "cancelled"))
        self.assertEqual(cancelled.activity_ids.activity_type_id, self.env.ref("service_order.mail_act_sync_refused"))

    # ------------------------------------------------------------------ in the browser
    def _visit(self, browser, order, requests):
        browser.navigate_to(browser.base_url() + DAY, wait_stop=True)
        # online: the day is loaded and kept (the pack, the page, its assets, the PDFs)
        browser.wait_for(f"document.querySelector('{card(order, 'depart')}') && "
                         "document.body.dataset.soDayShell === '1'", timeout=60)
        browser.wait_for("navigator.serviceWorker.controller")
        browser.set_offline(True)
        requests.clear()
        browser.reload()
        browser.wait_for("document.body.dataset.soDayBooted === '1' && "
                         "document.querySelector('.o_so_day_offline')", message="the day opens offline")
        self.assertTrue(browser.evaluate("!navigator.onLine"))
        self.assertEqual(browser.evaluate("location.pathname"), DAY)
        # the whole visit, one tap per step; each tap waits on the phone
        # today's job: going is accepting (no Accept first)
        browser.tap(card(order, "depart"))
        browser.tap(card(order, "arrive"))  # the type asks: the step's form
        browser.tap('.o_so_day_question[data-question="Site accessible"] button[data-value="yes"]')
        browser.give_file('.o_so_day_question[data-question="Boiler photo"] input[type="file"]', self.photo)
        browser.wait_for("document.querySelector('.o_so_day_answer_photo img')", message="the photo is shown")
        browser.tap(".o_so_day_form_confirm")
        browser.tap(card(order, "start_work"))
        browser.tap(f'.o_so_day_card[data-order="{order.name}"] .o_so_day_card_body')
        browser.wait_for("document.querySelector('.o_so_day_clock_note')",
                         message="starting the work clocked the technician in (time follows the work)")
        browser.tap('.o_so_day_order [data-action="new_item"]')
        browser.type_text('.o_so_day_form input[name="complaint"]', "No hot water")
        browser.type_text('.o_so_day_form textarea[name="diagnosis"]', "Expansion vessel split.")
        browser.type_text('.o_so_day_form input[name="hours"]', "1.5")
        browser.choose('.o_so_day_form select[name="product"]', self.product.id)
        browser.tap(".o_so_day_add_part")
        browser.wait_for("document.querySelector('.o_so_day_form .o_so_day_parts li')")
        browser.tap(".o_so_day_form_confirm")
        item = '.o_so_day_item[data-item="No hot water"]'
        browser.give_file(f'{item} input[type="file"]', self.photo)
        browser.wait_for(f"document.querySelector('{item}').textContent.includes('1 photo')",
                         message="the item's photo is kept")
        for action in ("work_item_submit", "work_item_start_repair", "work_item_submit_repair", "work_item_complete"):
            browser.tap(f'{item} [data-action="{action}"]')
        browser.wait_for(f"document.querySelector('{item}').dataset.state === 'done'")
        browser.tap('.o_so_day_order [data-action="note"]')
        browser.type_text('.o_so_day_form textarea[name="note"]', NOTE)
        browser.tap(".o_so_day_form_confirm")
        browser.tap('.o_so_day_order [data-action="pause"]')
        browser.tap('.o_so_day_order .o_so_day_next[data-action="resume"]')
        browser.tap('.o_so_day_order .o_so_day_next[data-action="complete"]')
        browser.tap('.o_so_day_question[data-question="Boiler restarted"] button[data-value="yes"]')
        browser.draw(".o_so_day_signature canvas")
        browser.type_text(".o_so_day_signed_by", "Marie Client")
        browser.tap(".o_so_day_form_confirm")
        # everything waits on the phone, and the phone shows it
        browser.wait_for("document.body.dataset.soDayWaiting === '14'",
                         message="14 operations wait (the closing clocked out first)")
        self.assertIn("14 waiting to send", browser.evaluate("document.querySelector('.o_so_day_waiting').textContent"))
        self.assertTrue(browser.evaluate("!!document.querySelector('.o_so_day_offline')"))
        self.assertEqual(browser.evaluate(f"document.querySelector('[data-order=\"{order.name}\"] .o_so_day_status')"
                                          ".textContent"), "Done")
        # nothing reached the server meanwhile (but the browser's own update check of the
        # service worker's script, which its network emulation does not cover)
        self._wait_remaining_requests()
        self.assertEqual([path for path in requests if path != f"{DAY}sw.js"], [])
        self.env.invalidate_all()
        self.assertEqual(order.state, "planned", "nothing was applied while offline")
        # back online: everything is sent, in order, and the day comes back from the server
        browser.set_offline(False)
        browser.evaluate("window.dispatchEvent(new Event('online'))")
        browser.wait_for("document.body.dataset.soDayWaiting === '0' && "
                         "document.querySelector('.o_so_day_waiting').textContent.includes('Everything is sent')",
                         timeout=60, message="everything is sent")
        self.assertFalse(browser.evaluate("document.querySelector('.o_so_day_refused')"))

    # ------------------------------------------------------------------ the same, online
    def _same_visit_online(self, order):
        """The same visit with the online buttons (a request each, as the web client makes them)."""
        tech = order.with_user(self.technician)
        raw = open(self.photo, "rb").read()
        photo = base64.b64encode(raw).decode()
        signature = base64.b64encode(self._signature_png()).decode()
        steps = [
            lambda: tech.action_depart(),  # today's job: going is accepting
            lambda: tech._do_technician_status("on_site", answers={
                self.q_access.id: {"value": "yes"}, self.q_photo.id: {"value": photo}}),
            lambda: tech.action_start_work(),  # clocks in: time follows the work
        ]
        for step in steps:
            step()
            self._commit_like_a_request()
        item = self.env["service.work.item"].with_user(self.technician).create({
            "order_id": order.id, "complaint": "No hot water", "diagnosis": "Expansion vessel split.",
            "estimated_hours": 1.5, "part_ids": [Command.create({"product_id": self.product.id, "quantity": 1})]})
        self._commit_like_a_request()
        attachment = self.env["ir.attachment"].with_user(self.technician).create({
            "name": "boiler.jpg", "raw": raw, "res_model": "service.work.item", "res_id": 0})
        item.write({"photo_ids": [Command.link(attachment.id)]})
        self._commit_like_a_request()
        for button in ("action_submit", "action_start_repair", "action_submit_repair", "action_complete_repair"):
            getattr(item, button)()
            self._commit_like_a_request()
        tech.message_post(body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note")
        self._commit_like_a_request()
        for step in (tech.action_pause, tech.action_resume, tech.action_clock_out):
            step()
            self._commit_like_a_request()
        tech._do_close("completed", answers={
            self.q_restarted.id: {"value": "yes"},
            self.q_signature.id: {"value": signature, "signed_by": "Marie Client"}})
        self._commit_like_a_request()

    def _commit_like_a_request(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    @staticmethod
    def _signature_png():
        buffer = io.BytesIO()
        Image.new("RGB", (300, 120), "white").save(buffer, "PNG")
        return buffer.getvalue()

    # ------------------------------------------------------------------ the outcome
    def _footprint(self, order):
        """What a visit leaves on its order, without its ids and times."""
        order = order.sudo()
        items = order.work_item_ids
        return {
            "state": (order.state, order.technician_status, order.acceptance),
            "statuses": [(log.status, log.user_id.login) for log in order.status_log_ids.sorted(
                lambda log: (log.date, log.id))],
            "answers": [(a.step, a.name, a.answer_type, a.value_yes_no, bool(a.value_binary), a.signed_by or False)
                        for a in order.step_answer_ids.sorted(lambda a: (a.date, a.sequence))],
            "signature": (bool(order.customer_signature), order.customer_signed_by),
            "time_logs": [(bool(log.date_stop), log.user_id.login) for log in order.time_log_ids],
            "items": [(i.complaint, i.diagnosis, i.estimated_hours, i.state, i.user_id.login,
                       [(p.product_id.name, p.quantity) for p in i.part_ids],
                       [a.mimetype for a in i.photo_ids]) for i in items],
            "fallouts": len(order.fallout_ids),
            "documents": [d.reason for d in order.document_ids.sorted("version")],
            "notes": len(order.message_ids.filtered(lambda m: NOTE in (m.body or ""))),
            "messages": sorted((m.message_type, m.subtype_id.name or "") for m in order.message_ids),
            "activities": sorted(order.activity_ids.activity_type_id.mapped("name")),
        }

    def _check(self, offline, online):
        self.maxDiff = None
        self.assertEqual(self._footprint(offline), self._footprint(online))
        self.assertEqual(offline.state, "completed")
        operations = self.env["service.sync.operation"].sudo().search([("order_id", "=", offline.id)])
        self.assertEqual(len(operations), 14)
        self.assertEqual(set(operations.mapped("state")), {"applied"})
        self.assertTrue(all(operations.mapped("device_date_used")), "the phone's times were plausible")
        by_kind = {op.kind: op for op in operations}
        logs = {log.status: log for log in offline.status_log_ids}
        # each step dated when the technician tapped it on the phone; received later
        for kind, status in (("depart", "en_route"), ("arrive", "on_site"), ("start_work", "working"),
                             ("pause", "break"), ("complete", "done")):
            self.assertEqual(logs[status].date, by_kind[kind].device_date)
            self.assertGreater(logs[status].received_date, logs[status].date)
        self.assertEqual(offline.sla_responded_date, by_kind["arrive"].device_date)
        self.assertEqual(offline.closed_date, by_kind["complete"].device_date)
        # time follows the work, at the phone's times: start to pause, resume to the clock-out
        self.assertEqual([(log.date_start, log.date_stop) for log in offline.time_log_ids.sorted("date_start")],
                         [(by_kind["start_work"].device_date, by_kind["pause"].device_date),
                          (by_kind["resume"].device_date, by_kind["clock_out"].device_date)])
        # the photos were downscaled on the phone: 1600 px on the long side, JPEG
        photo = offline.work_item_ids.photo_ids
        self.assertEqual(Image.open(io.BytesIO(photo.raw)).size, (1600, 1067))
        self.assertEqual(photo.mimetype, "image/jpeg")
        answer = offline.step_answer_ids.filtered(lambda a: a.name == "Boiler photo")
        self.assertEqual(Image.open(io.BytesIO(base64.b64decode(answer.value_binary))).size, (1600, 1067))
        signature = Image.open(io.BytesIO(base64.b64decode(offline.customer_signature)))
        self.assertEqual(signature.format, "PNG")
        self.assertGreater(len(set(signature.convert("L").getdata())), 1, "the signature was drawn")
