from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

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
        """The order's stop: the caller's own (a technician sees their routes only, as their
        rule on stops says), else, for a dispatcher, the lead technician's, else the latest;
        its number is its rank in its route by sequence (service.route.stop's stop_number).

        One query for the page: reading the stops through the ORM cost a search with its
        rules, the routes and their stops for every page of the list and of My day."""
        saved = self.filtered(lambda order: isinstance(order.id, int))
        for order in self - saved:  # a form's new record: no stop yet
            order.route_stop_number, order.route_id = 0, False
        if not saved:
            return
        self.env["service.route.stop"].flush_model(["route_id", "order_id", "sequence", "company_id"])
        self.env["service.route"].flush_model(["user_id", "date"])
        self.flush_recordset(["lead_technician_id"])
        mine = not self.env.user.has_group(DISPATCHER_GROUP)
        self.env.cr.execute(SQL(
            """WITH ranked AS (
                   SELECT stop.order_id, stop.route_id, route.user_id, route.date,
                          ROW_NUMBER() OVER (PARTITION BY stop.route_id ORDER BY stop.sequence, stop.id) AS number
                     FROM service_route_stop stop
                     JOIN service_route route ON route.id = stop.route_id
                    WHERE stop.route_id IN (SELECT route_id FROM service_route_stop WHERE order_id = ANY(%(ids)s))
                      AND stop.company_id = ANY(%(companies)s)
               )
               SELECT DISTINCT ON (ranked.order_id) ranked.order_id, ranked.route_id, ranked.number
                 FROM ranked
                 JOIN service_order ON service_order.id = ranked.order_id
                WHERE ranked.order_id = ANY(%(ids)s) AND (NOT %(mine)s OR ranked.user_id = %(uid)s)
             ORDER BY ranked.order_id, ranked.user_id IS NOT DISTINCT FROM service_order.lead_technician_id DESC,
                      ranked.date DESC, ranked.route_id""",
            ids=saved.ids, companies=self.env.companies.ids, mine=mine, uid=self.env.uid))
        stop_of = {order_id: (route_id, number) for order_id, route_id, number in self.env.cr.fetchall()}
        Route = self.env["service.route"]
        for order in saved:
            route_id, number = stop_of.get(order.id, (False, 0))
            order.route_stop_number, order.route_id = number, Route.browse(route_id)

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
