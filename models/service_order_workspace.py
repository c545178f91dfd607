from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP, sender_email_from
from .service_order_states import APPROVED_OPEN_STATES


def _is_staff(partner):
    """Whether ``partner`` is an employee's: an internal user's, archived ones too."""
    # sudo: whose users they are, whatever the caller may read of users
    return bool(partner.sudo().with_context(active_test=False).user_ids.filtered(lambda user: not user.share))


class ServiceOrderWorkspaceMixin(models.AbstractModel):
    """The order's channel workspace: one private Discuss channel per order holding its
    stakeholders (requester, supervisor, dispatcher, field workers). Its membership follows
    the order: whoever is added to or removed from the order joins or leaves it."""

    _name = "service.order.workspace.mixin"
    _description = "Service Order: channel workspace"

    # indexed: every new member of any Discuss channel asks whether it is a workspace
    channel_id = fields.Many2one("discuss.channel", string="Workspace", readonly=True, copy=False,
                                 ondelete="set null", index="btree_not_null")

    # ------------------------------------------------------------------
    # Stakeholders and channel membership
    # ------------------------------------------------------------------
    def _stakeholder_partners(self):
        self.ensure_one()
        users = self.requested_by_id | self.supervisor_id | self.dispatcher_id | self.field_worker_ids
        return users.partner_id

    def _ensure_channel(self):
        # sudo: the channel is the order's; its members are computed from the order, which
        # the current user may already act on
        for order in self.filtered(lambda o: not o.channel_id):
            channel = self.env["discuss.channel"].sudo().create({
                "name": f"{order.name} · {order.partner_id.display_name}"[:100],
                "channel_type": "group",
                "description": self.env._("Workspace of service order %(name)s", name=order.name),
                "channel_member_ids": [Command.create({"partner_id": p.id})
                                       for p in order._stakeholder_partners()],
            })
            order._write_workflow({"channel_id": channel.id})  # a workflow field, set once here
            channel.message_post(
                body=Markup("%s <a href='/odoo/action-service_order.service_order_action/%s'>%s</a>") % (
                    self.env._("Workspace of service order"), order.id, order.name),
                message_type="comment", subtype_xmlid="mail.mt_comment")

    def _sync_channel_members(self):
        """The staff of the workspace follow the order's people; the people a dispatcher
        invited (outside the company) stay until the order is closed."""
        for order in self.filtered("channel_id"):
            channel = order.channel_id.sudo()  # sudo: membership is derived from the order
            wanted = order._stakeholder_partners()
            present = channel.channel_member_ids.partner_id
            if wanted - present:
                channel.add_members(partner_ids=(wanted - present).ids)
            for partner in (present - wanted).filtered(_is_staff):
                channel._action_unfollow(partner=partner)

    def _on_people_changed(self, before):
        """Followers and channel follow the order's people (``before``: the field workers
        of each order before the change); new field workers are notified."""
        for order in self:
            added = order.field_worker_ids - before.get(order.id, self.env["res.users"])
            removed = before.get(order.id, self.env["res.users"]) - order.field_worker_ids
            if added:
                order.message_subscribe(partner_ids=added.partner_id.ids)
                body = self.env._("Field workers added: %(names)s.", names=", ".join(added.mapped("name")))
                if order.state in APPROVED_OPEN_STATES:
                    order.message_post(body=body, partner_ids=added.partner_id.ids, message_type="comment",
                                       subtype_xmlid="mail.mt_comment")
                else:
                    # booked on a draft: a note; the workers hear of the order when it is planned
                    order.message_post(body=body, subtype_xmlid="mail.mt_note")
            if removed:
                order.message_unsubscribe(partner_ids=removed.partner_id.ids)
                order.message_post(body=self.env._("Field workers removed: %(names)s.",
                                                   names=", ".join(removed.mapped("name"))))
        self._sync_channel_members()

    def _post_to_channel(self, body, attachment_ids=None, defer=False):
        """Post ``body`` to the orders' workspaces, as the current user; with ``defer``, a
        moment later through the job runner (service.workspace.post), off a request that must
        stay short (the technician's buttons)."""
        if defer:
            return self.env["service.workspace.post"]._queue(
                self, body, self.env.user, self.env["ir.attachment"].browse(attachment_ids or []))
        for order in self.filtered("channel_id"):
            # sudo: the author may be a stakeholder who is not (yet) a member
            order.channel_id.sudo().message_post(
                body=body, attachment_ids=attachment_ids or [], author_id=self.env.user.partner_id.id,
                email_from=self.env.user.email_formatted or sender_email_from(self.env),
                message_type="comment", subtype_xmlid="mail.mt_comment")

    def _do_invite_to_workspace(self, partners):
        """Invite people outside the company (the customer's contact, a subcontractor) to the
        workspace of approved orders, as partners: never as internal users, and they see
        that channel only (a portal user opens it at /discuss/channel/<id>)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can invite people to an order's workspace."))
        if not partners:
            raise UserError(self.env._("Choose the people to invite."))
        staff = partners.filtered(_is_staff)
        if staff:
            raise UserError(self.env._(
                "%(names)s work in the company: they join the workspace as field workers or stakeholders.",
                names=", ".join(staff.mapped("name"))))
        for order in self:
            if not order.channel_id:
                raise UserError(self.env._("The workspace of %(name)s is created when the order is approved.",
                                           name=order.name))
            strangers = partners - order._invitable_partners(partners)
            if strangers:
                raise UserError(self.env._(
                    "%(names)s: a workspace is for the contacts of the order's customer (%(customer)s) and for "
                    "subcontractors (Service Subcontractor on the contact) of the order's company.",
                    names=", ".join(strangers.mapped("display_name")),
                    customer=order.partner_id.commercial_partner_id.display_name))
            # sudo: membership of the order's own channel, after the checks above
            channel = order.channel_id.sudo()
            new = partners - channel.channel_member_ids.partner_id
            if new:
                channel.add_members(partner_ids=new.ids)
                order._post_to_channel(self.env._("%(user)s invited %(names)s to the workspace.",
                                                  user=self.env.user.name, names=", ".join(new.mapped("name"))))
                order.message_post(body=self.env._("Invited to the workspace: %(names)s.",
                                                   names=", ".join(new.mapped("name"))))
        return True

    def _invitable_partners(self, partners):
        """Those of ``partners`` who may join the order's workspace: the contacts of the order's
        customer, and subcontractors (a contact of a company marked Service Subcontractor),
        of no other company than the order's; never staff."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        # sudo: the flag and the company of contacts the dispatcher picked
        return partners.sudo().filtered(
            lambda p: not _is_staff(p) and (not p.company_id or p.company_id == self.company_id)
            and (p.commercial_partner_id == customer or p.commercial_partner_id.service_subcontractor)
        ).sudo(False)

    def action_open_invite(self):
        """Invite the customer's contact or a subcontractor to the workspace."""
        self.ensure_one()
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can invite people to an order's workspace."))
        return self._open_wizard("service.order.workspace.invite",
                                 self.env._("Invite to the workspace of %(name)s", name=self.name))

    def action_open_channel(self):
        """Open the order's workspace in Discuss."""
        self.ensure_one()
        if not self.channel_id:
            raise UserError(self.env._("The workspace is created when the order is approved."))
        action = self.env["ir.actions.actions"]._for_xml_id("mail.action_discuss")
        action["context"] = {"active_id": f"discuss.channel_{self.channel_id.id}"}
        action["path"] = False
        return action

    # ------------------------------------------------------------------
    # Add field workers
    # ------------------------------------------------------------------
