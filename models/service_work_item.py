from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from .common import (
    DISPATCHER_GROUP,
    MANAGER_GROUP,
    MAX_HOURS,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    check_number,
    check_text,
    compute_author_with_fallback,
    selection_labels,
    text_to_html,
    wizard_action,
)
from .service_order_states import OPEN_FIELD_STATES
from .service_work_item_equipment import EQUIPMENT_ITEM_PROTECTED_FIELDS
from .service_work_item_states import (
    CONTENT_FIELDS,
    DONE_PATH,
    FINAL_STATES,
    HOLDABLE_STATES,
    ITEM_NEXT_STEPS,
    ITEM_STATES,
    ITEM_TRANSITIONS,
    ITEM_WAITING_FOR,
    NOTE_FIELDS,
    WAIT_ACTIVITIES,
    WAITING_STATES,
    WORKFLOW_FIELDS,
)


class ServiceWorkItem(models.Model):
    """One line of work from the technician's diagnosis, on the order's repair board."""

    _name = "service.work.item"
    _description = "Service Work Item"
    _inherit = ["mail.thread", "mail.activity.mixin",
                "service.work.item.stock.mixin",    # parts from the van: added on the phone, moved when done
                "service.work.item.equipment.mixin",  # its equipment and warranty (priced at zero), prepared
                                                      # work, the estimate's answer; extends sale and consent
                "service.work.item.sale.mixin",     # its priced estimate; accepted, its lines on the sale order
                "service.work.item.consent.mixin",  # the customer's consent: signed link, or skipped
                "service.work.item.photo.mixin",    # photos: pictures taken for the item only
                "service.integer.bounds.mixin",     # a colour or a sequence beyond the integer column: refused
                # last: the state machine, base of the _on_state_changed hook the features extend
                "service.state.mixin"]
    _state_transitions = ITEM_TRANSITIONS
    _protected_fields = WORKFLOW_FIELDS | {"user_id"} | EQUIPMENT_ITEM_PROTECTED_FIELDS
    _order = "order_id, sequence, id"
    _rec_name = "complaint"
    _check_company_auto = True

    order_id = fields.Many2one("service.order", string="Service Order", required=True, index=True,
                               ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    sequence = fields.Integer(default=10)
    user_id = fields.Many2one("res.users", string="Technician", default=lambda self: self.env.user,
                              readonly=True, ondelete="restrict")
    complaint = fields.Char(required=True, tracking=True,
                            help="What the customer reports, in their words (at most 500 characters).")
    diagnosis = fields.Text(tracking=True, help="What the technician found and proposes to do.")
    estimated_hours = fields.Float(digits=(16, 2), tracking=True,
                                   help="From 0 to 1,000 hours: a bigger job is several work items or orders.")
    part_ids = fields.One2many("service.work.item.part", "work_item_id", string="Parts")
    notes = fields.Text()
    photo_ids = fields.Many2many(
        "ir.attachment", "service_work_item_photo_rel", "work_item_id", "attachment_id",
        string="Photos", help="Pictures of the work, taken with the phone's camera.")
    photo_count = fields.Integer(compute="_compute_photo_count")
    state = fields.Selection(ITEM_STATES, default="draft", required=True, tracking=True, index=True,
                             copy=False, readonly=True, group_expand="_group_expand_states")
    hold_previous_state = fields.Selection(ITEM_STATES, string="State Before Hold", readonly=True,
                                           copy=False)
    waiting_for = fields.Selection(ITEM_WAITING_FOR, compute="_compute_waiting_for", store=True)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False,
                                     ondelete="set null")
    approved_date = fields.Datetime(readonly=True, copy=False)
    # the second tier: submitted with an estimate above the company's amount, the item waits for
    # a Service Manager (a dispatcher's approval is not enough)
    manager_approval = fields.Boolean(
        "Service Manager Approval", readonly=True, copy=False,
        help="Its estimate was above the amount the company set when it was submitted: a Service Manager "
             "approves it.")
    repair_approved_by_id = fields.Many2one("res.users", readonly=True,
                                            copy=False, ondelete="set null")
    repair_approved_date = fields.Datetime(readonly=True, copy=False)
    refuse_reason = fields.Text(readonly=True, copy=False)
    customer_decision = fields.Selection(
        [("accepted", "Accepted by the customer"), ("refused", "Refused by the customer"),
         ("skipped", "Consent skipped")], readonly=True, copy=False, tracking=True)
    customer_decision_date = fields.Datetime(readonly=True, copy=False)
    customer_decision_ip = fields.Char("Decision IP Address", readonly=True, copy=False)
    consent_request_id = fields.Many2one("service.consent.request", readonly=True, copy=False,
                                         ondelete="set null", groups=DISPATCHER_GROUP,
                                         help="The signed link the customer decided through.")
    consent_skip_reason = fields.Text("Skip Reason", readonly=True, copy=False)
    consent_skipped_by_id = fields.Many2one("res.users", "Skipped By", readonly=True, copy=False,
                                            ondelete="set null")
    color = fields.Integer()
    next_step = fields.Selection(
        ITEM_NEXT_STEPS, compute="_compute_next_step",
        help="The current user's next step on the item, as one big button: Submit when the diagnosis waits for "
             "an approval, else Done (the repair finished, in one tap).")

    _sql_constraints = [
        ("estimated_hours_positive", "CHECK(estimated_hours >= 0)",
         "The estimated hours of a work item cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes, constraints
    # ------------------------------------------------------------------
    @api.depends("order_id.name", "complaint")
    def _compute_display_name(self):
        for item in self:
            item.display_name = f"{item.order_id.name} · {item.complaint or ''}".strip(" ·")

    @api.depends("photo_ids")
    def _compute_photo_count(self):
        for item in self:
            item.photo_count = len(item.photo_ids)

    @api.depends("state")
    def _compute_waiting_for(self):
        for item in self:
            item.waiting_for = WAITING_STATES.get(item.state, False)

    @api.depends("state", "order_id.field_worker_ids", "order_id.state", "company_id.service_item_dispatcher_approval",
                 "company_id.service_item_customer_consent", "order_id.partner_id.service_estimate_required")
    @api.depends_context("uid")
    def _compute_next_step(self):
        for item in self:
            order = item.order_id
            if item.state not in DONE_PATH or order.state not in OPEN_FIELD_STATES \
                    or self.env.user not in order.field_worker_ids:
                item.next_step = False
            elif item.state == "draft" and item._next_state_after_submit() != "approved":
                item.next_step = "submit"
            else:
                item.next_step = "done"

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in ITEM_STATES if key != "submitted"]

    @api.model
    def _check_values(self, vals, creating=False):
        """Hours finite and within a job, texts that say something and not absurdly long:
        checked on the values, before the database refuses them with a raw error."""
        if "estimated_hours" in vals:
            check_number(self.env, vals["estimated_hours"], self.env._("Estimated hours"), MAX_HOURS)
        if creating or "complaint" in vals:
            check_text(self.env, vals.get("complaint"), self.env._("The complaint"), MAX_SHORT_TEXT, required=True)
        for name in ("diagnosis", "notes"):
            if name in vals:
                check_text(self.env, vals[name], self._fields[name]._description_string(self.env), MAX_LONG_TEXT)
        for command in vals.get("part_ids") or ():
            if isinstance(command, (list, tuple)) and command[0] in (Command.CREATE, Command.UPDATE):
                self.env["service.work.item.part"]._check_quantity(command[2])
        if vals.get("photo_ids"):
            self._check_photos(self.env["ir.attachment"].browse(self._linked_ids(vals["photo_ids"])))

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_values(vals, creating=True)
        if not self.env.su:
            for vals in vals_list:
                if vals.get("state", "draft") != "draft":
                    raise UserError(self.env._("A work item is created as a draft; submit it to move it on."))
                self._check_protected_fields({name for name, value in vals.items() if value and name != "state"})
            orders = self.env["service.order"].browse({vals.get("order_id") for vals in vals_list} - {None, False})
            orders._check_can_add_work_items()
        items = super().create(vals_list)
        items._link_photos()
        return items

    def write(self, vals):
        self._check_values(vals)
        if self.env.su:  # the item's own methods, after their checks (service.state.mixin)
            return super().write(vals)
        if "state" in vals:
            raise UserError(self.env._(
                "A work item's state changes through its buttons (Submit, Approve, Start Repair, ...)."))
        self._check_protected_fields(vals)
        if "order_id" in vals and any(item.order_id.id != vals["order_id"] for item in self):
            raise UserError(self.env._("A work item cannot be moved to another order."))
        names = set(vals) - {"order_id"}
        if self.env["service.work.item.part"]._lot_only_commands(vals.get("part_ids")):
            names.discard("part_ids")  # the lots of its parts: the part's own check (not the estimate)
        self._check_can_write_fields(names)
        result = super().write(vals)
        if "photo_ids" in vals:
            self._link_photos()
        return result

    def _check_can_write_fields(self, names):
        """Raise naming the fields the current user may not write on these items now."""
        is_dispatcher = self.env.user.has_group(DISPATCHER_GROUP)
        technical = {name for name in names if name.startswith(("message_", "activity_"))}
        for item in self:
            allowed = set(technical)
            if item.state not in FINAL_STATES:
                allowed |= NOTE_FIELDS
            if item.state == "draft" or (item.state == "waiting_dispatcher" and is_dispatcher):
                allowed |= CONTENT_FIELDS
            refused = names - allowed
            if refused:
                raise UserError(self.env._(
                    "Work item %(item)s is %(state)s: these fields cannot be changed now: %(fields)s.",
                    item=item.display_name, state=selection_labels(self, "state")[item.state],
                    fields=", ".join(sorted(
                        self._fields[f]._description_string(self.env) for f in refused if f in self._fields))))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(item.state != "draft" for item in self):
            raise UserError(self.env._("Only draft work items can be deleted; cancel the others instead."))

    # ------------------------------------------------------------------
    # State changes (service.state.mixin._set_state): activities and consent follow
    # ------------------------------------------------------------------
    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        # a user without an e-mail address still posts (common.compute_author_with_fallback)
        return compute_author_with_fallback(super()._message_compute_author, self.env, author_id, email_from,
                                            raise_on_email)

    def _state_refusal(self, record, new_state):
        return UserError(self.env._(
            "Work item %(item)s cannot go from %(old)s to %(new)s.", item=record.display_name,
            old=self._state_label(record.state), new=self._state_label(new_state)))

    def _on_state_changed(self, new_state):
        """The waiting person gets their activity; the customer is asked when needed."""
        result = super()._on_state_changed(new_state)
        self._sync_wait_activities()
        if new_state == "waiting_customer":
            self._request_customer_consent()
        return result

    def _sync_wait_activities(self):
        """Each waiting item has the one activity of its wait; any other wait activity goes."""
        types = {state: self.env.ref(xmlid) for state, xmlid in WAIT_ACTIVITIES.items()}
        wait_type_ids = {t.id for t in types.values()}
        stale = self.env["mail.activity"]
        to_schedule = {}
        for item in self:
            wanted = types.get(item.state)
            current = item.activity_ids.filtered(lambda a: a.activity_type_id.id in wait_type_ids)
            stale |= current.filtered(lambda a, wanted=wanted: a.activity_type_id != wanted)
            if wanted and wanted not in current.activity_type_id:
                to_schedule.setdefault(item.state, self.browse())
                to_schedule[item.state] |= item
        stale.unlink()
        for state, items in to_schedule.items():
            for item in items:
                # a Service Manager's item goes to the company's manager
                manager = item.company_id.service_default_manager_id \
                    if state == "waiting_dispatcher" and item.manager_approval else self.env["res.users"]
                item.activity_schedule(
                    WAIT_ACTIVITIES[state], user_id=(manager or item.order_id._get_wait_approver()).id,
                    note=text_to_html(item._wait_activity_note(state)))

    def _wait_activity_note(self, state):
        self.ensure_one()
        values = {"item": self.complaint, "hours": f"{self.estimated_hours:g}", "order": self.order_id.name}
        if state == "waiting_dispatcher":
            return self.env._("Approve or refuse work item %(item)s (%(hours)s h) of %(order)s.", **values)
        if state == "waiting_customer":
            return self.env._(
                "The customer was asked to consent to work item %(item)s (%(hours)s h) of %(order)s. "
                "Follow up, or Skip approval if they agreed by phone.", **values)
        return self.env._("Approve or send back the repair of work item %(item)s of %(order)s.", **values)

    # ------------------------------------------------------------------
    # Checks shared by the buttons
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        labels = selection_labels(self, "state")
        if not self:
            raise UserError(self.env._("%(action)s: choose at least one work item.", action=action))
        wrong = self.filtered(lambda i: i.state not in allowed)
        if wrong:
            raise UserError(self.env._(
                "%(action)s is possible only for work items that are %(allowed)s; not: %(items)s.",
                action=action, allowed=" / ".join(labels[s] for s in allowed),
                items=", ".join(f"{i.display_name} ({labels[i.state]})" for i in wrong)))

    def _check_is_dispatcher(self, action):
        if not self.env.user.has_group(DISPATCHER_GROUP):
            raise AccessError(self.env._(
                "Only dispatchers can %(action)s work items.", action=action))

    def _check_field_work(self):
        """The technician acting must work on the item's order, which must be under way."""
        self.order_id._check_can_work_in_field()

    def _check_order_under_way(self):
        """Approvals, consent and cancelling (which sell the work or take it off the sale
        order) only while the order is under way: a closed or cancelled order takes none."""
        # sudo: the orders' state, whoever decides (the customer's link is the public user)
        closed = self.sudo().order_id.filtered(lambda order: order.state not in OPEN_FIELD_STATES)
        if closed:
            raise UserError(self.env._(
                "%(names)s is closed or cancelled: its work items are no longer approved, consented to or cancelled.",
                names=", ".join(closed.mapped("name"))))

    # ------------------------------------------------------------------
    # Technician: submit the diagnosis
    # ------------------------------------------------------------------
    def _check_can_submit(self):
        """Raise naming everything that keeps the items from being submitted."""
        self._check_field_work()
        self._check_state(("draft",), self.env._("Submit"))
        missing = self.filtered(lambda i: not (i.diagnosis or "").strip())
        if missing:
            raise UserError(self.env._(
                "Enter the diagnosis before submitting: %(items)s.",
                items=", ".join(missing.mapped("display_name"))))

    def _do_submit(self):
        """Submit the diagnosis: each item goes to its first wait, or straight to approved."""
        self._check_can_submit()
        now = fields.Datetime.now()
        for manager, items in self.grouped(lambda i: i._above_manager_amount()).items():
            items._set_state("submitted", {"submitted_date": now, "manager_approval": manager})
        for next_state, items in self.grouped(lambda i: i._next_state_after_submit()).items():
            items._set_state(next_state)
        return True

    def _next_state_after_submit(self):
        if self.company_id.service_item_dispatcher_approval or self.manager_approval:
            return "waiting_dispatcher"
        if self._requires_customer_consent():
            return "waiting_customer"
        return "approved"

    def action_submit(self):
        """Submit the diagnosis: the item waits for the approvals the company requires."""
        return self._do_submit()

    # ------------------------------------------------------------------
    # Dispatcher: approve / refuse the work item
    # ------------------------------------------------------------------
    def _above_manager_amount(self):
        """Whether the item's estimate (untaxed, in the company's currency) is above the amount the
        company set for a Service Manager's approval."""
        self.ensure_one()
        # sudo: the company's setting and the estimate's amount decide who approves, whoever submits
        item = self.sudo()
        limit = item.company_id.service_manager_amount
        if not limit:
            return False
        company = item.company_id
        amount = item.currency_id._convert(item.estimate_amount_untaxed, company.currency_id, company,
                                           fields.Date.context_today(item))
        return company.currency_id.compare_amounts(amount, limit) > 0

    def _check_can_approve(self):
        """Only a dispatcher approves, and only items waiting for a dispatcher; an item above the
        company's amount (when submitted, or now) only a Service Manager."""
        self._check_is_dispatcher(self.env._("approve"))
        self._check_state(("waiting_dispatcher",), self.env._("Approve"))
        self._check_order_under_way()
        for_managers = self.filtered(lambda i: i.manager_approval or i._above_manager_amount())
        if for_managers and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._(
                "%(items)s: estimated above the amount the company set; only a Service Manager approves it.",
                items=", ".join(for_managers.mapped("display_name"))))

    def _do_approve(self):
        """Approve the items (dispatcher): on to the customer when consent is required."""
        self._check_can_approve()
        self.activity_feedback(["service_order.mail_act_work_item_approval"],
                               feedback=self.env._("Approved by %(user)s", user=self.env.user.name))
        approval = {"approved_by_id": self.env.user.id, "approved_date": fields.Datetime.now()}
        consent = self.filtered(lambda i: i._requires_customer_consent())
        if consent:
            consent._set_state("waiting_customer", approval)
        if self - consent:
            (self - consent)._set_state("approved", approval)
        return True

    def action_approve(self):
        """Approve the work items (dispatcher); they go to the customer if consent is required."""
        return self._do_approve()

    def _check_can_refuse(self):
        self._check_is_dispatcher(self.env._("refuse"))
        self._check_state(("waiting_dispatcher", "waiting_repair_approval"), self.env._("Refuse"))

    def _do_refuse(self, reason):
        """Refuse: a work item waiting for approval is cancelled; a repair goes back to repair."""
        reason = self._require_reason(reason, self.env._("A reason is required to refuse a work item or a repair."))
        self._check_can_refuse()
        items = self.filtered(lambda i: i.state == "waiting_dispatcher")
        repairs = self - items
        if items:
            items.activity_feedback(["service_order.mail_act_work_item_approval"],
                                    feedback=self.env._("Refused: %(reason)s", reason=reason))
            items._set_state("cancelled", {"refuse_reason": reason})
        if repairs:
            repairs.activity_feedback(["service_order.mail_act_repair_approval"],
                                      feedback=self.env._("Sent back: %(reason)s", reason=reason))
            repairs._set_state("in_repair", {"refuse_reason": reason})
        for item in self:
            item.message_post(body=self.env._("Refused by %(user)s: %(reason)s",
                                              user=self.env.user.name, reason=reason))
        return True

    def action_open_refuse(self):
        """Open the Refuse wizard (reason required)."""
        self._check_can_refuse()
        return self._open_item_wizard("service.work.item.refuse", self.env._("Refuse"))

    # ------------------------------------------------------------------
    # Technician: repair
    # ------------------------------------------------------------------
    def _check_can_start_repair(self):
        self._check_field_work()
        self._check_state(("approved",), self.env._("Start repair"))

    def action_start_repair(self):
        """Start the repair of approved work items."""
        self._check_can_start_repair()
        return self._set_state("in_repair")

    def _check_can_submit_repair(self):
        """The repair is submitted with the photos the company requires."""
        self._check_field_work()
        self._check_state(("in_repair",), self.env._("Submit repair"))
        for item in self:
            minimum = item.company_id.service_min_photos
            if item.photo_count < minimum:
                raise UserError(self.env._(
                    "Work item %(item)s needs at least %(minimum)s photo(s) before its work is "
                    "submitted; it has %(count)s. Add photos and try again.",
                    item=item.display_name, minimum=minimum, count=item.photo_count))

    def action_submit_repair(self):
        """Submit repair: the technician says the repair of the item is finished."""
        self._check_can_submit_repair()
        return self._set_state("repair_submitted")

    def action_done(self):
        """Done: the repair of the items is finished, in one tap. A draft goes through its
        submission (nothing waits before the repair: workflow A), then each item through the
        repair's states to done, or to the dispatcher's repair approval; each step is checked
        and logged as if tapped (photos the company requires included)."""
        self._check_field_work()
        self._check_state(DONE_PATH, self.env._("Done"))
        waiting = self.filtered(lambda i: i.state == "draft" and i._next_state_after_submit() != "approved")
        if waiting:
            raise UserError(self.env._(
                "%(items)s must be approved before the repair: submit the diagnosis first.",
                items=", ".join(waiting.mapped("display_name"))))
        drafts = self.filtered(lambda i: i.state == "draft")
        if drafts:
            drafts._do_submit()
        for action in ("action_start_repair", "action_submit_repair"):
            state = {"action_start_repair": "approved", "action_submit_repair": "in_repair"}[action]
            items = self.filtered(lambda i, s=state: i.state == s)
            if items:
                getattr(items, action)()
        submitted = self.filtered(lambda i: i.state == "repair_submitted")
        if submitted:
            submitted._do_complete()
        return True

    def action_next_step(self):
        """The big button of the item: its next step (``next_step``)."""
        self.ensure_one()
        if self.next_step == "submit":
            return self.action_submit()
        if self.next_step == "done":
            return self.action_done()
        raise UserError(self.env._("Work item %(item)s has no next step for you now.", item=self.display_name))

    def _check_can_complete(self):
        self._check_field_work()
        self._check_state(("repair_submitted",), self.env._("Complete"))
        self._check_parts_ready()  # stock mixin: serial numbers before the parts leave the van

    def _do_complete(self):
        """Complete submitted repairs: done, or waiting for the dispatcher's repair approval."""
        self._check_can_complete()
        approval = self.filtered(lambda i: i.company_id.service_repair_dispatcher_approval)
        if approval:
            approval._set_state("waiting_repair_approval")
        if self - approval:
            (self - approval)._set_state("done")
        return True

    def action_complete_repair(self):
        """Complete submitted repairs: done, or waiting for the dispatcher's repair approval."""
        return self._do_complete()

    def _check_can_approve_repair(self):
        """Only a dispatcher approves repairs, and only repairs waiting for approval."""
        self._check_is_dispatcher(self.env._("approve the repairs of"))
        self._check_state(("waiting_repair_approval",), self.env._("Approve repair"))
        self._check_order_under_way()
        self._check_parts_ready()

    def action_approve_repair(self):
        """Approve the completed repairs (dispatcher): the items are done."""
        self._check_can_approve_repair()
        self.activity_feedback(["service_order.mail_act_repair_approval"],
                               feedback=self.env._("Repair approved by %(user)s", user=self.env.user.name))
        return self._set_state("done", {"repair_approved_by_id": self.env.user.id,
                                        "repair_approved_date": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Cancel, hold (fallout)
    # ------------------------------------------------------------------
    def _check_can_cancel(self):
        self._check_state(tuple(s for s, _l in ITEM_STATES if s not in FINAL_STATES and s != "submitted"),
                          self.env._("Cancel"))
        # an accepted item cancelled zeroes its lines on the sale order: not once the order is
        # closed (its sale order was settled then, and may be invoiced)
        self._check_order_under_way()
        if not self.env.user.has_group(DISPATCHER_GROUP):
            self._check_field_work()
            if self.filtered(lambda i: i.state != "draft"):
                raise AccessError(self.env._(
                    "Technicians cancel only their draft work items; ask a dispatcher."))

    def action_cancel(self):
        """Cancel the work items (a technician cancels their drafts; a dispatcher any open item)."""
        self._check_can_cancel()
        return self._set_state("cancelled")

    def _check_can_hold(self):
        """Holding and resuming follow the fallouts, reported or handled by a field worker
        of the order or a dispatcher."""
        if not self.env.user.has_group(DISPATCHER_GROUP) and any(
                not item.order_id._is_field_worker() for item in self):
            raise AccessError(self.env._("Only the order's field workers and dispatchers act on its work items."))

    def _do_hold(self):
        """Put the items on hold (a fallout was reported), remembering where they were."""
        self._check_can_hold()
        to_hold = self.filtered(lambda i: i.state != "on_hold")
        for item in to_hold:
            if item.state not in HOLDABLE_STATES:
                raise UserError(self.env._(
                    "Work item %(item)s is %(state)s: it cannot be put on hold.",
                    item=item.display_name, state=selection_labels(self, "state")[item.state]))
        for state, items in to_hold.grouped("state").items():
            items._set_state("on_hold", {"hold_previous_state": state})
        return True

    def _do_resume(self):
        """Put held items back to work, in the state they were in before the hold."""
        self._check_can_hold()
        held = self.filtered(lambda i: i.state == "on_hold")
        for previous, items in held.grouped(lambda i: i.hold_previous_state or "draft").items():
            items._set_state(previous, {"hold_previous_state": False})
        return True

    def action_report_fallout(self):
        """Open the Report fallout wizard for this work item."""
        self.ensure_one()
        self._check_field_work()
        return self.order_id._open_wizard(
            "service.fallout.report", self.env._("Report a fallout"),
            {"default_work_item_id": self.id})

    def _open_item_wizard(self, model, title):
        return wizard_action(title, model, {"default_work_item_ids": self.ids})

    def action_open_form(self):
        """Open the work item in its own form (from the order's repair board)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
