from odoo import fields, models

# The technicians of a skill: one table, edited from the skill (by supervisors) or from the user
# (by administrators).
SKILL_USERS_TABLE = "service_skill_res_users_rel"


class ServiceSkill(models.Model):
    """What a technician can do (boilers, refrigeration, electrical...): an order type requires
    one, and the order form suggests the free technicians who have it."""

    _name = "service.skill"
    _inherit = ["service.integer.bounds.mixin"]
    _description = "Service Technician Skill"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one("res.company", ondelete="cascade", index=True,
                                 help="Leave empty to share the skill between companies.")
    user_ids = fields.Many2many(
        "res.users", SKILL_USERS_TABLE, "skill_id", "user_id", string="Technicians",
        domain=lambda self: [("groups_id", "in", self.env.ref("service_order.group_service_order_technician").ids),
                             ("share", "=", False)])

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "A skill's name is unique per company."),
    ]

