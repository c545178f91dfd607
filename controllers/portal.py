from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

CONSENT_TEMPLATE = "service_order.consent_page"
PROBLEM_TEMPLATE = "service_order.consent_link_problem"


class ServiceOrderConsentPortal(http.Controller):
    """The public page where a customer accepts or refuses work items through the signed link
    they received by email. Whoever holds the link decides; no login is needed."""

    def _problem(self, problem, consent_request=None, status=403):
        return request.render(PROBLEM_TEMPLATE, {
            "problem": problem,
            "consent_request": consent_request,
        }, status=status)

    def _get_request_or_problem(self, token):
        """(request, None) for a usable link, or (None, response) showing why it is not.

        The request comes back as superuser: the link is the customer's credential, and it
        only ever gives access to the order and items it was sent for."""
        consent_request = request.env["service.consent.request"]._find_by_token(token)
        if not consent_request:
            # forged or tampered link: nothing tells it apart from a link that never existed
            return None, self._problem("invalid", status=404)
        problem = consent_request._get_link_problem()
        if problem:
            return None, self._problem(problem, consent_request)
        return consent_request, None

    def _render_page(self, consent_request, token, error=None, status=200):
        items = consent_request._get_waiting_items()
        return request.render(CONSENT_TEMPLATE, {
            "consent_request": consent_request,
            "order": consent_request.order_id,
            "items": items,
            # the priced estimate of the items, as their sale order will price them
            "estimate": items._get_estimate(),
            "token": token,
            "error": error,
        }, status=status)

    @http.route("/service_order/consent/<string:token>", type="http", auth="public",
                methods=["GET"], sitemap=False, readonly=True)
    def consent_page(self, token, **kwargs):
        consent_request, problem = self._get_request_or_problem(token)
        if problem:
            return problem
        return self._render_page(consent_request, token)

    @http.route("/service_order/consent/<string:token>", type="http", auth="public",
                methods=["POST"], sitemap=False)
    def consent_decide(self, token, **post):
        consent_request, problem = self._get_request_or_problem(token)
        if problem:
            return problem
        decisions = {}
        for item in consent_request._get_waiting_items():
            decisions[item.id] = post.get(f"decision_{item.id}")
        try:
            # one savepoint: a refused decision leaves nothing half-written
            with request.env.cr.savepoint():
                decided = consent_request._do_decide(decisions, request.httprequest.remote_addr)
        except UserError as error:
            return self._render_page(consent_request, token, error=str(error), status=400)
        return request.render("service_order.consent_done", {
            "consent_request": consent_request,
            "order": consent_request.order_id,
            "items": decided,
        })
