import base64
import uuid

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, plaintext2html

from .common import DISPATCHER_GROUP, MAX_LONG_TEXT, MAX_SHORT_TEXT, check_picture, check_text
from .service_order_states import CLOSED_STATES

# Written by the equipment's own methods only: the label's token changes through Renew Label.
EQUIPMENT_PROTECTED_FIELDS = frozenset({"access_token"})
# What a service request from the portal may carry: a few pictures from the phone's camera.
MAX_REQUEST_PHOTOS = 5


class ServiceEquipment(models.Model):
    """A piece of a customer's equipment (the installed base): what it is, where it stands,
    its warranty, and its whole service history. Its label carries a QR code: the equipment's
    portal page, through a token of its own (``portal.mixin``), for the customer's phone."""

    _name = "service.equipment"
    _description = "Customer Equipment"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "image.mixin"]
    _order = "partner_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, index="trigram",
                       help="What the customer calls it, e.g. Boiler, cellar.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="restrict",
                                 default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True,
                                 ondelete="restrict", check_company=True)
    location_id = fields.Many2one(
        "res.partner", tracking=True, ondelete="restrict", check_company=True,
        domain="['|', ('id', '=', partner_id), ('parent_id', '=', partner_id)]",
        help="Where it stands: the customer's address or one of its addresses.")
    location_address = fields.Char(compute="_compute_location_address")
    product_id = fields.Many2one("product.product", string="Model", tracking=True, ondelete="restrict",
                                 check_company=True, help="The product it is, as sold or serviced.")
    serial_number = fields.Char(tracking=True, index="btree_not_null")
    install_date = fields.Date("Installed On", tracking=True)
    warranty_end_date = fields.Date("Warranty Until", tracking=True,
                                    help="Work on it is priced at zero until this day included.")
    under_warranty = fields.Boolean(compute="_compute_under_warranty", search="_search_under_warranty")
    notes = fields.Html(sanitize=True, sanitize_overridable=False)
    user_id = fields.Many2one(
        "res.users", string="Responsible", tracking=True, ondelete="set null",
        default=lambda self: self.env.user if self.env.user.has_group(DISPATCHER_GROUP) else False,
        domain=lambda self: [("groups_id", "in", self.env.ref(DISPATCHER_GROUP).ids)],
        help="The dispatcher who gets the service requests made from its label.")
    # the label's token: dispatchers print it; nobody else reads it
    access_token = fields.Char(groups=DISPATCHER_GROUP)
    label_url = fields.Char("Label Link", compute="_compute_label_url", groups=DISPATCHER_GROUP,
                            help="The address the label's QR code opens.")
    order_ids = fields.One2many("service.order", "equipment_id", string="Service Orders")
    order_count = fields.Integer(compute="_compute_order_count")
    work_item_ids = fields.One2many("service.work.item", "equipment_id", string="Work Items")
    history_ids = fields.One2many("service.equipment.history", "equipment_id")
    plan_ids = fields.Many2many("service.plan", "service_plan_equipment_rel", "equipment_id", "plan_id",
                                string="Preventive Plans", groups=DISPATCHER_GROUP)
    next_visit_date = fields.Datetime("Next Visit", compute="_compute_next_visit", compute_sudo=True,
                                      help="The next open order booked for it, or the next due date of its "
                                           "preventive plans.")
    next_visit_origin = fields.Char("Next Visit For", compute="_compute_next_visit", compute_sudo=True)

    _sql_constraints = [
        ("serial_product_company_uniq", "unique(serial_number, product_id, company_id)",
         "A serial number is used once per model and company."),
    ]

    # ------------------------------------------------------------------
    # Computes, constraints
    # ------------------------------------------------------------------
    @api.depends("name", "serial_number")
    def _compute_display_name(self):
        for equipment in self:
            equipment.display_name = f"{equipment.name} ({equipment.serial_number})" \
                if equipment.serial_number else equipment.name

    @api.depends("location_id", "partner_id")
    def _compute_location_address(self):
        for equipment in self:
            place = equipment.location_id or equipment.partner_id
            lines = place._display_address(without_company=True).split("\n") if place else []
            equipment.location_address = ", ".join(
                part.strip(" ,") for part in lines if part.strip(" ,")) or False

    @api.depends("warranty_end_date")
    @api.depends_context("tz")
    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for equipment in self:
            equipment.under_warranty = bool(equipment.warranty_end_date) and equipment.warranty_end_date >= today

    def _search_under_warranty(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on under_warranty: %(op)s", op=operator))
        today = fields.Date.context_today(self)
        if (operator == "=") == bool(value):
            return [("warranty_end_date", ">=", today)]
        return ["|", ("warranty_end_date", "=", False), ("warranty_end_date", "<", today)]

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for equipment in self:
            equipment.access_url = f"/my/equipment/{equipment.id}"
        return result

    @api.depends("access_token")
    def _compute_label_url(self):
        for equipment in self:
            # sudo: the token of the equipment the dispatcher reads (the field is theirs only)
            token = equipment.sudo().access_token
            equipment.label_url = f"{equipment.get_base_url()}/my/equipment/{equipment.id}?access_token={token}" \
                if equipment.id and token else False

    @api.depends("order_ids")
    def _compute_order_count(self):
        counts = dict(self.env["service.order"]._read_group(
            [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]))
        for equipment in self:
            equipment.order_count = counts.get(equipment, 0)

    def _compute_next_visit(self):
        # computed as superuser (compute_sudo): a technician sees when the next visit is, not
        # the order itself, which the record rules keep to its field workers
        now = fields.Datetime.now()
        booked = {}
        for equipment, start in self.env["service.order"]._read_group(
                [("equipment_id", "in", self.ids), ("state", "not in", CLOSED_STATES + ("rejected",)),
                 ("scheduled_start", ">=", now)], ["equipment_id"], ["scheduled_start:min"]):
            booked[equipment.id] = start
        plans = self.env["service.plan"].search([("equipment_ids", "in", self.ids), ("next_due_date", "!=", False)])
        for equipment in self:
            candidates = []
            if booked.get(equipment.id):
                candidates.append((booked[equipment.id], self.env._("a booked order")))
            for plan in plans.filtered(lambda p, e=equipment: e in p.equipment_ids and p._is_running()):
                due = fields.Datetime.to_datetime(plan.next_due_date)
                candidates.append((due, self.env._("plan %(plan)s", plan=plan.name)))
            first = min(candidates, key=lambda candidate: candidate[0]) if candidates else (False, False)
            equipment.next_visit_date, equipment.next_visit_origin = first

    @api.constrains("partner_id", "location_id")
    def _check_location(self):
        for equipment in self:
            if equipment.location_id and equipment.location_id not in (
                    equipment.partner_id | equipment.partner_id.child_ids):
                raise ValidationError(self.env._(
                    "Equipment %(name)s: its location must be the customer %(customer)s or one of its addresses.",
                    name=equipment.name, customer=equipment.partner_id.display_name))

    @api.constrains("install_date", "warranty_end_date")
    def _check_dates(self):
        for equipment in self:
            if equipment.install_date and equipment.warranty_end_date \
                    and equipment.warranty_end_date < equipment.install_date:
                raise ValidationError(self.env._(
                    "Equipment %(name)s: the warranty cannot end (%(end)s) before the installation (%(start)s).",
                    name=equipment.name, end=equipment.warranty_end_date, start=equipment.install_date))

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and self.location_id not in (self.partner_id | self.partner_id.child_ids):
            self.location_id = self.partner_id.address_get(["delivery"])["delivery"]

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _check_values(self, vals):
        if "name" in vals:
            check_text(self.env, vals["name"], self.env._("The equipment's name"), MAX_SHORT_TEXT, required=True)
        if vals.get("serial_number"):
            check_text(self.env, vals["serial_number"], self.env._("The serial number"), MAX_SHORT_TEXT)
        if vals.get("notes"):
            check_text(self.env, vals["notes"], self.env._("The notes"), MAX_LONG_TEXT)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_values(vals)
            if not self.env.su and vals.get("access_token"):
                raise AccessError(self.env._("The label's token is generated, never given."))
            # the label's token exists from the start, so that printing a label writes nothing
            vals["access_token"] = str(uuid.uuid4())
        return super().create(vals_list)

    def write(self, vals):
        self._check_values(vals)
        if not self.env.su and set(vals) & EQUIPMENT_PROTECTED_FIELDS:
            raise AccessError(self.env._(
                "The label's token changes only through Renew Label, which makes the printed labels void."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_without_history(self):
        # sudo: whether any order or work item, readable or not by the user, points at it
        used = self.sudo().filtered(lambda e: e.order_ids or e.work_item_ids)
        if used:
            raise UserError(self.env._(
                "%(names)s has a service history: archive it instead of deleting it.",
                names=", ".join(used.mapped("display_name"))))

    # ------------------------------------------------------------------
    # The label
    # ------------------------------------------------------------------
    def _check_is_dispatcher(self, action):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._("Only dispatchers can %(action)s.", action=action))

    def action_print_label(self):
        """Print the QR label of each selected piece of equipment (one label a page)."""
        self._check_is_dispatcher(self.env._("print equipment labels"))
        return self.env.ref("service_order.action_report_service_equipment_label").report_action(self)

    def _label_qr_png(self):
        """The label's QR code (its portal page, with its token) as a base64 PNG, for the label
        report: the token is printed for dispatchers only, whoever asks for the report."""
        self.ensure_one()
        self._check_is_dispatcher(self.env._("print equipment labels"))
        png = self.env["ir.actions.report"].barcode("QR", self.label_url, width=360, height=360, barLevel="M")
        return base64.b64encode(png).decode()

    def _do_renew_label(self):
        """A new token for the label: the printed labels (lost, copied) open nothing any more."""
        self._check_is_dispatcher(self.env._("renew equipment labels"))
        for equipment in self:
            # sudo: the token is written by this method only (refused to every role in write)
            equipment.sudo().write({"access_token": str(uuid.uuid4())})
            equipment.message_post(body=self.env._(
                "Label renewed by %(user)s: the labels printed before open nothing any more.",
                user=self.env.user.name))
        return True

    def action_renew_label(self):
        """Renew the label's token: print the new label and replace the old one on the equipment."""
        return self._do_renew_label()

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_view_orders(self):
        """The service orders booked for this equipment (those the user may read)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of %(name)s", name=self.display_name),
            "res_model": "service.order",
            "view_mode": "list,kanban,form",
            "domain": [("equipment_id", "=", self.id)],
            "context": {"default_equipment_id": self.id, "default_partner_id": self.partner_id.id,
                        "default_location_id": (self.location_id or self.partner_id).id},
        }

    def action_new_order(self):
        """Book a service order for this equipment (a draft, its customer and location filled in)."""
        self.ensure_one()
        self._check_is_dispatcher(self.env._("book service orders"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Service Order"),
            "res_model": "service.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_equipment_id": self.id, "default_partner_id": self.partner_id.id,
                        "default_location_id": (self.location_id or self.partner_id).id},
        }

    def _warranty_reason(self, lang=None):
        """The reason printed on an estimate priced at zero: the warranty and its end."""
        self.ensure_one()
        env = self.with_context(lang=lang).env if lang else self.env
        serial = env._(", serial %(serial)s", serial=self.serial_number) if self.serial_number else ""
        return env._("Under warranty until %(date)s (%(equipment)s%(serial)s): no charge.",
                     date=format_date(env, self.warranty_end_date), equipment=self.name, serial=serial)

    # ------------------------------------------------------------------
    # A service request from the equipment's page (portal, label)
    # ------------------------------------------------------------------
    @api.model
    def _check_request_photos(self, photos):
        """``photos`` ([(file name, bytes)]) if they are a few pictures: raster images (by their
        bytes, not their names) of at most 10 MB each (check_picture); a clear error otherwise."""
        photos = [(name, data) for name, data in photos if data]
        if len(photos) > MAX_REQUEST_PHOTOS:
            raise ValidationError(self.env._("Send at most %(count)s photos with a request.",
                                             count=MAX_REQUEST_PHOTOS))
        for name, data in photos:
            check_picture(self.env, data, name)
        return photos

    def _do_request_service(self, description, photos=(), contact=None, partner=None):
        """A service request for this equipment, from its page on the portal: a draft order for
        the equipment's customer, at its location (never another customer's, whatever is
        posted), with the description and photos; the equipment's dispatcher gets an activity.
        A second request while the first is still a draft is added to it.

        The caller (the portal) checked the visitor's access to this equipment (the label's
        token or the customer's own account); ``partner`` is the customer's contact when logged
        in. Returns ``(order, created)``."""
        self.ensure_one()
        description = check_text(self.env, (description or "").strip(), self.env._("The description"),
                                 MAX_LONG_TEXT, required=True)
        contact = check_text(self.env, (contact or "").strip(), self.env._("Your name and phone"), MAX_SHORT_TEXT)
        photos = self._check_request_photos(photos)
        # sudo: the visitor (public or portal) has no right on orders; the order is made for this
        # equipment's customer and place only, from the values checked above
        equipment = self.sudo()
        who = partner.display_name if partner else contact
        body = Markup("%s%s") % (
            plaintext2html(description),
            Markup("<p><em>%s</em></p>") % self.env._(
                "Requested on the portal for %(equipment)s by %(who)s.",
                equipment=equipment.display_name, who=who or self.env._("a visitor of its label")))
        author = (partner or equipment.partner_id).id
        pending = equipment.order_ids.filtered(lambda o: o.requested_on_portal and o.state == "draft")[:1]
        if pending:
            pending._post_portal_request(body, photos, author)
            return pending, False
        order = self.env["service.order"]._create_portal_request(
            equipment.company_id, {
                "partner_id": equipment.partner_id.id,
                "location_id": (equipment.location_id or equipment.partner_id).id,
                "equipment_id": equipment.id,
                "dispatcher_id": equipment.user_id.id,
                "request_contact": who or False,
            }, body, photos, author, equipment.user_id or equipment.company_id.service_default_supervisor_id,
            self.env._("Service requested for %(equipment)s of %(customer)s: plan it.",
                       equipment=equipment.display_name, customer=equipment.partner_id.display_name))
        return order, True
