import base64
import io
import re
import warnings
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .equipment_common import LABOUR_PRICE, PIPE_PRICE, VESSEL_PRICE, EquipmentCase

LABEL_REPORT = "service_order.action_report_service_equipment_label"


@tagged("post_install", "-at_install")
class TestEquipment(EquipmentCase):
    """The installed base: each piece's whole history, read by the roles that may; the label's
    token; the equipment printed on the order; warranty priced at zero; the order's progress."""

    multi_company = True  # a second company and its dispatcher (dispatcher_b)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # the boiler's order: approved (version 1), worked on site, a work item with parts, a fallout
        # (booked this morning: the visit under way is not the equipment's next visit)
        now = fields.Datetime.now()
        cls.order = cls._on_site_order(equipment_id=cls.boiler.id, scheduled_start=now - timedelta(hours=1),
                                       scheduled_end=now + timedelta(hours=1))
        cls.item = cls._create_item(cls.order)
        cls.fallout = env["service.fallout"].with_user(cls.technician).create({
            "order_id": cls.order.id, "work_item_id": cls.item.id, "type_id": cls.fallout_type.id,
            "description": "No vessel left in the van"})
        # another technician's order on the heat pump of the same customer
        cls.pump_order = cls._planned_order(workers=cls.technician_2, equipment_id=cls.heat_pump.id)
        cls.tech_3 = new_test_user(env, login="so_eq_tech3", name="Third Tech",
                                   groups="base.group_user,service_order.group_service_order_technician")
        cls._flush_tracking()

    def test_history_holds_orders_items_parts_fallouts_documents(self):
        history = self.boiler.with_user(self.dispatcher).history_ids
        by_kind = {kind: history.filtered(lambda r, k=kind: r.kind == k) for kind in
                   ("order", "work_item", "part", "fallout", "document")}
        self.assertEqual(by_kind["order"].order_id, self.order)
        self.assertEqual(by_kind["order"].order_name, self.order.name)
        self.assertEqual(by_kind["work_item"].mapped("name"), ["Cold room does not cool"])
        self.assertEqual(sorted(by_kind["part"].mapped("product_id.name")),
                         ["Copper pipe (test)", "Expansion vessel (test)"])
        self.assertEqual(by_kind["fallout"].name, self.fallout.name)
        self.assertEqual(by_kind["fallout"].state_label, "Open")
        self.assertEqual(by_kind["document"].document_id, self.order.current_document_id)
        self.assertEqual(self.heat_pump.with_user(self.dispatcher).history_ids.order_id, self.pump_order,
                         "each piece its own history")
        self.assertEqual(self.boiler.order_count, 1)

    def test_next_visit_is_the_next_booking_or_plan_due_date(self):
        self.assertFalse(self.boiler.next_visit_date)
        plan = self._plan(start_date=self._days(20))
        self.env.invalidate_all()
        self.assertEqual(self.boiler.with_user(self.technician).next_visit_date.date(), self._days(20))
        self.assertIn(plan.name, self.boiler.next_visit_origin)
        booked = self._create_order(equipment_id=self.boiler.id,
                                    scheduled_start=f"{self._days(6)} 08:00:00", scheduled_end=f"{self._days(6)} 10:00:00")
        self.env.invalidate_all()
        self.assertEqual(self.boiler.with_user(self.technician).next_visit_date.date(), self._days(6),
                         "the technician sees when, not the order itself")
        with self.assertRaises(AccessError):
            booked.with_user(self.technician).read(["name"])

    def test_technicians_read_the_equipment_of_their_orders_customers(self):
        for tech in (self.technician, self.technician_2):
            visible = self.env["service.equipment"].with_user(tech).search([])
            self.assertEqual(visible, self.boiler | self.heat_pump, f"{tech.name}: their customers' equipment only")
        self.assertFalse(self.env["service.equipment"].with_user(self.tech_3).search([]),
                         "a technician with no order of the customer reads none")
        with self.assertRaises(AccessError):
            self.other_boiler.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.boiler.with_user(self.technician).write({"notes": "<p>Changed</p>"})
        with self.assertRaises(AccessError):
            self.env["service.equipment"].with_user(self.technician).create(
                {"name": "Forged", "partner_id": self.customer.id})

        # the history of another technician's order: its rows, never the order
        rows = self.heat_pump.with_user(self.technician).history_ids
        self.assertEqual(rows.filtered(lambda r: r.kind == "order").order_name, self.pump_order.name)
        with self.assertRaises(AccessError):
            rows.read(["order_id"])
        with self.assertRaises(AccessError):
            self.pump_order.with_user(self.technician).read(["description"])
        with self.assertRaises(AccessError):
            rows[:1].with_user(self.tech_3).read(["name"])
        self.assertFalse(self.env["service.equipment.history"].with_user(self.tech_3).search([]))

    def test_label_token_is_for_dispatchers(self):
        for name in ("access_token", "label_url"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.boiler.with_user(self.technician).read([name])
        url = self.boiler.with_user(self.dispatcher).label_url
        token = self.boiler.sudo().access_token
        self.assertTrue(url.endswith(f"/my/equipment/{self.boiler.id}?access_token={token}"))
        with self.assertRaises(AccessError):
            self.boiler.with_user(self.dispatcher).write({"access_token": "forged"})
        with self.assertRaises(AccessError):
            self.env["service.equipment"].with_user(self.dispatcher).create(
                {"name": "X", "partner_id": self.customer.id, "access_token": "forged"})
        with self.assertRaises(AccessError):
            self.boiler.with_user(self.technician)._label_qr_png()
        with self.assertRaises(AccessError):
            self.boiler.with_user(self.technician).action_renew_label()
        self.boiler.with_user(self.dispatcher).action_renew_label()
        self.assertNotEqual(self.boiler.sudo().access_token, token)
        self.assertIn("Label renewed by So Dispatcher", self._chatter(self.boiler))

    def test_label_pdf_one_page_per_equipment_with_its_qr_code(self):
        pieces = (self.boiler | self.heat_pump).with_user(self.dispatcher)
        action = pieces.action_print_label()
        self.assertEqual(action["report_name"], "service_order.report_service_equipment_label")
        Report = self.env["ir.actions.report"].with_user(self.dispatcher)
        # Odoo's own QR generator makes the image (its PNG bytes differ from one call to the
        # next): which address it encodes is what it is called with
        encode = type(Report).barcode
        with patch.object(type(Report), "barcode", autospec=True, side_effect=encode) as barcode:
            html, _kind = Report._render_qweb_html(LABEL_REPORT, pieces.ids)
        self.assertEqual([call.args[1:3] for call in barcode.call_args_list],
                         [("QR", piece.label_url) for piece in pieces], "each label, its own page's address")
        images = re.findall(r'src="data:image/png;base64,([^"]+)"', html.decode())
        self.assertEqual(len(images), 2, "the QR codes are embedded: the PDF engine fetches nothing")
        self.assertTrue(all(base64.b64decode(image).startswith(b"\x89PNG") for image in images))
        pdf, _kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(LABEL_REPORT, pieces.ids)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            pages = [" ".join(reader.getPage(i).extractText().split()) for i in range(reader.getNumPages())]
        self.assertEqual(len(pages), 2, "one label per piece of equipment")
        self.assertIn("Boiler cellar", pages[0])
        self.assertIn("BX24-0001", pages[0])
        self.assertIn("Heat pump roof", pages[1])
        with self.assertRaises(AccessError):
            Report.with_user(self.technician)._render_qweb_html(LABEL_REPORT, self.boiler.ids)

    def test_order_equipment_is_the_customers_and_printed(self):
        with self.assertRaisesRegex(ValidationError, "belongs to Other Customer SA"):
            self._create_order(equipment_id=self.other_boiler.id)
        self.assertIn("BX24-0001", self._pdf_text(self.order.current_document_id),
                      "version 1 prints the equipment and its serial number")
        with self.assertRaisesRegex(UserError, "Create a Confirmation"):
            self.order.with_user(self.dispatcher).write({"equipment_id": self.heat_pump.id})
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.boiler.with_user(self.dispatcher).unlink()
        self.other_boiler.with_user(self.dispatcher).write({"active": False})
        self.assertFalse(self.other_boiler.active)

    def test_warranty_zeroes_the_price_with_its_reason(self):
        order = self._on_site_order(equipment_id=self.heat_pump.id)
        under = self._create_item(order, complaint="Compressor noise")
        out = self._create_item(order, complaint="Boiler leak", equipment_id=self.boiler.id)
        self.assertTrue(under.under_warranty)
        self.assertFalse(out.under_warranty)
        self.assertIn("Under warranty until", under.warranty_reason)
        self.assertIn("serial HP-0042", under.warranty_reason)
        items = (under | out).with_user(self.dispatcher)
        full = 1.5 * LABOUR_PRICE + VESSEL_PRICE + 2.5 * PIPE_PRICE
        self.assertEqual(items.mapped("estimate_amount_total"), [0.0, full])
        estimate = items.sudo()._get_estimate()
        for line in estimate["by_item"][under.id]["lines"]:
            self.assertEqual((line["discount"], line["subtotal"]), (100.0, 0.0))
            self.assertIn("Under warranty until", line["name"])

        # accepted (workflow A): on the sale order at zero, the reason printed, its hours apart
        items.with_user(self.technician).action_submit()
        sale_order = order.sudo().sale_order_id
        warranty_lines = sale_order.order_line.filtered(lambda line: line.service_work_item_id == under)
        section = warranty_lines.filtered(lambda line: line.display_type == "line_section")
        self.assertIn("Under warranty until", section.name)
        priced = warranty_lines - section
        self.assertEqual(sorted(priced.mapped("product_id.name")),
                         ["Copper pipe (test)", "Expansion vessel (test)", "Labour (test)"])
        self.assertEqual(set(priced.mapped("discount")), {100.0})
        self.assertEqual(sum(priced.mapped("price_subtotal")), 0.0)
        labour = sale_order.order_line.filtered("service_labour_order_id")
        self.assertEqual(labour.product_uom_qty, 1.5, "the labour line bills the hours out of warranty only")
        self.assertEqual(sale_order.amount_untaxed, full)

    def test_progress_on_the_list_and_the_tree_on_the_form(self):
        order = self._on_site_order(equipment_id=self.boiler.id)
        first = self._create_item(order, complaint="<b>Valve</b> stuck")
        second = self._create_item(order, complaint="Pump")
        self.assertEqual(order.work_item_progress, 0.0)
        (first | second).action_submit()
        for step in ("action_start_repair", "action_submit_repair", "action_complete_repair"):
            getattr(first, step)()
        self.assertEqual(order.work_item_progress, 50.0)
        fallout = self.env["service.fallout"].with_user(self.technician).create({
            "order_id": order.id, "work_item_id": second.id, "type_id": self.fallout_type.id,
            "description": "Pump on order"})
        self.assertEqual(order.open_fallout_count, 1)
        found = self.env["service.order"].with_user(self.dispatcher).search(
            [("id", "=", order.id), ("work_item_progress", "=", 50.0), ("open_fallout_count", "=", 1)])
        self.assertEqual(found, order, "stored: searchable, as the list and the board read them")
        row = order.with_user(self.dispatcher).search_read([("id", "=", order.id)],
                                                          ["work_item_progress", "open_fallout_count"])
        self.assertEqual((row[0]["work_item_progress"], row[0]["open_fallout_count"]), (50.0, 1))

        tree = str(order.with_user(self.technician).progress_tree)
        self.assertIn("&lt;b&gt;Valve&lt;/b&gt; stuck", tree, "the items' text, escaped")
        self.assertLess(tree.index("Pump"), tree.index(fallout.name), "the fallout under its work item")
        self.assertIn("50% done", tree)

        second.with_user(self.dispatcher).action_cancel()
        self.assertEqual(order.work_item_progress, 100.0, "a cancelled item does not count")
        fallout.with_user(self.dispatcher)._do_resolve("Pump delivered")
        self.assertEqual(order.open_fallout_count, 0)

    def test_equipment_bad_input(self):
        Equipment = self.env["service.equipment"].with_user(self.dispatcher)
        with self.assertRaisesRegex(ValidationError, "cannot be empty"):
            Equipment.create({"name": "  ", "partner_id": self.customer.id})
        with self.assertRaisesRegex(ValidationError, "before the installation"):
            self.boiler.with_user(self.dispatcher).write({"warranty_end_date": "2001-01-01"})
        with self.assertRaisesRegex(ValidationError, "location must be"):
            self.boiler.with_user(self.dispatcher).write({"location_id": self.other_customer.id})
        with self.assertRaises(ValidationError):
            self.boiler.with_user(self.dispatcher).write({"serial_number": "x" * 600})
        self.assertEqual(self.boiler.serial_number, "BX24-0001")
        self.assertEqual(self.boiler.partner_id.with_user(self.dispatcher).service_equipment_count, 2)
        self.assertEqual(self.customer.with_user(self.dispatcher).action_view_service_equipment()["domain"],
                         [("partner_id", "child_of", self.customer.id)])

    def test_another_companys_dispatcher_reads_nothing(self):
        plan = self._plan(start_date=self._days(30))
        for model, record in (("service.equipment", self.boiler), ("service.plan", plan),
                              ("service.plan.task", plan.task_ids[:1]),
                              ("service.equipment.history", self.boiler.history_ids[:1])):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.dispatcher_b).search([("id", "in", record.ids)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.dispatcher_b).read(["display_name"])
        with self.assertRaises(AccessError):
            self.boiler.with_user(self.dispatcher_b).write({"notes": "<p>Changed</p>"})
