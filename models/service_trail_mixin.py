from odoo import api, models
from odoo.exceptions import AccessError, UserError


class ServiceTrailMixin(models.AbstractModel):
    """A row of an order's trail (a confirmation and its changes, a status log, a step
    answer, an assignment's answer): made by the addon's own methods, under a narrow sudo
    after their checks, and never written, changed or deleted by any role afterwards.
    ``_trail_how`` says how such a row is made, for the refusal message."""

    _name = "service.trail.mixin"
    _description = "Service Order Trail Row"

    _trail_how = "the order's buttons"

    @api.model
    def _create_trail(self, vals_list):
        """The trail's rows, made by the addon's own methods once they checked who acts and from
        which state (the one sudo of such creates: no role creates a trail row by hand)."""
        # sudo: the caller's checks were made; only these rows are created
        return self.sudo().create(vals_list)

    def _write_trail(self, vals):
        """An answer recorded on these trail rows (an assignment accepted or declined) by the
        addon's own methods, once they checked that the answer is the current user's to give."""
        # sudo: the caller's checks were made; only these rows are written
        return self.sudo().write(vals)

    def _trail_refusal(self):
        return self.env._(
            "%(rows)s are the order's trail: they are made through %(how)s, and never written, "
            "changed or deleted by hand. A correction is a new record.",
            rows=self._description, how=self._trail_how)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self._trail_refusal())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self._trail_refusal())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self._trail_refusal())
