import base64

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import DISPATCHER_GROUP
from .route_planning import haversine_km

# Marker colours: late red, at risk orange, closed green, otherwise the addon's purple.
MARKER_COLOURS = {"late": "#d44c59", "at_risk": "#f0ad4e", "met": "#28a745", "missed": "#28a745"}
MARKER_DEFAULT_COLOUR = "#714b67"


def marker_svg(number, colour):
    """A map pin (32 x 42 px) holding ``number`` (none when falsy), as base64 SVG."""
    label = escape(str(number)) if number else ""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="42" viewBox="0 0 32 42">'
        f'<path d="M16 1C7.7 1 1 7.7 1 16c0 11.2 15 25 15 25s15-13.8 15-25C31 7.7 24.3 1 16 1z" '
        f'fill="{colour}" stroke="#ffffff" stroke-width="2"/>'
        + (f'<text x="16" y="21" font-family="DejaVu Sans,Arial,sans-serif" font-size="{13 if len(label) < 3 else 10}" '
           f'font-weight="bold" fill="#ffffff" text-anchor="middle">{label}</text>' if label
           else '<circle cx="16" cy="16" r="5" fill="#ffffff"/>')
        + "</svg>"
    )
    return base64.b64encode(svg.encode())


class ServiceRouteStop(models.Model):
    """One order on a technician's day route; ``sequence`` is the visiting order."""

    _name = "service.route.stop"
    _inherit = ["service.integer.bounds.mixin"]
    _description = "Day Route Stop"
    _order = "route_id, sequence, id"
    _check_company_auto = True

    route_id = fields.Many2one("service.route", required=True, readonly=True, index=True,
                               ondelete="cascade")
    order_id = fields.Many2one("service.order", string="Service Order", required=True, readonly=True,
                               index=True, ondelete="cascade", check_company=True)
    sequence = fields.Integer(default=10, help="The visiting order; drag the stops to change it.")
    stop_number = fields.Integer("Stop", compute="_compute_stop_number")
    company_id = fields.Many2one(related="route_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="route_id.user_id", string="Technician")
    date = fields.Date(related="route_id.date")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    location_address = fields.Char(related="order_id.location_address", string="Address")
    latitude = fields.Float(related="order_id.location_latitude", digits=(10, 7))
    longitude = fields.Float(related="order_id.location_longitude", digits=(10, 7))
    # read by the leaflet map view for every record it shows
    date_localization = fields.Date(related="order_id.date_localization")
    has_coordinates = fields.Boolean(compute="_compute_has_coordinates")
    scheduled_start = fields.Datetime(related="order_id.scheduled_start")
    scheduled_end = fields.Datetime(related="order_id.scheduled_end")
    technician_status = fields.Selection(related="order_id.technician_status")
    state = fields.Selection(related="order_id.state", string="Order Status")
    sla_status = fields.Selection(related="order_id.sla_status")
    leg_km = fields.Float("From Previous (km)", compute="_compute_stop_number", digits=(16, 1),
                          help="As the crow flies, from the previous stop (or the start address).")
    marker_icon = fields.Binary(compute="_compute_marker_icon",
                                help="The numbered pin of the stop on the map.")

    _sql_constraints = [
        ("route_order_uniq", "unique(route_id, order_id)", "An order is a stop of a route once."),
    ]

    @api.depends("latitude", "longitude")
    def _compute_has_coordinates(self):
        for stop in self:
            stop.has_coordinates = bool(stop.latitude or stop.longitude)

    def _point(self):
        self.ensure_one()
        return (self.latitude, self.longitude)

    @api.depends("route_id.stop_ids.sequence", "latitude", "longitude", "route_id.start_latitude",
                 "route_id.start_longitude")
    def _compute_stop_number(self):
        numbers = {}
        for route in self.route_id:
            previous = route._start_point()
            for number, stop in enumerate(route.stop_ids.sorted(lambda s: (s.sequence, s.id)), start=1):
                leg = haversine_km(previous, stop._point()) if previous and stop.has_coordinates else 0.0
                numbers[stop.id] = (number, leg)
                if stop.has_coordinates:
                    previous = stop._point()
        for stop in self:
            stop.stop_number, stop.leg_km = numbers.get(stop._origin.id or stop.id, (0, 0.0))

    @api.depends("stop_number", "sla_status", "state")
    def _compute_marker_icon(self):
        for stop in self:
            stop.marker_icon = marker_svg(stop.stop_number, MARKER_COLOURS.get(stop.sla_status, MARKER_DEFAULT_COLOUR))

    @api.depends("stop_number", "order_id.name", "partner_id")
    def _compute_display_name(self):
        for stop in self:
            stop.display_name = f"#{stop.stop_number} {stop.order_id.name or ''} · {stop.partner_id.name or ''}"

    def write(self, vals):
        if not self.env.su:
            if not self.env.user.has_group(DISPATCHER_GROUP):
                raise AccessError(self.env._("Only dispatchers reorder the stops of a day route."))
            refused = set(vals) - {"sequence"}
            if refused:
                raise UserError(self.env._(
                    "A stop is moved by drag and drop; these fields are the planning's: %(fields)s.",
                    fields=", ".join(sorted(self._fields[f].string for f in refused if f in self._fields))))
        return super().write(vals)

    def action_open_order(self):
        """Open the stop's service order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
