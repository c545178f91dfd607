from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from .common import DISPATCHER_GROUP, datetime_formatter
from .service_order_states import CLOSED_STATES

OPEN_SCHEDULE_INDEX = "service_order_open_schedule_gist"


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

    def init(self):
        if self._abstract:  # the index is the order's (service.order inherits this mixin)
            return
        # the overlap of schedules, searched from each open order: a GiST index on the open
        # orders' time ranges finds the orders overlapping one in a few pages, however many
        # orders the database holds (its predicate is the query's, so the planner can use it)
        self.env.cr.execute(SQL("CREATE INDEX IF NOT EXISTS %s ON %s USING gist (%s) WHERE %s",
                                SQL.identifier(OPEN_SCHEDULE_INDEX), SQL.identifier(self._table),
                                schedule_range(), open_scheduled()))

    @api.model
    def _schedule_overlap_sql(self, order_ids=None):
        """Pairs (order, other order, technician) of open orders booking a technician at the same
        time: from each open order (of ``order_ids``, else all), the open orders whose time range
        overlaps its own (the GiST index of init()), then the technicians they share."""
        return SQL(
            """SELECT oa.id, ob.id, a.user_id
                 FROM service_order oa
                 JOIN service_order_field_worker_rel a ON a.order_id = oa.id
                 JOIN service_order ob ON %(range_b)s && %(range_a)s AND ob.id != oa.id AND %(open_b)s
                 JOIN service_order_field_worker_rel b ON b.order_id = ob.id AND b.user_id = a.user_id
                WHERE %(open_a)s %(restrict)s""",
            range_a=schedule_range("oa"), range_b=schedule_range("ob"),
            open_a=open_scheduled("oa"), open_b=open_scheduled("ob"),
            restrict=SQL("AND oa.id IN %s", tuple(order_ids)) if order_ids is not None else SQL(""))

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
        for order in self:
            order.schedule_warning = "; ".join(
                self.env._("%(user)s is also booked on %(order)s (%(start)s to %(end)s)",
                           user=names[user], order=when[other][0], start=when[other][1], end=when[other][2])
                for other, user in pairs.get(order._origin.id, [])) or False

    def _search_schedule_warning(self, operator, value):
        if operator not in ("=", "!=") or value is not False:
            raise UserError(self.env._("Search double bookings with 'is set' or 'is not set'."))
        self.flush_model(["field_worker_ids", "scheduled_start", "scheduled_end", "state"])
        self.env.cr.execute(self._schedule_overlap_sql())
        ids = list({row[0] for row in self.env.cr.fetchall()})
        return [("id", "in" if operator == "!=" else "not in", ids)]

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
            start=format_datetime(self.env, order.scheduled_start, dt_format="short"),
            end=format_datetime(self.env, order.scheduled_end, dt_format="short")) for user, order in conflicts)
