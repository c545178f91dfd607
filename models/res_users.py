from odoo import fields, models

from .service_skill import SKILL_USERS_TABLE


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

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["service_route_start_id", "service_vehicle_id"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # a technician sets where their day starts in their own preferences; not their van:
        # the van decides whose stock their parts leave
        return super().SELF_WRITEABLE_FIELDS + ["service_route_start_id"]

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
