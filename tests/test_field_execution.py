from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ServiceOrderCase

# a 1x1 PNG: the smallest signature there is
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


@tagged("post_install", "-at_install")
class TestFieldExecution(ServiceOrderCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pipe = cls.env["product.product"].create({"name": "Copper pipe 15 mm", "type": "consu"})
        cls.gas = cls.env["product.product"].create({"name": "Refrigerant R290", "type": "consu"})
        cls.labour = cls.env["product.product"].create({"name": "Labour", "type": "service"})
        # a type whose completion form is a checklist and the customer's signature
        Question = cls.env["service.step.question"]
        cls.q_done = Question.create({"order_type_id": cls.order_type.id, "step": "complete", "sequence": 1,
                                      "name": "Work done as described", "answer_type": "yes_no"})
        cls.q_signature = Question.create({"order_type_id": cls.order_type.id, "step": "complete", "sequence": 9,
                                           "name": "Customer signature", "answer_type": "signature",
                                           "required": False})
        cls._build_order_pool(planned=1, on_site=0)

    def _modify(self, order, user, **vals):
        wizard = Form(self.env["service.confirmation.create"].with_user(user).with_context(default_order_id=order.id))
        lines = vals.pop("lines", [])
        for field, value in vals.items():
            setattr(wizard, field, value)
        for product, qty in lines:
            with wizard.line_ids.new() as line:
                line.product_id = product
                line.quantity = qty
        wizard.save().action_confirm()
        self._flush_tracking()

    def _close(self, order, user, **vals):
        wizard = self.env["service.order.close"].with_user(user).create({"order_id": order.id, **vals})
        return wizard.action_confirm()

    def _complete(self, order, user, done="yes", signature=None, signed_by=None):
        """The completion form as the technician fills it on the phone."""
        action = order.with_user(user).action_open_complete()
        self.assertEqual(action["res_model"], "service.step.form")
        form = Form(self.env["service.step.form"].with_user(user).with_context(**action["context"]))
        self.assertEqual(len(form.line_ids), 2, "one line per completion question")
        with form.line_ids.edit(0) as line:
            line.value_yes_no = done
        if signature:
            with form.line_ids.edit(1) as line:
                line.signed_by = signed_by or ""
                line.value_binary = signature
        return form.save().action_confirm()

    # channel workspace and field workers ------------------------------------
    def test_approval_creates_channel_workspace(self):
        order = self._approve(self._submit(self._create_order()))
        channel = order.sudo().channel_id
        self.assertTrue(channel)
        self.assertEqual(channel.channel_type, "group")
        self.assertEqual(channel.channel_member_ids.partner_id,
                         (self.dispatcher | self.supervisor).partner_id)
        self.assertIn("Document version 1 (Approval) issued", self._channel_text(order))
        posted = channel.message_ids.attachment_ids
        self.assertEqual(posted, order.current_document_id.sudo().attachment_id)

    def test_add_field_workers(self):
        order = self._planned_order(workers=self.env["res.users"])
        start = datetime(2026, 6, 1, 8)
        wizard = Form(self.env["service.order.worker.add"].with_user(self.dispatcher).with_context(
            default_order_id=order.id))
        wizard.user_ids.add(self.technician)
        wizard.user_ids.add(self.technician_2)
        wizard.lead_technician_id = self.technician_2
        wizard.scheduled_start = start
        wizard.scheduled_end = datetime(2026, 6, 1, 12)
        wizard.vehicle_id = self.vehicle
        wizard.save().action_confirm()
        self.assertEqual(order.field_worker_ids, self.technician | self.technician_2)
        self.assertEqual(order.lead_technician_id, self.technician_2)
        self.assertEqual(order.scheduled_start, start)
        self.assertEqual(order.vehicle_id, self.vehicle)
        workers = (self.technician | self.technician_2).partner_id
        self.assertLessEqual(workers, order.message_partner_ids, "workers follow the order")
        members = order.sudo().channel_id.channel_member_ids.partner_id
        self.assertLessEqual(workers | self.dispatcher.partner_id | self.supervisor.partner_id, members)
        notice = order.message_ids.filtered(lambda m: "Field workers added" in str(m.body))
        self.assertEqual(notice.partner_ids, workers, "the added workers are notified")
        # the technician now sees the order
        self.assertEqual(self.env["service.order"].with_user(self.technician).search(
            [("id", "=", order.id)]), order)

    def test_removed_worker_leaves_channel(self):
        order = self._planned_order(workers=self.technician | self.technician_2)
        members = order.sudo().channel_id.channel_member_ids.partner_id
        self.assertIn(self.technician_2.partner_id, members)
        with self.assertRaisesRegex(UserError, "change only through Create a Confirmation"):
            order.with_user(self.dispatcher).write({"field_worker_ids": [Command.unlink(self.technician_2.id)]})
        self._modify(order, self.dispatcher, reason="Technician 2 is needed elsewhere",
                     remove_worker_ids=self.technician_2)
        self.assertEqual(order.current_version, 2, "removing a worker issues a new version")
        self.assertNotIn(self.technician_2.partner_id, order.sudo().channel_id.channel_member_ids.partner_id)
        self.assertNotIn(self.technician_2.partner_id, order.message_partner_ids)
        self.assertIn(self.technician.partner_id, order.sudo().channel_id.channel_member_ids.partner_id)
        with self.assertRaises(AccessError):
            order.with_user(self.technician_2).read(["name"])

    def test_add_field_workers_refusals(self):
        order = self._planned_order(workers=self.env["res.users"])
        with self.assertRaises(AccessError):
            self.env["service.order.worker.add"].with_user(self.technician).create(
                {"order_id": order.id, "user_ids": [Command.set(self.technician.ids)]})
        with self.assertRaisesRegex(UserError, "Only technicians can be field workers"):
            order.with_user(self.dispatcher)._do_add_field_workers(self.employee)
        draft = self._create_order()
        with self.assertRaisesRegex(UserError, "is not approved"):
            draft.with_user(self.dispatcher)._do_add_field_workers(self.technician)
        self.assertFalse(order.field_worker_ids | draft.field_worker_ids)

    # technician status -------------------------------------------------------
    def test_technician_walks_an_order_to_completed(self):
        order = self._planned_order(scheduled_start=datetime(2026, 6, 1, 8), scheduled_end=datetime(2026, 6, 1, 10))
        as_tech = order.with_user(self.technician)
        steps = [("action_depart", "en_route"), ("action_arrive", "on_site"),
                 ("action_start_work", "working"), ("action_pause", "break"), ("action_resume", "working")]
        for method, status in steps:
            getattr(as_tech, method)()
            self._flush_tracking()
            self.assertEqual(order.technician_status, status)
            self.assertEqual(order.state, "in_progress")
        self.assertEqual(order.status_log_ids.sorted("id").mapped("status"),
                         ["en_route", "on_site", "working", "break", "working"])
        self.assertEqual(len(order.status_log_ids), 5)
        self.assertEqual(set(order.status_log_ids.mapped("user_id")), {self.technician})
        channel = self._channel_text(order)
        for label in ("En Route", "On Site", "Working", "Break"):
            self.assertIn(f"So Tech: status {label}", channel)

        # confirmation 1: extra materials, an unforeseen service, a longer schedule
        self._modify(order, self.technician, reason="Leak on the return pipe",
                     lines=[(self.pipe, 3), (self.labour, 1.5)], scheduled_end=datetime(2026, 6, 1, 12))
        # confirmation 2: an extra worker and a new description
        self._modify(order, self.technician, reason="Second technician needed to lift the unit",
                     worker_ids=self.technician | self.technician_2,
                     description="<p>Replace the condenser fan motor.</p>")
        self.assertEqual(order.confirmation_count, 2)
        self.assertIn(self.technician_2, order.field_worker_ids)
        self.assertEqual(order.scheduled_end, datetime(2026, 6, 1, 12))
        first, second = order.confirmation_ids.sorted("sequence")
        self.assertEqual({c.field_name for c in first.change_ids}, {"materials", "services", "scheduled_end"})
        self.assertEqual({c.field_name for c in second.change_ids}, {"field_worker_ids", "description"})
        material = first.change_ids.filtered(lambda c: c.field_name == "materials")
        self.assertEqual(material.old_value, "—")
        self.assertIn("3", material.new_value)
        self.assertIn("Copper pipe 15 mm", material.new_value)

        # close as completed: the completion form (checklist and signature)
        self._complete(order, self.technician, signature=SIGNATURE, signed_by="Jean Client")
        self._run_jobs()  # the completion report is made off the request
        self.assertEqual(order.state, "completed")
        self.assertEqual(order.technician_status, "done")
        answers = order.step_answer_ids
        self.assertEqual(answers.mapped("name"), ["Work done as described", "Customer signature"])
        self.assertEqual(answers.mapped("value_display"), ["Yes", "Jean Client"])
        self.assertEqual(order.customer_signed_by, "Jean Client")
        self.assertTrue(order.customer_signature)

        # four PDF versions: approval, two confirmations, the completion report
        documents = order.document_ids.sorted("version")
        self.assertEqual(documents.mapped("version"), [1, 2, 3, 4])
        self.assertEqual(documents[-1].reason, "completion")
        report_text = self._pdf_text(documents[-1])
        for expected in ("Completion report", "Outcome Completed", "Work done as described Yes", "Jean Client"):
            # (the stand-in renderer prints the report's real HTML as text)
            self.assertIn(expected, report_text)
        self.assertEqual(order.current_document_id, documents[-1], "the completion report is the last version")
        documents = documents[:3]
        self.assertEqual(documents.mapped("reason"), ["approval", "confirmation", "confirmation"])
        texts = [self._pdf_text(doc) for doc in documents]
        for number, text in enumerate(texts, start=1):
            self.assertIn(order.name, text)
            self.assertIn(f"Version {number}", text)
            self.assertIn("Page 1 / 1", text)
        self.assertNotIn("Changes since version", texts[0])
        self.assertIn("Changes since version 1", texts[1])
        self.assertIn("Copper pipe 15 mm", texts[1])
        self.assertIn("Labour", texts[1])
        self.assertIn("Changes since version 2", texts[2])
        self.assertIn("So Tech Two", texts[2])
        self.assertIn("Replace the condenser fan motor", texts[2])
        self.assertNotIn("Replace the condenser fan motor", texts[1])
        # every version reached the channel with its file
        channel = order.sudo().channel_id
        self.assertEqual(channel.message_ids.attachment_ids, order.document_ids.sudo().attachment_id,
                         "every version, the completion report too")
        self.assertTrue(documents._verify_checksum())

    def test_the_questions_of_a_step_follow_their_configuration(self):
        """The questions a step asks are kept per process (an order type's configuration); a
        question added, moved to another step or removed is asked, or not, at once."""
        order = self._planned_order()
        self.assertEqual(order._step_questions("complete"), self.q_done | self.q_signature)
        self.assertFalse(order._step_questions("depart"))
        eta = self.env["service.step.question"].create({
            "order_type_id": self.order_type.id, "step": "depart", "name": "ETA (minutes)", "answer_type": "number"})
        self.assertEqual(order._step_questions("depart"), eta)
        self.q_done.sequence = 20  # after the signature now
        self.assertEqual(order._step_questions("complete").ids, [self.q_signature.id, self.q_done.id])
        eta.step = "arrive"
        self.assertFalse(order._step_questions("depart"))
        self.assertEqual(order._step_questions("arrive"), eta)
        eta.unlink()
        self.assertFalse(order._step_questions("arrive"))
        self.assertIsInstance(order.action_depart(), bool, "no question: one tap again")

    def test_customer_absent(self):
        order = self._planned_order()
        order.with_user(self.technician).action_depart()
        order.with_user(self.technician).action_arrive()
        action = order.with_user(self.technician).action_customer_absent()
        wizard = Form(self.env["service.step.form"].with_user(self.technician).with_context(**action["context"]))
        self.assertEqual(wizard.cancel_type, "customer_absent")
        wizard.reason = "Nobody on site at 9:10, called twice"
        wizard.save().action_confirm()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.technician_status, "cancelled")
        self.assertEqual(order.cancel_type, "customer_absent")
        self.assertEqual(order.cancel_reason, "Nobody on site at 9:10, called twice")
        self.assertEqual(order.status_log_ids[0].status, "cancelled")
        self.assertIn("Customer absent: Nobody on site", order.status_log_ids[0].note)
        self.assertIn("Customer absent: Nobody on site at 9:10", self._chatter(order))
        self.assertIn("status Cancelled", self._channel_text(order))

    def test_cancel_needs_reason(self):
        order = self._planned_order()
        with self.assertRaisesRegex(UserError, "reason is required"):
            order.with_user(self.technician)._do_cancel("  ")
        self.assertEqual(order.state, "planned")

    def test_dispatcher_may_change_status_of_any_order(self):
        order = self._planned_order()
        order.with_user(self.dispatcher).action_depart()
        self.assertEqual(order.technician_status, "en_route")
        self.assertEqual(order.status_log_ids.user_id, self.dispatcher)

    # refusals -----------------------------------------------------------------
    def test_technician_of_another_order_is_refused(self):
        order = self._planned_order()
        for method in ("action_depart", "action_arrive", "action_open_confirmation", "action_open_complete"):
            with self.assertRaises(AccessError):
                getattr(order.with_user(self.technician_2), method)()
        with self.assertRaises(AccessError):
            order.with_user(self.technician_2)._do_confirm("x", lines=[{"product_id": self.pipe.id, "quantity": 1}])
        self.assertEqual(order.technician_status, "planned")
        self.assertFalse(order.confirmation_ids)

    def test_technician_cannot_write_order_fields_directly(self):
        order = self._planned_order()
        for vals in ({"partner_id": self.env["res.partner"].create({"name": "x"}).id},
                     {"technician_status": "done"}, {"state": "completed"}):
            # technician_status is a workflow field (refused to every role); the others are
            # refused to technicians, who act through buttons
            with self.assertRaisesRegex(AccessError, "buttons"):
                order.with_user(self.technician).write(vals)
        order.with_user(self.technician).write({"color": 3})
        self.assertEqual(order.color, 3)
        self.assertEqual(order.state, "planned")

    def test_status_out_of_order_is_refused(self):
        order = self._planned_order()
        with self.assertRaisesRegex(UserError, "cannot go from Planned to Working"):
            order.with_user(self.technician).action_start_work()
        with self.assertRaisesRegex(UserError, "field work is possible only"):
            self._create_order().with_user(self.dispatcher).action_depart()
        self.assertEqual(order.technician_status, "planned")

    def test_confirmation_refusals(self):
        order = self._planned_order()
        order.with_user(self.technician).action_depart()
        with self.assertRaisesRegex(UserError, "Nothing differs"):
            order.with_user(self.technician)._do_confirm("nothing new")
        with self.assertRaisesRegex(UserError, "reason is required"):
            order.with_user(self.technician)._do_confirm(" ", lines=[{"product_id": self.pipe.id, "quantity": 1}])
        with self.assertRaisesRegex(UserError, "quantity must be a number greater than 0"):
            order.with_user(self.technician)._do_confirm("x", lines=[{"product_id": self.pipe.id, "quantity": -2}])
        self.assertFalse(order.sudo().confirmation_ids)
        self.assertFalse(order.line_ids)
        self.assertEqual(len(order.document_ids), 1)
        order.with_user(self.technician).action_arrive()
        self._close(order, self.technician, outcome="not_done", reason="Spare part not available")
        self.assertEqual(order.state, "not_done")
        self.assertEqual(order.close_reason, "Spare part not available")
        with self.assertRaisesRegex(UserError, "field work is possible only"):
            order.with_user(self.technician)._do_confirm("late", lines=[{"product_id": self.pipe.id, "quantity": 1}])
        with self.assertRaisesRegex(UserError, "field work is possible only"):
            order.with_user(self.technician).action_depart()

    def test_close_refusals(self):
        order = self._planned_order()
        with self.assertRaisesRegex(UserError, "reason is required"):
            self._close(order, self.technician, outcome="not_done", reason=" ")
        with self.assertRaisesRegex(UserError, "Answer before going on: Work done as described"):
            order.with_user(self.technician)._do_close("completed")
        with self.assertRaisesRegex(UserError, "give the name of the person who signed"):
            order.with_user(self.technician)._do_close("completed", answers={
                self.q_done.id: {"value": "yes"}, self.q_signature.id: {"value": SIGNATURE}})
        with self.assertRaisesRegex(UserError, "answer yes or no"):
            order.with_user(self.technician)._do_close("completed", answers={self.q_done.id: {"value": "maybe"}})
        self.assertFalse(order.step_answer_ids)
        with self.assertRaises(AccessError):
            self._close(order, self.technician_2, outcome="not_done", reason="not mine")
        self.assertEqual(order.state, "planned")
