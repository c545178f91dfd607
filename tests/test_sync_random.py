"""Many offline sessions delivered as a bad network delivers them: in random batches, out of
order, twice, photos late or twice. Whatever the order of arrival, each operation is applied
once, in its phone's order: nothing lost, nothing doubled."""
import random
from collections import Counter

from .sync_common import SyncCase, jpeg

SEEDS = (7, 2026)
PHONES = 3              # technicians, one phone each
ORDERS_PER_PHONE = 2    # visits of the day, one after the other


class TestSyncRandomized(SyncCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician_3 = cls.env["res.users"].create({
            "login": "so_tech_three", "name": "So Tech Three", "tz": "UTC",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id,
                                  cls.env.ref("service_order.group_service_order_technician").id])],
            "notification_type": "inbox"})
        cls.technicians = cls.technician | cls.technician_2 | cls.technician_3

    def _session(self, rng, phone, order, uploads):
        """The operations of one random but valid visit, and what it must leave on the order."""
        ops, expect = [], {"statuses": [], "items": [], "notes": 0, "time_logs": 0, "state": "in_progress"}

        def add(kind, payload=None):
            ops.append(phone.op(kind, order, payload))
            return ops[-1]

        def upload():
            upload_id = f"up-{rng.getrandbits(64):016x}"
            uploads[upload_id] = (phone, jpeg(32, 24, tuple(rng.randrange(256) for _i in range(3))))
            return upload_id

        if rng.random() < 0.6:
            add("accept")
        add("depart")
        answers = {str(self.q_access.id): {"value": rng.choice(["yes", "no"])}}
        if rng.random() < 0.5:
            answers[str(self.q_photo.id)] = {"value": {"upload": upload()}}
        add("arrive", {"answers": answers})
        add("start_work")
        expect["statuses"] += ["en_route", "on_site", "working"]
        expect["time_logs"] = 1  # time follows the work: starting clocks the technician in
        for _index in range(rng.randint(0, 3)):
            parts = [{"product_id": rng.choice([self.part_vessel, self.part_pipe]).id, "quantity": rng.randint(1, 3)}
                     for _p in range(rng.randint(0, 2))]
            create = add("work_item_create", {"complaint": f"Fault {rng.getrandbits(20)}", "diagnosis": "Seen.",
                                              "estimated_hours": rng.choice([0.5, 1, 2]), "parts": parts})
            item = {"op": create["uuid"]}
            expected = {"parts": len(parts), "photos": 0, "state": "draft"}
            if rng.random() < 0.5:
                add("work_item_part", {"item": item, "product_id": self.part_pipe.id, "quantity": 1})
                expected["parts"] += 1
            for _photo in range(rng.randint(0, 2)):
                add("work_item_photo", {"item": item, "upload": upload()})
                expected["photos"] += 1
            if rng.random() < 0.3:
                add("work_item_update", {"item": item, "notes": "Checked twice."})
            flow = rng.choice(["draft", "cancelled", "done", "in_repair"])
            if flow == "cancelled":
                add("work_item_cancel", {"item": item})
            elif flow in ("done", "in_repair"):
                add("work_item_submit", {"item": item})
                add("work_item_start_repair", {"item": item})
                if flow == "done":
                    add("work_item_submit_repair", {"item": item})
                    add("work_item_complete", {"item": item})
            expected["state"] = flow
            expect["items"].append(expected)
        for _note in range(rng.randint(0, 2)):
            add("note", {"body": f"Note {rng.getrandbits(32):08x}"})
            expect["notes"] += 1
        for _pause in range(rng.randint(0, 2)):
            add("pause")  # clocks out
            add("resume")  # clocks in again: a time log more
            expect["statuses"] += ["break", "working"]
            expect["time_logs"] += 1
        open_items = any(item["state"] == "in_repair" for item in expect["items"])
        ending = rng.choice(["open", "not_done"] if open_items else ["complete", "complete", "not_done", "open"])
        if rng.random() < 0.7:
            add("clock_out")  # leaving the site by hand (else the closing, or the next visit, clocks out)
        if ending == "complete":
            add("complete", {"answers": {
                str(self.q_restarted.id): {"value": "yes"},
                str(self.q_signature.id): {"value": {"upload": upload()}, "signed_by": "Customer"}}})
            expect["statuses"].append("done")
            expect["state"] = "completed"
        elif ending == "not_done":
            add("not_done", {"reason": "The part must be ordered."})
            expect["state"] = "not_done"
        return ops, expect

    def _deliver(self, rng, pending, uploads):
        """A bad network: random batches of a phone's operations, shuffled, some sent twice, the
        photos late or twice; a phone sends again what was deferred. Returns the answers."""
        answers, sent = [], {phone: [] for phone in pending}
        waiting_uploads = dict(uploads)
        for _round in range(2000):
            if not any(pending.values()):
                return answers
            for upload_id, (phone, raw) in list(waiting_uploads.items()):
                if rng.random() < 0.3:
                    phone.upload(raw, upload_id=upload_id)
                    if rng.random() < 0.3:
                        phone.upload(raw, upload_id=upload_id)  # the answer got lost: sent again
                    else:
                        del waiting_uploads[upload_id]
            phone = rng.choice([p for p, ops in pending.items() if ops])
            ops = pending[phone]
            batch = rng.sample(ops, rng.randint(1, min(len(ops), 8)))
            batch += rng.sample(sent[phone], min(len(sent[phone]), rng.randint(0, 3)))  # sent twice
            if rng.random() < 0.2:
                batch.append(batch[0])
            rng.shuffle(batch)
            for op, result in zip(batch, phone.send(batch), strict=True):
                answers.append((op, result))
                if result["status"] != "deferred" and op in ops:
                    ops.remove(op)
                    sent[phone].append(op)
        self.fail("the operations were not all delivered")

    def test_nothing_lost_nothing_doubled(self):
        for seed in SEEDS:
            with self.subTest(seed=seed), self.env.cr.savepoint() as savepoint:
                self._check_seed(seed)
                savepoint.rollback()

    def _check_seed(self, seed):
        rng = random.Random(seed)
        uploads, pending, expected = {}, {}, {}
        for technician in self.technicians:
            phone = self.Phone(self, technician, f"seed{seed}")
            pending[phone] = []
            for hour in range(ORDERS_PER_PHONE):
                order = self._day_order(workers=technician, hours=hour * 3)
                ops, expect = self._session(rng, phone, order, uploads)
                pending[phone] += ops
                expected[order] = (ops, expect)
        total = sum(len(ops) for ops in pending.values())
        answers = self._deliver(rng, pending, uploads)
        self._flush_tracking()

        # every operation recorded once, applied (they were all valid), whatever the arrivals
        operations = self.env["service.sync.operation"].sudo().search(
            [("device", "like", f"seed{seed}-%")])
        self.assertEqual(len(operations), total)
        self.assertEqual(Counter(operations.mapped("state")), Counter(applied=total),
                         [(o.kind, o.refusal_reason) for o in operations if o.state == "refused"])
        sent_ids = {op["uuid"] for ops, _expect in expected.values() for op in ops}
        self.assertEqual(set(operations.mapped("uuid")), sent_ids)
        for device, rows in operations.grouped("device").items():
            self.assertEqual(sorted(rows.mapped("sequence")), list(range(1, len(rows) + 1)), device)
        # a duplicate got the first answer again
        first = {}
        for op, result in answers:
            if result["status"] != "deferred":
                self.assertEqual(first.setdefault(op["uuid"], result), result)
        # what each visit left: exactly what it did, once
        for order, (ops, expect) in expected.items():
            label = f"seed {seed}, {order.name}"
            self.assertEqual(self._statuses(order), expect["statuses"], label)
            self.assertEqual(order.state, expect["state"], label)
            self.assertEqual(len(order.time_log_ids), expect["time_logs"], label)
            items = order.work_item_ids.sorted("id")
            self.assertEqual([(len(i.part_ids), len(i.photo_ids), i.state) for i in items],
                             [(e["parts"], e["photos"], e["state"]) for e in expect["items"]], label)
            notes = order.sudo().message_ids.filtered(lambda m: "Note " in (m.body or ""))
            self.assertEqual(len(notes), expect["notes"], label)
            arrive = next(op for op in ops if op["kind"] == "arrive")
            self.assertEqual(order.status_log_ids.filtered(lambda log: log.status == "on_site").date,
                             self.env["service.sync.operation"]._parse_operation(arrive)["device_date"], label)
        stored = self.env["service.sync.upload"].sudo().search([("uuid", "in", list(uploads))])
        self.assertEqual(len(stored), len(uploads), "each photo stored once")
        self.assertEqual(len(stored.attachment_id), len(uploads))
