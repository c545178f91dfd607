from odoo import api, fields, models
from odoo.tools import SQL

from .common import DISPATCHER_GROUP, selection_labels

HISTORY_KINDS = [
    ("order", "Service order"),
    ("work_item", "Work item"),
    ("part", "Part"),
    ("fallout", "Fallout"),
    ("document", "Document"),
]
# each kind's rows take the ids of their own records, spread apart (id * 8 + rank), so that a
# row keeps its id whatever else changes
KIND_RANKS = {kind: rank for rank, (kind, _label) in enumerate(HISTORY_KINDS, start=1)}


class ServiceEquipmentHistory(models.Model):
    """A piece of equipment's whole service history, one row per record: its orders, the work
    items done on it, their parts, the fallouts and the orders' issued documents. A query over
    those records (``_table_query``, no database view, as the fallout ageing report), so it is
    never stale and nothing writes it.

    It is what technicians and customers read of the other orders of a machine: a technician
    sees the history of the equipment of their orders' customers (the orders themselves stay
    their field workers'), a customer the history of their own equipment from the orders'
    approval on (portal rule); no order description reaches either."""

    _name = "service.equipment.history"
    _description = "Equipment Service History"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    # what the query reads: flushed before the history is read
    _depends = {
        "service.order": ["equipment_id", "company_id", "partner_id", "name", "order_type_id", "approved_date",
                          "closed_date", "scheduled_start", "state", "lead_technician_id"],
        "service.work.item": ["equipment_id", "company_id", "order_id", "submitted_date", "complaint", "diagnosis",
                              "state", "user_id", "estimated_hours"],
        "service.work.item.part": ["work_item_id", "product_id", "quantity"],
        "service.fallout": ["order_id", "work_item_id", "company_id", "reported_date", "name", "description",
                            "state", "reported_by_id"],
        "service.order.document": ["order_id", "company_id", "name", "state"],
    }

    kind = fields.Selection(HISTORY_KINDS, readonly=True)
    equipment_id = fields.Many2one("service.equipment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True,
                                 help="The customer of the order the row belongs to.")
    order_id = fields.Many2one("service.order", string="Service Order", readonly=True, groups=DISPATCHER_GROUP)
    order_name = fields.Char("Order", readonly=True)
    order_type_id = fields.Many2one("service.order.type", string="Type", readonly=True)
    order_approved = fields.Boolean(readonly=True)
    date = fields.Datetime(readonly=True)
    name = fields.Char("What", readonly=True)
    detail = fields.Text(readonly=True)
    state = fields.Char("State Code", readonly=True)
    state_label = fields.Char("State", compute="_compute_state_label")
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    hours = fields.Float(readonly=True, digits=(16, 2))
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    document_id = fields.Many2one("service.order.document", readonly=True,
                                  groups=DISPATCHER_GROUP)

    @api.depends("kind", "state")
    def _compute_state_label(self):
        labels = {
            "order": selection_labels(self.env["service.order"], "state"),
            "work_item": selection_labels(self.env["service.work.item"], "state"),
            "fallout": selection_labels(self.env["service.fallout"], "state"),
        }
        for row in self:
            row.state_label = labels.get(row.kind, {}).get(row.state, "")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT o.id * 8 + %(order)s AS id, 'order' AS kind, o.equipment_id, o.company_id,
                   o.partner_id, o.id AS order_id, o.name AS order_name, o.order_type_id,
                   o.approved_date IS NOT NULL AS order_approved,
                   COALESCE(o.closed_date, o.scheduled_start, o.create_date) AS date,
                   o.name AS name, NULL::text AS detail, o.state::varchar AS state,
                   o.lead_technician_id AS user_id, NULL::numeric AS hours, NULL::integer AS product_id,
                   NULL::numeric AS quantity, NULL::integer AS document_id
              FROM service_order o
             WHERE o.equipment_id IS NOT NULL
            UNION ALL
            SELECT i.id * 8 + %(work_item)s, 'work_item', i.equipment_id, i.company_id,
                   o.partner_id, o.id, o.name, o.order_type_id, o.approved_date IS NOT NULL,
                   COALESCE(i.submitted_date, i.create_date), i.complaint, i.diagnosis, i.state::varchar,
                   i.user_id, i.estimated_hours, NULL, NULL, NULL
              FROM service_work_item i
              JOIN service_order o ON o.id = i.order_id
             WHERE i.equipment_id IS NOT NULL
            UNION ALL
            SELECT p.id * 8 + %(part)s, 'part', i.equipment_id, i.company_id,
                   o.partner_id, o.id, o.name, o.order_type_id, o.approved_date IS NOT NULL,
                   COALESCE(i.submitted_date, i.create_date), i.complaint, NULL, i.state::varchar,
                   i.user_id, NULL, p.product_id, p.quantity, NULL
              FROM service_work_item_part p
              JOIN service_work_item i ON i.id = p.work_item_id
              JOIN service_order o ON o.id = i.order_id
             WHERE i.equipment_id IS NOT NULL
            UNION ALL
            SELECT f.id * 8 + %(fallout)s, 'fallout', COALESCE(i.equipment_id, o.equipment_id), f.company_id,
                   o.partner_id, o.id, o.name, o.order_type_id, o.approved_date IS NOT NULL,
                   f.reported_date, f.name, f.description, f.state::varchar,
                   f.reported_by_id, NULL, NULL, NULL, NULL
              FROM service_fallout f
              JOIN service_order o ON o.id = f.order_id
              LEFT JOIN service_work_item i ON i.id = f.work_item_id
             WHERE COALESCE(i.equipment_id, o.equipment_id) IS NOT NULL
            UNION ALL
            SELECT d.id * 8 + %(document)s, 'document', o.equipment_id, d.company_id,
                   o.partner_id, o.id, o.name, o.order_type_id, o.approved_date IS NOT NULL,
                   d.create_date, d.name, NULL, d.state::varchar,
                   d.create_uid, NULL, NULL, NULL, d.id
              FROM service_order_document d
              JOIN service_order o ON o.id = d.order_id
             WHERE o.equipment_id IS NOT NULL
            """, **KIND_RANKS)
