"""The technician's day that works without signal: its page, its service worker and web app
manifest, the day pack, the sync of the operations made offline, the photos' uploads, the
landing after login and the clearing at logout.

Everything lives under ``/service_order/day/``: the addon's own service worker is scoped
there (``Service-Worker-Allowed``), beside Odoo's ``/web/service-worker.js`` (scope
``/odoo``), which it never replaces. The page is a small OWL app of its own asset bundle
(``service_order.assets_day``: Odoo's ``@odoo/owl``, no web client), as the Point of Sale
has one; its data sits in the phone's IndexedDB (static/src/day/)."""
from urllib.parse import urlencode

from odoo import fields, http
from odoo.http import content_disposition, request
from odoo.tools import file_open

from odoo.addons.portal.controllers.web import Home
from odoo.addons.web.controllers.session import Session

from ..models.common import DISPATCHER_GROUP, TECHNICIAN_GROUP
from ..models.service_sync_upload import MAX_UPLOAD_BYTES

DAY_PATH = "/service_order/day/"
# set on a browser that opened the day page: logging out there clears the phone's copy of the day
DAY_COOKIE = "so_day"
# where Odoo sends a user who asked for nothing in particular: a technician lands on the day
PLAIN_LANDINGS = {None, "", "/", "/odoo", "/odoo?", "/web", "/web?", "/odoo/", "/web#"}


def _is_field_technician(env):
    """A technician who is not in the office (dispatchers and supervisors land on their views)."""
    user = env.user
    return user.has_group(TECHNICIAN_GROUP) and not user.has_group(DISPATCHER_GROUP)


def _local_path(path, default="/web/login"):
    """``path`` if it stays on this server, else ``default``."""
    return path if isinstance(path, str) and path.startswith("/") and not path.startswith("//") \
        and "\\" not in path else default


def day_texts(env):
    """The words of the day page, in the user's language (the page is cached on the phone with
    them, so it speaks offline too)."""
    return {
        "title": env._("My Day"),
        "offline": env._("Offline: your taps are kept on this phone and sent when the network is back."),
        "waiting": env._("%(count)s waiting to send"),
        "all_sent": env._("Everything is sent"),
        "last_sync": env._("Last sync %(time)s"),
        "never_synced": env._("Not synced yet"),
        "syncing": env._("Sending…"),
        "sync_now": env._("Send now"),
        "session_expired": env._("Your session expired: sign in again to send what is waiting. Nothing is lost."),
        "sign_in": env._("Sign in"),
        "other_user": env._("Operations of another account wait on this phone: they are sent when that account "
                        "signs in again."),
        "refused_title": env._("Refused by the server"),
        "dismiss": env._("OK"),
        "no_pack": env._("Your day is not on this phone yet: open this page once with the network."),
        "today": env._("Today"),
        "tomorrow": env._("Tomorrow"),
        "no_orders": env._("No order for this day."),
        "navigate": env._("Navigate"),
        "call": env._("Call"),
        "open_odoo": env._("Open in Odoo"),
        "pdf": env._("PDF v%(version)s"),
        "back": env._("Back"),
        "waiting_mark": env._("waiting to send"),
        "decline": env._("Decline"),
        "pause": env._("Pause"),
        "customer_absent": env._("Customer absent"),
        "cancel_order": env._("Cancel the visit"),
        "not_done": env._("Not carried out"),
        "clock_in": env._("Clock in"),
        "clock_out": env._("Clock out"),
        "clocked_in": env._("Clocked in"),
        "clocked_elsewhere": env._("Clocked in on another order"),
        "reason": env._("Reason"),
        "reason_required": env._("Say why."),
        "confirm": env._("Confirm"),
        "close": env._("Close"),
        "description": env._("Description"),
        "materials": env._("Materials and services"),
        "work_items": env._("Work items"),
        "new_item": env._("New work item"),
        "complaint": env._("Complaint"),
        "diagnosis": env._("Diagnosis"),
        "hours": env._("Estimated hours"),
        "hours_value": env._("%(hours)s h"),
        "notes": env._("Notes"),
        "parts": env._("Parts"),
        "add_part": env._("Add a part"),
        "product": env._("Product"),
        "quantity": env._("Quantity"),
        "add_photo": env._("Add a photo"),
        "photos": env._("%(count)s photo(s)"),
        "submit_item": env._("Submit"),
        "start_repair": env._("Start repair"),
        "submit_repair": env._("Submit repair"),
        "complete_repair": env._("Complete repair"),
        "cancel_item": env._("Cancel item"),
        "report_fallout": env._("Report a fallout"),
        "fallout_type": env._("Fallout type"),
        "note": env._("Note"),
        "add_note": env._("Add a note"),
        "save": env._("Save"),
        "yes": env._("Yes"),
        "no": env._("No"),
        "signed_by": env._("Signed by"),
        "sign_here": env._("Sign here"),
        "clear": env._("Clear"),
        "take_photo": env._("Take a photo"),
        "answer_required": env._("Answer: %(questions)s"),
        "sign_out": env._("Sign out"),
        "sign_out_waiting": env._("%(count)s operations are not sent yet: they stay on this phone until you "
                                  "sign in again. Sign out?"),
        "pdf_not_here": env._("The PDF is not on this phone yet."),
        "estimate": env._("Estimate"),
        "open_fallouts": env._("%(count)s open fallout(s)"),
        "photo_failed": env._("This picture could not be read: take it again."),
    }


class ServiceOrderHome(Home):
    """A field technician lands on their day after signing in (the office roles on the web client)."""

    def _login_redirect(self, uid, redirect=None):
        if redirect in PLAIN_LANDINGS and _is_field_technician(request.env(user=uid)):
            redirect = DAY_PATH
        return super()._login_redirect(uid, redirect=redirect)


class ServiceOrderSession(Session):
    """Signing out of a browser that keeps the day sends it through a page clearing that copy."""

    @http.route()
    def logout(self, redirect="/odoo"):
        response = super().logout(redirect=redirect)
        if request.httprequest.cookies.get(DAY_COOKIE):
            response = request.redirect(
                f"{DAY_PATH}signed-out?{urlencode({'redirect': _local_path(redirect, '/odoo')})}", 303)
            response.delete_cookie(DAY_COOKIE, path="/")
        return response


class ServiceDay(http.Controller):

    @http.route("/service_order/day", type="http", auth="user", methods=["GET"], readonly=True)
    def day_redirect(self, **kw):
        return request.redirect(DAY_PATH)

    @http.route(DAY_PATH, type="http", auth="user", methods=["GET"], readonly=True)
    def day_page(self, **kw):
        """The technician's day: an app of its own that opens and works without network."""
        user = request.env.user
        if not user.has_group(TECHNICIAN_GROUP):
            return request.redirect("/odoo")
        values = {
            "title": request.env._("My Day"),
            "lang": (user.lang or "en_US").replace("_", "-"),
            "day": {
                "uid": user.id, "name": user.name, "db": request.db, "lang": (user.lang or "en_US").replace("_", "-"),
                "texts": day_texts(request.env), "logout": f"/web/session/logout?redirect={DAY_PATH}",
                "login": f"/web/login?redirect={DAY_PATH}",
            },
        }
        response = request.render("service_order.day_page", values)
        # the page is kept by the service worker, not by the HTTP cache
        response.headers["Cache-Control"] = "no-store"
        response.set_cookie(DAY_COOKIE, "1", max_age=400 * 86400, path="/", httponly=True, samesite="Lax")
        return response

    @http.route(f"{DAY_PATH}sw.js", type="http", auth="public", methods=["GET"], readonly=True)
    def day_service_worker(self, **kw):
        """The day page's service worker, scoped to the day page only (beside Odoo's /odoo one)."""
        with file_open("service_order/static/src/day_worker/service_worker.js") as source:
            body = source.read()
        return request.make_response(body, [
            ("Content-Type", "text/javascript"),
            ("Service-Worker-Allowed", DAY_PATH),
            ("Cache-Control", "no-cache"),
        ])

    @http.route(f"{DAY_PATH}manifest.webmanifest", type="http", auth="public", methods=["GET"], readonly=True)
    def day_manifest(self, **kw):
        """The web app manifest: the day installs on the phone's home screen as an app of its own."""
        name = request.env._("My Day")
        app = request.env["ir.config_parameter"].sudo().get_param("web.web_app_name", "Odoo")
        manifest = {
            "name": f"{name} · {app}",
            "short_name": name,
            "id": DAY_PATH,
            "scope": DAY_PATH,
            "start_url": DAY_PATH,
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#ffffff",
            "theme_color": "#714B67",
            "prefer_related_applications": False,
            "icons": [{"src": f"/service_order/static/src/img/day_icon_{size}.png", "sizes": f"{size}x{size}",
                       "type": "image/png", "purpose": "any maskable"} for size in (192, 512)],
        }
        return request.make_json_response(manifest, {"Content-Type": "application/manifest+json"})

    @http.route(f"{DAY_PATH}signed-out", type="http", auth="public", methods=["GET"], readonly=True)
    def day_signed_out(self, redirect="/odoo", **kw):
        """After logout: the phone's copy of the day (its pack, the cached page and PDFs) is
        cleared; the operations not sent yet stay until their technician signs in again."""
        response = request.render("service_order.day_signed_out", {"redirect": _local_path(redirect, "/odoo")})
        response.headers["Cache-Control"] = "no-store"
        return response

    # ------------------------------------------------------------------
    # JSON: who is signed in, the pack, the sync
    # ------------------------------------------------------------------
    @http.route(f"{DAY_PATH}session", type="json", auth="user", readonly=True)
    def day_session(self):
        """Who is signed in (the phone keeps the operations of one technician apart from
        another's) and a fresh token for the uploads."""
        return {"uid": request.env.uid, "name": request.env.user.name, "csrf_token": request.csrf_token(),
                "server_time": fields.Datetime.to_string(fields.Datetime.now())}

    @http.route(f"{DAY_PATH}pack", type="json", auth="user", readonly=True)
    def day_pack(self):
        """The technician's day pack (service.sync.pack)."""
        return request.env["service.sync.pack"]._build()

    @http.route(f"{DAY_PATH}sync", type="json", auth="user")
    def day_sync(self, device=None, operations=None):
        """Apply the operations the phone made offline, in order, each exactly once."""
        results = request.env["service.sync.operation"]._sync_batch(device, operations)
        return {"results": results, "server_time": fields.Datetime.to_string(fields.Datetime.now())}

    @http.route(f"{DAY_PATH}upload/<string:uuid>", type="http", auth="user", methods=["POST"])
    def day_upload(self, uuid, name=None, **kw):
        """One photo or signature of the phone (the request's body, its own id in the path): stored
        once, however often it is sent; refused above the size limit, before its bytes are read."""
        httprequest = request.httprequest
        upload = request.env["service.sync.upload"]._receive(
            uuid, name, httprequest.content_length, lambda: httprequest.get_data(cache=False))
        if not upload:
            # the same upload is being received by another request: the phone sends it again
            return request.make_json_response({"uuid": uuid, "status": "retry", "message": False}, status=409)
        status = 200 if upload.state == "stored" else 413 if upload.file_size > MAX_UPLOAD_BYTES else 415
        body = {"uuid": upload.uuid, "status": upload.state, "message": upload.refusal_reason or False}
        return request.make_json_response(body, status=status)

    @http.route(f"{DAY_PATH}document/<int:document_id>.pdf", type="http", auth="user", methods=["GET"],
                readonly=True)
    def day_document(self, document_id, **kw):
        """An issued PDF version of one of the technician's orders, as issued (the phone keeps it)."""
        document = request.env["service.order.document"].browse(document_id).exists()
        if not document or not document.has_access("read") or document.state != "issued":
            return request.not_found()
        raw = document.attachment_id.raw
        return request.make_response(raw, headers=[
            ("Content-Type", "application/pdf"),
            ("Content-Length", len(raw)),
            ("Content-Disposition", content_disposition(document.attachment_id.name, "inline")),
            # a version never changes: the phone keeps it as long as it wants
            ("Cache-Control", "private, max-age=31536000, immutable"),
        ])

