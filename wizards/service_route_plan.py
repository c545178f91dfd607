from odoo import fields, models
from odoo.exceptions import UserError

from ..models.common import check_schedule_date, field_technicians_domain


class ServiceRoutePlan(models.TransientModel):
    _name = "service.route.plan"
    _inherit = ["service.wizard.mixin"]
    _description = "Plan the Day Routes of a Day"

    date = fields.Date(required=True, default=fields.Date.context_today)
    user_ids = fields.Many2many(
        "res.users", string="Technicians",
        domain=lambda self: field_technicians_domain(self.env),
        help="Leave empty: every technician with an order that day.")
    optimise = fields.Boolean("Optimise the Routes", default=True,
                              help="Order each technician's stops by travel distance.")

    def action_confirm(self):
        """Make (or bring up to date) the routes of the day, optimise them, and open them."""
        self.ensure_one()
        check_schedule_date(self.env, self.date, self._fields["date"]._description_string(self.env))
        Route = self.env["service.route"]
        users = self.user_ids or Route._technicians_of_day(self.date)
        if not users:
            raise UserError(self.env._("No technician has an order on %(day)s.", day=self.date))
        routes = Route._get_routes(users, self.date)
        if self.optimise:
            routes._do_optimise()
        return Route._action_open_day_routes(self.date)
