from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import is_html_empty

ORDER_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("planned", "Planned"),
    ("in_progress", "In Progress"),
    ("completed", "Completed"),
    ("not_done", "Not Carried Out"),
    ("cancelled", "Cancelled"),
    ("rejected", "Rejected"),
]
CLOSED_STATES = ("completed", "not_done", "cancelled", "rejected")
OPEN_FIELD_STATES = ("planned", "in_progress")

# Every allowed move of the order's state. One table, read by the one method that
# changes the state (`_set_state`); buttons, wizards and kanban drag & drop all go there.
STATE_TRANSITIONS = {
    "draft": {"submitted", "cancelled"},
    "submitted": {"planned", "rejected", "cancelled"},
    "planned": {"in_progress", "completed", "not_done", "cancelled"},
    "in_progress": {"completed", "not_done", "cancelled"},
}

PRIORITIES = [
    ("0", "Normal"),
    ("1", "Important"),
    ("2", "Urgent"),
    ("3", "Emergency"),
]

TECHNICIAN_STATUSES = [
    ("planned", "Planned"),
    ("en_route", "En Route"),
    ("on_site", "On Site"),
    ("working", "Working"),
    ("break", "Break"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

SUPERVISOR_GROUP = "service_order.group_service_order_supervisor"
DISPATCHER_GROUP = "service_order.group_service_order_dispatcher"
TECHNICIAN_GROUP = "service_order.group_service_order_technician"


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
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
        "res.partner", string="Intervention Location", tracking=True,
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
    location_address = fields.Char(compute="_compute_location_address")
    order_type_id = fields.Many2one(
        "service.order.type", string="Type", tracking=True, ondelete="restrict",
        check_company=True,
    )
    priority = fields.Selection(PRIORITIES, default="0", tracking=True, index=True)
    description = fields.Html(sanitize=True, sanitize_overridable=False)
    requested_by_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user,
        ondelete="restrict", tracking=True,
    )
    dispatcher_id = fields.Many2one(
        "res.users", string="Dispatcher", ondelete="restrict", tracking=True,
        default=lambda self: self.env.user if self.env.user.has_group(DISPATCHER_GROUP) else False,
        domain=lambda self: [("groups_id", "in", self.env.ref(DISPATCHER_GROUP).ids)],
    )
    supervisor_id = fields.Many2one(
        "res.users", string="Supervisor", ondelete="restrict", tracking=True,
        default=lambda self: self.env.company.service_default_supervisor_id,
        domain=lambda self: [("groups_id", "in", self.env.ref(SUPERVISOR_GROUP).ids)],
    )
    scheduled_start = fields.Datetime(tracking=True, index=True)
    scheduled_end = fields.Datetime(tracking=True)
    field_worker_ids = fields.Many2many(
        "res.users", "service_order_field_worker_rel", "order_id", "user_id",
        string="Field Workers",
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids)],
    )
    lead_technician_id = fields.Many2one(
        "res.users", string="Lead Technician", ondelete="restrict", tracking=True,
        index=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids)],
    )
    vehicle_id = fields.Many2one(
        "fleet.vehicle", string="Vehicle", ondelete="restrict", tracking=True,
        check_company=True,
    )
    state = fields.Selection(
        ORDER_STATES, default="draft", required=True, tracking=True, index=True,
        copy=False, group_expand="_group_expand_states",
    )
    technician_status = fields.Selection(
        TECHNICIAN_STATUSES, default="planned", required=True, tracking=True,
        copy=False,
    )
    is_closed = fields.Boolean(compute="_compute_is_closed", search="_search_is_closed")
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, ondelete="set null")
    reject_reason = fields.Text(readonly=True, copy=False)
    color = fields.Integer()

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)",
         "The order number must be unique per company."),
    ]

    # ------------------------------------------------------------------
    # Computes, constraints, onchanges
    # ------------------------------------------------------------------
    @api.depends("location_id")
    def _compute_location_address(self):
        for order in self:
            order.location_address = order.location_id._display_address(
                without_company=True).replace("\n", ", ") if order.location_id else False

    @api.depends("state")
    def _compute_is_closed(self):
        for order in self:
            order.is_closed = order.state in CLOSED_STATES

    def _search_is_closed(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on is_closed: %(op)s", op=operator))
        closed = (operator == "=") == bool(value)
        return [("state", "in" if closed else "not in", CLOSED_STATES)]

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
                    name=order.name, end=order.scheduled_end, start=order.scheduled_start))

    @api.constrains("lead_technician_id", "field_worker_ids")
    def _check_lead_technician(self):
        for order in self:
            if order.lead_technician_id and order.lead_technician_id not in order.field_worker_ids:
                raise ValidationError(self.env._(
                    "Order %(name)s: the lead technician %(user)s must be one of the field workers.",
                    name=order.name, user=order.lead_technician_id.name))

    @api.constrains("field_worker_ids")
    def _check_field_workers_are_technicians(self):
        technicians = self.env.ref(TECHNICIAN_GROUP).sudo().users  # sudo: read group members only
        for order in self:
            others = order.field_worker_ids - technicians
            if others:
                raise ValidationError(self.env._(
                    "Only technicians can be field workers; not: %(names)s.",
                    names=", ".join(others.mapped("name"))))

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
            if vals.get("name", "New") == "New":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "service.order") or "New"
            if vals.get("state", "draft") != "draft" and not self.env.context.get("service_order_transition"):
                raise UserError(self.env._("A service order is created as a draft; submit it to move it on."))
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.context.get("service_order_transition"):
            # A plain write of the state (kanban drag & drop, import, RPC) performs the
            # same checked transition as the matching button, or is refused.
            vals = dict(vals)
            target = vals.pop("state")
            self.filtered(lambda o: o.state != target)._move_to_state(target)
            return super().write(vals) if vals else True
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(order.state != "draft" for order in self):
            raise UserError(self.env._(
                "Only draft service orders can be deleted; cancel the others instead."))

    # ------------------------------------------------------------------
    # The one place the state changes
    # ------------------------------------------------------------------
    def _set_state(self, new_state, extra_vals=None):
        """Move every order of ``self`` to ``new_state`` after checking the transition table."""
        labels = dict(ORDER_STATES)
        for order in self:
            if new_state not in STATE_TRANSITIONS.get(order.state, set()):
                raise UserError(self.env._(
                    "Order %(name)s cannot go from %(old)s to %(new)s.",
                    name=order.name, old=labels[order.state], new=labels[new_state]))
        vals = dict(extra_vals or {}, state=new_state)
        return self.with_context(service_order_transition=True).write(vals)

    def _move_to_state(self, target):
        """Perform a requested state change the way its button would (drag & drop)."""
        labels = dict(ORDER_STATES)
        for order in self:
            if order.state == "draft" and target == "submitted":
                order._check_can_submit()
                order._do_submit()
            elif order.state == "submitted" and target == "planned":
                order._check_can_review()
                order._do_approve()
            else:
                hints = {
                    "rejected": self.env._("A rejection needs a reason: use Review > Reject."),
                    "in_progress": self.env._("The work starts when the technician goes on the way."),
                    "completed": self.env._("Use Close to complete an order."),
                    "not_done": self.env._("Use Close to record why the order was not carried out."),
                    "cancelled": self.env._("Use the Cancel button."),
                }
                raise UserError(self.env._(
                    "Order %(name)s cannot be moved from %(old)s to %(new)s by hand. %(hint)s",
                    name=order.name, old=labels[order.state], new=labels.get(target, target),
                    hint=hints.get(target, "")))

    # ------------------------------------------------------------------
    # Submit
    # ------------------------------------------------------------------
    def _check_can_submit(self):
        """Raise a UserError naming everything that keeps the orders from being submitted."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and supervisors can submit service orders."))
        problems = []
        for order in self:
            if order.state != "draft":
                problems.append(self.env._("%(name)s is not a draft.", name=order.name))
                continue
            missing = order._get_missing_submit_data()
            if not order.supervisor_id:
                missing.append(self.env._("supervisor"))
            if missing:
                problems.append(self.env._("%(name)s is missing: %(fields)s.",
                                           name=order.name, fields=", ".join(missing)))
        if problems:
            raise UserError("\n".join(problems))

    def _get_missing_submit_data(self):
        """Labels of the data an order needs before it can be submitted."""
        self.ensure_one()
        return [label for label, ok in (
            (self.env._("customer"), self.partner_id),
            (self.env._("intervention location"), self.location_id),
            (self.env._("type"), self.order_type_id),
            (self.env._("description"), not is_html_empty(self.description)),
        ) if not ok]

    def _do_submit(self):
        self._set_state("submitted", {"submitted_date": fields.Datetime.now()})
        for order in self:
            order.activity_schedule(
                "service_order.mail_act_service_order_approval",
                user_id=order.supervisor_id.id,
                note=self.env._("Review service order %(name)s for %(customer)s.",
                                name=order.name, customer=order.partner_id.display_name),
            )
            order.message_post(body=self.env._("Submitted for approval to %(user)s.",
                                               user=order.supervisor_id.name))

    def action_open_submit(self):
        """Open the Submit wizard, which checks the order's data."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Submit %(name)s", name=self.name),
            "res_model": "service.order.submit",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # Review: approve / reject
    # ------------------------------------------------------------------
    def _check_can_review(self):
        """Only a supervisor reviews, and only submitted orders."""
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            raise AccessError(self.env._("Only supervisors can approve or reject service orders."))
        not_submitted = self.filtered(lambda o: o.state != "submitted")
        if not_submitted:
            raise UserError(self.env._(
                "Only submitted orders can be reviewed; not: %(names)s.",
                names=", ".join(not_submitted.mapped("name"))))

    def _do_approve(self):
        self.activity_feedback(["service_order.mail_act_service_order_approval"],
                               feedback=self.env._("Approved"))
        self._set_state("planned", {
            "approved_date": fields.Datetime.now(),
            "approved_by_id": self.env.user.id,
        })
        for order in self:
            order.message_post(body=self.env._("Approved by %(user)s.", user=self.env.user.name))
        self._on_approved()

    def _on_approved(self):
        """Hook run after approval (channel workspace, first document version)."""
        return True

    def _do_reject(self, reason):
        if not reason or not reason.strip():
            raise UserError(self.env._("A reason is required to reject a service order."))
        self.activity_feedback(["service_order.mail_act_service_order_approval"],
                               feedback=self.env._("Rejected: %(reason)s", reason=reason))
        self._set_state("rejected", {"reject_reason": reason.strip()})
        for order in self:
            order.message_post(body=self.env._("Rejected by %(user)s: %(reason)s",
                                               user=self.env.user.name, reason=reason.strip()))

    def action_open_review(self):
        """Open the Review wizard (approve or reject)."""
        self.ensure_one()
        self._check_can_review()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review %(name)s", name=self.name),
            "res_model": "service.order.review",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # Cancel (before the field work; technician statuses come with field execution)
    # ------------------------------------------------------------------
    def action_cancel(self):
        """Cancel draft or submitted orders (dispatcher)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can cancel service orders."))
        self.activity_unlink(["service_order.mail_act_service_order_approval"])
        self._set_state("cancelled", {"technician_status": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    def _compute_access_url(self):
        super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/service_orders/{order.id}"
