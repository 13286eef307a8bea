from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .qicai_document_backup import DEFAULT_RETENTION, BackupFailure


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qicai_docs_backup_directory = fields.Char(
        string="Backup Directory",
        config_parameter="qicai_docs.backup_directory",
        help="Absolute path of the directory that receives the document backups. "
        "It must exist, be writable by the Odoo server and lie outside the "
        "filestore, preferably on another disk.",
    )
    qicai_docs_backup_retention = fields.Integer(
        string="Backups to Keep",
        config_parameter="qicai_docs.backup_retention",
        default=DEFAULT_RETENTION,
        help="Number of successful backups kept in the backup directory; older "
        "archives are deleted after each successful backup.",
    )
    qicai_docs_review_reminder_days = fields.Integer(
        string="Review Reminder (days)",
        config_parameter="qicai_docs.review_reminder_days",
        default=30,
        help="Days before the periodic review date when the owner gets a review "
        "activity.",
    )

    @api.constrains("qicai_docs_backup_retention", "qicai_docs_review_reminder_days")
    def _check_qicai_docs_numbers(self):
        for settings in self:
            if settings.qicai_docs_backup_retention < 1:
                raise ValidationError(
                    self.env._(
                        "Backups to Keep is %(value)s; keep at least 1 backup.",
                        value=settings.qicai_docs_backup_retention,
                    )
                )
            if settings.qicai_docs_review_reminder_days < 0:
                raise ValidationError(
                    self.env._(
                        "Review Reminder is %(value)s days; enter 0 or more days.",
                        value=settings.qicai_docs_review_reminder_days,
                    )
                )

    def set_values(self):
        # Only a changed directory is checked: an unmounted backup disk must
        # not block saving unrelated settings, and the next run reports it.
        current = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qicai_docs.backup_directory")
        )
        Backup = self.env["qicai.document.backup"]
        for settings in self:
            directory = settings.qicai_docs_backup_directory
            if directory and directory != current:
                try:
                    Backup._check_backup_directory(directory)
                except BackupFailure as failure:
                    raise ValidationError(str(failure)) from failure
        return super().set_values()
