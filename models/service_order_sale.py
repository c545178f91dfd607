from contextlib import contextmanager

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .common import BILLING_GROUP, DISPATCHER_GROUP, SALE_READERS, SALESMAN_GROUP
from .service_order_states import CLOSED_STATES

# Set by the addon only (this mixin), never written by a role.
SALE_PROTECTED_FIELDS = frozenset({"sale_order_id"})
# Sequence of the lines on the sale order: the labour first, then the order's materials and
# services, then each work item accepted (its section and its parts, in the order accepted).
LABOUR_SEQUENCE, ORDER_LINE_SEQUENCE, WORK_ITEM_SEQUENCE = 1, 2, 10


class ServiceOrderSaleMixin(models.AbstractModel):
    """The order's money, through Odoo's Sales and Invoicing: the sale order behind the order
    (the accepted work, made and confirmed by the addon), its quantities kept in line with
    the work done and the time spent, and the invoice of a completed order.

    The sale order holds one labour line (the order type's labour product: ordered, the hours
    of the accepted estimates; delivered, the hours clocked, or the accepted hours of the work
    items done at a fixed price), the order's materials and services (planned, and added by
    confirmations), and a section per accepted work item with its parts. A refused work item
    never reaches it; an accepted one that is cancelled, or not done when the order closes,
    is zeroed. Who reads it and who invoices follows Odoo's Sales and Invoicing groups."""

    _name = "service.order.sale.mixin"
    _description = "Service Order: sale order and invoices"

    sale_order_id = fields.Many2one(
        "sale.order", readonly=True, copy=False, index="btree_not_null",
        ondelete="restrict", groups=SALE_READERS,
        help="The sale order of the accepted work, made and confirmed by the addon; a completed "
             "order is invoiced from it.")
    sale_invoice_status = fields.Selection(related="sale_order_id.invoice_status", string="Invoice Status",
                                           groups=SALE_READERS)
    invoice_count = fields.Integer(compute="_compute_invoice_count", compute_sudo=True, groups=SALE_READERS)

    @api.depends("sale_order_id.invoice_ids")
    def _compute_invoice_count(self):
        for order in self:
            order.invoice_count = len(order.sale_order_id.invoice_ids)

    # ------------------------------------------------------------------
    # The sale order: made when there is accepted work, kept in line with it
    # ------------------------------------------------------------------
    def _prepare_sale_order_values(self):
        """The sale order of the order's customer, delivered at the intervention location; the
        order's dispatcher sells it when they are a salesperson."""
        self.ensure_one()
        seller = self.dispatcher_id
        if seller and not seller._has_group(SALESMAN_GROUP):
            seller = self.env["res.users"]
        return {
            "partner_id": self.partner_id.id,
            "partner_shipping_id": (self.location_id or self.partner_id).id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "user_id": seller.id,
        }

    def _ensure_sale_order(self, confirm=True):
        """The sale order behind the order, made and confirmed now if it has none yet, with
        the labour line (when the type sells labour) and the order's materials and services;
        left a quotation when not ``confirm`` (the order's estimate, accepted by the customer)."""
        self.ensure_one()
        order = self.sudo()
        if order.sale_order_id:
            return order.sale_order_id
        lines = []
        labour = order.order_type_id.labour_product_id
        if labour:
            lines.append({"product_id": labour.id, "product_uom_qty": 0.0, "sequence": LABOUR_SEQUENCE,
                          "service_labour_order_id": order.id})
        lines += order.line_ids._prepare_sale_line_values(ORDER_LINE_SEQUENCE)
        # sudo: the sale order is the workflow's, made after the acceptance it records, whoever
        # accepted (the customer through the link, a dispatcher, the technician in workflow A):
        # nobody's Sales rights are needed, and only this order's sale order is written
        sale_order = self.env["sale.order"].sudo().with_company(order.company_id).create(
            dict(order._prepare_sale_order_values(), order_line=[Command.create(vals) for vals in lines]))
        if not confirm:
            order.sale_order_id = sale_order
            return sale_order
        sale_order.action_confirm()
        order.sale_order_id = sale_order
        order.message_post(body=self.env._("Sale order %(name)s made for the accepted work, and confirmed.",
                                           name=sale_order.name),
                           author_id=order.company_id.partner_id.id)
        return sale_order

    def _add_to_sale_order(self, vals_list):
        """Add lines (values) to the order's sale order, made now if needed."""
        self.ensure_one()
        sale_order = self._ensure_sale_order()
        if vals_list:
            with self._sale_order_unlocked(sale_order):
                sale_order.write({"order_line": [Command.create(vals) for vals in vals_list]})
        self._sync_sale_order()
        return sale_order

    def _has_billable_work(self):
        """Whether a completed order without a sale order has something to invoice: materials
        and services, or the time spent when its type sells labour by the hour."""
        self.ensure_one()
        order = self.sudo()
        if order.line_ids:
            return True
        return bool(order.order_type_id.labour_product_id) and order.order_type_id.labour_invoicing == "time" \
            and any(order.time_log_ids.mapped("date_stop"))

    def _labour_quantities(self):
        """(ordered, delivered) hours of the labour line: ordered, the hours of the accepted
        estimates still to be done or done; delivered, the hours clocked (time spent), or the
        accepted hours of the work items done (fixed price). Once the order is completed, what
        was delivered is what was ordered: invoiced, the sale order is fully invoiced."""
        self.ensure_one()
        order = self.sudo()
        closed = order.state in CLOSED_STATES
        sold = order.work_item_ids.filtered(
            lambda i: i.sale_line_ids and (i.state == "done" or (i.state != "cancelled" and not closed)))
        ordered = sum(sold.mapped("estimated_hours"))
        if order.order_type_id.labour_invoicing == "estimate":
            delivered = sum(sold.filtered(lambda i: i.state == "done").mapped("estimated_hours"))
        else:
            delivered = sum(order.time_log_ids.filtered("date_stop").mapped("duration"))
        return (delivered if order.state == "completed" else ordered), delivered

    def _sync_sale_order(self):
        """Bring the quantities of the sale order in line with the work: the labour line
        (``_labour_quantities``); a work item's parts delivered once it is done, zeroed once it
        is cancelled or the order closes without it done; the order's materials and services
        delivered when it is completed. A completed order with billable work and no sale order
        yet gets one. Only the quantities that differ are written."""
        for order in self.sudo():
            sale_order = order.sale_order_id
            if not sale_order and order.state == "completed" and order._has_billable_work():
                sale_order = order._ensure_sale_order()
            if not sale_order or sale_order.state == "cancel":
                continue
            digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            updates = []
            for line in sale_order.order_line.filtered(lambda sol: not sol.display_type):
                quantities = order._sale_line_quantities(line)
                if quantities is None:
                    continue  # a line a salesperson added: theirs
                # a quantity given as None is not the addon's to write (delivered by stock moves)
                vals = {name: value for name, value in zip(("product_uom_qty", "qty_delivered"), quantities, strict=True)
                        if value is not None and float_compare(line[name], value, precision_digits=digits)}
                if vals:
                    updates.append((line, vals))
            if updates:
                # sudo (the loop's records): quantities follow the work, written by the workflow
                with self._sale_order_unlocked(sale_order):
                    for line, vals in updates:
                        line.write(vals)
        return True

    def _sale_line_quantities(self, line):
        """(ordered, delivered) of ``line``, a line of the order's sale order, as the work has it
        now; None for a line the addon does not keep (added by a salesperson). The labour line:
        ``_labour_quantities``; a work item's section and parts: delivered once it is done, zeroed
        once it is cancelled or the order closes without it done; a material or service of the
        order: delivered when the order is completed."""
        self.ensure_one()
        order = self.sudo()
        closed = order.state in CLOSED_STATES
        if line.service_labour_order_id:
            return order._labour_quantities()
        if line.service_work_item_id:
            item = line.service_work_item_id
            if item.state == "cancelled" or (closed and item.state != "done"):
                return 0.0, 0.0
            return line.product_uom_qty, line.product_uom_qty if item.state == "done" else 0.0
        if line.service_order_line_id:
            return line.product_uom_qty, line.product_uom_qty if order.state == "completed" else 0.0
        return None

    @contextmanager
    def _sale_order_unlocked(self, sale_order):
        """The addon writes the lines of a locked sale order too (Sales' "lock confirmed
        orders" setting): unlocked for the write, locked again after."""
        locked = sale_order.locked
        if locked:
            sale_order.action_unlock()
        yield
        if locked:
            sale_order.action_lock()

    def _cancel_sale_order(self):
        """An order closed without being carried out (or cancelled) bills nothing: its sale
        order is cancelled, unless it was invoiced already."""
        for order in self.sudo():
            sale_order = order.sale_order_id
            if not sale_order or sale_order.state == "cancel" \
                    or sale_order.invoice_ids.filtered(lambda move: move.state != "cancel"):
                continue
            sale_order._action_cancel()
            order.message_post(body=self.env._("Sale order %(name)s cancelled: the order was not carried out.",
                                               name=sale_order.name),
                               author_id=order.company_id.partner_id.id)
        return True

    # ------------------------------------------------------------------
    # Hooks: confirmations, time logs, closing
    # ------------------------------------------------------------------
    def _do_confirm(self, reason, *args, **kwargs):
        """A confirmation's extra materials and unforeseen services go to the sale order."""
        confirmation = super()._do_confirm(reason, *args, **kwargs)
        added = confirmation.sudo().line_ids
        if added:
            if self.sudo().sale_order_id:
                self._add_to_sale_order(added._prepare_sale_line_values(ORDER_LINE_SEQUENCE))
            else:
                self._add_to_sale_order([])  # made now, with every material and service of the order
        return confirmation

    def _on_time_logged(self):
        """Time logs set the delivered hours of the labour line."""
        result = super()._on_time_logged()
        self._sync_sale_order()
        return result

    def _on_state_changed(self, new_state):
        """Closing: a completed order's sale order is brought in line with the work (made now
        if there is billable work and none yet); an order closed without being carried out,
        or cancelled, bills nothing."""
        result = super()._on_state_changed(new_state)
        if new_state == "completed":
            self._sync_sale_order()
        elif new_state in ("not_done", "cancelled"):
            self._cancel_sale_order()
        return result

    # ------------------------------------------------------------------
    # Invoice (dispatcher or billing user, from a completed order)
    # ------------------------------------------------------------------
    def _check_can_invoice(self):
        """A dispatcher who holds Odoo's Sales or Invoicing rights invoices completed orders
        that have something left to invoice."""
        user = self.env.user
        if not user.has_group(DISPATCHER_GROUP) or not (
                user.has_group(SALESMAN_GROUP) or user.has_group(BILLING_GROUP)):
            raise AccessError(self.env._(
                "Invoicing a service order takes a dispatcher with the rights of Odoo's Sales or "
                "Invoicing (billing)."))
        problems = []
        for order in self:
            sale_order = order.sudo().sale_order_id
            if order.state != "completed":
                problems.append(self.env._("%(name)s is not completed: only a completed order is invoiced.",
                                           name=order.name))
            elif not sale_order or sale_order.invoice_status != "to invoice":
                problems.append(self.env._("%(name)s has nothing left to invoice.", name=order.name))
        if problems:
            raise UserError("\n".join(problems))

    def _do_invoice(self):
        """Invoice completed orders with Odoo's standard invoicing of their sale orders (a
        draft invoice per customer, deducting down payments); return the invoices."""
        self._check_can_invoice()
        # as the user, no sudo: Odoo's rights on sale orders and invoices decide
        invoices = self.sale_order_id._create_invoices(final=True)
        for invoice in invoices:
            # the invoice's customer link (portal.mixin makes it as the system): the order's page
            # links to it, and reading that page makes nothing
            invoice._portal_ensure_token()
        for order in self:
            # no amount: technicians read the order's chatter
            order.message_post(body=self.env._("Invoice created from sale order %(sale)s by %(user)s.",
                                               sale=order.sale_order_id.name, user=self.env.user.name))
        return invoices

    def action_create_invoice(self):
        """Create the invoice of the completed order from its sale order, and open it (draft:
        Confirm posts it)."""
        invoices = self._do_invoice()
        return self.sale_order_id.action_view_invoice(invoices)

    def action_view_sale_order(self):
        """Open the order's sale order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_invoices(self):
        """Open the invoices of the order's sale order."""
        self.ensure_one()
        return self.sale_order_id.action_view_invoice()

    def _invoice_summary(self):
        """The order's posted invoices, as the portal lists them (newest first)."""
        self.ensure_one()
        return self.sudo().sale_order_id.invoice_ids.filtered(
            lambda move: move.state not in ("draft", "cancel")).sorted("date", reverse=True)
