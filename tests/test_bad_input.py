"""Odd situations and bad input: each gets a clear message, changes nothing, and leaves
nobody stuck (issue "Odd situations and bad input")."""
import base64
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .work_item_common import PNG, WorkItemCase


@tagged("post_install", "-at_install")
class TestBadInput(WorkItemCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["service.time.log"]
        cls.env.company.email = "service@example.com"
        cls._build_order_pool(planned=1, on_site=2)

    # a technician removed while clocked in -----------------------------------------------
    def test_removing_a_clocked_in_worker_clocks_them_out(self):
        order = self._on_site_order(workers=self.technician | self.technician_2)
        order.with_user(self.technician_2).action_clock_in()
        order.with_user(self.dispatcher)._do_confirm("Technician 2 goes to an emergency",
                                                     remove_workers=self.technician_2)
        log = self.Log.sudo().search([("user_id", "=", self.technician_2.id)])
        self.assertTrue(log.date_stop, "their log was closed when they left the order")
        self.assertIn("So Tech Two clocked out: removed from the order", self._chatter(order))
        # not stuck: they see their own time and clock in elsewhere
        self.assertEqual(self.Log.with_user(self.technician_2).search([]), log)
        other = self._on_site_order(workers=self.technician_2)
        other.with_user(self.technician_2).action_clock_in()
        self.assertTrue(other.with_user(self.technician_2).is_clocked_in)

    def test_technician_clocks_out_of_their_own_log_from_the_log(self):
        order = self._on_site_order()
        order.with_user(self.technician).action_clock_in()
        log = self.Log.with_user(self.technician).search([("date_stop", "=", False)])
        log.action_clock_out()
        self.assertTrue(log.date_stop)
        with self.assertRaisesRegex(UserError, "already closed"):
            log.action_clock_out()

    # a technician without an e-mail address -------------------------------------------------
    def test_technician_without_email_can_work(self):
        self.technician.partner_id.email = False
        self.set_options(consent=False)
        order = self._on_site_order()
        tech = order.with_user(self.technician)
        tech.action_clock_in()
        item = self._create_item(order)
        item.action_submit()
        self.env["service.fallout"].with_user(self.technician).create({
            "order_id": order.id, "type_id": self.fallout_type.id, "description": "Valve seized"})
        tech._do_confirm("Extra vessel", lines=[{"product_id": self.part_vessel.id, "quantity": 1}])
        tech.action_clock_out()
        self.assertEqual(order.current_version, 2)
        messages = order.message_ids.filtered(lambda m: m.author_id == self.technician.partner_id)
        self.assertTrue(messages, "the technician is still the author")
        self.assertIn("service@example.com", messages[0].email_from)
        other = self._on_site_order()
        other.with_user(self.technician)._do_cancel("Customer not there")
        self.assertEqual(other.state, "cancelled")

    # raw errors ---------------------------------------------------------------------------
    def test_infinite_or_not_a_number_is_refused_clearly(self):
        order = self._on_site_order()
        for value in (1e308 * 10, float("nan"), float("-inf"), 1e308, 1e20):
            with self.subTest(value=value):
                with self.assertRaisesRegex(ValidationError, "Estimated hours must be a number from 0 to 1000"):
                    self._create_item(order, estimated_hours=value, part_ids=[])
                with self.assertRaisesRegex(ValidationError, "quantity of part .* must be a number"):
                    self._create_item(order, part_ids=[Command.create({"product_id": self.part_pipe.id,
                                                                       "quantity": value})])
                with self.assertRaisesRegex(ValidationError, "A quantity must be a number"):
                    order.with_user(self.technician)._do_confirm(
                        "x", lines=[{"product_id": self.part_pipe.id, "quantity": value}])
        self.assertFalse(order.work_item_ids)
        self.assertEqual(order.current_version, 1, "no version issued for an absurd quantity")

    def test_concurrent_second_clock_in_gets_the_clear_message(self):
        order = self._on_site_order()
        # the other request committed an open log after this one passed its check
        self.env.cr.execute(SQL(
            "INSERT INTO service_time_log (order_id, company_id, user_id, date_start, is_open) "
            "VALUES (%s, %s, %s, now() at time zone 'utc', true)",
            order.id, order.company_id.id, self.technician.id))
        with patch.object(type(self.Log), "_check_no_open_log", lambda *args, **kwargs: None), \
                mute_logger("odoo.sql_db"), \
                self.assertRaisesRegex(ValidationError, "So Tech is already clocked in on another order: clock out there first"):
            order.with_user(self.technician).action_clock_in()
        self.assertEqual(self.Log.sudo().search_count([("user_id", "=", self.technician.id)]), 1)

    # absurd values ------------------------------------------------------------------------
    def test_texts_that_must_say_something(self):
        order = self._on_site_order()
        for complaint, message in (("", "complaint cannot be empty"), ("   ", "complaint cannot be empty"),
                                   ("x" * 1_000_000, "complaint is too long: 1000000 characters")):
            with self.assertRaisesRegex(ValidationError, message):
                self._create_item(order, complaint=complaint)
        with self.assertRaisesRegex(ValidationError, "description of a fallout cannot be empty"):
            self.env["service.fallout"].with_user(self.technician).create({
                "order_id": order.id, "type_id": self.fallout_type.id, "description": "  "})
        self.assertFalse(order.work_item_ids)
        self.assertFalse(order.sudo().fallout_ids)

    def test_time_logs_stay_plausible(self):
        order = self._on_site_order()
        now = fields.Datetime.now().replace(microsecond=0)

        def log(user, start, stop):
            return self.Log.with_user(self.dispatcher).create(
                {"order_id": order.id, "user_id": user.id, "date_start": start, "date_stop": stop})

        cases = [
            (self.technician, now - timedelta(hours=2), datetime(9999, 12, 31), "in the future"),
            (self.technician, datetime(1900, 1, 1, 8), datetime(1900, 1, 1, 9), "not plausible"),
            (self.technician, now - timedelta(days=3), now - timedelta(hours=1), "lasts more than 24 hours"),
        ]
        for user, start, stop, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(ValidationError, message):
                log(user, start, stop)
        kept = log(self.technician, now - timedelta(hours=5), now - timedelta(hours=3))
        with self.assertRaisesRegex(ValidationError, "cannot overlap"):
            log(self.technician, now - timedelta(hours=4), now - timedelta(hours=2))
        portal = new_test_user(self.env, login="so_bad_portal", groups="base.group_portal")
        with self.assertRaisesRegex(ValidationError, "kept for technicians"):
            log(portal, now - timedelta(hours=2), now - timedelta(hours=1))
        self.assertEqual(self.Log.sudo().search([("order_id", "=", order.id)]), kept)
        self.assertAlmostEqual(order.time_spent, 2.0, places=2)

    # silent success that did nothing -------------------------------------------------------
    def test_wizards_that_would_do_nothing_say_so(self):
        self.set_options(consent=False)
        order = self._on_site_order()
        item = self._create_item(order)
        item.action_submit()
        self.assertEqual(item.state, "approved")
        Skip = self.env["service.work.item.skip"].with_user(self.dispatcher)
        with self.assertRaisesRegex(UserError, "possible only for work items that are Waiting for Customer"):
            Skip.create({"work_item_ids": [Command.set(item.ids)], "reason": "by phone"}).action_confirm()
        with self.assertRaisesRegex(UserError, "choose at least one work item"):
            Skip.create({"work_item_ids": [], "reason": "by phone"}).action_confirm()
        self.assertFalse(item.customer_decision)
        with self.assertRaisesRegex(UserError, "Choose the fallouts to assign"):
            self.env["service.fallout.assign"].with_user(self.dispatcher).create(
                {"fallout_ids": [], "user_id": self.technician.id}).action_confirm()

    # the minimum-photo rule ------------------------------------------------------------------
    def test_only_pictures_of_the_item_count_as_photos(self):
        self.set_options(photos=1)
        order = self._on_site_order()
        item = self._create_item(order)
        pdf = order.current_document_id.sudo().attachment_id
        with self.assertRaisesRegex(ValidationError, f"{pdf.name} is not a photo of this work item"):
            item.write({"photo_ids": [Command.link(pdf.id)]})
        fake = self.env["ir.attachment"].with_user(self.technician).create({
            "name": "photo.png", "raw": b"%PDF-1.4 not a picture", "mimetype": "image/png",
            "res_model": "service.work.item", "res_id": 0})
        with self.assertRaisesRegex(ValidationError, "photo.png is not a photo"):
            item.write({"photo_ids": [Command.link(fake.id)]})
        self.assertFalse(item.photo_ids)
        self._add_photos(item)
        self.assertEqual(item.photo_count, 1)

    # storage migration ------------------------------------------------------------------------
    def test_versions_move_between_storages_unchanged(self):
        order = self._planned_order()
        attachment = order.current_document_id.sudo().attachment_id
        before = attachment.checksum
        location = self.env["ir.attachment"]._storage()
        other = "db" if location == "file" else "file"
        self.env["ir.config_parameter"].sudo().set_param("ir_attachment.location", other)
        attachment._migrate()
        attachment.invalidate_recordset()
        self.assertEqual(attachment.checksum, before)
        self.assertEqual(bool(attachment.store_fname), other == "file")
        self.assertTrue(order.current_document_id._verify_checksum())
        with self.assertRaisesRegex(UserError, "kept as issued"):
            attachment.write({"raw": b"%PDF-1.4 forged"})
        with self.assertRaisesRegex(UserError, "kept as issued"):
            attachment.write({"datas": base64.b64encode(PNG), "mimetype": "image/png"})
        self.assertEqual(attachment.checksum, before)

    def test_closing_with_absurd_values_changes_nothing(self):
        order = self._on_site_order()
        with self.assertRaisesRegex(ValidationError, "A quantity must be a number"):
            order.with_user(self.dispatcher)._do_confirm(
                "x", lines=[{"product_id": self.part_pipe.id, "quantity": 1e15}])
        order.with_user(self.technician)._do_close("completed")
        self.assertEqual(order.state, "completed")
        self.assertFalse(order.line_ids)
