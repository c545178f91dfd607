from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.common import MAX_PICTURE_BYTES


class ServiceOrderCustomerPortal(CustomerPortal):
    """The customer's pages: their orders (portal users, by record rule) or one order through
    its signed link (``access_token``, as sent by ``portal.mixin``), and the order's current
    PDF version."""

    def _get_customer_order(self, order_id, access_token):
        """The order the customer may see (by record rule or by its signed link), as
        superuser, or None. Customers see an order from its approval on: a draft, a
        submitted or a rejected order stays internal, whatever token is given."""
        try:
            order = self._document_check_access("service.order", order_id, access_token)
        except (AccessError, MissingError):
            return None
        return order if order.approved_date else None

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_order_count" in counters:
            Order = request.env["service.order"]
            values["service_order_count"] = Order.search_count(
                [("approved_date", "!=", False)]) if Order.has_access("read") else 0
        return values

    @http.route(["/my/service_orders", "/my/service_orders/page/<int:page>"], type="http",
                auth="user", website=True, readonly=True)
    def portal_my_service_orders(self, page=1, **kw):
        Order = request.env["service.order"]
        if not Order.has_access("read"):
            return request.redirect("/my")
        domain = [("approved_date", "!=", False)]
        pager = portal_pager(url="/my/service_orders", total=Order.search_count(domain), page=page, step=20)
        orders = Order.search(domain, order="scheduled_start desc, id desc", limit=20, offset=pager["offset"])
        request.session["my_service_orders_history"] = orders.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(orders=orders, pager=pager, page_name="service_order", default_url="/my/service_orders")
        return request.render("service_order.portal_my_service_orders", values)

    @http.route("/my/service_orders/<int:order_id>", type="http", auth="public", website=True,
                readonly=True)
    def portal_service_order(self, order_id, access_token=None, **kw):
        order = self._get_customer_order(order_id, access_token)
        if not order:
            return request.redirect("/my")
        items = order.work_item_ids.filtered(lambda item: item.state != "cancelled" or item.customer_decision)
        priced = items.filtered(lambda item: item.state not in ("cancelled", "on_hold"))
        values = self._get_page_view_values(order, access_token, {
            "order": order, "page_name": "service_order",
            "document": order._issued_document(),
            "documents": order._issued_documents(),
            "work_items": items,
            # the priced estimate of the work still to do or done, as the sale order prices it
            "estimate": priced._get_estimate() if priced and order.partner_id else None,
            "estimate_items": priced,
            "tz": order._customer_tz(),
        }, "my_service_orders_history", False, **kw)
        return request.render("service_order.portal_service_order", values)

    @http.route(["/my/service_orders/<int:order_id>/document",
                 "/my/service_orders/<int:order_id>/document/<int:version>"], type="http", auth="public", website=True,
                readonly=True)
    def portal_service_order_document(self, order_id, access_token=None, version=None, **kw):
        """The order's current PDF version, or the one asked for, as issued (the stored file, not
        a new rendering)."""
        order = self._get_customer_order(order_id, access_token)
        if not order:
            return request.redirect("/my")
        documents = order._issued_documents()
        document = documents.filtered(lambda d: d.version == version) if version else documents[:1]
        attachment = document.attachment_id
        if not attachment:
            return request.not_found()
        return request.make_response(attachment.raw, headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(attachment.raw)),
            ("Content-Disposition", content_disposition(attachment.name)),
        ])

    # ------------------------------------------------------------------
    # Asking for a visit (a logged-in customer)
    # ------------------------------------------------------------------
    def _render_request_form(self, error=None, form=None, status=200):
        values = self._prepare_portal_layout_values()
        values.update(page_name="service_order_request", error=error, form=form or {},
                      locations=request.env["service.order"]._portal_request_locations())
        return request.render("service_order.portal_service_order_request", values, status=status)

    @http.route("/my/service_orders/request", type="http", auth="user", website=True, methods=["GET"],
                readonly=True)
    def portal_service_order_request_form(self, **kw):
        if request.env.user._is_internal():
            return request.redirect("/odoo/action-service_order.service_order_action")
        return self._render_request_form()

    @http.route("/my/service_orders/request", type="http", auth="user", website=True, methods=["POST"])
    def portal_service_order_request(self, description=None, location_id=None, windows=None, **kw):
        if request.env.user._is_internal():
            return request.redirect("/odoo/action-service_order.service_order_action")
        photos = [(upload.filename or "photo", upload.read(MAX_PICTURE_BYTES + 1))
                  for upload in request.httprequest.files.getlist("photos") if upload.filename]
        try:
            # one savepoint: a refused request leaves nothing half-written
            with request.env.cr.savepoint():
                order = request.env["service.order"]._do_portal_request(description, location_id, windows, photos)
        except (UserError, ValidationError, ValueError) as error:
            return self._render_request_form(error=str(error), status=400, form={
                "description": description or "", "windows": windows or "", "location_id": location_id})
        values = self._prepare_portal_layout_values()
        values.update(page_name="service_order_request", order=order)
        return request.render("service_order.portal_service_order_request_done", values)
