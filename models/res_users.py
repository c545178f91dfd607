from odoo import api, fields, models

from .common import DISPATCHER_GROUP, SUPERVISOR_GROUP, TECHNICIAN_GROUP
from .service_skill import SKILL_USERS_TABLE

# Where each role lands after login (its home action), the most senior role first: a
# supervisor on the orders to approve, a dispatcher on the board of open orders, a technician
# on My Day.
ROLE_HOME_ACTIONS = (
    (SUPERVISOR_GROUP, "service_order.service_order_action_to_approve"),
    (DISPATCHER_GROUP, "service_order.service_order_action"),
    (TECHNICIAN_GROUP, "service_order.service_order_action_my_day"),
)
# Menus of the field work: the office roles (dispatchers, supervisors) do not see them
FIELD_MENUS = (
    "service_order.service_order_menu_my_day",
    "service_order.service_order_menu_my",
    "service_order.service_route_menu_mine",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    service_route_start_id = fields.Many2one(
        "res.partner", string="Route Start Address", ondelete="set null",
        help="Where the technician's day starts (home or depot): a day route is ordered from "
             "here. Leave empty to start from the company's address.")
    service_vehicle_id = fields.Many2one(
        "fleet.vehicle", string="Default Van", ondelete="set null",
        help="The van the technician works from when their order names no vehicle: the parts they "
             "use leave its stock. Set by an administrator (the van decides whose stock moves).")

    # what the technician can do: an order type requires a skill, the order form suggests the free
    # technicians who have it (edited on the skill by supervisors)
    service_skill_ids = fields.Many2many("service.skill", SKILL_USERS_TABLE, "user_id", "skill_id",
                                         string="Service Skills")

    # the customer's appointment notice and visit page show the technician's photo only if they allow it
    service_photo_to_customers = fields.Boolean(
        "Show My Photo to Customers",
        help="The appointment notice and the visit's page show your photo to the customer you visit.")

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["service_route_start_id", "service_vehicle_id",
                                               "service_photo_to_customers"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # a technician sets where their day starts, and whether customers see their photo, in their
        # own preferences; not their van: the van decides whose stock their parts leave
        return super().SELF_WRITEABLE_FIELDS + ["service_route_start_id", "service_photo_to_customers"]

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_service_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if any(name == "groups_id" or name.startswith(("in_group_", "sel_groups_")) for name in vals):
            self._set_service_home_action()
        return result

    def _set_service_home_action(self):
        """Each role's landing page after login (``ROLE_HOME_ACTIONS``), set when the role is given
        or changes; a home action the user (or an administrator) chose is left alone, and a user
        who loses their role loses its home page."""
        homes = [(group, self.env.ref(xmlid, raise_if_not_found=False)) for group, xmlid in ROLE_HOME_ACTIONS]
        homes = [(group, action) for group, action in homes if action]
        ours = {action.id for _group, action in homes}
        for user in self:
            current = user.action_id
            if current and current.id not in ours:
                continue  # chosen: left alone
            wanted = next((action for group, action in homes if user._has_group(group)), self.env["ir.actions.actions"])
            if current.id != wanted.id:
                # sudo: the home action follows the role the administrator gave; nothing else is written
                user.sudo().action_id = wanted.id or False

    @api.model
    def _init_service_home_actions(self):
        """The home pages of every user who holds a role (on install, and on update from a version
        without them): left alone where a user chose another."""
        users = self.with_context(active_test=False).search(
            [("share", "=", False), ("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).ids)])
        users._set_service_home_action()
        return True

    def _get_service_route_start(self, company=None):
        """The address the user's day routes (of ``company``) start from: theirs, else the
        company's; never another company's address."""
        self.ensure_one()
        # sudo: an address and its coordinates, to plan a route the caller may plan
        user = self.sudo()
        company = company or user.company_id
        start = user.service_route_start_id
        if start.company_id and start.company_id != company:
            start = start.browse()
        return start or company.partner_id


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        """A role given or taken through the group itself (its users) moves the home page too."""
        role_ids = {self.env.ref(xmlid, raise_if_not_found=False).id for xmlid, _action in ROLE_HOME_ACTIONS
                    if self.env.ref(xmlid, raise_if_not_found=False)} if "users" in vals else set()
        roles = self.filtered(lambda group: group.id in role_ids)
        before = roles.users
        result = super().write(vals)
        if roles:
            (before | roles.users)._set_service_home_action()
        return result


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    def _load_menus_blacklist(self):
        """The field work's menus (My Day, My Orders, My Route Today) are a technician's; the office
        roles, whose rights include a technician's, do not see them."""
        result = super()._load_menus_blacklist()
        if self.env.user.has_group(DISPATCHER_GROUP):
            result += [menu.id for menu in (self.env.ref(xmlid, raise_if_not_found=False) for xmlid in FIELD_MENUS)
                       if menu]
        return result
