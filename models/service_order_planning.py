from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime

from .common import DISPATCHER_GROUP
from .service_order_states import CLOSED_STATES


class ServiceOrderPlanningMixin(models.AbstractModel):
    """Double bookings: a technician on two open orders whose schedules overlap. A warning,
    never a refusal: two short jobs next door may really share a slot."""

    _name = "service.order.planning.mixin"
    _description = "Service Order: double bookings"

    schedule_conflict_ids = fields.Many2many(
        "service.order", string="Overlapping Orders", compute="_compute_schedule_conflicts",
        help="Open orders sharing a technician of this order at the same time.")
    schedule_warning = fields.Char("Double Booking", compute="_compute_schedule_conflicts",
                                   search="_search_schedule_warning")

    @api.model
    def _schedule_overlap_sql(self, order_ids=None):
        """Pairs (order, other order, technician) of open orders booking a technician at the same time."""
        return SQL(
            """SELECT a.order_id, b.order_id, a.user_id
                 FROM service_order_field_worker_rel a
                 JOIN service_order_field_worker_rel b ON b.user_id = a.user_id AND b.order_id != a.order_id
                 JOIN service_order oa ON oa.id = a.order_id
                 JOIN service_order ob ON ob.id = b.order_id
                WHERE oa.state NOT IN %(closed)s AND ob.state NOT IN %(closed)s
                  AND oa.scheduled_start < ob.scheduled_end AND ob.scheduled_start < oa.scheduled_end
                  AND oa.scheduled_start < oa.scheduled_end AND ob.scheduled_start < ob.scheduled_end
                  %(restrict)s""",
            closed=CLOSED_STATES,
            restrict=SQL("AND a.order_id IN %s", tuple(order_ids)) if order_ids is not None else SQL(""))

    @api.depends("field_worker_ids", "scheduled_start", "scheduled_end", "state")
    @api.depends_context("uid", "tz", "lang")
    def _compute_schedule_conflicts(self):
        saved = self.filtered("id")._origin
        pairs = defaultdict(list)
        # a technician hears of their own double bookings only: a colleague's other orders
        # are none of theirs to see
        own_only = not self.env.user.has_group(DISPATCHER_GROUP)
        if saved:
            self.flush_model(["field_worker_ids", "scheduled_start", "scheduled_end", "state"])
            self.env.cr.execute(self._schedule_overlap_sql(saved.ids))
            for order_id, other_id, user_id in self.env.cr.fetchall():
                if not own_only or user_id == self.env.uid:
                    pairs[order_id].append((other_id, user_id))
        # sudo: say which technician is booked elsewhere, even on an order the reader cannot open
        others = self.sudo().browse({other for values in pairs.values() for other, _u in values})
        users = self.env["res.users"].sudo().browse({user for values in pairs.values() for _o, user in values})
        names = {user.id: user.name for user in users}
        for order in self:
            found = pairs.get(order._origin.id, [])
            conflicts = others.browse([other for other, _u in found])
            order.schedule_conflict_ids = conflicts.sudo(False)._filtered_access("read")
            order.schedule_warning = "; ".join(
                self.env._("%(user)s is also booked on %(order)s (%(start)s to %(end)s)",
                           user=names[user], order=other.name,
                           start=format_datetime(self.env, other.scheduled_start, dt_format="short"),
                           end=format_datetime(self.env, other.scheduled_end, dt_format="short"))
                for other, user in ((others.browse(o), u) for o, u in found)) or False

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
