from odoo import Command, api, models
from odoo.exceptions import ValidationError

from .common import check_picture


class ServiceWorkItemPhotoMixin(models.AbstractModel):
    """A work item's photos: pictures (by type and by bytes) uploaded for the item, linked
    to it so their access follows the item's; never another record's file."""

    _name = "service.work.item.photo.mixin"
    _description = "Work Item: photos"

    def _link_photos(self):
        # Photos taken on a new item are uploaded before the item exists (res_id 0): attach
        # them to the item so their access follows the item's. Only the uploader's own
        # unattached files are linked, never another record's attachment.
        for item in self:
            loose = item.photo_ids.filtered(
                lambda a: not a.res_id and a.create_uid == self.env.user and a.res_model in (False, self._name))
            if loose:
                loose.write({"res_model": self._name, "res_id": item.id})

    @api.model
    def _linked_ids(self, commands):
        """The ids of the records x2many ``commands`` link (link and set commands)."""
        ids = []
        for command in commands:
            if isinstance(command, int):
                ids.append(command)
            elif command[0] == Command.LINK:
                ids.append(command[1])
            elif command[0] == Command.SET:
                ids.extend(command[2])
        return ids

    def _check_photos(self, photos):
        """A photo is an image (by its declared type and by its bytes), just uploaded for a
        work item or already one of these items': not the order's PDF, not another record's
        file. Checked before anything is written."""
        # sudo: the bytes and the owner of the files the user is linking
        for photo in photos.sudo():
            own = photo.res_model == self._name and photo.res_id in self.ids
            loose = not photo.res_id and photo.res_model in (False, self._name)
            if not (own or loose) or not (photo.mimetype or "").startswith("image/"):
                raise ValidationError(self.env._(
                    "%(file)s is not a photo of this work item: add pictures (JPEG, PNG...) taken for it.",
                    file=photo.name))
            if not own:  # a raster image by its bytes, within the size limit (kept ones were checked)
                check_picture(self.env, photo.raw, photo.name)
