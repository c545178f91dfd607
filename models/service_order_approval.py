from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import is_html_empty

from .common import DISPATCHER_GROUP, SUPERVISOR_GROUP, selection_labels, text_to_html


class ServiceOrderApprovalMixin(models.AbstractModel):
    """The approval of a service order: submit (dispatcher; the supervisor gets an activity),
    review (supervisor: approve, then the workspace and version 1, or reject with a reason),
    revise a rejected order; and a state written by hand (kanban drag & drop, a list's
    multi-edit, RPC) performed as the matching button would, or refused."""

    _name = "service.order.approval.mixin"
    _description = "Service Order: approval"

    def _move_to_state(self, target):
        """Perform a requested state change the way its button would (drag & drop, a list's
        multi-edit): the submitted orders moved to planned are approved together, so that
        their PDFs are left to the job runner; anything else is refused with how to do it."""
        labels = selection_labels(self, "state")
        to_approve = self.filtered(lambda o: o.state == "submitted") if target == "planned" else self.browse()
        for order in self - to_approve:
            if order.state == "draft" and target == "submitted":
                order._check_can_submit()
                order._do_submit()
            elif order.state == "rejected" and target == "draft":
                order._do_revise()
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
            if not order.supervisor_id:
                missing.append(self.env._("supervisor"))
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
        """Submit draft orders to their supervisor, who gets the approval activity."""
        self._check_can_submit()
        self._set_state("submitted", {"submitted_date": fields.Datetime.now()})
        for order in self:
            order.activity_schedule(
                "service_order.mail_act_service_order_approval",
                user_id=order.supervisor_id.id,
                note=text_to_html(self.env._("Review service order %(name)s for %(customer)s.",
                                               name=order.name, customer=order.partner_id.display_name)),
            )
            order.message_post(body=self.env._("Submitted for approval to %(user)s.",
                                               user=order.supervisor_id.name))

    def action_open_submit(self):
        """Open the Submit wizard, which checks the order's data."""
        self._check_can_open_submit()
        return self._open_wizard("service.order.submit", self.env._("Submit %(name)s", name=self.name))

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
        """Approve submitted orders (supervisor): planned, workspace and version 1 issued."""
        self._check_can_review()
        self.activity_feedback(["service_order.mail_act_service_order_approval"],
                               feedback=self.env._("Approved"))
        self._set_state("planned", {
            "approved_date": fields.Datetime.now(),
            "approved_by_id": self.env.user.id,
        })
        for order in self:
            order.message_post(body=self.env._("Approved by %(user)s.", user=self.env.user.name))
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
        self._set_state("draft", {"reject_reason": False, "submitted_date": False})
        return True

    def action_revise(self):
        """Revise a rejected order: it goes back to draft, to be changed and submitted again."""
        return self._do_revise()

    def action_open_review(self):
        """Open the Review wizard (approve or reject)."""
        self._check_can_review()
        return self._open_wizard("service.order.review", self.env._("Review %(name)s", name=self.name))
