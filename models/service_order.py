from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, create_index

from .common import (
    DISPATCHER_GROUP,
    MAX_SCHEDULE_DAYS,
    SUPERVISOR_GROUP,
    check_schedule_date,
    compute_author_with_fallback,
    field_technicians_domain,
    format_moment,
    technicians_among,
    wizard_action,
)
from .service_order_approval import APPROVAL_PROTECTED_FIELDS
from .service_order_card import CARD_PROTECTED_FIELDS
from .service_order_customer import CUSTOMER_PROTECTED_FIELDS
from .service_order_equipment import EQUIPMENT_ORDER_PROTECTED_FIELDS
from .service_order_planning import PLANNING_PROTECTED_FIELDS
from .service_order_route import ROUTE_PROTECTED_FIELDS
from .service_order_sale import SALE_PROTECTED_FIELDS
from .service_order_sla import SLA_PROTECTED_FIELDS
from .service_order_states import CLOSED_STATES, OPEN_STATES, ORDER_STATES, PRIORITIES, STATE_TRANSITIONS

# Fields a technician may write directly; everything else changes through the order's
# buttons and wizards, which check the order's state and the technician's assignment.
TECHNICIAN_WRITABLE = {"color"}

# What the issued PDF prints: after the draft, these change only through a confirmation,
# which issues the next version (service_order_confirmation.py).
PRINTED_FIELDS = frozenset({
    "partner_id", "location_id", "order_type_id", "scheduled_start", "scheduled_end",
    "description", "field_worker_ids", "lead_technician_id", "vehicle_id", "line_ids", "equipment_id",
})
# Who the order's followers and workspace members follow (workspace mixin).
PEOPLE_FIELDS = frozenset({"field_worker_ids", "requested_by_id", "supervisor_id", "dispatcher_id"})
# Workflow and audit fields: written by the order's own methods only, never by a role.
PROTECTED_FIELDS = frozenset({
    "name", "technician_status", "submitted_date", "approved_date", "approved_by_id",
    "reject_reason", "cancel_reason", "cancel_type", "close_reason", "closed_date",
    "closed_by_id", "step_answer_ids", "assignment_ids",
    "customer_signature", "customer_signed_by", "customer_signed_date", "status_log_ids",
    "channel_id", "access_token", "current_document_id", "document_ids", "confirmation_ids", "partner_lang",
    "location_address",
}) | SLA_PROTECTED_FIELDS | ROUTE_PROTECTED_FIELDS | SALE_PROTECTED_FIELDS | PLANNING_PROTECTED_FIELDS \
    | CARD_PROTECTED_FIELDS | APPROVAL_PROTECTED_FIELDS | EQUIPMENT_ORDER_PROTECTED_FIELDS \
    | CUSTOMER_PROTECTED_FIELDS


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    # What an order is made of: each feature is a named mixin in its own file. The three rules of
    # their order below are asserted by tests/test_composition.py (the method resolution order).
    _inherit = [
        "service.order.portal.mixin",          # the customer's link: who receives it, what it may post
                                               # (before portal.mixin and mail.thread, which it extends)
        "service.order.customer.mixin",        # the customer in the loop: appointment notice, status page,
                                               # reschedule, rating (extends booking's _notify_replanned,
                                               # execution's _do_technician_status, rating's _rating_get_operator)
        "portal.mixin",
        "rating.mixin",                        # the customer's rating of the visit (Odoo's; before mail.thread,
                                               # which it extends)
        "mail.thread",
        "service.order.card.mixin",            # what cards and lists read: the activity state in one
                                               # query (before mail.activity.mixin, whose compute it replaces)
        "mail.activity.mixin",
        # The features, in the method resolution order: a feature that extends another's
        # method (always calling super()) is listed before it.
        "service.order.stock.mixin",           # parts from the van: materials leave it when completed;
                                               # extends execution (close blockers) and sale (quantities)
        "service.order.approval.mixin",        # submit, the approval policy (supervisor, on submit, Service
                                               # Manager above an amount), review, revise; states moved by hand
        "service.order.booking.mixin",         # booking on the form, planned means booked, re-planning (drops,
                                               # Plan, Reassign the day): a confirmation each
        "service.order.execution.mixin",       # technician status, cancel, close
        "service.order.workspace.mixin",       # the order's Discuss channel and its members
        "service.order.versioning.mixin",      # issued PDF versions
        "service.order.equipment.mixin",       # the customer's equipment, its preventive plan, progress
        "service.order.estimate.mixin",        # prepared work, the order's one estimate (a quotation);
                                               # extends sale (_labour_quantities) and work items
        "service.order.sale.mixin",            # the sale order of the accepted work, invoicing (Odoo's Sales);
                                               # extends confirmation (_do_confirm) and time (_on_time_logged)
        "service.order.confirmation.mixin",    # materials and services, confirmations
        "service.order.work.mixin",            # work items (the repair board), consent
        "service.order.fallout.mixin",         # fallouts
        "service.order.time.mixin",            # time logs (closing the order clocks everybody out)
        "service.order.steps.mixin",           # the short form each technician transition may ask
        "service.order.day.mixin",             # landing pages, My day, accepting an assignment
        "service.order.actions.mixin",         # what the user can do next: the buttons of every view, from one table
        "service.order.sla.mixin",             # service level: deadlines, at risk / late, met / missed
        "service.order.route.mixin",           # geolocation, stop of its technicians' day routes (not printed)
        "service.order.planning.mixin",        # double bookings of a technician
        "service.integer.bounds.mixin",        # a colour the integer column cannot hold: a clear refusal
        # last: the transition table, the one _set_state, protected fields; the base of the
        # _on_state_changed hook that the features above extend
        "service.state.mixin",
    ]
    _state_transitions = STATE_TRANSITIONS
    _protected_fields = PROTECTED_FIELDS
    _order = "priority desc, scheduled_start, id desc"
    _check_company_auto = True
    _track_duration_field = "state"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="New",
        index="trigram",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="restrict",
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index=True,
        ondelete="restrict", check_company=True,
    )
    location_id = fields.Many2one(
        "res.partner", string="Intervention Location", tracking=True, index=True,
        ondelete="restrict", check_company=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="The address where the work is done: the customer or one of its addresses.",
    )
    location_latitude = fields.Float(
        related="location_id.partner_latitude", string="Latitude", digits=(10, 7),
    )
    location_longitude = fields.Float(
        related="location_id.partner_longitude", string="Longitude", digits=(10, 7),
    )
    # stored: the board, the list and the map show it for every order they read
    location_address = fields.Char(compute="_compute_location_address", store=True)
    # read by the leaflet map view (web_view_leaflet_map) for every record it shows: without
    # it the view's search_read fails and the map shows no marker
    date_localization = fields.Date(related="location_id.date_localization", string="Geolocated On")
    order_type_id = fields.Many2one(
        "service.order.type", string="Type", tracking=True, ondelete="restrict",
        check_company=True,
    )
    priority = fields.Selection(PRIORITIES, default="0", tracking=True, index=True)
    description = fields.Html(sanitize=True, sanitize_overridable=False)
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user,
        ondelete="restrict", tracking=True,
    )
    dispatcher_id = fields.Many2one(
        "res.users", ondelete="restrict", tracking=True,
        default=lambda self: self.env.user if self.env.user.has_group(DISPATCHER_GROUP) else False,
        domain=lambda self: [("groups_id", "in", self.env.ref(DISPATCHER_GROUP).ids)],
    )
    supervisor_id = fields.Many2one(
        "res.users", ondelete="restrict", tracking=True,
        default=lambda self: self.env.company.service_default_supervisor_id,
        domain=lambda self: [("groups_id", "in", self.env.ref(SUPERVISOR_GROUP).ids)],
    )
    scheduled_start = fields.Datetime(tracking=True, index=True)
    scheduled_end = fields.Datetime(tracking=True)
    field_worker_ids = fields.Many2many(
        "res.users", "service_order_field_worker_rel", "order_id", "user_id",
        string="Field Workers",
        domain=lambda self: field_technicians_domain(self.env),
    )
    lead_technician_id = fields.Many2one(
        "res.users", ondelete="restrict", tracking=True,
        index=True,
        domain=lambda self: field_technicians_domain(self.env),
    )
    vehicle_id = fields.Many2one(
        "fleet.vehicle", ondelete="restrict", tracking=True,
        check_company=True,
    )
    state = fields.Selection(
        ORDER_STATES, default="draft", required=True, tracking=True, index=True,
        copy=False, group_expand="_group_expand_states",
    )
    is_closed = fields.Boolean(compute="_compute_is_closed", search="_search_is_closed")
    is_open = fields.Boolean(
        "Open", compute="_compute_is_closed", search="_search_is_open",
        help="Draft, submitted, planned or in progress (the Open filter).")
    is_dispatcher = fields.Boolean(
        compute="_compute_is_dispatcher",
        help="The current user is a dispatcher: technicians change the order through its buttons.")
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, ondelete="set null")
    # internal reasons: staff read them, customers never (portal pages, RPC)
    reject_reason = fields.Text(readonly=True, copy=False, groups="base.group_user")
    color = fields.Integer()

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)",
         "The order number must be unique per company."),
    ]

    def init(self):
        result = super().init()  # the mixins' indexes (planning: the open orders' schedules)
        # the default sort of every list and kanban column: without it, a page of 80 sorts every
        # order that matches (tens of milliseconds at 100,000 orders)
        create_index(self.env.cr, "service_order_default_order_index", self._table,
                     ["priority DESC", "scheduled_start", "id DESC"])
        # the open orders, a small share of a database that keeps years of closed ones: what a
        # technician's page joins with their rows of the field workers, and what the Open filter
        # counts, found in this index alone (the columns of the sort and of the company rule
        # included), however many closed orders there are
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS service_order_open_index ON %s (id) "
            "INCLUDE (priority, scheduled_start, company_id) WHERE state IN %s",
            SQL.identifier(self._table), OPEN_STATES))
        return result

    # ------------------------------------------------------------------
    # Computes, constraints, onchanges
    # ------------------------------------------------------------------
    @api.depends("location_id.street", "location_id.street2", "location_id.zip", "location_id.city",
                 "location_id.state_id", "location_id.country_id")
    def _compute_location_address(self):
        for order in self:
            lines = order.location_id._display_address(without_company=True).split("\n") \
                if order.location_id else []
            order.location_address = ", ".join(
                part.strip(" ,") for part in lines if part.strip(" ,")) or False

    @api.depends("state")  # so that new records (onchange) compute it too
    @api.depends_context("uid")
    def _compute_is_dispatcher(self):
        self.is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)

    @api.depends("state")
    def _compute_is_closed(self):
        for order in self:
            order.is_closed = order.state in CLOSED_STATES
            order.is_open = order.state in OPEN_STATES

    def _search_is_closed(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on is_closed: %(op)s", op=operator))
        closed = (operator == "=") == bool(value)
        return [("state", "in", CLOSED_STATES if closed else OPEN_STATES)]

    def _search_is_open(self, operator, value):
        # "state in" the open states, never "not in" the closed ones: the index of the open
        # orders serves it ("not in" adds "OR state IS NULL")
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search Open with = or != and True or False."))
        return [("state", "in", OPEN_STATES if (operator == "=") == value else CLOSED_STATES)]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.constrains("scheduled_start", "scheduled_end")
    def _check_schedule(self):
        for order in self:
            if order.scheduled_start and order.scheduled_end \
                    and order.scheduled_end < order.scheduled_start:
                raise ValidationError(self.env._(
                    "Order %(name)s: the scheduled end (%(end)s) is before the scheduled start (%(start)s).",
                    name=order.name, end=format_moment(self.env, order.scheduled_end),
                    start=format_moment(self.env, order.scheduled_start)))
            if order.scheduled_start and order.scheduled_end \
                    and order.scheduled_end - order.scheduled_start > timedelta(days=MAX_SCHEDULE_DAYS):
                raise ValidationError(self.env._(
                    "Order %(name)s: a schedule from %(start)s to %(end)s is longer than %(days)s days; plan "
                    "several orders.", name=order.name, start=format_moment(self.env, order.scheduled_start),
                    end=format_moment(self.env, order.scheduled_end),
                    days=MAX_SCHEDULE_DAYS))

    def _check_schedule_values(self, vals):
        """Refuse a schedule outside the plausible window before anything is computed from it
        (a year 9999 overflows the service level's and the route's date arithmetic)."""
        for name in ("scheduled_start", "scheduled_end"):
            if vals.get(name):
                check_schedule_date(self.env, vals[name], self._fields[name]._description_string(self.env))

    @api.constrains("lead_technician_id", "field_worker_ids")
    def _check_lead_technician(self):
        for order in self:
            if order.lead_technician_id and order.lead_technician_id not in order.field_worker_ids:
                raise ValidationError(self.env._(
                    "Order %(name)s: the lead technician %(user)s must be one of the field workers.",
                    name=order.name, user=order.lead_technician_id.name))

    @api.constrains("field_worker_ids", "company_id")
    def _check_field_workers_are_technicians(self):
        """Field workers are technicians who work in the order's company (they read its
        workspace, its customer and its PDFs)."""
        for order in self:
            others = order.field_worker_ids - technicians_among(self.env, order.field_worker_ids)
            if others:
                raise ValidationError(self.env._(
                    "Only technicians can be field workers; not: %(names)s.",
                    names=", ".join(others.mapped("name"))))
            # sudo: the companies of the users, whatever the caller may read of them
            elsewhere = order.field_worker_ids.sudo().filtered(lambda user, o=order: o.company_id not in user.company_ids)
            if elsewhere:
                raise ValidationError(self.env._(
                    "%(names)s do not work in %(company)s, the company of order %(name)s: they cannot be its "
                    "field workers.", names=", ".join(elsewhere.mapped("name")), company=order.company_id.name,
                    name=order.name))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and (not self.location_id or self.location_id not in (
                self.partner_id | self.partner_id.child_ids)):
            self.location_id = self.partner_id.address_get(["delivery"])["delivery"]

    @api.onchange("scheduled_start", "order_type_id")
    def _onchange_scheduled_start(self):
        if self.scheduled_start and not self.scheduled_end and self.order_type_id:
            self.scheduled_end = self.scheduled_start + timedelta(
                hours=self.order_type_id.default_duration)

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_schedule_values(vals)
            if vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A service order is created as a draft; submit it to move it on."))
            given = set(vals) - ({"name"} if vals.get("name", "New") == "New" else set())
            self._check_protected_fields(given)
            self._check_company_allowed(vals)
            if vals.get("name", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "service.order") or "New"
        orders = super().create(vals_list)
        with_workers = orders.filtered("field_worker_ids")
        with_workers._on_people_changed({})  # workspace mixin
        with_workers._sync_assignments()  # day mixin: each worker has an assignment to accept
        return orders

    def write(self, vals):
        self._check_schedule_values(vals)  # whoever writes: confirmations write the schedule under sudo
        if not self.env.su:  # su: the order's own methods, after their checks (service.state.mixin)
            self._check_protected_fields(vals)
            self._check_can_write(vals)
            if "state" in vals:
                # A plain write of the state (kanban drag & drop, import, RPC) performs the
                # same checked transition as the matching button, or is refused.
                vals = dict(vals)
                target = vals.pop("state")
                self.filtered(lambda o: o.state != target)._move_to_state(target)
                if not vals:
                    return True
        before = {order.id: order.field_worker_ids for order in self} if PEOPLE_FIELDS & set(vals) else None
        result = super().write(vals)
        if before is not None:
            self._on_people_changed(before)  # followers and workspace follow (workspace mixin)
            self._clock_out_removed_workers(before)  # time mixin
            self._sync_assignments()  # day mixin: each worker has an assignment to accept
        return result

    def _check_can_write(self, vals):
        """Refuse what the current user may not write by hand on these orders: technicians
        act through buttons; after the draft, what the PDF prints changes only through a
        confirmation (a new version); an order never moves into a company the user is not in.
        Choosing the lots of its materials (not printed) is the lines' own check."""
        if set(vals) == {"line_ids"} and self.env["service.order.line"]._lot_only_commands(vals["line_ids"]):
            return
        if not self.env.user.has_group(DISPATCHER_GROUP):
            refused = set(vals) - TECHNICIAN_WRITABLE
            if refused:
                raise AccessError(self.env._(
                    "Technicians change an order through its buttons and wizards; these fields "
                    "cannot be written directly: %(fields)s.", fields=self._field_labels(refused)))
            return
        self._check_sla_terms_writable(vals)  # sla mixin
        printed = set(vals) & PRINTED_FIELDS
        issued = self.filtered(lambda o: o.state != "draft")
        if printed and issued:
            raise UserError(self.env._(
                "%(names)s left the draft: its %(fields)s change only through Create a "
                "Confirmation, which issues the next PDF version.",
                names=", ".join(issued.mapped("name")), fields=self._field_labels(printed)))
        if "company_id" in vals:
            if issued:
                raise UserError(self.env._("Only a draft order can move to another company."))
            self._check_company_allowed(vals)

    def _check_company_allowed(self, vals):
        if vals.get("company_id") and vals["company_id"] not in self.env.user.company_ids.ids:
            raise AccessError(self.env._("You cannot put an order in a company you do not work in."))

    def _field_labels(self, names):
        return ", ".join(sorted(self._fields[name]._description_string(self.env) for name in names if name in self._fields))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(order.state != "draft" for order in self):
            raise UserError(self.env._(
                "Only draft service orders can be deleted; cancel the others instead."))

    def _on_state_changed(self, new_state):
        """After every state change (service.state.mixin): a closed order clocks everybody out."""
        result = super()._on_state_changed(new_state)
        if new_state in CLOSED_STATES:
            self._clock_out_everybody()  # time mixin
        return result

    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        # a user without an e-mail address still posts (common.compute_author_with_fallback)
        return compute_author_with_fallback(super()._message_compute_author, self.env, author_id, email_from,
                                            raise_on_email)

    def _state_refusal(self, record, new_state):
        return UserError(self.env._(
            "Order %(name)s cannot go from %(old)s to %(new)s.", name=record.name,
            old=self._state_label(record.state), new=self._state_label(new_state)))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _open_wizard(self, model, title, context=None):
        self.ensure_one()
        return wizard_action(title, model, {"default_order_id": self.id, **(context or {})})

    def _open_related(self, model, title, context=None, view_mode="list,form"):
        """A list of the order's records of ``model`` (documents, confirmations, ...)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": view_mode,
            "domain": [("order_id", "=", self.id)],
            "context": {"default_order_id": self.id, "create": False, **(context or {})},
        }

    def _count_by_order(self, model, domain=()):
        """``{order: count}`` of the ``model`` records of these orders, in one query."""
        return dict(self.env[model]._read_group(
            [("order_id", "in", self.ids), *domain], ["order_id"], ["__count"]))

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        result = super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/service_orders/{order.id}"
        return result
