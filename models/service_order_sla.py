from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

from .common import DISPATCHER_GROUP, datetime_formatter, text_to_html
from .service_order_states import CLOSED_STATES

SLA_STATUSES = [
    ("none", "No Target"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("late", "Late"),
    ("met", "Met"),
    ("missed", "Missed"),
]
SLA_RESULTS = [("met", "Met"), ("missed", "Missed")]
# The clock runs from the submission while the order is open.
SLA_OPEN_STATES = ("submitted", "to_plan", "planned", "in_progress")
# Closed orders judged against their targets; a cancelled or rejected order is not.
SLA_JUDGED_STATES = ("completed", "not_done")
# A technician status that means somebody reached the site (the response).
ON_SITE_STATUSES = ("on_site", "working", "break", "done")
# Set by the order's own computes and its scheduled action, never by a role
# (added to service.order's protected fields).
SLA_PROTECTED_FIELDS = frozenset({
    "sla_policy_id", "sla_response_risk_date", "sla_response_deadline", "sla_resolution_risk_date",
    "sla_resolution_deadline", "sla_responded_date", "sla_response_result", "sla_resolution_result",
    "sla_result", "sla_met_percent", "sla_alert_date",
})
SLA_ALERT_ACTIVITY = "service_order.mail_act_sla_at_risk"


def duration_texts(env):
    """The words of ``duration_label`` in the language of ``env``, translated once."""
    return {
        "days": env._("%(days)s d %(hours)s h"),
        "hours": env._("%(hours)s h %(minutes)s min"),
        "minutes": env._("%(minutes)s min"),
    }


def duration_label(env, delta, texts=None):
    """A wall-clock duration as a person says it: "45 min", "3 h 10 min", "2 d 4 h" (``texts``:
    ``duration_texts``, for many labels in one go)."""
    texts = texts or duration_texts(env)
    minutes = max(int(abs(delta.total_seconds()) // 60), 1)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return texts["days"] % {"days": days, "hours": hours}
    if hours:
        return texts["hours"] % {"hours": hours, "minutes": minutes}
    return texts["minutes"] % {"minutes": minutes}


class ServiceOrderSlaMixin(models.AbstractModel):
    """Service level of an order: from its submission, the deadlines of its target
    (service.sla.policy) in working hours, whether it is on track, at risk or late, and
    whether the closed order met them. A scheduled action gives the dispatcher one activity
    the first time an order is at risk."""

    _name = "service.order.sla.mixin"
    _description = "Service Order: service level"

    sla_policy_id = fields.Many2one(
        "service.sla.policy", string="Service Target", compute="_compute_sla_deadlines", store=True,
        readonly=True, ondelete="restrict", copy=False)
    sla_response_risk_date = fields.Datetime(
        "Response At Risk From", compute="_compute_sla_deadlines", store=True, readonly=True, copy=False)
    sla_response_deadline = fields.Datetime(
        "Response Deadline", compute="_compute_sla_deadlines", store=True, readonly=True, copy=False,
        help="A technician must be on site by then (response target, in working hours from the submission).")
    sla_resolution_risk_date = fields.Datetime(
        "Resolution At Risk From", compute="_compute_sla_deadlines", store=True, readonly=True, copy=False)
    sla_resolution_deadline = fields.Datetime(
        "Resolution Deadline", compute="_compute_sla_deadlines", store=True, readonly=True, copy=False, index=True,
        help="The order must be closed by then (resolution target, in working hours from the submission).")
    sla_responded_date = fields.Datetime(
        "On Site At", compute="_compute_sla_responded_date", store=True, readonly=True, copy=False,
        help="When a technician first reached the site.")
    sla_response_result = fields.Selection(
        SLA_RESULTS, string="Response", compute="_compute_sla_results", store=True, readonly=True, copy=False)
    sla_resolution_result = fields.Selection(
        SLA_RESULTS, string="Resolution", compute="_compute_sla_results", store=True, readonly=True, copy=False)
    sla_result = fields.Selection(
        SLA_RESULTS, string="SLA", compute="_compute_sla_results", store=True, readonly=True, copy=False,
        index=True, help="Kept on the closed order: met when every target of the order was met.")
    sla_met_percent = fields.Float(
        "SLA Met (%)", compute="_compute_sla_results", store=True, readonly=True, copy=False,
        aggregator="avg", digits=(16, 1),
        help="100 for a closed order that met its targets, 0 for one that missed them: averaged, "
             "the met rate.")
    sla_alert_date = fields.Datetime(
        "At-Risk Alert Given", readonly=True, copy=False,
        help="When the dispatcher got the activity for this order at risk (never given twice).")
    sla_status = fields.Selection(
        SLA_STATUSES, string="Service Level", compute="_compute_sla_status", search="_search_sla_status")
    sla_due_date = fields.Datetime("Next Deadline", compute="_compute_sla_status")
    sla_reason = fields.Char("Service Level Detail", compute="_compute_sla_status")

    # ------------------------------------------------------------------
    # Deadlines and results (stored)
    # ------------------------------------------------------------------
    @api.depends("submitted_date", "order_type_id", "priority", "company_id")
    def _compute_sla_deadlines(self):
        # what these depend on is fixed once the order is closed (_check_sla_terms_writable):
        # a closed order keeps the targets it was judged by
        started = self.filtered("submitted_date")
        policies = self.env["service.sla.policy"]._find_for(started)
        for order in self:
            policy = policies.get(order) if order.submitted_date else None
            order.sla_policy_id = policy
            (order.sla_response_risk_date, order.sla_response_deadline, order.sla_resolution_risk_date,
             order.sla_resolution_deadline) = policy._deadlines(order.submitted_date, order.company_id) \
                if policy else (False,) * 4

    def _check_sla_terms_writable(self, vals):
        """The priority of a closed order stays the one its service level was judged by."""
        closed = self.filtered(lambda o: o.state in CLOSED_STATES)
        if "priority" in vals and closed:
            raise UserError(self.env._(
                "%(names)s is closed: its priority stays the one its service level was judged by.",
                names=", ".join(closed.mapped("name"))))

    @api.depends("status_log_ids.status", "status_log_ids.date")
    def _compute_sla_responded_date(self):
        # one query for all the orders (a status change recomputes it: keep it cheap)
        saved = self._origin.filtered("id")
        # sudo: the logs of orders the caller acts on; only their first date on site is read
        first = dict(self.env["service.order.status.log"].sudo()._read_group(
            [("order_id", "in", saved.ids), ("status", "in", ON_SITE_STATUSES)], ["order_id"], ["date:min"],
        )) if saved else {}
        for order in self:
            order.sla_responded_date = first.get(order._origin, False)

    @api.depends("state", "closed_date", "sla_responded_date", "sla_response_deadline", "sla_resolution_deadline")
    def _compute_sla_results(self):
        for order in self:
            response = resolution = False
            if order.sla_response_deadline:
                if order.sla_responded_date:
                    response = "met" if order.sla_responded_date <= order.sla_response_deadline else "missed"
                elif order.state == "not_done":
                    response = "missed"
            if order.sla_resolution_deadline and order.state in SLA_JUDGED_STATES:
                closed = order.closed_date or fields.Datetime.now()
                resolution = "met" if order.state == "completed" and closed <= order.sla_resolution_deadline \
                    else "missed"
            results = {response, resolution} - {False}
            result = False
            if order.state in SLA_JUDGED_STATES and results:
                result = "missed" if "missed" in results else "met"
            order.sla_response_result = response
            order.sla_resolution_result = resolution
            order.sla_result = result
            order.sla_met_percent = 100.0 if result == "met" else 0.0

    # ------------------------------------------------------------------
    # Status now: on track, at risk, late (computed at each read, searchable)
    # ------------------------------------------------------------------
    def _sla_texts(self):
        """The words of the service level in the reader's language, translated once for a
        page of orders (a translation per card and per word would cost more than the rest)."""
        env = self.env
        return {
            **duration_texts(env),
            "response_target": env._("on site"), "resolution_target": env._("closed"),
            "response": env._("response"), "resolution": env._("resolution"),
            "missed": env._("Missed: %(targets)s."), "met": env._("Every target met."),
            "late": env._("Late: %(target)s was due %(when)s (%(ago)s ago)."),
            "at_risk": env._("At risk: %(target)s by %(when)s (%(left)s left)."),
            "on_track": env._("On track: %(target)s by %(when)s."),
        }

    def _sla_pending_targets(self, texts):
        """``(label, risk date, deadline)`` of the targets still running, earliest first."""
        self.ensure_one()
        pending = []
        if self.sla_response_deadline and not self.sla_responded_date:
            pending.append((texts["response_target"], self.sla_response_risk_date, self.sla_response_deadline))
        if self.sla_resolution_deadline:
            pending.append((texts["resolution_target"], self.sla_resolution_risk_date, self.sla_resolution_deadline))
        return pending

    @api.depends("state", "sla_policy_id", "sla_result", "sla_responded_date", "sla_response_deadline",
                 "sla_response_risk_date", "sla_resolution_deadline", "sla_resolution_risk_date")
    @api.depends_context("tz", "lang")
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        when, texts = datetime_formatter(self.env), self._sla_texts()  # once for the page, not per card
        results = [order._sla_status_at(now, when, texts) for order in self]
        # the page's values set field by field, where an assignment per order and field costs
        # about as much as computing them (2.5 ms of a page of 80). For records being computed
        # Field.__set__ does this very cache update, value by value.
        for index, fname in enumerate(("sla_status", "sla_due_date", "sla_reason")):
            field = self._fields[fname]
            self.env.cache.update(self, field, [field.convert_to_cache(result[index], self, validate=False)
                                                for result in results])

    def _sla_status_at(self, now, when=None, texts=None):
        """``(status, next deadline, why)`` of the order at ``now`` (``when`` formats a date,
        ``texts`` are ``_sla_texts``)."""
        self.ensure_one()
        when = when or datetime_formatter(self.env)
        texts = texts or self._sla_texts()
        if not self.sla_policy_id:
            return "none", False, False
        if self.state in CLOSED_STATES:
            if not self.sla_result:
                return "none", False, False
            missed = [texts[target] for target, result in (
                ("response", self.sla_response_result), ("resolution", self.sla_resolution_result))
                if result == "missed"]
            if missed:
                return "missed", False, texts["missed"] % {"targets": ", ".join(missed)}
            return "met", False, texts["met"]
        if self.state not in SLA_OPEN_STATES:
            return "none", False, False
        pending = self._sla_pending_targets(texts)
        for label, _risk, deadline in pending:
            if deadline < now:
                return "late", deadline, texts["late"] % {
                    "target": label, "when": when(deadline), "ago": duration_label(self.env, now - deadline, texts)}
        for label, risk, deadline in pending:
            if risk <= now:
                return "at_risk", deadline, texts["at_risk"] % {
                    "target": label, "when": when(deadline), "left": duration_label(self.env, deadline - now, texts)}
        if pending:
            label, _risk, deadline = pending[0]
            return "on_track", deadline, texts["on_track"] % {"target": label, "when": when(deadline)}
        return "none", False, False

    def _search_sla_status(self, operator, value):
        if operator not in ("=", "in") or not value:
            raise UserError(self.env._("Search the service level with = or in, and a status."))
        statuses = [value] if isinstance(value, str) else list(value)
        return expression.OR([self._sla_status_domain(status) for status in statuses])

    @api.model
    def _sla_status_domain(self, status):
        """The domain of the orders in ``status`` now; the same rules as ``_sla_status_at``."""
        now = fields.Datetime.now()
        running = [("state", "in", SLA_OPEN_STATES), ("sla_policy_id", "!=", False)]
        response_pending = [("sla_response_deadline", "!=", False), ("sla_responded_date", "=", False)]
        response_done = ["|", ("sla_response_deadline", "=", False), ("sla_responded_date", "!=", False)]
        late = expression.OR([
            expression.AND([response_pending, [("sla_response_deadline", "<", now)]]),
            [("sla_resolution_deadline", "<", now)],
        ])
        not_late = expression.AND([
            expression.OR([response_done, [("sla_response_deadline", ">=", now)]]),
            ["|", ("sla_resolution_deadline", "=", False), ("sla_resolution_deadline", ">=", now)],
        ])
        risk = expression.OR([
            expression.AND([response_pending, [("sla_response_risk_date", "<=", now)]]),
            [("sla_resolution_risk_date", "<=", now)],
        ])
        no_risk = expression.AND([
            expression.OR([response_done, [("sla_response_risk_date", ">", now)]]),
            ["|", ("sla_resolution_risk_date", "=", False), ("sla_resolution_risk_date", ">", now)],
        ])
        domains = {
            "late": expression.AND([running, late]),
            "at_risk": expression.AND([running, risk, not_late]),
            "on_track": expression.AND([running, no_risk]),
            "met": [("sla_result", "=", "met")],
            "missed": [("sla_result", "=", "missed")],
            "none": expression.OR([
                [("sla_policy_id", "=", False)],
                [("state", "not in", SLA_OPEN_STATES), ("sla_result", "=", False)],
            ]),
        }
        if status not in domains:
            raise UserError(self.env._("Unknown service level: %(status)s.", status=status))
        return domains[status]

    # ------------------------------------------------------------------
    # The dispatcher's alert (scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _cron_alert_sla_at_risk(self):
        """Scheduled action: the orders that became at risk (or late) since the last run."""
        orders = self.search([("sla_status", "in", ("at_risk", "late")), ("sla_alert_date", "=", False)])
        orders._alert_sla_at_risk()
        return True

    def _alert_sla_at_risk(self):
        """Give the dispatcher of each order at risk (or already late) one activity, the first
        time only: an order that was alerted is never alerted again."""
        if not self.env.su and not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and the scheduled action alert on service levels."))
        orders = self.filtered(lambda o: not o.sla_alert_date and o.sla_status in ("at_risk", "late"))
        for order in orders:
            order.activity_schedule(
                SLA_ALERT_ACTIVITY, user_id=order._get_wait_approver().id,
                date_deadline=fields.Date.context_today(order, order.sla_due_date),
                summary=self.env._("%(name)s: service level at risk", name=order.name),
                note=text_to_html(order.sla_reason or ""))
        # the alert date is the workflow's record that the alert was given (so it is never given
        # twice); only the orders just alerted are written
        orders._write_workflow({"sla_alert_date": fields.Datetime.now()})
        return orders
