from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import UserError

from .common import sender_email_from


class ServiceOrderWorkspaceMixin(models.AbstractModel):
    """The order's channel workspace: one private Discuss channel per order holding its
    stakeholders (requester, supervisor, dispatcher, field workers). Its membership follows
    the order: whoever is added to or removed from the order joins or leaves it."""

    _name = "service.order.workspace.mixin"
    _description = "Service Order: channel workspace"

    channel_id = fields.Many2one("discuss.channel", string="Workspace", readonly=True, copy=False,
                                 ondelete="set null")

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
            # sudo: the workspace link is a workflow field, set once here
            order.sudo().write({"channel_id": channel.id})
            channel.message_post(
                body=Markup("%s <a href='/odoo/action-service_order.service_order_action/%s'>%s</a>") % (
                    self.env._("Workspace of service order"), order.id, order.name),
                message_type="comment", subtype_xmlid="mail.mt_comment")

    def _sync_channel_members(self):
        for order in self.filtered("channel_id"):
            channel = order.channel_id.sudo()  # sudo: membership is derived from the order
            wanted = order._stakeholder_partners()
            present = channel.channel_member_ids.partner_id
            if wanted - present:
                channel.add_members(partner_ids=(wanted - present).ids)
            for partner in present - wanted:
                channel._action_unfollow(partner=partner)

    def _on_people_changed(self, before):
        """Followers and channel follow the order's people (``before``: the field workers
        of each order before the change); new field workers are notified."""
        for order in self:
            added = order.field_worker_ids - before.get(order.id, self.env["res.users"])
            removed = before.get(order.id, self.env["res.users"]) - order.field_worker_ids
            if added:
                order.message_subscribe(partner_ids=added.partner_id.ids)
                order.message_post(
                    body=self.env._("Field workers added: %(names)s.", names=", ".join(added.mapped("name"))),
                    partner_ids=added.partner_id.ids, message_type="comment",
                    subtype_xmlid="mail.mt_comment")
            if removed:
                order.message_unsubscribe(partner_ids=removed.partner_id.ids)
                order.message_post(body=self.env._("Field workers removed: %(names)s.",
                                                   names=", ".join(removed.mapped("name"))))
        self._sync_channel_members()

    def _post_to_channel(self, body, attachment_ids=None):
        for order in self.filtered("channel_id"):
            # sudo: the author may be a stakeholder who is not (yet) a member
            order.channel_id.sudo().message_post(
                body=body, attachment_ids=attachment_ids or [], author_id=self.env.user.partner_id.id,
                email_from=self.env.user.email_formatted or sender_email_from(self.env),
                message_type="comment", subtype_xmlid="mail.mt_comment")

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
