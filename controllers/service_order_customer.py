import base64

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools.mimetypes import guess_mimetype

PAGE = "service_order.customer_visit_page"
RESCHEDULE_PAGE = "service_order.customer_reschedule_page"
INVALID_PAGE = "service_order.customer_visit_invalid"


class ServiceOrderCustomerVisit(http.Controller):
    """The customer's page of one visit, reached with the order's own token (no login): the
    appointment (confirm, or pick another free window), the technician on the way with the
    expected arrival, on site, the completion report and the rating. The pages read only (GET,
    served by a read-only replica if there is one); what the customer does is a POST, checked by
    the order's methods against the token."""

    def _order(self, order_id, token):
        # the order as superuser when the token is its own and the link has not expired, else empty
        return request.env["service.order"]._get_by_customer_token(order_id, token)

    def _invalid(self):
        return request.render(INVALID_PAGE, {}, status=404)

    def _render(self, order, token, error=None, notice=None, status=200, rate=None):
        values = order._customer_page_values()
        values.update(token=token, error=error, notice=notice, base=f"/service/visit/{order.id}/{token}",
                      rate=rate if rate in ("1", "2", "3", "4", "5") else None)
        return request.render(PAGE, values, status=status)

    @http.route("/service/visit/<int:order_id>/<string:token>", type="http", auth="public", methods=["GET"],
                readonly=True, sitemap=False)
    def visit_page(self, order_id, token, rate=None, **kw):
        order = self._order(order_id, token)
        if not order:
            return self._invalid()
        return self._render(order, token, rate=rate)

    @http.route("/service/visit/<int:order_id>/<string:token>/confirm", type="http", auth="public",
                methods=["POST"], sitemap=False)
    def visit_confirm(self, order_id, token, **kw):
        order = self._order(order_id, token)
        if not order:
            return self._invalid()
        try:
            order._do_customer_confirm(token)
        except UserError as error:
            return self._render(order, token, error=str(error), status=400)
        return self._render(order, token, notice="confirmed")

    @http.route("/service/visit/<int:order_id>/<string:token>/reschedule", type="http", auth="public",
                methods=["GET"], readonly=True, sitemap=False)
    def visit_reschedule_page(self, order_id, token, **kw):
        order = self._order(order_id, token)
        if not order:
            return self._invalid()
        return self._render_reschedule(order, token)

    def _render_reschedule(self, order, token, error=None, status=200):
        windows = order._free_windows() if order._customer_can_change() else []
        days = {}
        for window in windows:
            day = order._customer_time(window["start"], "EEEE d MMMM")
            days.setdefault(day, []).append({
                "start": window["start"].strftime("%Y-%m-%d %H:%M:%S"), "user_id": window["user"].id,
                "label": order._customer_time(window["start"], "HH:mm") + " - "
                + order._customer_time(window["end"], "HH:mm"),
                "technician": window["user"].name.split()[0]})
        return request.render(RESCHEDULE_PAGE, {
            "order": order, "days": days, "token": token, "error": error,
            "base": f"/service/visit/{order.id}/{token}", "window": order._customer_window(),
            "can_change": order._customer_can_change(),
            "by_dispatcher": order.company_id.service_reschedule_by_dispatcher,
        }, status=status)

    @http.route("/service/visit/<int:order_id>/<string:token>/reschedule", type="http", auth="public",
                methods=["POST"], sitemap=False)
    def visit_reschedule(self, order_id, token, start=None, user_id=None, **kw):
        order = self._order(order_id, token)
        if not order:
            return self._invalid()
        try:
            # one savepoint: a refused pick leaves nothing half-written
            with request.env.cr.savepoint():
                order._do_customer_reschedule(token, start, user_id)
        except (UserError, ValidationError, ValueError) as error:
            return self._render_reschedule(order, token, error=str(error), status=400)
        notice = "requested" if order.company_id.service_reschedule_by_dispatcher else "rescheduled"
        return self._render(order, token, notice=notice)

    @http.route("/service/visit/<int:order_id>/<string:token>/rate", type="http", auth="public",
                methods=["POST"], sitemap=False)
    def visit_rate(self, order_id, token, rate=None, comment=None, **kw):
        order = self._order(order_id, token)
        if not order:
            return self._invalid()
        try:
            with request.env.cr.savepoint():
                order._do_customer_rate(token, rate, comment)
        except (UserError, ValidationError) as error:
            return self._render(order, token, error=str(error), status=400)
        return self._render(order, token, notice="rated")

    @http.route("/service/visit/<int:order_id>/<string:token>/technician", type="http", auth="public",
                methods=["GET"], readonly=True, sitemap=False)
    def visit_technician_photo(self, order_id, token, **kw):
        """The photo of the technician who comes, when they allow customers to see it."""
        order = self._order(order_id, token)
        photo = order._technician_photo() if order else None
        if not photo:
            return request.not_found()
        raw = base64.b64decode(photo)
        return request.make_response(raw, headers=[
            ("Content-Type", guess_mimetype(raw, default="image/png")), ("Content-Length", len(raw)),
            ("Cache-Control", "private, max-age=3600")])

    @http.route("/service/visit/<int:order_id>/<string:token>/report", type="http", auth="public",
                methods=["GET"], readonly=True, sitemap=False)
    def visit_report(self, order_id, token, **kw):
        """The completion report as issued (the stored file)."""
        order = self._order(order_id, token)
        if not order or order.state not in ("completed", "not_done"):
            return self._invalid()
        attachment = order._issued_document().attachment_id
        if not attachment:
            return request.not_found()
        return request.make_response(attachment.raw, headers=[
            ("Content-Type", "application/pdf"), ("Content-Length", len(attachment.raw)),
            ("Content-Disposition", content_disposition(attachment.name))])
