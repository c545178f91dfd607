from odoo import api, models


class ServiceWizardMixin(models.AbstractModel):
    """What every wizard (transient model) of the addon shares: its rows are its creator's
    (the record rules ``*_rule_own_rows`` of security/service_order_rules.xml: nobody else
    lists, reads, writes or deletes them, whatever their role), and a row only points at
    records its creator may read (an order, work items, fallouts, another wizard row): a
    wizard never shows what its related or computed fields read under sudo from a record
    the user cannot open."""

    _name = "service.wizard.mixin"
    _description = "Service Order Wizard"

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._check_linked_records_readable()
        return wizards

    def write(self, vals):
        result = super().write(vals)
        self._check_linked_records_readable()
        return result

    def _check_linked_records_readable(self):
        """Raise an AccessError unless the user may read every record of the addon (or every
        wizard row) these rows link to."""
        if self.env.su:
            return
        for name, field in self._fields.items():
            if field.type not in ("many2one", "many2many") or not field.store:
                continue
            comodel = self.env[field.comodel_name]
            if comodel._transient or field.comodel_name.startswith("service."):
                self.mapped(name).check_access("read")
