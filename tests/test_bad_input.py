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
        with self.assertRaisesRegex(ValidationError, "photo.png: add a picture"):
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

    # pictures: raster images within the size limit ---------------------------------------------
    def test_pictures_are_raster_images_within_the_size_limit(self):
        """Finding 11: step-form pictures were not checked: an SVG was taken as photo and
        signature, a 12 MB file was stored."""
        form_type = self.env["service.order.type"].create({"name": "Pictures (test)"})
        Question = self.env["service.step.question"]
        photo = Question.create({"order_type_id": form_type.id, "step": "arrive", "name": "Meter",
                                 "answer_type": "photo", "required": False})
        signature = Question.create({"order_type_id": form_type.id, "step": "arrive", "name": "Signature",
                                     "answer_type": "signature", "required": False})
        order = self._planned_order(order_type_id=form_type.id)
        tech = order.with_user(self.technician)
        tech.action_depart()
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
        huge = PNG + b"\0" * (12 * 1024 * 1024)
        for question, value, message in ((photo, svg, "Meter: add a picture"),
                                         (signature, svg, "Signature: add a picture"),
                                         (photo, huge, "Meter: the picture is 12.0 MB, at most 10 MB"),
                                         (photo, b"GIF89a not really", "Meter: add a picture")):
            with self.subTest(message=message), self.assertRaisesRegex(ValidationError, message):
                tech._do_technician_status("on_site", {question.id: {"value": base64.b64encode(value),
                                                                      "signed_by": "Marie"}})
        self.assertEqual((order.technician_status, order.step_answer_ids), ("en_route", order.step_answer_ids.browse()))
        tech._do_technician_status("on_site", {photo.id: {"value": base64.b64encode(PNG)}})
        self.assertEqual(order.step_answer_ids.name, "Meter")
        # a work item's photos: the same rule
        item = self._create_item(self._on_site_order())
        for name, raw, mimetype in (("drawing.svg", svg, "image/svg+xml"), ("huge.png", huge, "image/png")):
            attachment = self.env["ir.attachment"].with_user(self.technician).create({
                "name": name, "raw": raw, "mimetype": mimetype, "res_model": "service.work.item", "res_id": 0})
            with self.subTest(file=name), self.assertRaisesRegex(ValidationError, name):
                item.write({"photo_ids": [Command.link(attachment.id)]})
        self.assertFalse(item.photo_ids)

    # integers and dates the database cannot hold, or no job has --------------------------------
    def test_integers_beyond_the_integer_column_get_a_clear_refusal(self):
        """Finding 13: color = 2**31 on orders, work items and fallouts gave a raw "integer out of
        range" from PostgreSQL (stops: tests/test_routes.py)."""
        order = self._on_site_order()
        item = self._create_item(order)
        fallout = self.env["service.fallout"].with_user(self.technician).create({
            "order_id": order.id, "type_id": self.fallout_type.id, "description": "Valve seized"})
        for record, user, vals in ((order, self.technician, {"color": 2**31}),
                                   (item, self.technician, {"color": 2**31}),
                                   (item, self.technician, {"sequence": -(2**31) - 1}),
                                   (fallout, self.dispatcher, {"color": 2**40})):
            with self.subTest(model=record._name, vals=vals), \
                    self.assertRaisesRegex(ValidationError, "must be a whole number from -2147483648 to 2147483647"):
                record.with_user(user).write(vals)
        with self.assertRaisesRegex(ValidationError, "whole number"):
            self.env["service.order"].with_user(self.dispatcher).create(self._order_vals(color=2**31))
        order.with_user(self.technician).write({"color": 2**31 - 1})
        self.assertEqual(order.color, 2**31 - 1)
        # every model of the addon whose integers a user writes has the same check
        Bounds = self.env.registry["service.integer.bounds.mixin"]
        for name, model in self.env.registry.items():
            writable = [field for field in model._fields.values() if field.type == "integer" and field.store
                        and not field.readonly and not field.compute and not field.related]
            if model._original_module == "service_order" and not model._abstract and not model._transient \
                    and writable and not issubclass(model, self.env.registry["service.trail.mixin"]):
                with self.subTest(model=name):
                    self.assertTrue(issubclass(model, Bounds), f"{name}: {[f.name for f in writable]}")

    def test_schedules_stay_within_a_plausible_window(self):
        """Finding 14: schedules in year 9999 or 0001, or spanning 100 years, were stored."""
        Order = self.env["service.order"].with_user(self.dispatcher)
        for start, end, message in (("9999-12-31 08:00:00", None, "not a plausible date"),
                                    ("0001-01-01 08:00:00", None, "not a plausible date"),
                                    ("2026-06-01 08:00:00", "2126-06-01 08:00:00", "not a plausible date"),
                                    ("2026-06-01 08:00:00", "2028-06-01 08:00:00", "longer than 366 days")):
            with self.subTest(start=start, end=end), self.assertRaisesRegex(ValidationError, message), \
                    self.env.cr.savepoint():
                Order.create(self._order_vals(scheduled_start=start, scheduled_end=end))
        order = self._on_site_order()
        wizard = self.env["service.confirmation.create"].with_user(self.technician).create({
            "order_id": order.id, "reason": "Next visit", "scheduled_start": datetime(9999, 12, 31, 8)})
        with self.assertRaisesRegex(ValidationError, "not a plausible date"):
            wizard.action_confirm()
        self.assertNotEqual(order.scheduled_start, datetime(9999, 12, 31, 8))
        plan = self.env["service.route.plan"].with_user(self.dispatcher).create({"date": "9999-12-31"})
        with self.assertRaisesRegex(ValidationError, "not a plausible date"):
            plan.action_confirm()
        # a long job within a year is fine
        order = Order.create(self._order_vals(scheduled_start="2026-06-01 08:00:00",
                                              scheduled_end="2026-09-01 17:00:00"))
        self.assertEqual(order.scheduled_end, datetime(2026, 9, 1, 17))

    # user text reaches the activities as text ---------------------------------------------------
    def test_a_decline_reason_reaches_the_dispatchers_activity_as_text(self):
        """Finding 15: a decline reason reached the dispatcher's activity as HTML (images and
        links possible)."""
        order = self._planned_order()
        reason = '<img src=x onerror=alert(1)><a href="https://evil.example.com">details</a>'
        wizard = self.env["service.order.decline"].with_user(self.technician).create(
            {"order_id": order.id, "reason": reason})
        wizard.action_confirm()
        activity = self._activities(order, "service_order.mail_act_assignment_declined")
        self.assertEqual(len(activity), 1)
        note = str(activity.note)
        self.assertNotIn("<img", note)
        self.assertNotIn("<a ", note)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", note)
        self.assertIn("details", note)

    # a fallout goes to staff ----------------------------------------------------------------------
    def test_a_fallout_is_assigned_to_staff_only(self):
        """Finding 16: a fallout could be assigned to a portal user with a plain write."""
        order = self._on_site_order()
        fallout = self.env["service.fallout"].with_user(self.technician).create({
            "order_id": order.id, "type_id": self.fallout_type.id, "description": "Valve seized"})
        portal = new_test_user(self.env, login="so_bad_portal", groups="base.group_portal", name="Portal Pat")
        before = fallout.user_id
        with self.assertRaisesRegex(ValidationError, "cannot be assigned to Portal Pat"), self.env.cr.savepoint():
            fallout.with_user(self.dispatcher).write({"user_id": portal.id})
        with self.assertRaisesRegex(ValidationError, "cannot be assigned to"), self.env.cr.savepoint():
            fallout.with_user(self.dispatcher)._do_assign(self.employee)
        self.assertEqual(fallout.user_id, before)
        self.assertFalse(fallout.sudo().activity_ids.user_id & (portal | self.employee))
        fallout.with_user(self.dispatcher).write({"user_id": self.technician_2.id})
        self.assertEqual(fallout.user_id, self.technician_2)
