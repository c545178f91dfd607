from odoo import api, models
from odoo.exceptions import ValidationError

# PostgreSQL's integer column: a value beyond it is a typing slip (or a probe), refused with a
# message instead of the database's "integer out of range".
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1


class ServiceIntegerBoundsMixin(models.AbstractModel):
    """The models whose integers users write (a colour, a sequence): a value the database's
    integer column cannot hold is refused with a clear message, before anything is written."""

    _name = "service.integer.bounds.mixin"
    _description = "Service Orders: integers within bounds"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_integer_bounds(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_integer_bounds(vals)
        return super().write(vals)

    @api.model
    def _check_integer_bounds(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if not field or field.type != "integer" or isinstance(value, bool) \
                    or not isinstance(value, (int, float)):
                continue
            if not INTEGER_MIN <= value <= INTEGER_MAX:
                raise ValidationError(self.env._(
                    "%(field)s must be a whole number from %(min)s to %(max)s, not %(value)s.",
                    field=field._description_string(self.env), min=INTEGER_MIN, max=INTEGER_MAX, value=value))
