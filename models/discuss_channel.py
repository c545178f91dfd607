from odoo import api, models
from odoo.exceptions import AccessError, UserError

# What makes a workspace the order's: set by the addon only (its name, who may join it).
WORKSPACE_FIXED_FIELDS = frozenset({
    "name", "description", "image_128", "channel_type", "group_public_id", "group_ids",
    "parent_channel_id", "uuid", "channel_member_ids",
})


class DiscussChannel(models.Model):
    """An order's workspace (service.order.workspace.mixin) is the order's: its members follow
    the order's people and the dispatchers' invitations, never an invitation from inside the
    channel (a member adding someone, the channel's invitation link), and its name is the
    order's."""

    _inherit = "discuss.channel"

    def _service_workspaces(self):
        """The channels of ``self`` that are the workspace of a service order."""
        if not self.ids:
            return self.browse()
        # sudo: which channels are workspaces, whatever orders the user may read
        orders = self.env["service.order"].sudo().search([("channel_id", "in", self.ids)])
        return orders.channel_id.sudo(self.env.su)

    def _workspace_refusal(self):
        return self.env._(
            "%(channels)s is the workspace of a service order: a dispatcher invites people with "
            "Invite to the Workspace on the order; its name and members follow the order.",
            channels=", ".join(self.mapped("name")))

    def write(self, vals):
        if not self.env.su and WORKSPACE_FIXED_FIELDS & set(vals):
            workspaces = self._service_workspaces()
            if workspaces:
                raise AccessError(workspaces._workspace_refusal())
        return super().write(vals)

    def _find_or_create_persona_for_channel(self, guest_name, timezone, country_code, post_joined_message=True):
        # the channel's invitation link (/chat/<id>/<uuid>) makes anyone who opens it a member,
        # under sudo: a workspace lets in its members only
        workspaces = self._service_workspaces()
        if workspaces:
            member = self.env["discuss.channel.member"].search([("channel_id", "=", self.id), ("is_self", "=", True)])
            if not member:
                raise UserError(workspaces._workspace_refusal())
        return super()._find_or_create_persona_for_channel(
            guest_name, timezone, country_code, post_joined_message=post_joined_message)


class DiscussChannelMember(models.Model):
    _inherit = "discuss.channel.member"

    @api.model_create_multi
    def create(self, vals_list):
        # a member of a workspace is added by the addon only (the order's people, a dispatcher's
        # invitation: service.order.workspace.mixin, under sudo after its checks)
        if not self.env.su:
            channels = self.env["discuss.channel"].browse({vals.get("channel_id") for vals in vals_list} - {None, False})
            workspaces = channels._service_workspaces()
            if workspaces:
                raise AccessError(workspaces._workspace_refusal())
        return super().create(vals_list)
