from odoo import models
from odoo.tools import SQL


def _through_to_many(model, domain):
    """Whether a leaf of ``domain`` goes through a one2many or many2many field of ``model``
    (``field_worker_ids``, ``order_id.field_worker_ids``...)."""
    for leaf in domain:
        if not isinstance(leaf, (list, tuple)) or len(leaf) != 3 or not isinstance(leaf[0], str):
            continue
        current = model
        for name in leaf[0].split("."):
            field = current._fields.get(name)
            if field is None:
                break
            if field.type in ("one2many", "many2many"):
                return True
            if not field.relational:
                break
            current = model.env[field.comodel_name]
    return False


class ServiceRuleSqlMixin(models.AbstractModel):
    """Record rules on a to-many field checked in SQL, as a search checks them.

    Odoo checks the rules on records it already holds (a page just searched, whose columns are
    in the cache) in Python, with ``filtered_domain``, which reads every field the rule names.
    A technician's rule names a many2many (``field_worker_ids`` in user): Python reads every
    worker of every order of the page, through res.users, its field domain and its order (a
    join on the partners), 2 queries and 3-4 ms for a page of 80. The same domain in SQL is one
    query on the relation's index, for each record: the condition the page's search has just
    applied, and the one Odoo itself applies when ``fetch`` reads columns.

    Only "every record is allowed" is taken from SQL. Any record that SQL does not allow sends
    the check to Odoo's own ``_check_access``, which decides and builds the error (access,
    missing record) as it always does. Access rights are checked first, as in Odoo.
    """
    _name = "service.rule.sql.mixin"
    _description = "Record rules on a to-many field checked in SQL"

    def _check_access(self, operation):
        ids = self._ids
        if (ids and all(isinstance(id_, int) for id_ in ids)
                and self.env["ir.model.access"].check(self._name, operation, raise_exception=False)):
            domain = self.env["ir.rule"]._compute_domain(self._name, operation)
            if domain and _through_to_many(self, domain):
                # sudo: the domain is the caller's rules already, evaluated for them; the
                # query reads ids only, nothing is returned but "all allowed". It is tested
                # id by id (the rules' query for that one id): with the ids as a list in the
                # query, PostgreSQL reads all the user's rows of the relation to match them
                query = self.sudo().with_context(active_test=False)._search(domain)
                checked = sorted(set(ids))
                query.add_where(SQL("%s = checked.id", SQL.identifier(self._table, "id")))
                [(allowed,)] = self.env.execute_query(SQL(
                    "SELECT count(*) FROM unnest(%s::int[]) AS checked(id) WHERE EXISTS (%s)",
                    checked, query.select(SQL("1"))))
                if allowed == len(checked):
                    return None
        return super()._check_access(operation)
