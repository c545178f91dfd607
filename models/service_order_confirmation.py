from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, is_html_empty

from .common import DISPATCHER_GROUP, MAX_QUANTITY, check_number, format_moment, technicians_among
from .service_order_states import APPROVED_OPEN_STATES


class ServiceOrderConfirmationMixin(models.AbstractModel):
    """Materials and services of the order, and its confirmations: after approval, the one way
    what the PDF prints changes, keeping the before/after and issuing the next version."""

    _name = "service.order.confirmation.mixin"
    _description = "Service Order: confirmations"

    line_ids = fields.One2many("service.order.line", "order_id", string="Materials and Services")
    confirmation_ids = fields.One2many("service.confirmation", "order_id", string="Confirmations",
                                       readonly=True)
    confirmation_count = fields.Integer(compute="_compute_confirmation_count")

    @api.depends("confirmation_ids")
    def _compute_confirmation_count(self):
        counts = self._count_by_order("service.confirmation")
        for order in self:
            order.confirmation_count = counts.get(order, 0)

    def _check_lines_editable(self):
        """Materials and services are edited by hand on a draft only (dispatchers); after
        that they change through a confirmation, which issues the next version."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Technicians add materials and services with Create a Confirmation."))
        issued = self.filtered(lambda o: o.state != "draft")
        if issued:
            raise UserError(self.env._(
                "%(names)s left the draft: its materials and services change only through Create a "
                "Confirmation, which issues the next PDF version.", names=", ".join(issued.mapped("name"))))

    def _confirmation_snapshot(self):
        """What a confirmation may change, as text: (key, label, value) in display order."""
        self.ensure_one()

        def when(value):  # as the PDF prints it: in the customer's time zone
            return format_moment(self.env, value, tz=self._customer_tz()) if value else "—"

        return [
            ("materials", self.env._("Materials"), self.line_ids.filtered(
                lambda line: line.line_type == "material")._summary()),
            ("services", self.env._("Services"), self.line_ids.filtered(
                lambda line: line.line_type == "service")._summary()),
            ("field_worker_ids", self.env._("Field workers"),
             ", ".join(self.field_worker_ids.sorted("name").mapped("name")) or "—"),
            ("lead_technician_id", self.env._("Lead technician"), self.lead_technician_id.name or "—"),
            ("vehicle_id", self.env._("Vehicle"), self.vehicle_id.display_name or "—"),
            ("scheduled_start", self.env._("Scheduled start"), when(self.scheduled_start)),
            ("scheduled_end", self.env._("Scheduled end"), when(self.scheduled_end)),
            ("description", self.env._("Description"),
             html2plaintext(self.description or "").strip() or "—"),
        ]

    def _do_confirm(self, reason, lines=(), workers=None, scheduled_start=None, scheduled_end=None,
                    description=None, lead=None, vehicle=None, remove_workers=None):
        """Record a confirmation: apply the changes, keep their before/after, issue a new version.

        The one way what the PDF prints changes after approval, for every role: a field
        worker of the order or a dispatcher, on a planned or in-progress order (a dispatcher also
        on an order waiting To Plan). Planned means booked: the order is planned once it has a lead
        technician and a start, and back to plan when it loses them before the work starts.
        ``lines`` are dicts with product_id, quantity and optionally name.
        """
        self.ensure_one()
        self._check_can_confirm()
        return self._record_confirmation(reason, lines=lines, workers=workers, scheduled_start=scheduled_start,
                                         scheduled_end=scheduled_end, description=description, lead=lead,
                                         vehicle=vehicle, remove_workers=remove_workers)

    def _record_confirmation(self, reason, lines=(), workers=None, scheduled_start=None, scheduled_end=None,
                             description=None, lead=None, vehicle=None, remove_workers=None):
        """The confirmation itself, once the caller checked who acts (``_do_confirm`` for staff;
        the customer's appointment link, checked by its token, for a new time window)."""
        self.ensure_one()
        reason = self._require_reason(reason, self.env._("Say why the order changes: a reason is required."))
        self._lock_for_numbering()  # the confirmation's and the version's numbers (state mixin)
        for line in lines:
            check_number(self.env, line.get("quantity"), self.env._("A quantity"), MAX_QUANTITY, positive=True)
        nothing_differs = UserError(self.env._(
            "Nothing differs from the order: add materials, workers, services, a new schedule "
            "or a new description."))
        vals = {}
        new_workers = (workers or self.env["res.users"]) - self.field_worker_ids
        leaving = (remove_workers or self.env["res.users"]) & self.field_worker_ids
        if new_workers or leaving:
            vals["field_worker_ids"] = [Command.link(u.id) for u in new_workers] + [
                Command.unlink(u.id) for u in leaving]
        remaining = (self.field_worker_ids | new_workers) - leaving
        if lead and lead != self.lead_technician_id:
            vals["lead_technician_id"] = lead.id
        elif self.lead_technician_id in leaving or (not self.lead_technician_id and new_workers):
            vals["lead_technician_id"] = remaining[:1].id
        if vehicle and vehicle != self.vehicle_id:
            vals["vehicle_id"] = vehicle.id
        if scheduled_start and scheduled_start != self.scheduled_start:
            vals["scheduled_start"] = scheduled_start
        if scheduled_end and scheduled_end != self.scheduled_end:
            vals["scheduled_end"] = scheduled_end
        elif "scheduled_start" in vals and self.scheduled_start and self.scheduled_end:
            # a new start alone moves the window: the visit keeps its length
            vals["scheduled_end"] = self.scheduled_end + (
                fields.Datetime.to_datetime(vals["scheduled_start"]) - self.scheduled_start)
        if description is not None and not is_html_empty(description) and description != self.description:
            vals["description"] = description
        if not lines and not vals:
            raise nothing_differs
        before = self._confirmation_snapshot()
        # the trail, written by this method only, after the checks above
        confirmation = self.env["service.confirmation"]._create_trail({
            "order_id": self.id,
            "sequence": len(self.sudo().confirmation_ids) + 1,
            "reason": reason,
            "user_id": self.env.user.id,
        })
        if lines:
            vals["line_ids"] = [Command.create({**line, "confirmation_id": confirmation.id}) for line in lines]
        # printed fields change only here, with their before/after kept; the state follows the booking
        state = self._state_after_booking(vals)  # booking mixin
        if state:
            self._set_state(state, vals)
        else:
            self._write_workflow(vals)
        after = self._confirmation_snapshot()
        changes = [
            {"sequence": index, "field_name": key, "field_label": label, "old_value": old, "new_value": new}
            for index, ((key, label, old), (_k, _l, new)) in enumerate(zip(before, after, strict=False))
            if old != new
        ]
        if not changes:
            raise nothing_differs
        confirmation.write({"change_ids": [Command.create(change) for change in changes]})
        # the PDF is the job runner's (1-2 s of wkhtmltopdf off the technician's request): the
        # version's number and content are fixed here, it shows as pending until it is issued
        document = self._create_document_version("confirmation", confirmation=confirmation, changes=changes,
                                                 defer=True)
        confirmation.write({"document_id": document.id})
        return confirmation.sudo(False)

    def _check_can_confirm(self):
        """Who records a confirmation, on which orders: a field worker or a dispatcher during the
        field work; a dispatcher on an approved order waiting To Plan."""
        if self.env.user.has_group(DISPATCHER_GROUP) and all(order.state == "to_plan" for order in self):
            return
        self._check_can_work_in_field()

    def action_open_confirmation(self):
        """Open the Create a confirmation wizard."""
        self._check_can_work_in_field()
        return self._open_wizard("service.confirmation.create",
                                 self.env._("Create a confirmation for %(name)s", name=self.name))

    def action_view_confirmations(self):
        """List the order's confirmations."""
        return self._open_related("service.confirmation", self.env._("Confirmations of %(name)s", name=self.name))

    # ------------------------------------------------------------------
    # Dispatch: adding field workers after approval is a confirmation
    # ------------------------------------------------------------------
    def _do_add_field_workers(self, workers, lead=None, scheduled_start=None, scheduled_end=None,
                              vehicle=None, reason=None):
        """Add technicians to approved orders (dispatcher); they are notified and join the
        workspace. The workers, the schedule and the vehicle are printed on the PDF, so the
        change is a confirmation that issues the next version."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can add field workers."))
        not_technicians = workers - technicians_among(self.env, workers)
        if not_technicians:
            raise UserError(self.env._("Only technicians can be field workers; not: %(names)s.",
                                       names=", ".join(not_technicians.mapped("name"))))
        for order in self:
            if order.state not in APPROVED_OPEN_STATES:
                raise UserError(self.env._(
                    "Field workers are added to approved orders; %(name)s is not approved or is closed.",
                    name=order.name))
            order._do_confirm(
                reason or self.env._("Dispatch: field workers assigned by %(user)s.", user=self.env.user.name),
                workers=workers, lead=lead, scheduled_start=scheduled_start,
                scheduled_end=scheduled_end, vehicle=vehicle)
        return True

    def action_open_add_workers(self):
        """Open the Add field workers wizard."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can add field workers."))
        if self.filtered(lambda o: o.state not in APPROVED_OPEN_STATES):
            raise UserError(self.env._("Field workers are added to approved open orders."))
        return self._open_wizard("service.order.worker.add",
                                 self.env._("Add field workers to %(name)s", name=self.name))
