from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from .common import DISPATCHER_GROUP, technicians_among
from .route_planning import optimise_order, route_length_km

# The orders a technician's day is made of: approved, not cancelled (done ones stay as visited stops).
ROUTE_ORDER_STATES = ("planned", "in_progress", "completed", "not_done")
# What a dispatcher may change by hand: the start and the order of the stops (drag and drop).
DISPATCHER_WRITABLE = {"start_partner_id", "stop_ids"}


class ServiceRoute(models.Model):
    """A technician's day: their orders scheduled that day, as stops in visiting order.

    The stop order is the route's own (``service.route.stop.sequence``), never the orders'
    schedule: reordering a day changes nothing the issued PDFs print. Routes and stops are
    made by the addon (``_get_routes``); a dispatcher optimises or reorders them, the
    technician reads their own."""

    _name = "service.route"
    _description = "Day Route"
    _inherit = ["mail.thread"]
    _order = "date desc, user_id"
    _check_company_auto = True

    user_id = fields.Many2one("res.users", string="Technician", required=True, readonly=True, index=True,
                              ondelete="cascade")
    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    start_partner_id = fields.Many2one(
        "res.partner", string="Start Address", ondelete="set null", tracking=True, check_company=True,
        help="Where the day starts; by default the technician's route start address.")
    start_latitude = fields.Float(related="start_partner_id.partner_latitude", string="Start Latitude")
    start_longitude = fields.Float(related="start_partner_id.partner_longitude", string="Start Longitude")
    stop_ids = fields.One2many("service.route.stop", "route_id", string="Stops")
    stop_count = fields.Integer(compute="_compute_lengths")
    length_km = fields.Float("Length (km)", compute="_compute_lengths", digits=(16, 1),
                             help="As the crow flies, from the start through every stop in this order.")
    scheduled_length_km = fields.Float(
        "Length by Schedule (km)", compute="_compute_lengths", digits=(16, 1),
        help="The same stops visited in the order of their scheduled start.")
    saved_km = fields.Float("Saved (km)", compute="_compute_lengths", digits=(16, 1))
    missing_coordinates = fields.Char(compute="_compute_lengths",
                                      help="Stops whose location has no coordinates: they come last.")
    is_dispatcher = fields.Boolean(compute="_compute_is_dispatcher")
    optimised_date = fields.Datetime("Optimised On", readonly=True, copy=False)
    optimised_by_id = fields.Many2one("res.users", readonly=True, copy=False, ondelete="set null")

    _sql_constraints = [
        ("user_date_company_uniq", "unique(user_id, date, company_id)",
         "A technician has one route per day and company."),
    ]

    @api.depends("user_id", "date")
    def _compute_display_name(self):
        for route in self:
            route.display_name = f"{route.user_id.name} · {format_date(self.env, route.date)}" \
                if route.date else route.user_id.name or ""

    @api.depends("stop_ids.sequence", "stop_ids.latitude", "stop_ids.longitude", "start_latitude",
                 "start_longitude")
    def _compute_lengths(self):
        for route in self:
            stops = route.stop_ids.sorted(lambda s: (s.sequence, s.id))
            located = stops.filtered("has_coordinates")
            start = route._start_point()
            by_schedule = located.sorted(lambda s: (s.scheduled_start or datetime.max, s.id))
            route.stop_count = len(stops)
            route.length_km = route_length_km(start, [s._point() for s in located])
            route.scheduled_length_km = route_length_km(start, [s._point() for s in by_schedule])
            route.saved_km = route.scheduled_length_km - route.length_km
            route.missing_coordinates = ", ".join((stops - located).order_id.mapped("name")) or False

    @api.depends_context("uid")
    def _compute_is_dispatcher(self):
        self.is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)

    def _start_point(self):
        self.ensure_one()
        if self.start_latitude or self.start_longitude:
            return (self.start_latitude, self.start_longitude)
        return None

    # ------------------------------------------------------------------
    # ORM: made by the addon; a dispatcher changes the start and the order of the stops
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su:
            if not self.env.user.has_group(DISPATCHER_GROUP):
                raise AccessError(self.env._("Only dispatchers change a day route; technicians follow theirs."))
            refused = set(vals) - DISPATCHER_WRITABLE - {
                name for name in vals if name.startswith(("message_", "activity_"))}
            if refused:
                raise UserError(self.env._(
                    "These fields of a day route are set by the planning, never by hand: %(fields)s.",
                    fields=", ".join(sorted(self._fields[f].string for f in refused if f in self._fields))))
        result = super().write(vals)
        if "stop_ids" in vals and not self.env.su:
            for route in self:
                route.message_post(body=self.env._(
                    "Stops reordered by %(user)s: %(length)s km.", user=self.env.user.name,
                    length=format(route.length_km, ".1f")))
        return result

    # ------------------------------------------------------------------
    # Making the routes of a day
    # ------------------------------------------------------------------
    @api.model
    def _check_can_plan(self, users):
        """A dispatcher plans any technician's day; a technician only their own."""
        others = users - technicians_among(self.env, users)
        if others:
            raise UserError(self.env._("Only technicians have day routes; not: %(names)s.",
                                       names=", ".join(others.mapped("name"))))
        if not self.env.user.has_group(DISPATCHER_GROUP) and users != self.env.user:
            raise AccessError(self.env._("Technicians see their own day route only."))

    @api.model
    def _day_bounds(self, user, day):
        """The first and last moments (naive UTC) of ``day`` in the technician's time zone."""
        tz = pytz.timezone(user.tz or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        end = tz.localize(datetime.combine(day + timedelta(days=1), time.min)).astimezone(pytz.utc).replace(
            tzinfo=None)
        return start, end

    @api.model
    def _day_orders(self, user, day, company):
        """The technician's orders scheduled to start on ``day``."""
        return self._orders_of_days([(user, day, company)])[user, day, company]

    @api.model
    def _orders_of_days(self, days):
        """``{(technician, day, company): orders}`` for the ``(technician, day, company)`` given:
        each technician's orders starting that day in their time zone, by schedule. One search
        for them all."""
        bounds = {key: self._day_bounds(key[0], key[1]) for key in days}
        result = dict.fromkeys(days, self.env["service.order"])
        if not days:
            return result
        users = self.env["res.users"].union(*(key[0] for key in days))
        # sudo: the orders of the routes' technicians, whoever plans them (checked by the caller)
        orders = self.env["service.order"].sudo().search([
            ("field_worker_ids", "in", users.ids), ("state", "in", ROUTE_ORDER_STATES),
            ("company_id", "in", list({key[2].id for key in days})),
            ("scheduled_start", ">=", min(start for start, _end in bounds.values())),
            ("scheduled_start", "<", max(end for _start, end in bounds.values())),
        ], order="scheduled_start, id")
        for (user, day, company), (start, end) in bounds.items():
            result[user, day, company] = orders.filtered(
                lambda o, u=user, c=company, s=start, e=end: u in o.field_worker_ids and o.company_id == c
                and s <= o.scheduled_start < e)
        return result

    @api.model
    def _get_routes(self, users, day, company=None):
        """The routes of ``users`` on ``day`` (made if missing), with their stops up to date."""
        self._check_can_plan(users)
        company = company or self.env.company
        # sudo: routes are made by the planning only; the caller's right was checked above
        Route = self.sudo()
        routes = Route.search([("user_id", "in", users.ids), ("date", "=", day), ("company_id", "=", company.id)])
        missing = users - routes.user_id
        if missing:
            routes |= Route.create([{
                "user_id": user.id, "date": day, "company_id": company.id,
                "start_partner_id": user._get_service_route_start(company).id,
            } for user in missing])
        routes._sync_stops()
        return routes.sudo(False)

    def _sync_stops(self):
        """Add the orders newly scheduled on the route's day (after the others, by schedule)
        and drop the stops whose order left it; the other stops keep their place."""
        Stop = self.env["service.route.stop"].sudo()  # sudo: stops are the planning's records
        routes = self.sudo()
        day_orders = self._orders_of_days([(r.user_id, r.date, r.company_id) for r in routes])
        stale = Stop
        new_stops = []
        for route in routes:
            orders = day_orders[route.user_id, route.date, route.company_id]
            stale |= route.stop_ids.filtered(lambda s, orders=orders: s.order_id not in orders)
            last = max(route.stop_ids.mapped("sequence"), default=0)
            new_stops += [{"route_id": route.id, "order_id": order.id, "sequence": last + index}
                          for index, order in enumerate(orders - route.stop_ids.order_id, start=1)]
        stale.unlink()
        Stop.create(new_stops)

    @api.model
    def _technicians_of_day(self, day, company=None):
        """Every technician with an order scheduled on ``day``."""
        company = company or self.env.company
        start, end = self._day_bounds(self.env.user, day)
        # the day in any technician's time zone lies within 14 hours of the planner's
        orders = self.env["service.order"].search([
            ("company_id", "=", company.id), ("state", "in", ROUTE_ORDER_STATES),
            ("scheduled_start", ">=", start - timedelta(hours=14)), ("scheduled_start", "<", end + timedelta(hours=14)),
        ])
        technicians = technicians_among(self.env, orders.field_worker_ids)
        day_orders = self._orders_of_days([(user, day, company) for user in technicians])
        return technicians.filtered(lambda user: day_orders[user, day, company])

    # ------------------------------------------------------------------
    # Optimise
    # ------------------------------------------------------------------
    def _check_can_optimise(self):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers optimise day routes."))
        if not self:
            raise UserError(self.env._("Choose the routes to optimise."))

    def _do_optimise(self):
        """Order the stops of each route by travel distance from its start: nearest neighbour,
        then 2-opt, on the coordinates. Stops already visited (the technician went on the way
        or further, or the order is closed) keep their place at the head of the day, and the
        rest is ordered from the last of them. Stops without coordinates come last, by schedule.
        Returns ``{route: (length before, length after)}`` in km."""
        self._check_can_optimise()
        self._sync_stops()
        lengths = {}
        for route in self:
            stops = route.stop_ids.sorted(lambda s: (s.sequence, s.id))
            visited = stops.filtered(lambda s: s.order_id.technician_status != "planned"
                                     or s.order_id.state not in ("planned", "in_progress"))
            todo = (stops - visited).filtered("has_coordinates")
            unplaced = (stops - visited - todo).sorted(lambda s: (s.scheduled_start or datetime.max, s.id))
            located_visited = visited.filtered("has_coordinates")
            start = located_visited[-1:]._point() if located_visited else route._start_point()
            head = self.env["service.route.stop"]
            if start is None and todo:  # no start with coordinates: the day starts at its first stop
                head = todo.sorted(lambda s: (s.scheduled_start or datetime.max, s.id))[:1]
                todo -= head
                start = head._point()
            order = optimise_order(start, [s._point() for s in todo]) if todo else []
            ordered = visited | head | todo.browse([todo[i].id for i in order]) | unplaced
            before = route.length_km
            # sudo: the stop order is the planning's, written after the dispatcher's check
            for sequence, stop in enumerate(ordered, start=1):
                if stop.sequence != sequence:
                    stop.sudo().write({"sequence": sequence})
            route.sudo().write({"optimised_date": fields.Datetime.now(), "optimised_by_id": self.env.user.id})
            route.invalidate_recordset(["length_km", "saved_km", "scheduled_length_km"])
            lengths[route] = (before, route.length_km)
            route.message_post(body=self.env._(
                "Route optimised by %(user)s: %(before)s km before, %(after)s km now (%(scheduled)s km in "
                "the order of the schedule).", user=self.env.user.name, before=format(before, ".1f"),
                after=format(route.length_km, ".1f"), scheduled=format(route.scheduled_length_km, ".1f")))
        return lengths

    def action_optimise(self):
        """Optimise route: order the stops by travel distance (nearest neighbour + 2-opt)."""
        self._do_optimise()
        return True

    def action_refresh(self):
        """Bring the stops up to date with the technician's orders of the day."""
        self._check_can_plan(self.user_id)
        self._sync_stops()
        return True

    # ------------------------------------------------------------------
    # Menus and buttons
    # ------------------------------------------------------------------
    @api.model
    def _action_open_day_routes(self, day=None):
        """The routes of every technician with orders on ``day`` (today by default)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers plan the technicians' days."))
        day = day or fields.Date.context_today(self)
        routes = self._get_routes(self._technicians_of_day(day), day)
        action = self.env["ir.actions.act_window"]._for_xml_id("service_order.service_route_action")
        action["domain"] = [("date", "=", fields.Date.to_string(day))]
        action["name"] = self.env._("Routes of %(day)s", day=format_date(self.env, day))
        if len(routes) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=routes.id)
        return action

    @api.model
    def _action_open_my_route(self):
        """The current technician's route of today, in visiting order (none on a day off)."""
        today = fields.Date.context_today(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("service_order.service_route_action")
        action["name"] = self.env._("My Route Today")
        if not self._day_orders(self.env.user, today, self.env.company):
            action.update(domain=[("user_id", "=", self.env.uid), ("date", "=", fields.Date.to_string(today))],
                          help=self.env._("<p class='o_view_nocontent_empty_folder'>No order for you today</p>"))
            return action
        route = self._get_routes(self.env.user, today)
        action.update(view_mode="form", views=[(False, "form")], res_id=route.id)
        return action

    def action_view_map(self):
        """The stops on a map, numbered in visiting order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Map of %(route)s", route=self.display_name),
            "res_model": "service.route.stop",
            "view_mode": "leaflet_map,list",
            "views": [(self.env.ref("service_order.service_route_stop_view_map").id, "leaflet_map"),
                      (False, "list")],
            "domain": [("route_id", "=", self.id)],
            "context": {"create": False},
        }
