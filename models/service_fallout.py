from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import (
    DISPATCHER_GROUP,
    MAX_LONG_TEXT,
    TECHNICIAN_GROUP,
    check_text,
    compute_author_with_fallback,
    technicians_among,
    text_to_html,
    wizard_action,
)
from .service_fallout_ageing import AGEING_PROTECTED_FIELDS
from .service_fallout_states import FALLOUT_STATES, FALLOUT_TRANSITIONS, OPEN_FALLOUT_STATES
from .service_order_states import OPEN_FIELD_STATES
from .service_work_item_states import FINAL_STATES as ITEM_FINAL_STATES

# What a dispatcher may write on a fallout directly (the form); the rest goes through
# Report, Assign and Resolve.
DISPATCHER_WRITABLE = {"type_id", "description", "user_id", "color", "priority"}
# Set by the fallout's own methods only (report, assign, resolve), never by a role.
PROTECTED_FIELDS = frozenset({"name", "reported_by_id", "resolution", "resolved_date", "resolved_by_id"}) \
    | AGEING_PROTECTED_FIELDS


class ServiceFallout(models.Model):
    """A task that could not be completed on an order or one of its work items."""

    _name = "service.fallout"
    _description = "Service Fallout"
    _inherit = [
        "mail.thread", "mail.activity.mixin",
        "service.fallout.ageing.mixin",   # age, target, overdue, escalation to the supervisor
        "service.integer.bounds.mixin",   # a colour the integer column cannot hold: a clear refusal
        # last: the transition table, the one _set_state, protected fields (base of its hooks)
        "service.state.mixin",
    ]
    _state_transitions = FALLOUT_TRANSITIONS
    _protected_fields = PROTECTED_FIELDS
    _order = "priority desc, id desc"
    _check_company_auto = True

    name = fields.Char("Reference", required=True, readonly=True, copy=False, default="New")
    type_id = fields.Many2one("service.fallout.type", required=True, tracking=True,
                              ondelete="restrict", check_company=True)
    description = fields.Text(required=True, tracking=True)
    order_id = fields.Many2one("service.order", string="Service Order", required=True, index=True,
                               ondelete="cascade", check_company=True)
    work_item_id = fields.Many2one("service.work.item", index=True,
                                   ondelete="set null", check_company=True,
                                   domain="[('order_id', '=', order_id)]")
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    user_id = fields.Many2one(
        "res.users", string="Assigned To", tracking=True, index=True, ondelete="set null",
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids)])
    reported_by_id = fields.Many2one("res.users", readonly=True,
                                     default=lambda self: self.env.user, ondelete="set null")
    state = fields.Selection(FALLOUT_STATES, default="open", required=True, tracking=True, index=True,
                             copy=False, group_expand="_group_expand_states")
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    can_resolve = fields.Boolean(
        compute="_compute_can_resolve",
        help="The current user may resolve the fallout: a dispatcher, or the technician it is assigned to.")
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    resolution = fields.Text(readonly=True, copy=False)
    resolved_date = fields.Datetime(readonly=True, copy=False)
    resolved_by_id = fields.Many2one("res.users", readonly=True, copy=False, ondelete="set null")
    color = fields.Integer()

    @api.constrains("user_id")
    def _check_assignee(self):
        """A fallout is handled by a technician (or a dispatcher) of its order's company: never
        a portal user, whatever way the assignee is written."""
        technicians = self.env.ref(TECHNICIAN_GROUP).sudo().users  # sudo: read group members only
        for fallout in self.sudo().filtered("user_id"):  # sudo: the assignee's companies
            user = fallout.user_id
            if user not in technicians or user.share or fallout.company_id not in user.company_ids:
                raise ValidationError(self.env._(
                    "Fallout %(name)s cannot be assigned to %(user)s: a fallout goes to a technician or a "
                    "dispatcher of %(company)s.", name=fallout.name, user=user.name,
                    company=fallout.company_id.name))

    @api.depends("state")
    def _compute_is_open(self):
        for fallout in self:
            fallout.is_open = fallout.state in OPEN_FALLOUT_STATES

    @api.depends("state", "user_id", "order_id.field_worker_ids")
    @api.depends_context("uid")
    def _compute_can_resolve(self):
        is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)
        for fallout in self:
            fallout.can_resolve = fallout.state in OPEN_FALLOUT_STATES and (
                is_dispatcher or not fallout._resolve_refusal())

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on is_open: %(op)s", op=operator))
        wanted = (operator == "=") == bool(value)
        return [("state", "in" if wanted else "not in", OPEN_FALLOUT_STATES)]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in FALLOUT_STATES]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "open") != "open":
                raise UserError(self.env._("A fallout is reported open."))
            self._check_protected_fields({name for name, value in vals.items()
                                          if value and not (name == "name" and value == "New")})
            check_text(self.env, vals.get("description"), self.env._("The description of a fallout"),
                       MAX_LONG_TEXT, required=True)
            order = self.env["service.order"].browse(vals.get("order_id"))
            item = self.env["service.work.item"].browse(vals.get("work_item_id"))
            self._check_can_report(order, item)
            if not vals.get("user_id"):
                vals["user_id"] = order._get_wait_approver().id
            vals["reported_by_id"] = self.env.uid
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].with_company(order.company_id).next_by_code(
                    "service.fallout") or "New"
        fallouts = super().create(vals_list)
        fallouts._sync_work_items()
        fallouts._sync_assignee_activities()
        for fallout in fallouts:
            body = self.env._("Fallout %(name)s reported by %(user)s (%(type)s): %(description)s",
                              name=fallout.name, user=self.env.user.name, type=fallout.type_id.name,
                              description=fallout.description)
            fallout.order_id.message_post(body=body)
            fallout.order_id._post_to_channel(body)
            if fallout.work_item_id:
                fallout.work_item_id.message_post(body=body)
        return fallouts

    def write(self, vals):
        if "description" in vals:
            check_text(self.env, vals["description"], self.env._("The description of a fallout"),
                       MAX_LONG_TEXT, required=True)
        if self.env.su:  # the fallout's own methods, after their checks (service.state.mixin)
            result = super().write(vals)
        else:
            if not self.env.user.has_group(DISPATCHER_GROUP):
                raise AccessError(self.env._(
                    "Only dispatchers assign, change or resolve fallouts; technicians report them."))
            vals = dict(vals)
            if "state" in vals:
                target = vals.pop("state")
                self.filtered(lambda f: f.state != target)._move_to_state(target)
            refused = set(vals) - DISPATCHER_WRITABLE - {
                name for name in vals if name.startswith(("message_", "activity_"))}
            if refused:
                raise UserError(self.env._(
                    "These fields of a fallout cannot be changed: %(fields)s.",
                    fields=", ".join(sorted(
                        self._fields[f]._description_string(self.env) for f in refused if f in self._fields))))
            result = super().write(vals) if vals else True
        if "user_id" in vals:
            self._sync_assignee_activities()
        return result

    # ------------------------------------------------------------------
    # Report
    # ------------------------------------------------------------------
    @api.model
    def _check_can_report(self, order, item):
        """A field worker or a dispatcher reports a fallout on an order under way, or on one of
        its work items that is not finished."""
        if not order:
            raise UserError(self.env._("A fallout is reported on a service order."))
        order._check_can_work_in_field()
        if item:
            if item.order_id != order:
                raise UserError(self.env._(
                    "Work item %(item)s is not on order %(order)s.", item=item.display_name, order=order.name))
            if item.state in ITEM_FINAL_STATES:
                raise UserError(self.env._(
                    "Work item %(item)s is finished: report the fallout on the order.", item=item.display_name))

    # ------------------------------------------------------------------
    # The one place the state changes
    # ------------------------------------------------------------------
    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        # a user without an e-mail address still posts (common.compute_author_with_fallback)
        return compute_author_with_fallback(super()._message_compute_author, self.env, author_id, email_from,
                                            raise_on_email)

    def _state_refusal(self, record, new_state):
        return UserError(self.env._(
            "Fallout %(name)s cannot go from %(old)s to %(new)s.", name=record.name,
            old=self._state_label(record.state), new=self._state_label(new_state)))

    def _on_state_changed(self, new_state):
        """The fallouts' work items go on hold or back to work; the assignee's activity follows."""
        result = super()._on_state_changed(new_state)
        self._sync_work_items()
        self._sync_assignee_activities()
        return result

    def _move_to_state(self, target):
        """A plain write of the state (kanban drag & drop) is the same checked transition."""
        self._check_can_manage()
        if target == "resolved":
            raise UserError(self.env._("Use the Resolve button: say how the fallout was solved."))
        return self._set_state(target)

    def _sync_work_items(self):
        """A work item with an open fallout is on hold; without one, it goes back to work."""
        items = self.work_item_id
        if not items:
            return
        # sudo: count every open fallout of the items, whoever may read them
        open_counts = dict(self.sudo()._read_group(
            [("work_item_id", "in", items.ids), ("state", "in", OPEN_FALLOUT_STATES)],
            ["work_item_id"], ["__count"]))
        held = items.filtered(lambda i: open_counts.get(i) and i.state != "on_hold")
        freed = items.filtered(lambda i: not open_counts.get(i) and i.state == "on_hold")
        held._do_hold()
        freed._do_resume()

    def _sync_assignee_activities(self):
        """The assignee of an open fallout has its activity; nobody else does."""
        # sudo: the assignee's activity follows the fallout's state and assignee, which the
        # caller was allowed to change; a technician reporting has no write right on it
        fallouts = self.sudo()
        activity_type = self.env.ref("service_order.mail_act_fallout")
        stale = self.env["mail.activity"].sudo()
        todo = fallouts.browse()
        for fallout in fallouts:
            current = fallout.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
            wanted = fallout.user_id if fallout.state in OPEN_FALLOUT_STATES else self.env["res.users"]
            stale |= current.filtered(lambda a, wanted=wanted: a.user_id != wanted)
            if wanted and wanted not in current.user_id:
                todo |= fallout
        stale.unlink()
        for fallout in todo:
            fallout.activity_schedule(
                "service_order.mail_act_fallout", user_id=fallout.user_id.id,
                note=text_to_html(self.env._("Handle fallout %(name)s on %(order)s: %(description)s",
                                               name=fallout.name, order=fallout.order_id.name,
                                               description=fallout.description)))

    # ------------------------------------------------------------------
    # Assign, resolve (dispatchers)
    # ------------------------------------------------------------------
    def _check_can_manage(self):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers assign, change or resolve fallouts."))

    def _check_can_assign(self):
        """A dispatcher assigns open fallouts."""
        self._check_can_manage()
        if not self:
            raise UserError(self.env._("Choose the fallouts to assign."))
        closed = self.filtered(lambda f: f.state not in OPEN_FALLOUT_STATES)
        if closed:
            raise UserError(self.env._("Only open fallouts can be assigned; not: %(names)s.",
                                       names=", ".join(closed.mapped("name"))))

    def _do_assign(self, user, note=False, hand_over=False):
        """Assign (or reassign) the fallouts to ``user``, who gets the activity. With
        ``hand_over``, their work items go to ``user`` too, who joins the order's field workers
        through a confirmation (a new PDF version) if not one yet."""
        if not user:
            raise UserError(self.env._("Choose the person to assign the fallout to."))
        self._check_can_assign()
        if hand_over:
            self._check_can_hand_over(user)
        previous = {fallout.id: fallout.user_id for fallout in self}
        self.write({"user_id": user.id})
        self._sync_assignee_activities()
        for fallout in self:
            body = self.env._("Assigned to %(user)s by %(by)s.", user=user.name, by=self.env.user.name)
            if previous[fallout.id] and previous[fallout.id] != user:
                body = self.env._("Reassigned from %(old)s to %(user)s by %(by)s.",
                                  old=previous[fallout.id].name, user=user.name, by=self.env.user.name)
            if note:
                body = f"{body} {note}"
            fallout.message_post(body=body)
        if hand_over:
            self._hand_over_work_items(user)
        return True

    def _check_can_hand_over(self, user):
        """The work item of each fallout can go to ``user``: a technician, on an order under way,
        an item not finished."""
        if not technicians_among(self.env, user):
            raise UserError(self.env._(
                "%(user)s is not a technician: only a technician takes over a work item.", user=user.name))
        for fallout in self:
            if not fallout.work_item_id:
                raise UserError(self.env._(
                    "Fallout %(name)s is on the order, not on a work item: there is no task to hand over.",
                    name=fallout.name))
            if fallout.work_item_id.state in ITEM_FINAL_STATES:
                raise UserError(self.env._(
                    "Work item %(item)s is finished: it cannot be handed over.",
                    item=fallout.work_item_id.display_name))
            if fallout.order_id.state not in OPEN_FIELD_STATES:
                raise UserError(self.env._(
                    "Order %(order)s is not under way: its work items cannot be handed over.",
                    order=fallout.order_id.name))

    def _hand_over_work_items(self, user):
        """The fallouts' work items go to ``user``; one who is not yet a field worker of the
        order joins through a confirmation, the one way the printed workers change."""
        for order, fallouts in self.grouped("order_id").items():
            if user not in order.field_worker_ids:
                order._do_confirm(self.env._(
                    "Fallout %(names)s handed over to %(user)s, who joins the field workers to resolve it.",
                    names=", ".join(fallouts.mapped("name")), user=user.name), workers=user)
            items = fallouts.work_item_id.filtered(lambda i: i.user_id != user)
            for item in items:
                item.message_post(body=self.env._(
                    "Handed over from %(old)s to %(user)s by %(by)s (fallout %(names)s).",
                    old=item.user_id.name or "—", user=user.name, by=self.env.user.name,
                    names=", ".join(fallouts.filtered(lambda f, i=item: f.work_item_id == i).mapped("name"))))
            # an item's technician is the workflow's field; the dispatcher's right to assign these
            # fallouts and the hand-over were checked above
            items._write_workflow({"user_id": user.id})

    def action_open_assign(self):
        """Open the Assign wizard (activity to the assignee)."""
        self._check_can_assign()
        return self._open_fallout_wizard("service.fallout.assign", self.env._("Assign fallout"))

    def _check_can_resolve(self):
        """A dispatcher resolves open fallouts; the technician a fallout is assigned to resolves
        it too, as a field worker of its order when it holds a work item."""
        if not self:
            raise UserError(self.env._("Choose the fallouts to resolve."))
        closed = self.filtered(lambda f: f.state not in OPEN_FALLOUT_STATES)
        if closed:
            raise UserError(self.env._("Only open fallouts can be resolved; not: %(names)s.",
                                       names=", ".join(closed.mapped("name"))))
        if self.env.user.has_group(DISPATCHER_GROUP):
            return
        for fallout in self:
            refusal = fallout._resolve_refusal()
            if refusal:
                raise AccessError(refusal)

    def _resolve_refusal(self):
        """Why the current user (not a dispatcher) may not resolve this fallout, or False."""
        self.ensure_one()
        # sudo: the assignee and the order's workers decide, whatever the user may read
        fallout = self.sudo()
        if fallout.user_id != self.env.user:
            return self.env._("Only dispatchers and the technician fallout %(name)s is assigned to resolve it.",
                              name=fallout.name)
        if fallout.order_id.state not in OPEN_FIELD_STATES:
            return self.env._("Order %(order)s is not under way: ask a dispatcher to resolve fallout %(name)s.",
                              order=fallout.order_id.name, name=fallout.name)
        if fallout.work_item_id and self.env.user not in fallout.order_id.field_worker_ids:
            return self.env._(
                "You are not a field worker of %(order)s: ask a dispatcher to hand you the work item of "
                "fallout %(name)s, or to resolve it.", order=fallout.order_id.name, name=fallout.name)
        return False

    def _do_resolve(self, resolution):
        """Resolve the fallouts: their work items go back to work where they left off."""
        resolution = self._require_reason(
            resolution, self.env._("Say how the fallout was solved: a resolution is required."))
        self._check_can_resolve()
        # sudo: the assignee resolves without a write right on fallouts (checked above); the
        # activity and the messages stay the user's
        self.sudo().activity_feedback(["service_order.mail_act_fallout"],
                                      feedback=self.env._("Resolved: %(resolution)s", resolution=resolution))
        self._set_state("resolved", {"resolution": resolution, "resolved_date": fields.Datetime.now(),
                                     "resolved_by_id": self.env.user.id})
        for fallout in self.sudo():
            body = self.env._("Fallout %(name)s resolved by %(user)s: %(resolution)s",
                              name=fallout.name, user=self.env.user.name, resolution=resolution)
            fallout.message_post(body=body)
            fallout.order_id.message_post(body=body)
        return True

    def action_open_resolve(self):
        """Open the Resolve wizard (resolution required)."""
        self._check_can_resolve()
        return self._open_fallout_wizard("service.fallout.resolve", self.env._("Resolve fallout"))

    def action_start(self):
        """Start working on the fallout."""
        self._check_can_manage()
        return self._set_state("in_progress")

    def action_hold(self):
        """Put the fallout on hold."""
        self._check_can_manage()
        return self._set_state("on_hold")

    def action_await_info(self):
        """The fallout awaits information."""
        self._check_can_manage()
        return self._set_state("awaiting_info")

    def action_close(self):
        """Close a resolved fallout."""
        self._check_can_manage()
        return self._set_state("closed")

    def action_reopen(self):
        """Reopen a resolved fallout: its work item goes on hold again."""
        self._check_can_manage()
        return self._set_state("in_progress")

    def action_cancel(self):
        """Cancel the fallout (reported by mistake): its work item goes back to work."""
        self._check_can_manage()
        return self._set_state("cancelled")

    def _open_fallout_wizard(self, model, title):
        return wizard_action(title, model, {"default_fallout_ids": self.ids})
