"""The day page over HTTP (controllers/service_day.py): the technician's landing after login,
the page, its service worker beside Odoo's, its manifest, the uploads and their size limit,
the sync endpoint, the PDFs kept on the phone, and the clearing at logout."""
import json
import uuid

from odoo.tests import HttpCase, tagged

from .sync_common import jpeg
from .work_item_common import WorkItemCase

DAY = "/service_order/day/"


@tagged("post_install", "-at_install")
class TestDayHttp(HttpCase, WorkItemCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.technician, cls.technician_2, cls.dispatcher, cls.employee):
            user.password = cls._password(user)
        cls.order = cls._on_site_order()
        cls.other = cls._planned_order(workers=cls.technician_2)
        cls._run_jobs()

    @staticmethod
    def _password(user):
        return f"{user.login}-Day-2026"

    def _login(self, user, redirect=None):
        """Sign in through the login form, as a phone does; returns the redirection."""
        self.authenticate(None, None)
        page = self.url_open("/web/login")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"login": user.login, "password": self._password(user), "csrf_token": csrf}
        if redirect:
            data["redirect"] = redirect
        response = self.url_open("/web/login", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 303, response.text[:300])
        return response.headers["Location"]

    def _upload(self, raw, upload_id=None, csrf=True, content_type="image/jpeg"):
        upload_id = upload_id or str(uuid.uuid4())
        token = self.make_jsonrpc_request(f"{DAY}session")["csrf_token"] if csrf else ""
        return upload_id, self.url_open(f"{DAY}upload/{upload_id}?csrf_token={token}&name=p.jpg", data=raw,
                                        headers={"Content-Type": content_type})

    def test_a_technician_lands_on_the_day_the_office_on_odoo(self):
        self.assertTrue(self._login(self.technician).endswith(DAY))
        self.assertTrue(self._login(self.technician, redirect="/odoo").endswith(DAY))
        deep = f"/odoo/service.order/{self.order.id}"
        self.assertTrue(self._login(self.technician, redirect=deep).endswith(deep), "a link asked for is kept")
        self.assertTrue(self._login(self.dispatcher).endswith("/odoo"))
        self.assertTrue(self._login(self.employee).endswith("/odoo"))

    def test_the_page_its_service_worker_and_manifest(self):
        self.authenticate(self.technician.login, self._password(self.technician))
        page = self.url_open(DAY)
        self.assertEqual(page.status_code, 200)
        self.assertIn('<link rel="manifest" href="/service_order/day/manifest.webmanifest"/>', page.text)
        self.assertIn("service_order.assets_day", page.text)
        self.assertIn(f'"uid": {self.technician.id}', page.text)
        self.assertNotIn("/web/webclient/", page.text, "the page has no web client")
        self.assertEqual(page.headers["Cache-Control"], "no-store")
        self.assertIn("so_day=1", page.headers["Set-Cookie"])
        worker = self.url_open(f"{DAY}sw.js")
        self.assertEqual(worker.headers["Service-Worker-Allowed"], DAY)
        self.assertIn("text/javascript", worker.headers["Content-Type"])
        self.assertIn('const SHELL = "so-day-shell"', worker.text)
        # Odoo's own service worker is untouched, scoped to /odoo
        odoo_worker = self.url_open("/web/service-worker.js")
        self.assertEqual(odoo_worker.headers["Service-Worker-Allowed"], "/odoo")
        self.assertNotIn("so-day", odoo_worker.text)
        manifest = self.url_open(f"{DAY}manifest.webmanifest").json()
        self.assertEqual((manifest["scope"], manifest["start_url"], manifest["display"]), (DAY, DAY, "standalone"))
        self.assertEqual([icon["sizes"] for icon in manifest["icons"]], ["192x192", "512x512"])
        for icon in manifest["icons"]:
            self.assertEqual(self.url_open(icon["src"]).headers["Content-Type"], "image/png")
        # not for a user who is no technician
        self.authenticate(self.employee.login, self._password(self.employee))
        self.assertTrue(self.url_open(DAY, allow_redirects=False).headers["Location"].endswith("/odoo"))

    def test_uploads_once_and_within_the_size_limit(self):
        self.authenticate(self.technician.login, self._password(self.technician))
        raw = jpeg(1600, 1200)
        upload_id, response = self._upload(raw)
        self.assertEqual((response.status_code, response.json()["status"]), (200, "stored"))
        _same, again = self._upload(raw, upload_id)
        self.assertEqual(again.json()["status"], "stored")
        uploads = self.env["service.sync.upload"].sudo().search([("uuid", "=", upload_id)])
        self.assertEqual(len(uploads), 1)
        self.assertEqual(uploads.attachment_id.raw, raw)
        self.assertEqual(uploads.attachment_id.create_uid, self.technician)
        # a photo of 20 MB: refused before it is read, and kept so
        before = self.env["ir.attachment"].sudo().search_count([])
        huge_id, huge = self._upload(b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024))
        self.assertEqual(huge.status_code, 413)
        self.assertIn("20.0 MB", huge.json()["message"])
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), before)
        self.assertEqual(self.env["service.sync.upload"].sudo().search([("uuid", "=", huge_id)]).state, "refused")
        _id, not_picture = self._upload(b"<html>hello</html>", content_type="image/jpeg")
        self.assertEqual(not_picture.status_code, 415)
        _id, forged = self._upload(raw, csrf=False)
        self.assertNotEqual(forged.status_code, 200, "an upload needs the session's token")

    def test_sync_endpoint_and_expired_session(self):
        self.authenticate(self.technician.login, self._password(self.technician))
        device = f"http-{uuid.uuid4().hex[:10]}-u{self.technician.id}"
        op = {"uuid": str(uuid.uuid4()), "sequence": 1, "kind": "start_work", "order_id": self.order.id,
              "base": {"version": self.order.current_version}, "device_date": None, "payload": {}}
        answer = self.make_jsonrpc_request(f"{DAY}sync", {"device": device, "operations": [op, op]})
        self.assertEqual([r["status"] for r in answer["results"]], ["applied", "applied"])
        self.env.invalidate_all()
        self.assertEqual(self.order.technician_status, "working")
        pack = self.make_jsonrpc_request(f"{DAY}pack")
        self.assertEqual([card["technician_status"] for card in pack["orders"] if card["id"] == self.order.id],
                         ["working"])
        # the session expired: the phone is told so and keeps its operations
        self.authenticate(None, None)
        response = self.url_open(f"{DAY}sync", data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
            "device": device, "operations": [op]}}), headers={"Content-Type": "application/json"})
        self.assertEqual(response.json()["error"]["data"]["name"], "odoo.http.SessionExpiredException")

    def test_the_issued_pdf_for_the_phone(self):
        self.authenticate(self.technician.login, self._password(self.technician))
        document = self.order.current_document_id
        response = self.url_open(f"{DAY}document/{document.id}.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, document.attachment_id.raw)
        self.assertIn("immutable", response.headers["Cache-Control"])
        other = self.other.current_document_id
        self.assertEqual(self.url_open(f"{DAY}document/{other.id}.pdf").status_code, 404)

    def test_logout_clears_the_day_on_the_phone(self):
        self.authenticate(self.technician.login, self._password(self.technician))
        self.url_open(DAY)  # the browser keeps the day: its cookie says so
        response = self.url_open(f"/web/session/logout?redirect={DAY}", allow_redirects=False)
        self.assertIn(f"{DAY}signed-out?redirect=%2Fservice_order%2Fday%2F", response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertIn('"/service_order/day/"', page.text)
        self.assertIn('indexedDB.open("service_order_day")', page.text)
        self.assertIn('objectStore("pack").clear()', page.text)
        self.assertIn('key.indexOf("so-day") === 0', page.text)
        # no way out to another site
        self.assertIn('"/odoo"', self.url_open(f"{DAY}signed-out?redirect=//evil.example.com").text)
        # a browser that never kept the day logs out as Odoo does
        self.authenticate(self.dispatcher.login, self._password(self.dispatcher))
        self.opener.cookies.pop("so_day", None)
        response = self.url_open("/web/session/logout", allow_redirects=False)
        self.assertTrue(response.headers["Location"].endswith("/odoo"))
