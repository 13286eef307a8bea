from odoo import api, models
from odoo.exceptions import UserError

VERSION_MODEL = "qicai.document.version"


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _check_version_files_unchanged(self):
        """Raise if an attachment contains the file of a submitted document version.

        The version form already refuses such changes; this guard covers
        writes made directly on the attachment.
        """
        version_ids = [
            attachment.res_id
            for attachment in self.sudo()
            if attachment.res_model == VERSION_MODEL and attachment.res_id
        ]
        if not version_ids:
            return
        frozen = (
            self.env[VERSION_MODEL]
            .sudo()
            .browse(version_ids)
            .exists()
            .filtered(lambda v: v.state != "draft")
        )
        if frozen:
            raise UserError(
                self.env._(
                    "The file of version %(versions)s has been submitted or "
                    "published and cannot be changed or deleted. Start a new "
                    "version of the document instead.",
                    versions=", ".join(frozen.mapped("display_name")),
                )
            )

    def write(self, vals):
        if {"datas", "raw", "db_datas", "store_fname", "res_id", "res_model"} & set(
            vals
        ):
            self._check_version_files_unchanged()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_version_file(self):
        self._check_version_files_unchanged()
