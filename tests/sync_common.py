"""What the tests of the offline day share: a type whose steps ask questions (a yes/no and a
photo on arrival, a checklist and the customer's signature at completion), and a phone that
makes operations as static/src/day/sync.js does (ids, numbers, the phone's time, the version)."""
import io
import uuid
from datetime import datetime, timedelta

from freezegun import freeze_time
from PIL import Image

from .work_item_common import WorkItemCase

# The day of these tests, in UTC (the technicians' zone): the orders are approved in the
# morning, the phone works from 9:00 without network, and the server hears of it at 14:00.
TODAY = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
MORNING = TODAY.replace(hour=8)
PHONE_START = TODAY.replace(hour=9)
AFTERNOON = TODAY.replace(hour=14)


def jpeg(width=64, height=48, colour=(200, 80, 40)):
    """A small real JPEG (what a phone sends after downscaling)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Phone:
    """A technician's phone: its id, its operation counter, its clock (``now``)."""

    def __init__(self, case, user, name="phone"):
        self.case, self.user = case, user
        self.device = f"{name}-{uuid.uuid4().hex[:12]}-u{user.id}"
        self.sequence = 0
        self.now = PHONE_START

    def op(self, kind, order, payload=None, minutes=1, version=None, device_date=None, **extra):
        """The next operation of this phone (``minutes`` after the previous one, phone time)."""
        self.sequence += 1
        self.now += timedelta(minutes=minutes)
        when = device_date or self.now
        return {
            "uuid": str(uuid.uuid4()), "sequence": self.sequence, "kind": kind, "order_id": order.id,
            "base": {"version": order.current_version if version is None else version},
            "device_date": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "payload": payload or {}, **extra,
        }

    def send(self, operations):
        """Deliver ``operations`` in one request, as the phone's technician."""
        results = self.case.env["service.sync.operation"].with_user(self.user)._sync_batch(self.device, operations)
        self.case.env.invalidate_all()
        return results

    def upload(self, raw, name="photo.jpg", upload_id=None, size=None):
        upload_id = upload_id or str(uuid.uuid4())
        record = self.case.env["service.sync.upload"].with_user(self.user)._receive(
            upload_id, name, len(raw) if size is None else size, lambda: raw)
        return upload_id, record


class SyncCase(WorkItemCase):
    """A boiler type whose arrival and completion ask questions; products and fallout types of
    WorkItemCase. The clock stands at AFTERNOON (orders are made in the MORNING)."""

    Phone = Phone

    @classmethod
    def setUpClass(cls):
        with freeze_time(MORNING):
            super().setUpClass()
        # (pytest keeps its own clock: its timings of the tests stay true)
        cls.startClassPatcher(freeze_time(AFTERNOON, ignore=["_pytest"]))
        cls.boiler = cls.env["service.order.type"].create({"name": "Boiler (sync)", "default_duration": 2})
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
        cls.technician.tz = "UTC"
        cls.technician_2.tz = "UTC"

    @classmethod
    def _day_order(cls, workers=None, hours=0, **vals):
        """A boiler order approved this morning, booked today 9:00-11:00 (``hours`` later)."""
        start = PHONE_START + timedelta(hours=hours)
        with freeze_time(MORNING):
            return cls._planned_order(workers=workers, order_type_id=cls.boiler.id, scheduled_start=start,
                                      scheduled_end=start + timedelta(hours=2), **vals)

    @classmethod
    def _site_order(cls, workers=None):
        """An order of the plain type (no step form) approved this morning, its technician on site."""
        with freeze_time(MORNING):
            return cls._on_site_order(workers=workers, scheduled_start=PHONE_START,
                                      scheduled_end=PHONE_START + timedelta(hours=2))

    def _statuses(self, order):
        return order.status_log_ids.sorted(lambda log: (log.date, log.id)).mapped("status")

    def _operations(self, user=None):
        return self.env["service.sync.operation"].sudo().search([("user_id", "=", (user or self.technician).id)])
