from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.common import MAX_PICTURE_BYTES

HISTORY_LIMIT = 200
ROW_RANKS = {"work_item": 0, "part": 0, "fallout": 1, "document": 2}


class ServiceEquipmentPortal(CustomerPortal):
    """The equipment's page on the portal, which its label's QR code opens: what it is, its
    warranty, its service history and a form to ask for service. A customer reaches their own
    equipment with their account (record rules), anyone holding the label with its token (that
    equipment only); an employee opening the same address is sent to the equipment in Odoo."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_equipment_count" in counters:
            Equipment = request.env["service.equipment"]
            values["service_equipment_count"] = Equipment.search_count([]) if Equipment.has_access("read") else 0
        return values

    def _get_portal_equipment(self, equipment_id, access_token):
        """The equipment the visitor may see (their own, or the label's token), as superuser, or None."""
        try:
            equipment = self._document_check_access("service.equipment", equipment_id, access_token)
        except (AccessError, MissingError):
            return None
        return equipment if equipment.active else None

    def _equipment_history(self, equipment):
        """The history a customer sees: the orders of this equipment's customer from their
        approval on, as the portal rule of the history says (the rows of a previous owner and
        the orders not approved yet stay internal)."""
        # sudo: the visitor's access to the equipment was checked (account or token); the rows are
        # filtered as the portal rule filters them
        return request.env["service.equipment.history"].sudo().search([
            ("equipment_id", "=", equipment.id),
            ("partner_id", "child_of", equipment.partner_id.commercial_partner_id.id),
            ("order_approved", "=", True),
        ], limit=HISTORY_LIMIT)

    def _render_equipment(self, equipment, access_token, error=None, values=None, status=200):
        history = self._equipment_history(equipment)
        user = request.env.user
        # the orders the visitor may open (a customer logged in: their own; a label: none)
        readable = set() if user._is_public() else set(request.env["service.order"].search(
            [("id", "in", history.order_id.ids)]).ids)
        # the history by order, newest first: the order's own row (or, for an order booked
        # without this equipment, the first row of its work on it) and the rows of its work
        by_order = {}
        for row in history:
            by_order.setdefault(row.order_id.id, []).append(row)
        orders = [next((row for row in rows if row.kind == "order"), rows[0]) for rows in by_order.values()]
        page_values = self._get_page_view_values(equipment, access_token, {
            "equipment": equipment,
            "history": history,
            "orders": orders,
            # each work item followed by its parts, then the fallouts, then the documents
            "rows_by_order": {order_id: sorted(
                (row for row in rows if row.kind != "order"),
                key=lambda row: (ROW_RANKS.get(row.kind, 9), row.name or "", row.kind != "work_item"))
                for order_id, rows in by_order.items()},
            "readable_order_ids": readable,
            "token": access_token,
            "error": error,
            "form": values or {},
            "page_name": "service_equipment",
        }, "my_service_equipment_history", False)
        return request.render("service_order.portal_service_equipment", page_values, status=status)

    # both pages only read (the label's token is made with the equipment): served read-only,
    # from a replica where there is one
    @http.route(["/my/equipment", "/my/equipment/page/<int:page>"], type="http", auth="user", website=True,
                readonly=True)
    def portal_my_equipment(self, page=1, **kw):
        Equipment = request.env["service.equipment"]
        if not Equipment.has_access("read"):
            return request.redirect("/my")
        pager = portal_pager(url="/my/equipment", total=Equipment.search_count([]), page=page, step=20)
        equipment = Equipment.search([], limit=20, offset=pager["offset"])
        request.session["my_service_equipment_history"] = equipment.ids[:100]
        values = self._prepare_portal_layout_values()
        # sudo: the customer's own equipment (found through their record rules), shown with its
        # model's name, which a portal user may not read on the product itself
        values.update(equipment=equipment.sudo(), pager=pager, page_name="service_equipment", default_url="/my/equipment")
        return request.render("service_order.portal_my_service_equipment", values)

    @http.route("/my/equipment/<int:equipment_id>", type="http", auth="public", website=True, methods=["GET"],
                readonly=True)
    def portal_service_equipment(self, equipment_id, access_token=None, **kw):
        if request.env.user._is_internal():
            # an employee (a technician scanning the label) works in Odoo: the equipment's form,
            # where their own rights apply
            return request.redirect(f"/odoo/action-service_order.service_equipment_action/{int(equipment_id)}")
        equipment = self._get_portal_equipment(equipment_id, access_token)
        if not equipment:
            return request.render("service_order.portal_service_equipment_invalid", {}, status=404)
        return self._render_equipment(equipment, access_token)

    @http.route("/my/equipment/<int:equipment_id>/request", type="http", auth="public", website=True,
                methods=["POST"])
    def portal_service_equipment_request(self, equipment_id, access_token=None, description=None, contact=None,
                                         **kw):
        if request.env.user._is_internal():
            return request.redirect(f"/odoo/action-service_order.service_equipment_action/{int(equipment_id)}")
        equipment = self._get_portal_equipment(equipment_id, access_token)
        if not equipment:
            return request.render("service_order.portal_service_equipment_invalid", {}, status=404)
        user = request.env.user
        partner = None if user._is_public() else user.partner_id
        photos = [(upload.filename or "photo", upload.read(MAX_PICTURE_BYTES + 1))
                  for upload in request.httprequest.files.getlist("photos") if upload.filename]
        try:
            # one savepoint: a refused request leaves nothing half-written
            with request.env.cr.savepoint():
                order, created = equipment._do_request_service(description, photos, contact=contact,
                                                               partner=partner)
        except (UserError, ValidationError) as error:
            return self._render_equipment(equipment, access_token, error=str(error),
                                          values={"description": description or "", "contact": contact or ""},
                                          status=400)
        return request.render("service_order.portal_service_equipment_request_done", {
            "equipment": equipment, "order": order, "created": created, "token": access_token,
        })
