from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP
from .service_route_stop import MARKER_COLOURS, MARKER_DEFAULT_COLOUR, marker_svg

# The planning's records: never written through the order (service.order's protected fields).
ROUTE_PROTECTED_FIELDS = frozenset({"route_stop_ids"})


class ServiceOrderRouteMixin(models.AbstractModel):
    """Where the order is: the coordinates of its location (Geolocate), and the order as a
    stop of its technicians' day routes (service.route): its number in the visiting order,
    for the list of the day and the numbered pins of the map. The route holds the order of
    the stops; the order's schedule, which the PDF prints, is not touched."""

    _name = "service.order.route.mixin"
    _description = "Service Order: place and day routes"

    route_stop_ids = fields.One2many("service.route.stop", "order_id", string="Route Stops", readonly=True)
    route_stop_number = fields.Integer(
        "Stop", compute="_compute_route_stop",
        help="The order's number in the day route: yours when you are one of its technicians, "
             "else the lead technician's.")
    route_id = fields.Many2one("service.route", string="Day Route", compute="_compute_route_stop")
    route_marker_icon = fields.Binary(compute="_compute_route_marker_icon",
                                      help="The pin of the order on the map, numbered by its day route.")

    # the pin has its own compute: the list and My day read the stop number, not the service
    # level that colours the pin
    @api.depends("route_stop_number", "sla_status")
    @api.depends_context("uid")
    def _compute_route_marker_icon(self):
        for order in self:
            order.route_marker_icon = marker_svg(
                order.route_stop_number, MARKER_COLOURS.get(order.sla_status, MARKER_DEFAULT_COLOUR))

    @api.depends("route_stop_ids.sequence", "lead_technician_id")
    @api.depends_context("uid")
    def _compute_route_stop(self):
        # one read for every order (the stops, then their routes); each order's stops from the
        # cache, not filtered out of the page's (a page of 80 stops would cost 80 x 80 tests)
        self.route_stop_ids.route_id.mapped("user_id")
        mine = not self.env.user.has_group(DISPATCHER_GROUP)
        for order in self:
            own = order.route_stop_ids
            wanted = self.env.user if mine else order.lead_technician_id
            stop = own.filtered(lambda s, u=wanted: s.route_id.user_id == u).sorted("date", reverse=True)[:1] \
                or (own.sorted("date", reverse=True)[:1] if not mine else own.browse())
            order.route_stop_number = stop.stop_number
            order.route_id = stop.route_id

    def action_geolocate(self):
        """Find the coordinates of the orders' intervention locations (base_geolocalize)."""
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can geolocate locations."))
        # sudo: only the coordinates of the order's own location are written;
        # force_geo_localize: an explicit request, also honoured during imports and tests
        locations = self.location_id.sudo()
        locations.with_context(force_geo_localize=True).geo_localize()
        missing = locations.filtered(lambda p: not p.partner_latitude and not p.partner_longitude)
        if missing:
            raise UserError(self.env._("No coordinates found for: %(names)s. Check the address.",
                                       names=", ".join(missing.mapped("display_name"))))
        return True

    def action_view_route(self):
        """Open the day route the order is a stop of."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.route",
            "res_id": self.route_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
