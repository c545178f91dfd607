"""The sync of the operations made offline (service.sync.operation._sync_batch, the method
behind /service_order/day/sync): each operation applied once, in its phone's order, as the
technician, through the online buttons' methods; refused with a reason when the order
changed meanwhile or a rule refuses it; the phone's time kept beside the server's."""
from datetime import timedelta

from odoo.exceptions import AccessError, UserError

from .sync_common import AFTERNOON, SyncCase, jpeg


class TestSync(SyncCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fallout_type = cls.env.ref("service_order.fallout_type_parts")

    def _visit(self, phone, order, photo=None, signature=None):
        """The operations of a whole visit made offline (what the day page queues)."""
        item = {"op": None}
        ops = [
            phone.op("accept", order),
            phone.op("depart", order),
            phone.op("arrive", order, {"answers": {
                str(self.q_access.id): {"value": "yes"},
                **({str(self.q_photo.id): {"value": {"upload": photo}}} if photo else {}),
            }}, minutes=25),
            phone.op("start_work", order),  # clocks in: time follows the work
        ]
        create = phone.op("work_item_create", order, {
            "complaint": "No hot water", "diagnosis": "Expansion vessel split.", "estimated_hours": 1.5,
            "parts": [{"product_id": self.part_vessel.id, "quantity": 1}]})
        item["op"] = create["uuid"]
        ops += [
            create,
            phone.op("work_item_part", order, {"item": item, "product_id": self.part_pipe.id, "quantity": 2}),
            phone.op("work_item_submit", order, {"item": item}),
            phone.op("work_item_start_repair", order, {"item": item}),
            phone.op("work_item_submit_repair", order, {"item": item}, minutes=40),
            phone.op("work_item_complete", order, {"item": item}),
            phone.op("note", order, {"body": "Customer asks for a yearly contract."}),
            phone.op("clock_out", order),
            phone.op("complete", order, {"answers": {
                str(self.q_restarted.id): {"value": "yes"},
                str(self.q_signature.id): {"value": {"upload": signature}, "signed_by": "Marie Client"},
            }}),
        ]
        return ops

    # ------------------------------------------------------------------ a whole visit
    def test_whole_visit_applied_with_the_phones_times(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        photo, _upload = phone.upload(jpeg(), "boiler.jpg")
        signature, _upload = phone.upload(jpeg(120, 60, (255, 255, 255)), "signature.png")
        ops = self._visit(phone, order, photo, signature)
        results = phone.send(ops)

        self.assertEqual([r["status"] for r in results], ["applied"] * len(ops), results)
        self.assertEqual(order.state, "completed")
        self.assertEqual(self._statuses(order), ["en_route", "on_site", "working", "done"])
        by_kind = {op["kind"]: op for op in ops}
        moment = {kind: self._phone_time(op) for kind, op in by_kind.items()}
        logs = {log.status: log for log in order.status_log_ids}
        # when it happened: the phone's time; when it arrived: the server's
        self.assertEqual(logs["en_route"].date, moment["depart"])
        self.assertEqual(logs["on_site"].date, moment["arrive"])
        self.assertEqual(logs["done"].date, moment["complete"])
        self.assertEqual(set(order.status_log_ids.mapped("received_date")), {AFTERNOON})
        self.assertEqual(order.sla_responded_date, moment["arrive"], "the SLA counts the phone's arrival")
        self.assertEqual(order.closed_date, moment["complete"])
        log = order.time_log_ids
        self.assertEqual((log.date_start, log.date_stop), (moment["start_work"], moment["clock_out"]))
        self.assertEqual((log.start_received_date, log.stop_received_date), (AFTERNOON, AFTERNOON))
        answers = {a.name: a for a in order.step_answer_ids}
        self.assertEqual(answers["Site accessible"].value_yes_no, "yes")
        self.assertEqual(answers["Site accessible"].date, moment["arrive"])
        self.assertTrue(answers["Boiler photo"].value_binary)
        self.assertEqual(answers["Customer signature"].signed_by, "Marie Client")
        self.assertEqual(order.customer_signed_by, "Marie Client")
        self.assertEqual(order.customer_signed_date, moment["complete"])
        item = order.work_item_ids
        self.assertEqual((item.complaint, item.state), ("No hot water", "done"))
        self.assertEqual(sorted(item.part_ids.mapped("quantity")), [1, 2])
        self.assertIn("yearly contract", self._chatter(order))
        operations = self._operations()
        self.assertEqual(len(operations), len(ops))
        self.assertEqual(operations.order_id, order)
        self.assertTrue(all(operations.mapped("device_date_used")))
        self.assertEqual(set(operations.mapped("server_date")), {AFTERNOON})
        self.assertEqual(operations.filtered(lambda o: o.kind == "work_item_create").work_item_id, item)
        self.assertEqual(order.current_document_id.reason, "completion")

    def _phone_time(self, op):
        return self.env["service.sync.operation"]._parse_operation(op)["device_date"]

    # ------------------------------------------------------------------ exactly once
    def test_same_operation_twice(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        depart = phone.op("depart", order)
        first = phone.send([depart])
        # the answer was lost on the way: the phone sends it again, in the same batch twice
        again = phone.send([depart, depart])
        self.assertEqual(first[0]["status"], "applied")
        self.assertEqual([r["status"] for r in again], ["applied", "applied"])
        self.assertEqual(self._statuses(order), ["en_route"])
        self.assertEqual(len(self._operations()), 1)
        # a refused operation sent again stays refused, once
        phone2 = self.Phone(self, self.technician)
        bad = phone2.op("arrive", order, {"answers": {}})
        refused = phone2.send([bad])[0]
        self.assertEqual(refused["status"], "refused")
        self.assertEqual(phone2.send([bad])[0], refused)
        self.assertEqual(len(self._operations()), 2)
        self.assertEqual(self._statuses(order), ["en_route"])

    def test_out_of_order(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        depart, arrive, start = (phone.op("depart", order),
                                 phone.op("arrive", order, {"answers": {str(self.q_access.id): {"value": "no"}}}),
                                 phone.op("start_work", order))
        # the second request arrives first: nothing of it is applied, nothing recorded
        early = phone.send([start, arrive])
        self.assertEqual([r["status"] for r in early], ["deferred", "deferred"])
        self.assertIn("Waiting for operation 1", early[0]["message"])
        self.assertFalse(self._operations())
        self.assertEqual(order.technician_status, "planned")
        # then the first, then the others again: all applied, in the phone's order
        self.assertEqual(phone.send([depart])[0]["status"], "applied")
        self.assertEqual([r["status"] for r in phone.send([start, arrive])], ["applied", "applied"])
        self.assertEqual(self._statuses(order), ["en_route", "on_site", "working"])
        # shuffled inside one request: applied in the phone's order
        other = self._day_order()
        phone2 = self.Phone(self, self.technician)
        ops = [phone2.op("accept", other), phone2.op("depart", other), phone2.op("note", other, {"body": "Gate"})]
        self.assertEqual([r["status"] for r in phone2.send(ops[::-1])], ["applied"] * 3)
        self.assertEqual(other.technician_status, "en_route")

    def test_operations_of_two_phones_are_apart(self):
        order = self._day_order()
        phone, tablet = self.Phone(self, self.technician), self.Phone(self, self.technician, "tablet")
        self.assertEqual(phone.send([phone.op("depart", order)])[0]["status"], "applied")
        # the tablet's first operation does not wait for the phone's
        self.assertEqual(tablet.send([tablet.op("note", order, {"body": "From the tablet"})])[0]["status"], "applied")

    # ------------------------------------------------------------------ whose order
    def test_another_technicians_order(self):
        order = self._day_order(workers=self.technician_2)
        phone = self.Phone(self, self.technician)
        result = phone.send([phone.op("depart", order)])[0]
        self.assertEqual(result["status"], "refused")
        self.assertEqual(result["message"], f"Order #{order.id} is not one of your orders.")
        self.assertEqual(order.technician_status, "planned")
        operation = self._operations()
        self.assertFalse(operation.order_id, "the row does not name another technician's order")
        self.assertFalse(operation.dispatcher_notified)
        self.assertFalse(self._activities(order, "service_order.mail_act_sync_refused"))
        # and an order that does not exist
        result = phone.send([phone.op("depart", order.browse(999999), version=1)])[0]
        self.assertEqual((result["status"], result["refusal_type"]), ("refused", "invalid"))

    def test_reassigned_meanwhile(self):
        order = self._day_order(workers=self.technician | self.technician_2)
        phone = self.Phone(self, self.technician)
        version = order.current_version
        order.with_user(self.dispatcher)._do_confirm("Tom is ill", remove_workers=self.technician)
        result = phone.send([phone.op("depart", order, version=version)])[0]
        self.assertEqual((result["status"], result["conflict"]), ("refused", "reassigned"))
        self.assertIn("reassigned while you were offline", result["message"])
        self.assertEqual(order.technician_status, "planned")
        activity = self._activities(order, "service_order.mail_act_sync_refused")
        self.assertEqual(activity.user_id, order._get_wait_approver())
        self.assertIn("reassigned", self._chatter(order))

    def test_cancelled_meanwhile(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        ops = [phone.op("depart", order), phone.op("note", order, {"body": "On my way"})]
        order.with_user(self.dispatcher)._do_cancel("Customer called: the boiler works again.")
        results = phone.send(ops)
        self.assertEqual([(r["status"], r["conflict"]) for r in results], [("refused", "cancelled")] * 2)
        self.assertIn("cancelled while you were offline: Customer called", results[0]["message"])
        self.assertEqual(order.technician_status, "cancelled")
        self.assertEqual(len(self._activities(order, "service_order.mail_act_sync_refused")), 1,
                         "one activity for the order, whatever the number of refused operations")
        self.assertEqual(set(self._operations().mapped("order_id")), {order})

    def test_rescheduled_meanwhile(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        version = order.current_version
        # moved within the day: the visit goes on
        order.with_user(self.dispatcher)._do_confirm(
            "Later", scheduled_start=order.scheduled_start + timedelta(minutes=30),
            scheduled_end=order.scheduled_end + timedelta(minutes=30))
        self.assertEqual(phone.send([phone.op("depart", order, version=version)])[0]["status"], "applied")
        # moved to another day: what the phone did on this day is refused
        other = self._day_order()
        version = other.current_version
        other.with_user(self.dispatcher)._do_confirm(
            "Next week", scheduled_start=other.scheduled_start + timedelta(days=7),
            scheduled_end=other.scheduled_end + timedelta(days=7))
        result = phone.send([phone.op("depart", other, version=version)])[0]
        self.assertEqual((result["status"], result["conflict"]), ("refused", "rescheduled"))
        self.assertIn("rescheduled", result["message"])
        self.assertEqual(other.technician_status, "planned")

    def test_newer_version_refuses_a_closing(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        _signature, _upload = phone.upload(jpeg(), "signature.png", upload_id=f"sig-{order.id}-0000")
        version = order.current_version
        ops = [phone.op("depart", order, version=version),
               phone.op("arrive", order, {"answers": {str(self.q_access.id): {"value": "yes"}}}, version=version),
               phone.op("start_work", order, version=version),
               phone.op("complete", order, {"answers": {
                   str(self.q_restarted.id): {"value": "yes"},
                   str(self.q_signature.id): {"value": {"upload": f"sig-{order.id}-0000"}, "signed_by": "M"}}},
                   version=version)]
        # the office added a material while the phone was offline: version 2
        order.with_user(self.dispatcher)._do_confirm("Extra part", lines=[{"product_id": self.part_pipe.id,
                                                                             "quantity": 3}])
        results = phone.send(ops)
        self.assertEqual([r["status"] for r in results], ["applied", "applied", "applied", "refused"])
        self.assertEqual(results[3]["conflict"], "changed")
        self.assertIn("version 2", results[3]["message"])
        self.assertEqual(order.state, "in_progress", "the customer signed what version 2 no longer is")

    def test_already_done_by_another_field_worker(self):
        order = self._day_order(workers=self.technician | self.technician_2)
        order.with_user(self.technician_2).action_depart()
        phone = self.Phone(self, self.technician)
        result = phone.send([phone.op("depart", order)])[0]
        self.assertEqual((result["status"], result["refusal_type"]), ("refused", "already"))
        self.assertIn("already En Route", result["message"])
        self.assertFalse(self._activities(order, "service_order.mail_act_sync_refused"))

    # ------------------------------------------------------------------ bad input
    def test_malformed_payloads(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        Operation = self.env["service.sync.operation"].with_user(self.technician)
        for device, operations in [(None, []), ("x", []), (phone.device, "nope"), (phone.device, [{}] * 51)]:
            with self.assertRaises(UserError):
                Operation._sync_batch(device, operations)
        unreadable = phone.send(["nope", {"uuid": "short", "sequence": 1, "kind": "depart"},
                                 {"uuid": "a" * 20, "sequence": "1", "kind": "depart"},
                                 {"uuid": "b" * 20, "sequence": -3, "kind": "depart"}])
        self.assertEqual({r["status"] for r in unreadable}, {"refused"})
        self.assertFalse(self._operations(), "an operation without a readable id and number is not recorded")
        fly = phone.op("fly", order)
        not_an_object = phone.op("depart", order)
        not_an_object["payload"] = "x"
        bad = [
            fly, not_an_object,
            phone.op("note", order, {"body": 42}),
            phone.op("note", order, {"body": "x" * 20001}),
            phone.op("note", order, {"body": "   "}),
            phone.op("arrive", order, {"answers": ["yes"]}),
            phone.op("arrive", order, {"answers": {"one": {"value": "yes"}}}),
            phone.op("arrive", order, {"answers": {str(self.q_access.id): {"value": "maybe"}}}),
            phone.op("work_item_part", order, {"item": {"id": "12"}, "product_id": self.part_pipe.id}),
            phone.op("fallout", order, {"type_id": "parts", "description": "No part"}),
            phone.op("cancel", order, {"reason": "x", "cancel_type": "vanished"}),
            phone.op("work_item_photo", order, {"item": {"id": 1}, "upload": "../../etc"}),
            phone.op("note", order, {"body": "b" * 59000, "padding": "c" * 2000}),
        ]
        results = phone.send(bad)
        self.assertEqual([r["status"] for r in results], ["refused"] * len(bad), results)
        self.assertEqual(results[7]["message"], "Site accessible: answer yes or no.")
        self.assertEqual(order.technician_status, "planned")
        self.assertEqual(len(self._operations()), len(bad), "each refused with its reason, the phone goes on")
        # the chain goes on after them
        self.assertEqual(phone.send([phone.op("depart", order)])[0]["status"], "applied")

    def test_a_rule_refuses_and_the_dispatcher_hears_of_it(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        ops = [phone.op("depart", order), phone.op("arrive", order, {"answers": {}}),
               phone.op("work_item_create", order, {"complaint": "Leak"})]
        results = phone.send(ops)
        self.assertEqual([r["status"] for r in results], ["applied", "refused", "refused"])
        self.assertEqual(results[1]["message"], "Answer before going on: Site accessible.")
        self.assertIn("Work items are created on site", results[2]["message"])
        activity = self._activities(order, "service_order.mail_act_sync_refused")
        self.assertEqual(len(activity), 1)
        self.assertIn("Answer before going on", activity.note)
        self.assertFalse(order.work_item_ids)

    # ------------------------------------------------------------------ the phone's time
    def test_implausible_phone_times_give_the_server_time(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        future = phone.op("depart", order, device_date=AFTERNOON + timedelta(hours=3))
        before = phone.op("arrive", order, {"answers": {str(self.q_access.id): {"value": "yes"}}},
                          device_date=AFTERNOON - timedelta(hours=12))
        garbled = phone.op("start_work", order)
        garbled["device_date"] = "yesterday"
        phone.send([future, before, garbled])
        logs = order.status_log_ids
        self.assertEqual(set(logs.mapped("date")), {AFTERNOON})
        self.assertFalse(any(self._operations().mapped("device_date_used")))
        self.assertEqual(order.sla_responded_date, AFTERNOON)

    # ------------------------------------------------------------------ photos
    def test_photos_uploaded_once_and_linked(self):
        order = self._site_order()
        phone = self.Phone(self, self.technician)
        raw = jpeg(1600, 1200)
        upload_id, first = phone.upload(raw, "meter.jpg")
        _same, second = phone.upload(raw, "meter.jpg", upload_id=upload_id)
        self.assertEqual(first, second, "a second delivery stores nothing more")
        self.assertEqual(first.state, "stored")
        create = phone.op("work_item_create", order, {"complaint": "Meter"})
        photo = phone.op("work_item_photo", order, {"item": {"op": create["uuid"]}, "upload": upload_id})
        self.assertEqual([r["status"] for r in phone.send([create, photo])], ["applied", "applied"])
        item = order.work_item_ids
        self.assertEqual(item.photo_ids, first.attachment_id)
        self.assertEqual((first.attachment_id.res_model, first.attachment_id.res_id), ("service.work.item", item.id))
        self.assertEqual(first.attachment_id.raw, raw)

    def test_photo_not_arrived_yet_waits(self):
        order = self._site_order()
        phone = self.Phone(self, self.technician)
        item = self._create_item(order)
        photo = phone.op("work_item_photo", order, {"item": {"id": item.id}, "upload": "late-photo-0001"})
        self.assertEqual(phone.send([photo])[0]["status"], "deferred")
        self.assertFalse(self._operations())
        phone.upload(jpeg(), upload_id="late-photo-0001")
        self.assertEqual(phone.send([photo])[0]["status"], "applied")
        self.assertEqual(len(item.photo_ids), 1)

    def test_photo_of_20_mb_refused(self):
        order = self._site_order()
        item = self._create_item(order)
        phone = self.Phone(self, self.technician)
        read = []
        upload = self.env["service.sync.upload"].with_user(self.technician)._receive(
            "huge-photo-0001", "huge.jpg", 20 * 1024 * 1024, lambda: read.append(1) or b"")
        self.assertEqual(upload.state, "refused")
        self.assertFalse(read, "a photo above the limit is refused before it is read")
        self.assertFalse(upload.attachment_id)
        self.assertIn("20.0 MB", upload.refusal_reason)
        result = phone.send([phone.op("work_item_photo", order, {"item": {"id": item.id},
                                                                 "upload": "huge-photo-0001"})])[0]
        self.assertEqual(result["status"], "refused")
        self.assertIn("The photo was refused: huge.jpg is 20.0 MB", result["message"])
        self.assertFalse(item.photo_ids)
        # what is not a picture is refused too
        _id, not_picture = phone.upload(b"%PDF-1.4 not a photo", "photo.jpg")
        self.assertEqual(not_picture.state, "refused")

    def test_uploads_and_operations_belong_to_their_technician(self):
        order = self._site_order(workers=self.technician | self.technician_2)
        item = self._create_item(order)
        mine = self.Phone(self, self.technician)
        upload_id, _upload = mine.upload(jpeg())
        theirs = self.Phone(self, self.technician_2)
        with self.assertRaises(AccessError):
            theirs.upload(jpeg(), upload_id=upload_id)
        result = theirs.send([theirs.op("work_item_photo", order, {"item": {"id": item.id}, "upload": upload_id})])
        self.assertEqual(result[0]["status"], "deferred", "another technician's upload is not theirs to use")
        op = mine.op("note", order, {"body": "Mine"})
        mine.send([op])
        with self.assertRaises(AccessError):
            theirs.send([op])
        # the trail: read by its technician and the dispatchers, written by nobody
        Operation = self.env["service.sync.operation"]
        self.assertEqual(len(Operation.with_user(self.technician).search([])), 1)
        self.assertFalse(Operation.with_user(self.technician_2).search([]))
        self.assertEqual(len(Operation.with_user(self.dispatcher).search([])), 1)
        with self.assertRaises(AccessError):
            Operation.with_user(self.technician).create({
                "uuid": "forged-op-0001", "user_id": self.technician.id, "device": "forged-device",
                "sequence": 1, "kind": "note", "company_id": self.company.id, "state": "applied"})
        with self.assertRaises(AccessError):
            Operation.with_user(self.dispatcher).search([]).write({"state": "refused"})
        with self.assertRaises(AccessError):
            self.env["service.sync.operation"].with_user(self.employee)._sync_batch(mine.device, [])

    def test_work_items_offline(self):
        order = self._site_order()
        existing = self._create_item(order)
        phone = self.Phone(self, self.technician)
        create = phone.op("work_item_create", order, {"complaint": "Pump noisy", "estimated_hours": 0.5,
                                                      "parts": [{"product_id": self.part_pipe.id, "quantity": 1.5}]})
        ref = {"op": create["uuid"]}
        ops = [
            create,
            phone.op("work_item_update", order, {"item": ref, "diagnosis": "Bearing worn."}),
            phone.op("work_item_cancel", order, {"item": ref}),
            phone.op("work_item_submit", order, {"item": {"id": existing.id}}),
            phone.op("fallout", order, {"item": {"id": existing.id}, "type_id": self.fallout_type.id,
                                        "description": "The vessel is not in the van."}),
            phone.op("work_item_update", order, {"item": ref, "notes": "cancelled anyway"}),
        ]
        results = phone.send(ops)
        self.assertEqual([r["status"] for r in results], ["applied"] * 5 + ["refused"], results)
        new = order.work_item_ids - existing
        self.assertEqual((new.complaint, new.diagnosis, new.state), ("Pump noisy", "Bearing worn.", "cancelled"))
        self.assertEqual(new.part_ids.quantity, 1.5)
        self.assertEqual(existing.state, "on_hold", "the fallout holds its work item")
        self.assertEqual(order.fallout_ids.description, "The vessel is not in the van.")
        self.assertEqual(order.fallout_ids.reported_by_id, self.technician)
        # an item made by a refused operation is refused with that operation's reason
        refused_create = phone.op("work_item_create", order, {"complaint": ""})
        follow = phone.op("work_item_submit", order, {"item": {"op": refused_create["uuid"]}})
        results = phone.send([refused_create, follow])
        self.assertEqual([r["status"] for r in results], ["refused", "refused"])
        self.assertIn("The work item was not created", results[1]["message"])

    def test_cancel_and_not_done_offline(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        ops = [phone.op("depart", order), phone.op("cancel", order, {"reason": "Nobody home",
                                                                       "cancel_type": "customer_absent"})]
        self.assertEqual([r["status"] for r in phone.send(ops)], ["applied", "applied"])
        self.assertEqual((order.state, order.cancel_type, order.cancel_reason),
                         ("cancelled", "customer_absent", "Nobody home"))
        self.assertEqual(order.status_log_ids.filtered(lambda log: log.status == "cancelled").date,
                         self._phone_time(ops[1]))
        other = self._day_order()
        ops = [phone.op("depart", other), phone.op("not_done", other, {"reason": "No access to the roof"})]
        self.assertEqual([r["status"] for r in phone.send(ops)], ["applied", "applied"])
        self.assertEqual((other.state, other.close_reason, other.closed_date),
                         ("not_done", "No access to the roof", self._phone_time(ops[1])))

    def test_decline_offline(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        self.assertEqual(phone.send([phone.op("decline", order, {"reason": "On leave"})])[0]["status"], "applied")
        self.assertEqual(order.assignment_ids.filtered(lambda a: a.user_id == self.technician).state, "declined")

    def test_clock_in_elsewhere_refused(self):
        first, second = self._day_order(), self._day_order(hours=3)
        phone = self.Phone(self, self.technician)
        ops = [phone.op("depart", first), phone.op("clock_in", first), phone.op("depart", second),
               phone.op("clock_in", second)]
        results = phone.send(ops)
        self.assertEqual([r["status"] for r in results], ["applied", "applied", "applied", "refused"])
        self.assertIn("already clocked in", results[3]["message"])
        self.assertEqual(len(self.env["service.time.log"].search([("user_id", "=", self.technician.id)])), 1)

    def test_pack_of_the_dispatchers_list_and_views(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        order.with_user(self.dispatcher)._do_cancel("Called off")
        phone.send([phone.op("depart", order)])
        action = self.env.ref("service_order.service_sync_operation_action")
        Operation = self.env["service.sync.operation"].with_user(self.dispatcher)
        refused = Operation.search([("state", "=", "refused")])
        self.assertEqual(refused.order_id, order)
        self.assertIn("search_default_refused", action.context)
        self.assertEqual(refused.display_name, f"On my way · {order.name}")
        self.assertAlmostEqual(refused.delay, (AFTERNOON - refused.device_date).total_seconds() / 3600, places=2)
        Operation.get_views([(False, "list"), (False, "form"), (False, "search")])

    def test_field_workers_change_through_a_confirmation_not_refused(self):
        order = self._day_order()
        phone = self.Phone(self, self.technician)
        version = order.current_version
        order.with_user(self.dispatcher)._do_confirm("Help", workers=self.technician_2)
        ops = [phone.op("depart", order, version=version), phone.op("accept", order, version=version)]
        self.assertEqual([r["status"] for r in phone.send(ops)], ["applied", "applied"])
        self.assertEqual(order.field_worker_ids, self.technician | self.technician_2)
        self.assertEqual(self.env.ref("service_order.mail_act_sync_refused").res_model, "service.order")
        self.assertEqual(order.assignment_ids.filtered(lambda a: a.user_id == self.technician).state, "accepted")
