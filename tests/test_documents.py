import base64
import http.server
import threading
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.service_order.models.ir_actions_report import strip_remote_resources

from .common import ServiceOrderCase
from .work_item_common import PNG


@tagged("post_install", "-at_install")
class TestDocuments(ServiceOrderCase):
    real_pdf = True  # about the report itself: wkhtmltopdf renders

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._planned_order()  # one real rendering for the class
        cls.document = cls.order.current_document_id

    def test_version_one_on_approval(self):
        doc = self.document
        self.assertEqual(doc.version, 1)
        self.assertEqual(doc.reason, "approval")
        self.assertEqual(self.order.current_version, 1)
        self.assertEqual(self.order.document_count, 1)
        self.assertEqual(doc.sudo().attachment_id.mimetype, "application/pdf")
        self.assertTrue(doc.sudo().attachment_id.raw.startswith(b"%PDF"))
        self.assertTrue(doc._verify_checksum())
        text = self._pdf_text(doc)
        for expected in (self.order.name, "Version 1", "Brasserie Test", "Cold room at 9 °C", "Page 1 / 1"):
            self.assertIn(expected, text)
        self.assertIn(doc.sudo().attachment_id.name, self._chatter(self.order))

    def test_every_role_can_read_but_never_edit_or_delete(self):
        # (AccessError is a UserError: either refusal counts)
        admin = self.env.ref("base.user_admin")
        attachment = self.document.sudo().attachment_id
        for user in (self.technician, self.dispatcher, self.supervisor, admin):
            doc = self.document.with_user(user)
            self.assertEqual(doc.version, 1, f"{user.login} reads the version")
            with self.assertRaises(UserError, msg=f"{user.login} writes"):
                doc.write({"version": 7})
            with self.assertRaises(UserError, msg=f"{user.login} unlinks"):
                doc.unlink()
            with self.assertRaises(UserError, msg=f"{user.login} creates"):
                doc.create({"order_id": self.order.id, "version": 9, "reason": "approval",
                            "attachment_id": attachment.id, "checksum": "0" * 64})
            with self.assertRaises(UserError, msg=f"{user.login} edits the file"):
                attachment.with_user(user).write({"raw": b"%PDF forged"})
            with self.assertRaises(UserError, msg=f"{user.login} deletes the file"):
                attachment.with_user(user).unlink()
        # not even the superuser, through the ORM
        with self.assertRaisesRegex(UserError, "kept as issued"):
            self.document.sudo().write({"checksum": "f" * 64})
        with self.assertRaisesRegex(UserError, "kept as issued"):
            self.document.sudo().unlink()
        with self.assertRaisesRegex(UserError, "kept as issued"):
            attachment.sudo().write({"res_id": self.order.id, "res_model": "service.order"})
        with self.assertRaisesRegex(UserError, "kept as issued"):
            attachment.sudo().unlink()
        self.assertEqual(self.document.version, 1)
        self.assertTrue(self.document._verify_checksum())

    def test_technician_of_another_order_cannot_read_documents(self):
        with self.assertRaises(AccessError):
            self.document.with_user(self.technician_2).read(["version"])
        self.assertFalse(self.env["service.order.document"].with_user(self.technician_2).search(
            [("order_id", "=", self.order.id)]))

    def test_geolocate_location_with_mocked_geocoder(self):
        self.site.write({"partner_latitude": 0, "partner_longitude": 0})
        with patch("odoo.addons.base_geolocalize.models.base_geocoder.GeoCoder.geo_find",
                   return_value=(50.8501, 4.3517)) as geo_find:
            self.order.with_user(self.dispatcher).action_geolocate()
        geo_find.assert_called_once()
        self.assertAlmostEqual(self.order.location_latitude, 50.8501)
        self.assertAlmostEqual(self.order.location_longitude, 4.3517)
        self.site.write({"partner_latitude": 0, "partner_longitude": 0})
        with patch("odoo.addons.base_geolocalize.models.base_geocoder.GeoCoder.geo_find", return_value=None):
            with self.assertRaisesRegex(UserError, "No coordinates found for"):
                self.order.with_user(self.dispatcher).action_geolocate()
        with self.assertRaises(AccessError):
            self.order.with_user(self.technician).action_geolocate()

    def test_map_view_reads_its_records_as_a_technician(self):
        # what the leaflet view does: read the fields its arch names, as the user; a field
        # it needs and the model lacks (date_localization) once made it show no marker
        views = self.env["service.order"].with_user(self.technician).get_views([(False, "leaflet_map")])
        arch = etree.fromstring(views["views"]["leaflet_map"]["arch"])
        names = {value for key, value in arch.attrib.items() if key.startswith("field_")}
        names |= {field.get("name") for field in arch.iter("field")}
        names |= {"date_localization"}
        rows = self.env["service.order"].with_user(self.technician).search_read(
            [("id", "=", self.order.id)], sorted(names))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["location_latitude"], 50.8468)
        self.assertEqual(rows[0]["location_longitude"], 4.3630)
        self.assertFalse(self.env["service.order"].with_user(self.technician_2).search_read(
            [("id", "=", self.order.id)], sorted(names)), "no marker of another technician's order")


@tagged("post_install", "-at_install")
class TestReportFetchesNothing(ServiceOrderCase):
    """wkhtmltopdf runs on the server: a description pointing at an internal address must
    not make it request that address, at approval or at a confirmation."""

    real_pdf = True

    def test_report_requests_no_address_given_in_the_description(self):
        requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        # the sanitizer of the description keeps an <img> pointing anywhere
        order = self._create_order(description=f'<p>See photo <img src="{base}/approval.png"> '
                                               f'<a href="{base}/link">here</a></p>')
        self.assertIn(f"{base}/approval.png", order.description)
        order = self._approve(self._submit(order))
        order.with_user(self.dispatcher)._do_confirm(
            "New description", description=f'<p>Now <img src="{base}/confirmation.png"> and '
                                           f'<img src="data:image/png;base64,{base64.b64encode(PNG).decode()}"></p>')
        self.assertEqual(order.current_version, 2)
        self._run_jobs()  # the confirmation's PDF is the job runner's
        self.assertEqual(requests, [], "the PDF engine fetched nothing")
        self.assertIn("Now and", self._pdf_text(order.current_document_id))

    def test_strip_remote_resources(self):
        html = ('<html><head><meta charset="utf-8"><link rel="stylesheet" href="http://10.0.0.1/x.css">'
                '<script src="http://10.0.0.1/x.js"></script></head><body>'
                '<p style="background: url(http://10.0.0.1/bg)">°C</p><img src="http://127.0.0.1:1/a">'
                '<img src="data:image/png;base64,AAAA"><iframe src="http://10.0.0.1/f"></iframe>'
                '<svg><image href="http://10.0.0.1/s"/></svg><a href="http://10.0.0.1/l">link</a>'
                '<object data="http://10.0.0.1/o"></object><video poster="http://10.0.0.1/v"></video>'
                '</body></html>')
        cleaned = strip_remote_resources(html)
        self.assertNotIn("10.0.0.1", cleaned)
        self.assertNotIn("127.0.0.1", cleaned)
        self.assertIn('src="data:image/png;base64,AAAA"', cleaned)
        self.assertIn('<meta charset="utf-8">', cleaned)
        self.assertIn("°C", cleaned)
        self.assertIn(">link</a>", cleaned)


@tagged("post_install", "-at_install")
class TestPrintGivesTheIssuedVersion(ServiceOrderCase):
    """Print > Service Order returns the current version as issued, byte for byte, and the
    report carries the company's letterhead."""

    real_pdf = True

    def test_print_returns_the_current_issued_version(self):
        self.company.write({"primary_color": "#aa3300", "report_footer": "<p>Bank BE00 0000 0000 0000</p>"})
        order = self._planned_order()
        report = self.env.ref("service_order.action_report_service_order")
        self.assertEqual(report.binding_model_id.model, "service.order", "in the Print menu")
        text = self._pdf_text(order.current_document_id)
        self.assertIn(self.company.name, text)
        self.assertIn("Bank BE00 0000 0000 0000", text)
        pdf, _kind = report.with_user(self.technician)._render_qweb_pdf(report.report_name, order.ids)
        self.assertEqual(pdf, order.current_document_id.sudo().attachment_id.raw)
        with self.assertRaises(AccessError):
            report.with_user(self.technician_2)._render_qweb_pdf(report.report_name, order.ids)
