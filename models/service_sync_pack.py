"""The technician's day as the phone keeps it: the pack of the offline day page.

Today's and tomorrow's orders of the technician (and any order of theirs under way): each
order's card, address, contact, navigation link, description, materials, work items and
their parts, the questions of its step forms, the version the phone works on and the latest
issued PDF (its link: the phone caches the file apart); the parts catalogue, the fallout
types and the tables of the technician's steps. Built as the technician, so that the record
rules decide what is in it: only their own orders, no consent or access token, prices only
where the technician may read them (their company's *Technicians See Prices*)."""
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import html2plaintext
from odoo.tools.misc import format_amount

from .common import TECHNICIAN_GROUP, selection_labels
from .service_order_states import (
    NEXT_ACTIONS,
    OPEN_FIELD_STATES,
    STATUS_STEPS,
    STATUS_TO_STATE,
    TECHNICIAN_STATUS_TRANSITIONS,
)
from .service_step_question import STEPS
from .service_sync_operation import CLOSING_KINDS, STATUS_KINDS
from .service_sync_upload import MAX_UPLOAD_BYTES, PHOTO_LONG_SIDE

PACK_DAYS = 2               # today and tomorrow
PARTS_CATALOGUE = 300       # the products a technician picks parts from offline
PARTS_HISTORY_DAYS = 180    # ... the ones most used as parts lately
PACK_FORMAT = 1             # the phone throws away a pack of another format


def next_by_status():
    """The field worker's big button per technician status, read from NEXT_ACTIONS as
    service.order.actions.mixin reads it (the phone moves the status offline; accepting a
    pending assignment comes first, the page knows it)."""
    result = {}
    for status, moves in TECHNICIAN_STATUS_TRANSITIONS.items():
        result[status] = next((
            action.key for action in NEXT_ACTIONS
            if action.step and action.who in ("worker", "field_worker") and action.status in moves
            and (not action.from_statuses or status in action.from_statuses)
            and (action.step is True or status in action.step)), False)
    return result


class ServiceSyncPack(models.AbstractModel):
    _name = "service.sync.pack"
    _description = "Technician's Day Pack"

    @api.model
    def _build(self):
        """The current technician's day pack (a JSON-able dict)."""
        user = self.env.user
        if not user.has_group(TECHNICIAN_GROUP) or self.env.su:
            raise AccessError(self.env._("Only technicians keep a day on their phone."))
        zone = self._zone()
        Order = self.env["service.order"].with_context(tz=zone.zone)
        today = datetime.now(pytz.utc).astimezone(zone).date()
        days = [today + timedelta(days=n) for n in range(PACK_DAYS + 1)]
        bounds = [zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
                  for day in days]
        orders = Order.search([
            ("assigned_to_me", "=", True), ("state", "in", OPEN_FIELD_STATES),
            "|", "&", ("scheduled_start", ">=", bounds[0]), ("scheduled_start", "<", bounds[-1]),
            ("state", "=", "in_progress"),
        ], order="scheduled_start, id")
        documents = {}
        for document in self.env["service.order.document"].search(
                [("order_id", "in", orders.ids), ("state", "=", "issued")], order="order_id, version desc"):
            documents.setdefault(document.order_id.id, document)
        clocked = self.env["service.time.log"].search(
            [("user_id", "=", user.id), ("date_stop", "=", False)], limit=1).order_id
        # the company's setting (service.work.item.show_prices decides per work item)
        prices = self.env.company.service_technician_prices
        item_labels = selection_labels(self.env["service.work.item"], "state")
        cards = []
        for order in orders:
            start = order.scheduled_start
            day = pytz.utc.localize(start).astimezone(zone).date() if start else today
            cards.append(self._order_card(order, documents.get(order.id), clocked, item_labels,
                                          "today" if day <= today else "tomorrow"))
        cards.sort(key=lambda card: (card["day"] != "today", card["stop"] or 999, card["start"] or "", card["id"]))
        return {
            "format": PACK_FORMAT,
            "user": {"id": user.id, "name": user.name},
            "built": fields.Datetime.to_string(fields.Datetime.now()),
            "today": fields.Date.to_string(today),
            "prices": prices,
            "orders": cards,
            "questions": self._questions(orders),
            "products": self._parts_catalogue(orders),
            "fallout_types": [{"id": t.id, "name": t.name} for t in self.env["service.fallout.type"].search([])],
            "labels": {
                "status": selection_labels(Order, "technician_status"),
                "next": selection_labels(Order, "next_action"),
                "state": selection_labels(Order, "state"),
                "item_state": item_labels,
                "steps": selection_labels(self.env["service.step.question"], "step"),
                "kinds": selection_labels(self.env["service.sync.operation"], "kind"),
            },
            "flow": {
                "next_by_status": next_by_status(),
                "transitions": {status: sorted(nexts) for status, nexts in TECHNICIAN_STATUS_TRANSITIONS.items()},
                "status_kinds": STATUS_KINDS,
                "status_steps": STATUS_STEPS,
                "status_to_state": STATUS_TO_STATE,
                "closing_kinds": sorted(CLOSING_KINDS),
            },
            "photo": {"long_side": PHOTO_LONG_SIDE, "max_bytes": MAX_UPLOAD_BYTES},
        }

    def _zone(self):
        try:
            return pytz.timezone(self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    def _order_card(self, order, document, clocked, item_labels, day):
        """What the phone shows and needs of one order."""
        place = order.location_id or order.partner_id
        items = order.work_item_ids
        new_item = self.env["service.work.item"].new({"order_id": order.id})
        return {
            "id": order.id,
            "name": order.name,
            "day": day,
            "stop": order.route_stop_number or 0,
            "version": order.current_version or 0,
            "state": order.state,
            "technician_status": order.technician_status,
            "my_assignment": order.my_assignment_state or False,
            "next_action": order.next_action or False,
            "priority": order.priority,
            "type_id": order.order_type_id.id,
            "type": order.order_type_id.name or "",
            "start": fields.Datetime.to_string(order.scheduled_start) if order.scheduled_start else False,
            "end": fields.Datetime.to_string(order.scheduled_end) if order.scheduled_end else False,
            "time_window": order.time_window or "",
            "customer": order.partner_id.display_name or "",
            "place": place.name or "",
            "address": order.location_address or "",
            "latitude": place.partner_latitude or False,
            "longitude": place.partner_longitude or False,
            "navigation_url": order.navigation_url or False,
            "phone": order.contact_phone or False,
            "phone_url": order.phone_url or False,
            "description": html2plaintext(order.description or "").strip(),
            "lines": [{"product": line.product_id.display_name, "name": line.name or "", "quantity": line.quantity,
                       "uom": line.uom_id.name or ""} for line in order.line_ids],
            "work_items": [self._work_item(item, item_labels) for item in items],
            "clocked_in": order == clocked,
            "clocked_elsewhere": bool(clocked) and order != clocked,
            "open_fallouts": order.open_fallout_count,
            "item_flow": {
                "after_submit": new_item._next_state_after_submit(),
                "after_complete": "waiting_repair_approval" if order.company_id.service_repair_dispatcher_approval
                else "done",
                "min_photos": order.company_id.service_min_photos,
            },
            "document": {"id": document.id, "version": document.version, "name": document.name,
                         "url": f"/service_order/day/document/{document.id}.pdf"} if document else False,
            "odoo_url": f"/odoo/service.order/{order.id}",
        }

    def _work_item(self, item, item_labels):
        values = {
            "id": item.id,
            "complaint": item.complaint or "",
            "diagnosis": item.diagnosis or "",
            "notes": item.notes or "",
            "estimated_hours": item.estimated_hours,
            "state": item.state,
            "state_label": item_labels.get(item.state, item.state),
            "parts": [{"product": part.product_id.display_name, "quantity": part.quantity,
                       "uom": part.uom_id.name or ""} for part in item.part_ids],
            "photo_count": item.photo_count,
        }
        if item.show_prices:
            values["estimate"] = format_amount(self.env, item.estimate_amount_total, item.currency_id)
        return values

    def _questions(self, orders):
        """``{type id: {step: [question]}}`` of the orders' types (asked offline as online)."""
        result = {}
        for order_type in orders.order_type_id:
            order = orders.filtered(lambda o, t=order_type: o.order_type_id == t)[:1]
            result[str(order_type.id)] = {
                step: [{"id": q.id, "name": q.name, "type": q.answer_type, "required": q.required,
                        "help": q.help or ""} for q in order._step_questions(step)]
                for step, _label in STEPS}
        return result

    def _parts_catalogue(self, orders):
        """The products the technician picks parts from offline: the ones most used as parts in
        the technician's companies lately, and those already on the day's orders."""
        since = fields.Datetime.now() - timedelta(days=PARTS_HISTORY_DAYS)
        # sudo: which products the company uses as parts (ids and counts only, no order is read)
        used = self.env["service.work.item.part"].sudo()._read_group(
            [("company_id", "in", self.env.user.company_ids.ids), ("create_date", ">=", since)],
            ["product_id"], ["__count"], order="__count desc", limit=PARTS_CATALOGUE)
        Product = self.env["product.product"]
        products = Product.browse([product.id for product, _count in used]) \
            | orders.work_item_ids.part_ids.product_id | orders.line_ids.product_id
        if not products:
            products = Product.search([("sale_ok", "=", True), ("type", "=", "consu")], limit=PARTS_CATALOGUE)
        products = products._filtered_access("read").filtered("active")
        return sorted(({"id": p.id, "name": p.display_name, "uom": p.uom_id.name or ""} for p in products),
                      key=lambda p: p["name"].lower())
