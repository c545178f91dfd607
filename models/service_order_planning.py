from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .common import DISPATCHER_GROUP, datetime_formatter, format_moment
from .service_order_states import CLOSED_STATES

OPEN_SCHEDULE_INDEX = "service_order_open_schedule_gist"
# What makes or ends a double booking.
SCHEDULE_FIELDS = frozenset({"field_worker_ids", "scheduled_start", "scheduled_end", "state"})
# Kept by the mixin itself, never written by a role (added to service.order's protected fields).
PLANNING_PROTECTED_FIELDS = frozenset({"double_booked"})


def schedule_range(alias=None):
    """The order's schedule as a time range (of the table ``alias``)."""
    column = lambda name: SQL.identifier(alias, name) if alias else SQL.identifier(name)
    return SQL("tsrange(%s, %s)", column("scheduled_start"), column("scheduled_end"))


def open_scheduled(alias=None):
    """The orders that can be double-booked: open, with a schedule that lasts."""
    column = lambda name: SQL.identifier(alias, name) if alias else SQL.identifier(name)
    return SQL("%s NOT IN %s AND %s < %s", column("state"), CLOSED_STATES, column("scheduled_start"),
               column("scheduled_end"))


class ServiceOrderPlanningMixin(models.AbstractModel):
    """Double bookings: a technician on two open orders whose schedules overlap. A warning,
    never a refusal: two short jobs next door may really share a slot."""

    _name = "service.order.planning.mixin"
    _description = "Service Order: double bookings"

    schedule_conflict_ids = fields.Many2many(
        "service.order", string="Overlapping Orders", compute="_compute_schedule_conflict_ids",
        help="Open orders sharing a technician of this order at the same time.")
    schedule_warning = fields.Char("Double Booking", compute="_compute_schedule_warning",
                                   search="_search_schedule_warning")
    # stored, so that the board and the list read a column instead of searching overlaps for
    # every card; kept true by create/write/unlink below (_refresh_double_booked). Dispatchers
    # only: a technician hears of their own double bookings only (schedule_warning)
    double_booked = fields.Boolean(
        "Double-Booked", default=False, readonly=True, copy=False, groups=DISPATCHER_GROUP,
        help="A technician of the order is booked on another open order at the same time.")

    def init(self):
        result = super().init()
        if self._abstract:  # the index is the order's (service.order inherits this mixin)
            return result
        # the overlap of schedules, searched from each open order: a GiST index on the open
        # orders' time ranges finds the orders overlapping one in a few pages, however many
        # orders the database holds (its predicate is the query's, so the planner can use it)
        self.env.cr.execute(SQL("CREATE INDEX IF NOT EXISTS %s ON %s USING gist (%s) WHERE %s",
                                SQL.identifier(OPEN_SCHEDULE_INDEX), SQL.identifier(self._table),
                                schedule_range(), open_scheduled()))
        # the flag of the orders that were there before it (an update of the addon): once
        self.env.cr.execute(SQL(
            "UPDATE %(table)s SET double_booked = id IN (SELECT pair.id FROM (%(pairs)s) AS pair(id, other, user_id)) "
            "WHERE double_booked IS NULL", table=SQL.identifier(self._table), pairs=self._schedule_overlap_sql()))
        return result

    # ------------------------------------------------------------------
    # The stored flag: every change of a schedule, a team or a state refreshes the orders it
    # touches (those overlapping before the change and after it) in two queries
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # only an open order with technicians and a schedule can be double-booked (read from
        # the values just created: no query for the others)
        orders.filtered(lambda o: o.field_worker_ids and o.scheduled_start and o.scheduled_end
                        and o.state not in CLOSED_STATES)._refresh_double_booked()
        return orders

    def write(self, vals):
        if not self._changes_schedule(vals):
            return super().write(vals)
        if set(vals) & SCHEDULE_FIELDS == {"state"}:
            # opened or closed, on the same schedule: the refresh finds whom they overlap
            if vals["state"] in CLOSED_STATES:
                # before the state is written (one statement, no early flush of the order); an
                # order without the flag overlapped nobody (sudo: the dispatchers' field, read
                # only to know which orders the change touches)
                flagged = self.sudo().filtered("double_booked")
                flagged._refresh_double_booked(closing=flagged.ids)
                return super().write(vals)
            result = super().write(vals)
            self._refresh_double_booked()
            return result
        # a new schedule or team: whom they overlapped before (a flagged order only) and after
        before = self.sudo().filtered("double_booked")._overlapping_ids()
        result = super().write(vals)
        self._refresh_double_booked(before)
        return result

    def unlink(self):
        before = self.sudo().filtered("double_booked")._overlapping_ids() - set(self.ids)
        result = super().unlink()
        self.browse(before)._refresh_double_booked()
        return result

    def _changes_schedule(self, vals):
        """Whether writing ``vals`` may make or end a double booking: a new schedule or team,
        or a state that opens or closes an order (a status on site changes nothing)."""
        if SCHEDULE_FIELDS.isdisjoint(vals) or not self:
            return False
        if set(vals) & SCHEDULE_FIELDS == {"state"}:
            closing = vals["state"] in CLOSED_STATES
            return any((order.state in CLOSED_STATES) != closing for order in self)
        return True

    def _overlapping_ids(self):
        """ids of the open orders sharing a technician with these at the same time."""
        if not self.ids:
            return set()
        self.flush_model(SCHEDULE_FIELDS)
        self.env.cr.execute(self._schedule_overlap_sql(self.ids))
        return {other for _order, other, _user in self.env.cr.fetchall()}

    def _refresh_double_booked(self, also=(), closing=()):
        """Set ``double_booked`` on these orders, ``also``, and the orders these overlap (by
        their schedules and technicians, open or just closed), in one statement that only
        writes the rows whose flag changes. ``closing``: orders about to be closed (counted as
        closed, so that their state need not be written first)."""
        ids = list(set(self.ids) | set(also))
        if not ids:
            return 0
        self.flush_model(SCHEDULE_FIELDS - {"state"} if closing else SCHEDULE_FIELDS)
        self.env.cr.execute(SQL(
            """WITH near AS (%(near)s),
                    touched AS (SELECT unnest(%(ids)s::int[]) AS id UNION SELECT other FROM near),
                    pair AS (%(pairs)s),
                    -- a double booking has two sides: both orders of each pair are flagged
                    flagged AS (SELECT id FROM pair UNION SELECT other FROM pair)
               UPDATE service_order o SET double_booked = (o.id IN (SELECT id FROM flagged))
                 FROM touched
                WHERE o.id = touched.id AND o.double_booked IS DISTINCT FROM (o.id IN (SELECT id FROM flagged))
            RETURNING o.id""",
            near=SQL("SELECT near.* FROM (%s) AS near(id, other, user_id)",
                     self._schedule_overlap_sql(ids, open_only=False, closing=closing)),
            pairs=SQL("SELECT pair.* FROM (%s) AS pair(id, other, user_id)",
                      self._schedule_overlap_sql(SQL("SELECT id FROM touched"), closing=closing)),
            ids=ids))
        changed = [row[0] for row in self.env.cr.fetchall()]
        if changed:
            self.env["service.order"].browse(changed).invalidate_recordset(["double_booked"])
        return len(changed)

    @api.model
    def _cron_refresh_double_booked(self):
        """Scheduled action: the flag of every open order set from the schedules as they are
        (two concurrent changes of one technician's bookings each see the other's order as it
        was before; this sets what they missed). Returns the number of flags it changed."""
        self.env.cr.execute(SQL("SELECT id FROM service_order WHERE %s OR double_booked",
                                open_scheduled("service_order")))
        orders = self.browse([row[0] for row in self.env.cr.fetchall()])
        return orders._refresh_double_booked()

    @api.model
    def _schedule_overlap_sql(self, order_ids=None, open_only=True, closing=()):
        """Pairs (order, other order, technician) of open orders booking a technician at the same
        time: from each open order (of ``order_ids``, a list or an SQL query of ids, else all),
        the open orders whose time range overlaps its own (the GiST index of init()), then the
        technicians they share. ``open_only=False``: from the orders of ``order_ids`` whatever
        their state (the orders an order that closes was overlapping); ``closing``: ids of
        orders to count as closed already (their new state is not written yet)."""
        if isinstance(order_ids, SQL):
            restrict = SQL("AND oa.id IN (%s)", order_ids)
        else:
            restrict = SQL("AND oa.id IN %s", tuple(order_ids)) if order_ids is not None else SQL("")
        return SQL(
            """SELECT oa.id, ob.id, a.user_id
                 FROM service_order oa
                 JOIN service_order_field_worker_rel a ON a.order_id = oa.id
                 JOIN service_order ob ON %(range_b)s && %(range_a)s AND ob.id != oa.id AND %(open_b)s
                 JOIN service_order_field_worker_rel b ON b.order_id = ob.id AND b.user_id = a.user_id
                WHERE %(open_a)s %(restrict)s""",
            range_a=schedule_range("oa"), range_b=schedule_range("ob"), open_b=open_scheduled("ob"),
            open_a=open_scheduled("oa") if open_only else SQL("oa.scheduled_start < oa.scheduled_end"),
            restrict=SQL("%s AND ob.id != ALL(%s) AND (%s OR oa.id != ALL(%s))", restrict, list(closing),
                         not open_only, list(closing)) if closing else restrict)

    def _schedule_conflict_pairs(self):
        """``{order id: [(other order id, technician id)]}``: the double bookings of these orders,
        in one query; a technician hears of their own double bookings only (a colleague's other
        orders are none of theirs to see)."""
        saved = self.filtered("id")._origin
        pairs = defaultdict(list)
        if not saved:
            return pairs
        own_only = not self.env.user.has_group(DISPATCHER_GROUP)
        self.flush_model(["field_worker_ids", "scheduled_start", "scheduled_end", "state"])
        self.env.cr.execute(self._schedule_overlap_sql(saved.ids))
        for order_id, other_id, user_id in self.env.cr.fetchall():
            if not own_only or user_id == self.env.uid:
                pairs[order_id].append((other_id, user_id))
        return pairs

    # two computes, each reading what it needs: the cards and lists show the warning only
    @api.depends("field_worker_ids", "scheduled_start", "scheduled_end", "state")
    @api.depends_context("uid")
    def _compute_schedule_conflict_ids(self):
        pairs = self._schedule_conflict_pairs()
        # sudo: the orders found, then only those the reader may open
        others = self.sudo().browse({other for values in pairs.values() for other, _u in values})
        visible = set(others.sudo(False)._filtered_access("read").ids)
        for order in self:
            order.schedule_conflict_ids = self.browse(
                [other for other, _u in pairs.get(order._origin.id, []) if other in visible])

    @api.depends("field_worker_ids", "scheduled_start", "scheduled_end", "state")
    @api.depends_context("uid", "tz", "lang")
    def _compute_schedule_warning(self):
        pairs = self._schedule_conflict_pairs()
        # sudo: say which technician is booked elsewhere, even on an order the reader cannot open
        others = self.sudo().browse({other for values in pairs.values() for other, _u in values})
        users = self.env["res.users"].sudo().browse({user for values in pairs.values() for _o, user in values})
        names = {user.id: user.name for user in users}
        formatted = datetime_formatter(self.env)  # once for the page, not per order
        when = {other.id: (other.name, formatted(other.scheduled_start), formatted(other.scheduled_end))
                for other in others}
        own_only = not self.env.su and not self.env.user.has_group(DISPATCHER_GROUP)
        for order in self:
            if not order.id:
                # a form being edited (onchange): the warning of the values on the screen, before saving
                conflicts = self._find_schedule_conflicts(order.field_worker_ids._origin, order.scheduled_start,
                                                          order.scheduled_end, exclude=order._origin)
                order.schedule_warning = "; ".join(
                    self.env._("%(user)s is also booked on %(order)s (%(start)s to %(end)s)", user=user.name,
                               order=other.name, start=formatted(other.scheduled_start),
                               end=formatted(other.scheduled_end))
                    for user, other in conflicts if not own_only or user == self.env.user) or False
                continue
            order.schedule_warning = "; ".join(
                self.env._("%(user)s is also booked on %(order)s (%(start)s to %(end)s)",
                           user=names[user], order=when[other][0], start=when[other][1], end=when[other][2])
                for other, user in pairs.get(order._origin.id, [])) or False

    def _search_schedule_warning(self, operator, value):
        if operator not in ("=", "!=") or value is not False:
            raise UserError(self.env._("Search double bookings with 'is set' or 'is not set'."))
        if not self.env.su and not self.env.user.has_group(DISPATCHER_GROUP):  # own double bookings only
            self.flush_model(SCHEDULE_FIELDS)
            self.env.cr.execute(self._schedule_overlap_sql())
            ids = list({order for order, _other, user in self.env.cr.fetchall() if user == self.env.uid})
            return [("id", "in" if operator == "!=" else "not in", ids)]
        # the stored flag (the rows of an index-less boolean: a scan of the open orders at most)
        return [("double_booked", "=", operator == "!=")]

    @api.model
    def _find_schedule_conflicts(self, users, start, end, exclude=None):
        """``[(technician, order)]``: the open orders booking ``users`` between ``start`` and
        ``end``, other than ``exclude`` (a wizard's warning before the change is made)."""
        if not users or not start or not end or end <= start:
            return []
        # sudo: a warning names the order a technician is booked on, whoever plans
        orders = self.sudo().search([
            ("field_worker_ids", "in", users.ids), ("state", "not in", CLOSED_STATES),
            ("scheduled_start", "<", end), ("scheduled_end", ">", start),
            ("id", "not in", (exclude or self.browse()).ids)], order="scheduled_start")
        return [(user, order) for order in orders for user in order.field_worker_ids & users]

    @api.model
    def _schedule_conflicts_text(self, conflicts):
        return "; ".join(self.env._(
            "%(user)s is already booked on %(order)s (%(start)s to %(end)s)", user=user.name, order=order.name,
            start=format_moment(self.env, order.scheduled_start),
            end=format_moment(self.env, order.scheduled_end)) for user, order in conflicts)
