from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .service_order import DISPATCHER_GROUP, TECHNICIAN_GROUP, TECHNICIAN_STATUSES


class ServiceOrder(models.Model):
    """The order's channel workspace: one private Discuss channel per order holding its
    stakeholders (requester, supervisor, dispatcher, field workers). Its membership follows
    the order: whoever is added to or removed from the order joins or leaves it."""

    _inherit = "service.order"

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

    def _sync_field_workers(self, before):
        """Followers and channel follow the field workers; newcomers are notified."""
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

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered("field_worker_ids")._sync_field_workers({})
        return orders

    def write(self, vals):
        people = {"field_worker_ids", "requested_by_id", "supervisor_id", "dispatcher_id"}
        if not people & set(vals):
            return super().write(vals)
        before = {order.id: order.field_worker_ids for order in self}
        result = super().write(vals)
        self._sync_field_workers(before)
        return result

    def _post_to_channel(self, body, attachment_ids=None):
        for order in self.filtered("channel_id"):
            # sudo: the author may be a stakeholder who is not (yet) a member
            order.channel_id.sudo().message_post(
                body=body, attachment_ids=attachment_ids or [], author_id=self.env.user.partner_id.id,
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
    # Hooks of the order's lifecycle
    # ------------------------------------------------------------------
    def _on_approved(self):
        result = super()._on_approved()
        self._ensure_channel()
        self._create_document_version("approval")
        return result

    def _on_technician_status_changed(self, status):
        result = super()._on_technician_status_changed(status)
        label = dict(TECHNICIAN_STATUSES)[status]
        self._post_to_channel(self.env._("%(user)s: status %(status)s.", user=self.env.user.name, status=label))
        return result

    # ------------------------------------------------------------------
    # Add field workers
    # ------------------------------------------------------------------
    def _do_add_field_workers(self, workers, lead=None, scheduled_start=None, scheduled_end=None,
                              vehicle=None, reason=None):
        """Add technicians to approved orders (dispatcher); they are notified and join the
        workspace. The workers, the schedule and the vehicle are printed on the PDF, so the
        change is a confirmation that issues the next version."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can add field workers."))
        technicians = self.env.ref(TECHNICIAN_GROUP).sudo().users  # sudo: read group members only
        not_technicians = workers - technicians
        if not_technicians:
            raise UserError(self.env._("Only technicians can be field workers; not: %(names)s.",
                                       names=", ".join(not_technicians.mapped("name"))))
        for order in self:
            if order.state not in ("planned", "in_progress"):
                raise UserError(self.env._(
                    "Field workers are added to approved orders; %(name)s is not planned.", name=order.name))
            order._do_confirm(
                reason or self.env._("Dispatch: field workers assigned by %(user)s.", user=self.env.user.name),
                workers=workers, lead=lead, scheduled_start=scheduled_start,
                scheduled_end=scheduled_end, vehicle=vehicle)
        return True

    def action_open_add_workers(self):
        """Open the Add field workers wizard."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can add field workers."))
        if self.filtered(lambda o: o.state not in ("planned", "in_progress")):
            raise UserError(self.env._("Field workers are added to approved orders."))
        return self._open_wizard("service.order.worker.add",
                                 self.env._("Add field workers to %(name)s", name=self.name))
