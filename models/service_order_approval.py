from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, is_html_empty

from .common import DISPATCHER_GROUP, MANAGER_GROUP, SUPERVISOR_GROUP, selection_labels, text_to_html

# Who approves a submitted order (decided at submit by its type's policy, its priority and its
# estimated amount, service.order.type and res.company)
APPROVAL_LEVELS = [
    ("none", "Approved on submit"),
    ("supervisor", "Supervisor"),
    ("manager", "Service Manager"),
]
# Kept by the approval's own methods, never written by a role (added to the order's protected fields).
APPROVAL_PROTECTED_FIELDS = frozenset({"approval_level", "approved_by_policy", "estimated_amount"})


class ServiceOrderApprovalMixin(models.AbstractModel):
    """The approval of a service order: submit (dispatcher), then the order type's policy: a
    supervisor's review (approve, then the workspace and version 1, or reject with a reason), or
    approved on submit (the policy recorded as the approver, version 1 the same way), or a
    supervisor above an estimated amount; above the amount the company sets, a Service Manager
    approves. Planned means booked: an approved order without a lead technician and a start
    waits to be planned. Revise a rejected order; a state written by hand (kanban drag & drop,
    a list's multi-edit, RPC) is performed as the matching button would, or refused."""

    _name = "service.order.approval.mixin"
    _description = "Service Order: approval"

    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    # what the approval is decided on: the materials and services at their list price, and the
    # type's labour for the time window (the sales price of what the order plans, before taxes)
    estimated_amount = fields.Monetary(
        compute="_compute_estimated_amount", store=True, groups=DISPATCHER_GROUP,
        help="The materials and services at their sales price, and the order type's labour for the "
             "scheduled time (or the type's default duration), untaxed: the approval policy reads it.")
    approval_level = fields.Selection(
        APPROVAL_LEVELS, string="Approval", readonly=True, copy=False,
        help="Who approves the order, decided at submit by its type's policy, its priority and its "
             "estimated amount.")
    approval_needed = fields.Selection(
        APPROVAL_LEVELS, string="Approval by", compute="_compute_approval_needed",
        help="Who will approve the order when it is submitted, as its data stands now.")
    approved_by_policy = fields.Char(
        "Approved by Policy", readonly=True, copy=False,
        help="The policy that approved the order on submit (recorded as its approver).")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for order in self:
            order.currency_id = order.company_id.currency_id

    @api.depends("line_ids.product_id", "line_ids.quantity", "order_type_id.labour_product_id",
                 "order_type_id.default_duration", "scheduled_start", "scheduled_end")
    def _compute_estimated_amount(self):
        for order in self:
            # sudo: list prices of the order's products, whoever edits the order (the amount
            # itself is a dispatchers' field)
            lines = order.sudo().line_ids
            amount = sum(line.product_id.lst_price * line.quantity for line in lines)
            labour = order.sudo().order_type_id.labour_product_id
            if labour:
                if order.scheduled_start and order.scheduled_end:
                    hours = (order.scheduled_end - order.scheduled_start).total_seconds() / 3600
                else:
                    hours = order.order_type_id.default_duration
                amount += labour.lst_price * max(hours, 0.0)
            order.estimated_amount = order.currency_id.round(amount) if order.currency_id else amount

    @api.depends("order_type_id", "priority", "estimated_amount", "company_id")
    def _compute_approval_needed(self):
        for order in self:
            order.approval_needed = order._policy_approval_level()

    def _policy_approval_level(self):
        """Who must approve the order (APPROVAL_LEVELS), from its data now: a Service Manager above
        the company's amount; else its type's policy, unless its priority is approved on submit."""
        self.ensure_one()
        # sudo: the amount decides who approves, whoever reads the order; it is shown to dispatchers only
        amount = self.sudo().estimated_amount
        limit = self.company_id.service_manager_amount
        if limit and self.currency_id.compare_amounts(amount, limit) > 0:
            return "manager"
        order_type = self.order_type_id
        if not order_type:
            return "supervisor"
        if order_type.auto_approve_priority and int(self.priority or 0) >= int(order_type.auto_approve_priority):
            return "none"
        if order_type.approval_policy == "auto":
            return "none"
        if order_type.approval_policy == "amount" \
                and self.currency_id.compare_amounts(amount, order_type.approval_amount) <= 0:
            return "none"
        return "supervisor"

    def _approval_policy_label(self):
        """How the policy that approved the order on submit is recorded (its approver)."""
        self.ensure_one()
        order_type = self.order_type_id
        priorities = selection_labels(self, "priority")
        if order_type.auto_approve_priority and int(self.priority or 0) >= int(order_type.auto_approve_priority):
            return self.env._("Policy of %(type)s: approved on submit from priority %(priority)s",
                              type=order_type.display_name, priority=priorities[order_type.auto_approve_priority])
        if order_type.approval_policy == "amount":
            return self.env._("Policy of %(type)s: approved on submit up to %(amount)s", type=order_type.display_name,
                              amount=format_amount(self.env, order_type.approval_amount, self.currency_id))
        return self.env._("Policy of %(type)s: approved on submit", type=order_type.display_name)

    def _is_booked(self):
        """Planned means booked: a lead technician and a start."""
        self.ensure_one()
        return bool(self.lead_technician_id and self.scheduled_start)

    def _move_to_state(self, target):
        """Perform a requested state change the way its button would (drag & drop, a list's
        multi-edit): the submitted orders moved to planned are approved together, so that
        their PDFs are left to the job runner; anything else is refused with how to do it."""
        labels = selection_labels(self, "state")
        # approving: the order then goes where its booking says (planned, or to plan)
        to_approve = self.filtered(lambda o: o.state == "submitted") \
            if target in ("planned", "to_plan") else self.browse()
        for order in self - to_approve:
            if order.state == "draft" and target == "submitted":
                order._check_can_submit()
                order._do_submit()
            elif order.state == "rejected" and target == "draft":
                order._do_revise()
            else:
                hints = {
                    "planned": self.env._("Planned means booked: plan it with a lead technician and a start (Plan)."),
                    "to_plan": self.env._("An order goes back to plan through a confirmation that removes its "
                                          "lead technician or its start."),
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
        if to_approve:
            to_approve._check_can_review()
            to_approve._do_approve()

    def action_approve(self):
        """Approve the selected submitted orders at once (a supervisor's list action): each
        gets its workspace and its version 1, whose PDF the job runner makes off the request."""
        self._check_can_review()
        self._do_approve()
        return True

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
            level = order._policy_approval_level()
            if level != "none" and not order.supervisor_id:
                missing.append(self.env._("supervisor"))
            elif level == "manager" and not order.supervisor_id.has_group(MANAGER_GROUP):
                # sudo: the amounts that make a Service Manager the approver, named in the message
                missing.append(self.env._(
                    "a Service Manager as approver (estimated %(amount)s, above the %(limit)s the company set)",
                    amount=format_amount(self.env, order.sudo().estimated_amount, order.currency_id),
                    limit=format_amount(self.env, order.company_id.service_manager_amount, order.currency_id)))
            if missing:
                problems.append(self.env._("%(name)s is missing: %(fields)s.",
                                           name=order.name, fields=", ".join(missing)))
        if problems:
            raise UserError("\n".join(problems))

    def _check_can_open_submit(self):
        """A dispatcher opens the Submit wizard of a draft (which then lists what is missing)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and supervisors can submit service orders."))
        if self.filtered(lambda o: o.state != "draft"):
            raise UserError(self.env._("Only a draft order can be submitted."))

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
        """Submit draft orders: each waits for the approver its type's policy names (who gets the
        approval activity), or is approved on submit by the policy."""
        self._check_can_submit()
        now = fields.Datetime.now()
        levels = self.grouped(lambda order: order._policy_approval_level())
        for level, orders in levels.items():
            orders._set_state("submitted", {"submitted_date": now, "approval_level": level})
        auto = levels.get("none", self.browse())
        for order in self - auto:
            order.activity_schedule(
                "service_order.mail_act_service_order_approval",
                user_id=order.supervisor_id.id,
                note=text_to_html(self.env._("Review service order %(name)s for %(customer)s.",
                                               name=order.name, customer=order.partner_id.display_name)),
            )
            order.message_post(body=self.env._("Submitted for approval to %(user)s.",
                                               user=order.supervisor_id.name))
        if auto:
            auto._do_approve_on_submit()

    def action_open_submit(self):
        """Submit: an order its type's policy approves on submit, with all its data, is submitted
        (and approved) in this click; else the Submit wizard opens, which names the approver and
        what is missing."""
        self._check_can_open_submit()
        if len(self) == 1 and self._policy_approval_level() == "none" and not self._get_missing_submit_data():
            self._do_submit()
            return True
        return self._open_wizard("service.order.submit", self.env._("Submit %(name)s", name=self.name))

    # ------------------------------------------------------------------
    # Review: approve / reject
    # ------------------------------------------------------------------
    def _check_can_review(self):
        """Only a supervisor reviews, and only submitted orders; an order above the company's
        amount only a Service Manager."""
        if not self.env.user.has_group(SUPERVISOR_GROUP):
            raise AccessError(self.env._("Only supervisors can approve or reject service orders."))
        not_submitted = self.filtered(lambda o: o.state != "submitted")
        if not_submitted:
            raise UserError(self.env._(
                "Only submitted orders can be reviewed; not: %(names)s.",
                names=", ".join(not_submitted.mapped("name"))))
        for_managers = self.filtered(lambda o: o.approval_level == "manager")
        if for_managers and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                "%(names)s: estimated above the amount the company set; only a Service Manager approves or "
                "rejects it.", names=", ".join(for_managers.mapped("name"))))

    def _do_approve(self):
        """Approve submitted orders (supervisor; a Service Manager above the company's amount):
        planned (or to plan, when not booked), workspace and version 1 issued."""
        self._check_can_review()
        self.activity_feedback(["service_order.mail_act_service_order_approval"],
                               feedback=self.env._("Approved"))
        self._approve({"approved_by_id": self.env.user.id})
        for order in self:
            order.message_post(body=self.env._("Approved by %(user)s.", user=self.env.user.name))
        self._on_approved()

    def _do_approve_on_submit(self):
        """Approve submitted orders that their type's policy approves on submit (the dispatcher's
        Submit): the policy is recorded as the approver; planned (or to plan), workspace and
        version 1 as a supervisor's approval."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and supervisors can submit service orders."))
        wrong = self.filtered(lambda o: o.state != "submitted" or o.approval_level != "none")
        if wrong:
            raise UserError(self.env._("%(names)s: not approved on submit by their type's policy.",
                                       names=", ".join(wrong.mapped("name"))))
        for order in self:
            label = order._approval_policy_label()
            order._approve({"approved_by_id": False, "approved_by_policy": label})
            order.message_post(body=self.env._("Approved on submit: %(policy)s.", policy=label))
        self._on_approved()

    def _approve(self, vals):
        """Move approved orders to planned when booked, else to plan (the workflow's write)."""
        vals = dict(vals, approved_date=fields.Datetime.now())
        booked = self.filtered(lambda o: o._is_booked())
        if booked:
            booked._set_state("planned", vals)
        if self - booked:
            (self - booked)._set_state("to_plan", vals)

    def _on_approved(self):
        """After an approval: the workspace, version 1, and the dispatcher's word on what waits."""
        for order in self.filtered(lambda o: o.state == "to_plan"):
            order.message_post(body=self.env._(
                "Approved: it waits to be planned (a lead technician and a start), under To Plan."))
        self._give_customer_links()  # portal mixin: the customer sees the order from now on
        self._ensure_channel()  # workspace mixin
        # versioning mixin: version 1; approving many orders at once (a list, kanban drag &
        # drop) leaves their PDFs to the job runner instead of rendering them in the request
        self._create_document_version("approval", defer=len(self) > 1)

    def _do_reject(self, reason):
        """Reject submitted orders (supervisor), with the reason kept and posted."""
        reason = self._require_reason(reason, self.env._("A reason is required to reject a service order."))
        self._check_can_review()
        self.activity_feedback(["service_order.mail_act_service_order_approval"],
                               feedback=self.env._("Rejected: %(reason)s", reason=reason))
        self._set_state("rejected", {"reject_reason": reason})
        for order in self:
            order.message_post(body=self.env._("Rejected by %(user)s: %(reason)s",
                                               user=self.env.user.name, reason=reason))

    def _do_revise(self):
        """Reopen rejected orders as drafts, to revise and submit again (dispatcher). The
        rejection stays in the history: its reason is posted and the state tracked."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers and supervisors can revise service orders."))
        not_rejected = self.filtered(lambda o: o.state != "rejected")
        if not_rejected:
            raise UserError(self.env._("Only rejected orders can be revised; not: %(names)s.",
                                       names=", ".join(not_rejected.mapped("name"))))
        for order in self:
            # sudo read: the reason is internal (staff only), posted for the order's history
            reason = order.sudo().reject_reason
            order.message_post(body=self.env._("Revised by %(user)s after the rejection: %(reason)s",
                                               user=self.env.user.name, reason=reason))
        self._set_state("draft", {"reject_reason": False, "submitted_date": False, "approval_level": False})
        return True

    def action_revise(self):
        """Revise a rejected order: it goes back to draft, to be changed and submitted again."""
        return self._do_revise()

    def action_open_review(self):
        """Open the Review wizard (approve or reject)."""
        self._check_can_review()
        return self._open_wizard("service.order.review", self.env._("Review %(name)s", name=self.name))
