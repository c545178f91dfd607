"""What a technician's phone did without signal, replayed on the server exactly once.

Each tap on the offline day page (static/src/day/) is an operation with its own id (a UUID
made on the phone), the phone's time, the order's version the phone knew, and a number in
the phone's own sequence. On reconnection the phone sends its operations, in order, to one
endpoint (controllers/service_day.py), which hands them to ``_sync_batch``:

- an id already received is not applied again: the first outcome is answered (as
  ``pos.order.sync_from_ui`` does with an order's uuid);
- an operation waits for the earlier ones of its phone: delivered out of order, it is
  answered "deferred" and the phone sends it again (nothing is recorded for it);
- each operation runs as the technician, through the methods of the online buttons and
  wizards, with their checks (no sudo for the operation itself), in a savepoint: refused,
  nothing of it stays, and the refusal is kept with its reason, shown on the phone and
  given to the dispatcher as an activity;
- an order that changed meanwhile (reassigned, cancelled or closed, rescheduled to another
  day, a new version that changes what a closing signs) refuses the operation;
- the phone's time is used when it is plausible (not in the future, not before the order's
  previous step, not older than MAX_OFFLINE_DAYS), else the server's; both are kept.

The rows are the trail of the sync: made by ``_sync_batch`` only, never changed.
"""
import base64
import json
import re
from datetime import timedelta

import psycopg2
import pytz
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tools import format_datetime, mute_logger

from .common import MAX_LONG_TEXT, MAX_SHORT_TEXT, TECHNICIAN_GROUP, selection_labels
from .service_order_states import CLOSED_STATES
from .service_time_log import FUTURE_TOLERANCE

SYNC_KINDS = [
    ("accept", "Accept"),
    ("decline", "Decline"),
    ("depart", "On my way"),
    ("arrive", "Arrived on site"),
    ("start_work", "Start work"),
    ("pause", "Pause"),
    ("resume", "Resume"),
    ("clock_in", "Clock in"),
    ("clock_out", "Clock out"),
    ("note", "Note"),
    ("work_item_create", "New work item"),
    ("work_item_update", "Work item changed"),
    ("work_item_part", "Part added"),
    ("work_item_photo", "Photo added"),
    ("work_item_submit", "Work item submitted"),
    ("work_item_start_repair", "Repair started"),
    ("work_item_submit_repair", "Repair submitted"),
    ("work_item_complete", "Repair completed"),
    ("work_item_cancel", "Work item cancelled"),
    ("fallout", "Fallout reported"),
    ("complete", "Complete"),
    ("not_done", "Not carried out"),
    ("cancel", "Cancel"),
]
# the technician status each status button moves to (service.order.execution.mixin)
STATUS_KINDS = {"depart": "en_route", "arrive": "on_site", "start_work": "working", "pause": "break",
                "resume": "working"}
CLOSING_KINDS = {"complete", "not_done", "cancel"}
# the operations that move the visit in time: refused when the order moved to another day
VISIT_KINDS = set(STATUS_KINDS) | CLOSING_KINDS | {"accept", "clock_in"}
ITEM_BUTTONS = {
    "work_item_submit": "action_submit",
    "work_item_start_repair": "action_start_repair",
    "work_item_submit_repair": "action_submit_repair",
    "work_item_complete": "action_complete_repair",
    "work_item_cancel": "action_cancel",
}
ITEM_TEXT_FIELDS = {"complaint": MAX_SHORT_TEXT, "diagnosis": MAX_LONG_TEXT, "notes": MAX_LONG_TEXT}
REFUSAL_TYPES = [
    ("conflict", "The order changed meanwhile"),
    ("refused", "Refused by a rule"),
    ("already", "Already done"),
    ("invalid", "Malformed"),
]
CONFLICTS = [
    ("reassigned", "Reassigned"),
    ("cancelled", "Cancelled"),
    ("closed", "Closed"),
    ("rescheduled", "Rescheduled"),
    ("changed", "New version"),
]
# what a confirmation changes (service.order.confirmation.mixin._confirmation_snapshot) that an
# offline closing signs: a new version changing one of them refuses the closing
SIGNED_CHANGES = {"materials", "services", "description"}
SCHEDULE_CHANGES = {"scheduled_start", "scheduled_end"}
REFUSED_ACTIVITY = "service_order.mail_act_sync_refused"

MAX_BATCH = 50               # operations per request: a request stays short
MAX_PAYLOAD_CHARS = 60000    # one operation's data (texts up to MAX_LONG_TEXT, photos go apart)
MAX_OFFLINE_DAYS = 30        # a phone time older than this is not believed
ID_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{7,63}$")


class SyncRefusal(Exception):
    """The operation is refused (and recorded so): ``refusal_type`` from REFUSAL_TYPES,
    ``conflict`` from CONFLICTS; ``notify``: the dispatcher gets an activity; ``link``: the
    row names the order (not when the order is none of the user's)."""

    def __init__(self, message, refusal_type="refused", conflict=False, notify=True, link=True):
        super().__init__(message)
        self.message = message
        self.refusal_type = refusal_type
        self.conflict = conflict
        self.notify = notify and link
        self.link = link


class SyncDeferred(Exception):
    """The operation cannot be applied yet (an earlier one or its photo has not arrived):
    nothing is recorded, the phone sends it again."""


class ServiceSyncOperation(models.Model):
    _name = "service.sync.operation"
    _description = "Offline Operation"
    _inherit = ["service.trail.mixin"]
    _trail_how = "the technician's phone, when it comes back online"
    _order = "server_date desc, sequence desc, id desc"
    _check_company_auto = True

    uuid = fields.Char("Operation Id", required=True, readonly=True, index=True,
                       help="Made by the phone: the same operation received twice is applied once.")
    user_id = fields.Many2one("res.users", string="Technician", required=True, readonly=True, index=True,
                              ondelete="restrict")
    device = fields.Char(required=True, readonly=True, help="The phone (and its user) that made the operation.")
    sequence = fields.Integer(required=True, readonly=True, help="The operation's number on its phone.")
    kind = fields.Selection(SYNC_KINDS, readonly=True, help="Empty for an operation the server does not know.")
    order_id = fields.Many2one("service.order", string="Service Order", readonly=True, index=True,
                               ondelete="cascade", check_company=True)
    order_ref = fields.Integer("Order Id Sent", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="restrict")
    work_item_id = fields.Many2one("service.work.item", readonly=True, ondelete="set null", check_company=True)
    payload = fields.Text(readonly=True, help="What the phone sent (photos and signatures are uploads of their own).")
    base_version = fields.Integer("Version on the Phone", readonly=True,
                                  help="The order's PDF version the phone had when the operation was made.")
    device_date = fields.Datetime("Happened (Phone)", readonly=True, help="The phone's time of the tap.")
    server_date = fields.Datetime("Received", readonly=True, help="When the operation reached the server.")
    applied_date = fields.Datetime(
        "Recorded As", readonly=True,
        help="The time the operation's records carry: the phone's when plausible (not in the future, not "
             "before the order's previous step), else the server's.")
    device_date_used = fields.Boolean("Phone Time Used", readonly=True)
    state = fields.Selection([("applied", "Applied"), ("refused", "Refused")], required=True, readonly=True,
                             index=True)
    refusal_type = fields.Selection(REFUSAL_TYPES, readonly=True)
    conflict = fields.Selection(CONFLICTS, readonly=True)
    refusal_reason = fields.Text(readonly=True)
    dispatcher_notified = fields.Boolean(readonly=True, help="The order's dispatcher got an activity for it.")
    delay = fields.Float("Delay (h)", compute="_compute_delay", digits=(16, 2),
                         help="Hours between the tap on the phone and its arrival on the server.")

    _sql_constraints = [
        ("uuid_uniq", "unique(uuid)", "An offline operation is received once."),
        ("device_sequence_uniq", "unique(user_id, device, sequence)",
         "An operation number is used once per phone."),
    ]

    @api.depends("kind", "order_id")
    def _compute_display_name(self):
        kinds = selection_labels(self, "kind")
        for operation in self:
            operation.display_name = " · ".join(filter(None, [kinds.get(operation.kind), operation.order_id.name]))

    @api.depends("device_date", "server_date")
    def _compute_delay(self):
        for operation in self:
            operation.delay = (operation.server_date - operation.device_date).total_seconds() / 3600 \
                if operation.device_date and operation.server_date else 0.0

    # ------------------------------------------------------------------
    # The batch
    # ------------------------------------------------------------------
    @api.model
    def _sync_batch(self, device, operations):
        """Apply ``operations`` (the phone's, as sent by the offline day page) in their order,
        each exactly once, as the current user. Returns one result per operation, in the
        order given: ``{"uuid", "status": "applied" | "refused" | "deferred", "message", ...}``."""
        if not self.env.user.has_group(TECHNICIAN_GROUP) or self.env.su:
            raise AccessError(self.env._("Only technicians send the operations of their day."))
        if not isinstance(device, str) or not ID_PATTERN.match(device):
            raise UserError(self.env._("The phone's id is missing or malformed."))
        if not isinstance(operations, list) or len(operations) > MAX_BATCH:
            raise UserError(self.env._("Send a list of at most %(max)s operations.", max=MAX_BATCH))
        parsed, results = [], {}
        for index, raw in enumerate(operations):
            try:
                parsed.append(self._parse_operation(raw))
            except SyncRefusal as refusal:
                # not even its id or number can be read: refused as it came, nothing recorded
                results[index] = {"uuid": raw.get("uuid") if isinstance(raw, dict) else None, "status": "refused",
                                  "refusal_type": "invalid", "message": refusal.message}
        checked = {}  # {order id: company} of the orders whose rules this request checked already
        by_uuid = {op["uuid"]: op for op in parsed}
        # sudo: whether these ids were received already, by anyone (an id is unique)
        known = {op.uuid: op for op in self.sudo().search([("uuid", "in", list(by_uuid))])}
        last = self._last_sequence(device)
        done, refused, deferred_from = {}, self.browse(), None
        for op in sorted(parsed, key=lambda op: op["sequence"]):
            uuid = op["uuid"]
            if uuid in done:
                continue
            if uuid in known:
                done[uuid] = known[uuid]._check_same_user()._result()
                continue
            if deferred_from is not None or op["sequence"] > last + 1:
                deferred_from = op["sequence"] if deferred_from is None else deferred_from
                done[uuid] = {"uuid": uuid, "status": "deferred", "message": self.env._(
                    "Waiting for operation %(number)s of this phone.", number=last + 1)}
                continue
            if op["sequence"] <= last:
                done[uuid] = {"uuid": uuid, "status": "refused", "refusal_type": "invalid", "message": self.env._(
                    "Operation number %(number)s of this phone was already received with another id.",
                    number=op["sequence"])}
                continue
            try:
                record = self._apply(device, op, checked)
            except SyncDeferred as deferral:
                deferred_from = op["sequence"]
                done[uuid] = {"uuid": uuid, "status": "deferred", "message": str(deferral)}
                continue
            last = op["sequence"]
            done[uuid] = record._result()
            if record.state == "refused":
                refused |= record
        refused.filtered("dispatcher_notified")._notify_dispatchers()
        return [results[index] if index in results else done[operations[index]["uuid"]]
                for index in range(len(operations))]

    def _check_same_user(self):
        if self.user_id != self.env.user:
            raise AccessError(self.env._("This operation id was received from another user."))
        return self

    def _last_sequence(self, device):
        """The number of the last operation received from ``device``: the ones before it were
        all received (an operation is recorded only after the previous one)."""
        # sudo: the numbers of the current user's own operations only
        groups = self.sudo()._read_group([("user_id", "=", self.env.uid), ("device", "=", device)],
                                         [], ["sequence:max"])
        return groups[0][0] or 0

    def _result(self):
        """What the phone is told about this recorded operation."""
        self.ensure_one()
        result = {"uuid": self.uuid, "status": self.state, "kind": self.kind,
                  "applied_date": fields.Datetime.to_string(self.applied_date) if self.applied_date else False}
        if self.state == "refused":
            result.update(refusal_type=self.refusal_type, conflict=self.conflict or False,
                          message=self.refusal_reason)
        if self.work_item_id:
            result["work_item_id"] = self.work_item_id.id
        return result

    # ------------------------------------------------------------------
    # One operation
    # ------------------------------------------------------------------
    def _parse_operation(self, raw):
        """The operation's fields, checked for shape. Raises SyncRefusal (invalid) when not even
        its id and number can be read (then nothing is recorded); an operation whose data is
        malformed comes back with an ``error``, to be recorded as refused (its phone goes on)."""
        def invalid(message):
            return SyncRefusal(message, "invalid", notify=False)
        if not isinstance(raw, dict):
            raise invalid(self.env._("An operation is an object."))
        uuid, sequence, kind = raw.get("uuid"), raw.get("sequence"), raw.get("kind")
        if not isinstance(uuid, str) or not ID_PATTERN.match(uuid):
            raise invalid(self.env._("The operation's id is missing or malformed."))
        if not isinstance(sequence, int) or isinstance(sequence, bool) or not 0 < sequence < 2**31:
            raise invalid(self.env._("The operation's number is missing or malformed."))
        payload, base = raw.get("payload") or {}, raw.get("base") or {}
        order_id, version = raw.get("order_id"), base.get("version") if isinstance(base, dict) else None
        if not isinstance(order_id, int) or isinstance(order_id, bool) or not 0 < order_id < 2**31:
            order_id = None
        if not isinstance(version, int) or isinstance(version, bool) or not 0 <= version < 2**31:
            version = None
        device_date = None
        if isinstance(raw.get("device_date"), str):
            try:
                device_date = fields.Datetime.to_datetime(raw["device_date"][:19].replace("T", " "))
            except ValueError:
                device_date = None
        text = json.dumps(payload)
        op = {"uuid": uuid, "sequence": sequence, "kind": kind if kind in dict(SYNC_KINDS) else False,
              "order_id": order_id, "payload": payload, "payload_text": text[:MAX_PAYLOAD_CHARS],
              "base_version": version, "device_date": device_date, "error": False}
        if not op["kind"]:
            op["error"] = self.env._("Unknown operation: %(kind)s.", kind=str(kind)[:40])
        elif not isinstance(payload, dict) or not isinstance(base, dict):
            op["error"] = self.env._("The operation's data is malformed.")
        elif len(text) > MAX_PAYLOAD_CHARS:
            op["error"] = self.env._("The operation's data is too long (%(size)s characters).", size=len(text))
        return op

    def _apply(self, device, op, checked=None):
        """Record ``op`` and apply it as the current user, in a savepoint; the refused
        operation is recorded with its reason instead. Raises SyncDeferred."""
        user = self.env.user
        order = self.env["service.order"].browse(op["order_id"]) if op["order_id"] else self.env["service.order"]
        # sudo: the order's company, to file the row; the operation checks the access itself
        order_company = checked[order.id] if checked and order.id in checked else order.sudo().exists().company_id
        vals = {
            "uuid": op["uuid"], "user_id": user.id, "device": device, "sequence": op["sequence"],
            "kind": op["kind"], "order_id": order.id if order_company else False, "order_ref": op["order_id"] or 0,
            "payload": op["payload_text"],
            "base_version": op["base_version"] or 0, "device_date": op["device_date"],
            "server_date": fields.Datetime.now(),
            "company_id": (order_company if order_company in user.company_ids else user.company_id).id,
        }
        try:
            with self.env.cr.savepoint():
                # sudo: the row is the sync's trail, written by this method only; it is
                # claimed first, so that a concurrent delivery of the same id waits for this
                # one and then finds it. The operation itself runs as the user below.
                record = self.sudo().create(dict(vals, state="applied"))
                with mute_logger("odoo.sql_db"):
                    record.flush_recordset()
                effects = self._run(order, op, checked)
                record.write(effects)
            return record
        except psycopg2.errors.UniqueViolation:
            raise SyncDeferred(self.env._("This operation is being received by another request."))
        except SyncDeferred:
            raise
        except SyncRefusal as refusal:
            failure = refusal
        except (UserError, ValidationError, AccessError, MissingError) as error:
            failure = SyncRefusal(str(error.args[0]) if error.args else str(error))
        try:
            with self.env.cr.savepoint():
                # sudo: the refused operation's row, as above (nothing of the operation stays)
                record = self.sudo().create(dict(
                    vals, state="refused", refusal_type=failure.refusal_type, conflict=failure.conflict,
                    refusal_reason=failure.message, dispatcher_notified=failure.notify,
                    order_id=order.id if order_company and failure.link else False))
                with mute_logger("odoo.sql_db"):
                    record.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            raise SyncDeferred(self.env._("This operation is being received by another request."))
        return record

    def _run(self, order, op, checked=None):
        """Apply the operation as the current user; returns the values of its row."""
        if op["error"]:
            raise SyncRefusal(op["error"], "invalid", notify=False)
        kind, payload = op["kind"], op["payload"]
        order = self._check_order(order, op, checked)
        when, used = self._effective_date(order, op)
        effects = {"applied_date": when, "device_date_used": used}
        handler = getattr(self, f"_apply_{kind}", None) or (
            self._apply_status if kind in STATUS_KINDS else self._apply_item_button)
        effects.update(handler(order, payload, when, kind) or {})
        return effects

    # ------------------------------------------------------------------
    # Conflicts: the order changed while the phone was offline
    # ------------------------------------------------------------------
    def _check_order(self, order, op, checked=None):
        """The order, if the current user still works on it as the phone knew it; else a
        SyncRefusal naming what changed. ``checked``: the orders whose access this request
        checked already (no operation of a technician takes them off their order)."""
        if checked is not None and order.id in checked:
            return self._check_order_state(order, op)
        if not order or not order.exists():
            raise SyncRefusal(self.env._("Order #%(id)s does not exist.", id=op["order_id"] or 0), "invalid",
                              link=False)
        if not order.has_access("read") or not order._is_field_worker():
            # sudo: whether this user was ever assigned to the order, and then its number
            was_assigned = self.env["service.order.assignment"].sudo().search_count(
                [("order_id", "=", order.id), ("user_id", "=", self.env.uid)], limit=1)
            if was_assigned:
                raise SyncRefusal(self.env._(
                    "Order %(name)s was reassigned while you were offline: you are no longer one of its "
                    "field workers.", name=order.sudo().name), "conflict", "reassigned")
            raise SyncRefusal(self.env._("Order #%(id)s is not one of your orders.", id=order.id), link=False)
        if checked is not None:
            checked[order.id] = order.company_id
        return self._check_order_state(order, op)

    def _check_order_state(self, order, op):
        """The order is still open, in the version the phone knew (or changed in what does not
        matter to the operation); else a SyncRefusal naming what changed."""
        if order.state in CLOSED_STATES:
            if order.state == "cancelled":
                raise SyncRefusal(self.env._(
                    "Order %(name)s was cancelled while you were offline: %(reason)s", name=order.name,
                    reason=order.cancel_reason or "—"), "conflict", "cancelled")
            raise SyncRefusal(self.env._(
                "Order %(name)s was closed (%(state)s) while you were offline.", name=order.name,
                state=selection_labels(order, "state")[order.state]), "conflict", "closed")
        base = op["base_version"]
        if base is not None and (order.current_version or 0) > base:
            changed = self._changes_since(order, base)
            if set(changed) & SCHEDULE_CHANGES and op["kind"] in VISIT_KINDS and not self._same_day(order, op):
                raise SyncRefusal(self.env._(
                    "Order %(name)s was rescheduled to %(when)s while you were offline (version %(version)s).",
                    name=order.name, when=format_datetime(self.env, order.scheduled_start, dt_format="short"),
                    version=order.current_version), "conflict", "rescheduled")
            signed = [label for key, label in changed.items() if key in SIGNED_CHANGES]
            if signed and op["kind"] in CLOSING_KINDS:
                raise SyncRefusal(self.env._(
                    "Order %(name)s changed while you were offline (version %(version)s: %(fields)s): check the "
                    "order and close it again.", name=order.name, version=order.current_version,
                    fields=", ".join(signed)), "conflict", "changed")
        return order

    def _changes_since(self, order, version):
        """``{key: label}`` of what the confirmations issued after ``version`` changed."""
        # sudo: the changes of the versions of an order the user works on (what its PDFs print)
        documents = order.sudo().document_ids.filtered(lambda d: d.version > version and d.confirmation_id)
        return {change.field_name: change.field_label for change in documents.confirmation_id.change_ids}

    def _same_day(self, order, op):
        """The order's (new) schedule is on the day the operation happened, in the user's time zone."""
        if not order.scheduled_start:
            return False
        try:
            zone = pytz.timezone(self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            zone = pytz.utc
        moment = op["device_date"] or fields.Datetime.now()

        def day(value):
            return pytz.utc.localize(value).astimezone(zone).date()
        return day(order.scheduled_start) == day(moment)

    # ------------------------------------------------------------------
    # Time: the phone's, when plausible
    # ------------------------------------------------------------------
    def _effective_date(self, order, op):
        """``(date, phone's)``: the phone's time of the operation when it is plausible (not in
        the future, not before the order's previous step or the user's previous clocking, not
        older than MAX_OFFLINE_DAYS), else the server's time now."""
        now = fields.Datetime.now()
        moment = op["device_date"]
        if not moment or moment > now + FUTURE_TOLERANCE or moment < now - timedelta(days=MAX_OFFLINE_DAYS):
            return now, False
        floor = self._previous_step_date(order, op["kind"])
        if floor and moment < floor:
            return now, False
        return min(moment, now), True

    def _previous_step_date(self, order, kind):
        """The latest moment the operation cannot be before: the order's last status change (or
        its approval) and, for a clocking, the user's last clock in or out."""
        dates = [order.approved_date, *order.status_log_ids.mapped("date")]
        if kind in ("clock_in", "clock_out"):
            last = self.env["service.time.log"].search([("user_id", "=", self.env.uid)], limit=1)
            dates += [last.date_start, last.date_stop]
        dates = [date for date in dates if date]
        return max(dates) if dates else None

    # ------------------------------------------------------------------
    # The operations: each calls what the online button or wizard calls
    # ------------------------------------------------------------------
    def _apply_accept(self, order, payload, when, kind):
        order.action_accept_assignment()

    def _apply_decline(self, order, payload, when, kind):
        order._do_decline_assignment(self._text(payload, "reason", MAX_LONG_TEXT))

    def _apply_status(self, order, payload, when, kind):
        status = STATUS_KINDS[kind]
        if order.technician_status == status:
            # another field worker (or the office) did it first
            last = order.status_log_ids[:1]
            raise SyncRefusal(self.env._(
                "Order %(name)s is already %(status)s (%(user)s, %(date)s).", name=order.name,
                status=selection_labels(order, "technician_status")[status], user=last.user_id.name or "—",
                date=last.date or "—"), "already", notify=False)
        order._do_technician_status(status, answers=self._answers(payload), when=when)

    def _apply_clock_in(self, order, payload, when, kind):
        order._do_clock_in(when)

    def _apply_clock_out(self, order, payload, when, kind):
        order._do_clock_out_mine(when)

    def _apply_note(self, order, payload, when, kind):
        body = self._text(payload, "body", MAX_LONG_TEXT, required=True)
        order.message_post(body=Markup("<p>%s</p>") % escape(body), message_type="comment",
                           subtype_xmlid="mail.mt_note")

    def _apply_complete(self, order, payload, when, kind):
        order._do_close("completed", answers=self._answers(payload), when=when)

    def _apply_not_done(self, order, payload, when, kind):
        order._do_close("not_done", reason=self._text(payload, "reason", MAX_LONG_TEXT), when=when)

    def _apply_cancel(self, order, payload, when, kind):
        cancel_type = payload.get("cancel_type") or "cancel"
        if cancel_type not in ("cancel", "customer_absent"):
            raise SyncRefusal(self.env._("Unknown way of cancelling: %(type)s.", type=str(cancel_type)[:40]),
                              "invalid", notify=False)
        order._do_cancel(self._text(payload, "reason", MAX_LONG_TEXT), cancel_type,
                         answers=self._answers(payload), when=when)

    def _apply_fallout(self, order, payload, when, kind):
        item = self._item(order, payload) if payload.get("item") else self.env["service.work.item"]
        # the wizard of the online button, as the technician
        self.env["service.fallout.report"].create({
            "order_id": order.id, "work_item_id": item.id, "type_id": self._id(payload, "type_id"),
            "description": self._text(payload, "description", MAX_LONG_TEXT, required=True),
        }).action_confirm()
        return {"work_item_id": item.id}

    def _apply_work_item_create(self, order, payload, when, kind):
        vals = {"order_id": order.id, **self._item_values(payload)}
        parts = payload.get("parts") or []
        if not isinstance(parts, list):
            raise SyncRefusal(self.env._("The parts are malformed."), "invalid", notify=False)
        vals["part_ids"] = [Command.create(self._part_values(part)) for part in parts]
        item = self.env["service.work.item"].create(vals)
        return {"work_item_id": item.id}

    def _apply_work_item_update(self, order, payload, when, kind):
        item = self._item(order, payload)
        vals = self._item_values(payload, creating=False)
        if not vals:
            raise SyncRefusal(self.env._("Nothing to change on the work item."), "invalid", notify=False)
        item.write(vals)
        return {"work_item_id": item.id}

    def _apply_work_item_part(self, order, payload, when, kind):
        item = self._item(order, payload)
        item.write({"part_ids": [Command.create(self._part_values(payload))]})
        return {"work_item_id": item.id}

    def _apply_work_item_photo(self, order, payload, when, kind):
        item = self._item(order, payload)
        upload = self.env["service.sync.upload"]._find(payload.get("upload"))
        item.write({"photo_ids": [Command.link(upload.attachment_id.id)]})
        return {"work_item_id": item.id}

    def _apply_item_button(self, order, payload, when, kind):
        item = self._item(order, payload)
        getattr(item, ITEM_BUTTONS[kind])()
        return {"work_item_id": item.id}

    # ------------------------------------------------------------------
    # Reading what the phone sent
    # ------------------------------------------------------------------
    def _text(self, payload, key, maximum, required=False):
        value = payload.get(key)
        if value is not None and not isinstance(value, str):
            raise SyncRefusal(self.env._("%(field)s must be a text.", field=key), "invalid", notify=False)
        if value and len(value) > maximum:
            raise SyncRefusal(self.env._("%(field)s is too long: %(length)s characters, at most %(max)s.",
                                         field=key, length=len(value), max=maximum), "invalid", notify=False)
        if required and not (value or "").strip():
            raise SyncRefusal(self.env._("%(field)s cannot be empty.", field=key), "invalid", notify=False)
        return value or ""

    def _id(self, payload, key):
        value = payload.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
            raise SyncRefusal(self.env._("%(field)s is missing or malformed.", field=key), "invalid", notify=False)
        return value

    def _item_values(self, payload, creating=True):
        vals = {}
        for name, maximum in ITEM_TEXT_FIELDS.items():
            if name in payload:
                vals[name] = self._text(payload, name, maximum, required=name == "complaint")
        if creating and "complaint" not in vals:
            vals["complaint"] = self._text(payload, "complaint", MAX_SHORT_TEXT, required=True)
        if "estimated_hours" in payload:
            hours = payload["estimated_hours"]
            if isinstance(hours, bool) or not isinstance(hours, (int, float)):
                raise SyncRefusal(self.env._("estimated_hours must be a number."), "invalid", notify=False)
            vals["estimated_hours"] = hours
        return vals

    def _part_values(self, part):
        if not isinstance(part, dict):
            raise SyncRefusal(self.env._("A part is malformed."), "invalid", notify=False)
        quantity = part.get("quantity", 1)
        if isinstance(quantity, bool) or not isinstance(quantity, (int, float)):
            raise SyncRefusal(self.env._("quantity must be a number."), "invalid", notify=False)
        return {"product_id": self._id(part, "product_id"), "quantity": quantity}

    def _item(self, order, payload):
        """The work item the operation acts on: one of the order's (its id, from the pack) or
        one this phone created offline (the id of the operation that created it)."""
        ref = payload.get("item")
        if not isinstance(ref, dict):
            raise SyncRefusal(self.env._("The work item is missing."), "invalid", notify=False)
        Item = self.env["service.work.item"]
        if ref.get("op"):
            creation = self.search([("uuid", "=", str(ref["op"])), ("user_id", "=", self.env.uid)], limit=1)
            if not creation:
                raise SyncDeferred(self.env._("Waiting for the operation that creates the work item."))
            if creation.state == "refused":
                raise SyncRefusal(self.env._("The work item was not created: %(reason)s",
                                             reason=creation.refusal_reason))
            item = creation.work_item_id
        else:
            item = Item.browse(self._id(ref, "id"))
        if not item.exists() or not item.has_access("read") or item.order_id != order:
            raise SyncRefusal(self.env._("This work item is not one of order %(name)s.", name=order.name))
        return item

    def _answers(self, payload):
        """The step form's answers, as the wizard gives them (``{question_id: {"value",
        "signed_by"}}``), photos and signatures read from their uploads."""
        raw = payload.get("answers") or {}
        if not isinstance(raw, dict):
            raise SyncRefusal(self.env._("The answers are malformed."), "invalid", notify=False)
        answers = {}
        Upload = self.env["service.sync.upload"]
        for key, given in raw.items():
            try:
                question_id = int(key)
            except (TypeError, ValueError):
                raise SyncRefusal(self.env._("The answers are malformed."), "invalid", notify=False)
            if not isinstance(given, dict):
                raise SyncRefusal(self.env._("The answers are malformed."), "invalid", notify=False)
            value = given.get("value")
            if isinstance(value, dict):
                value = base64.b64encode(Upload._find(value.get("upload")).attachment_id.raw).decode()
            elif value is not None and not isinstance(value, (str, int, float, bool)):
                raise SyncRefusal(self.env._("The answers are malformed."), "invalid", notify=False)
            signed_by = given.get("signed_by")
            answers[question_id] = {"value": value, "signed_by": signed_by if isinstance(signed_by, str) else None}
        return answers

    # ------------------------------------------------------------------
    # The dispatcher hears of what was refused
    # ------------------------------------------------------------------
    def _notify_dispatchers(self):
        """One message per order listing its refused operations, and an activity for the
        order's dispatcher unless one is still open."""
        kinds = selection_labels(self, "kind")
        activity_type = self.env.ref(REFUSED_ACTIVITY)
        for order, operations in self.filtered("order_id").grouped("order_id").items():
            lines = Markup("").join(
                Markup("<li>%s (%s): %s</li>") % (kinds[op.kind], op.device_date or op.server_date, op.refusal_reason)
                for op in operations)
            body = Markup("<p>%s</p><ul>%s</ul>") % (self.env._(
                "Operations made offline by %(user)s were refused:", user=self.env.user.name), lines)
            # sudo: the order may no longer be the technician's (reassigned); the message and the
            # activity tell the office what the phone could not record
            order = order.sudo()
            order.message_post(body=body, author_id=self.env.user.partner_id.id, message_type="comment",
                               subtype_xmlid="mail.mt_note")
            if not order.activity_ids.filtered(lambda a, t=activity_type: a.activity_type_id == t):
                order.activity_schedule(
                    REFUSED_ACTIVITY, user_id=order._get_wait_approver().id,
                    summary=self.env._("%(name)s: offline operations refused", name=order.name), note=body)
        return True
