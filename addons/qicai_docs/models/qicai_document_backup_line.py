import base64
import hashlib
import logging
import os
import zipfile

from odoo import fields, models
from odoo.exceptions import UserError

from .qicai_document_backup import ARCHIVE_READ_ERRORS

_logger = logging.getLogger(__name__)


class QicaiDocumentBackupLine(models.Model):
    _name = "qicai.document.backup.line"
    _description = "Backed-up Document Version"
    _order = "backup_id desc, document_number, version"
    _rec_name = "member"

    backup_id = fields.Many2one(
        "qicai.document.backup", required=True, index=True, ondelete="cascade"
    )
    backup_state = fields.Selection(related="backup_id.state")
    document_id = fields.Many2one(
        "qicai.document", string="Document", index=True, ondelete="set null"
    )
    version_id = fields.Many2one(
        "qicai.document.version", string="Version", index=True, ondelete="set null"
    )
    document_number = fields.Char(string="Number", required=True)
    version = fields.Integer(string="Version Number", required=True)
    file_name = fields.Char()
    member = fields.Char(string="File in Archive", required=True)
    checksum = fields.Char(string="SHA-256", required=True)
    file_size = fields.Integer(string="Size (bytes)")
    verify_state = fields.Selection(
        [
            ("unchecked", "Not Verified"),
            ("ok", "Intact"),
            ("altered", "Altered"),
            ("missing", "Missing"),
        ],
        string="Verification",
        required=True,
        default="unchecked",
    )

    def _read_verified_content(self):
        """Return the bytes of this file from the archive after proving that
        their SHA-256 equals the one recorded when the backup was written."""
        self.ensure_one()
        backup = self.backup_id
        label = f"{self.document_number} v{self.version}"
        if backup.state != "done":
            raise UserError(
                self.env._(
                    "Backup %(backup)s has no archive any more (status %(state)s). "
                    "Restore %(version)s from a newer backup.",
                    backup=backup.name,
                    state=dict(
                        backup._fields["state"]._description_selection(self.env)
                    )[backup.state],
                    version=label,
                )
            )
        try:
            with zipfile.ZipFile(backup._archive_path()) as archive:
                content = archive.read(self.member)
        except FileNotFoundError as error:
            raise UserError(
                self.env._(
                    "The archive of backup %(backup)s is missing (%(error)s). "
                    "Restore %(version)s from another backup.",
                    backup=backup.name,
                    error=error,
                    version=label,
                )
            ) from error
        except (KeyError, OSError, *ARCHIVE_READ_ERRORS) as error:
            raise UserError(
                self.env._(
                    "The copy of %(version)s in backup %(backup)s cannot be read "
                    "(%(error)s). Restore it from another backup.",
                    version=label,
                    backup=backup.name,
                    error=error,
                )
            ) from error
        checksum = hashlib.sha256(content).hexdigest()
        if checksum != self.checksum:
            raise UserError(
                self.env._(
                    "The copy of %(version)s in backup %(backup)s is altered: SHA-256 "
                    "%(actual)s instead of %(expected)s. Restore it from another "
                    "backup.",
                    version=label,
                    backup=backup.name,
                    actual=checksum,
                    expected=self.checksum,
                )
            )
        return content

    def _repair_filestore_copy(self, content):
        """Rewrite the filestore file of ``content`` if it was altered on disk.

        Odoo stores each content once, named after its SHA-1. When the file
        under that name contains other bytes, it was altered outside Odoo, and
        Odoo would reject the restored content as a collision. The verified
        copy from the backup replaces it. Returns True when a file was
        rewritten.
        """
        Attachment = self.env["ir.attachment"]
        if Attachment._storage() != "file":
            return False
        sha1 = Attachment._compute_checksum(content)
        full_path = Attachment._full_path(f"{sha1[:2]}/{sha1}")
        if not os.path.isfile(full_path):
            return False
        with open(full_path, "rb") as stored:
            if stored.read() == content:
                return False
        temp_path = f"{full_path}.restore"
        with open(temp_path, "wb") as temp_file:
            temp_file.write(content)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.replace(temp_path, full_path)
        _logger.warning("Rewrote altered filestore file %s from backup", full_path)
        return True

    def action_restore(self):
        """Restore this backed-up version as a new draft version of its document.

        The restored file must have the SHA-256 recorded in the backup, both
        when read from the archive and when read back from the filestore.
        """
        self.ensure_one()
        document = self.document_id
        label = self.env._("restore a version of")
        if not document:
            raise UserError(
                self.env._(
                    "Document %(number)s no longer exists, so version %(version)s "
                    "cannot be restored into it.",
                    number=self.document_number,
                    version=self.version,
                )
            )
        document._check_doc_admin(label)
        document._check_state(("draft", "effective"), label)
        document._check_no_pending_version(label)

        content = self._read_verified_content()
        repaired = self._repair_filestore_copy(content)
        version = self.env["qicai.document.version"].create(
            {
                "document_id": document.id,
                "datas": base64.b64encode(content),
                "file_name": self.file_name,
                "change_note": self.env._(
                    "Restored from backup %(backup)s: copy of version %(version)s.",
                    backup=self.backup_id.name,
                    version=self.version,
                ),
                "restored_from_version_id": self.version_id.id,
                "restored_from_backup_id": self.backup_id.id,
            }
        )
        stored_checksum, _size = version._read_stored_digest()
        if version.checksum != self.checksum or stored_checksum != self.checksum:
            raise UserError(
                self.env._(
                    "Restoring %(number)s version %(version)s failed: the stored "
                    "file has SHA-256 %(actual)s instead of %(expected)s. Nothing "
                    "was restored.",
                    number=self.document_number,
                    version=self.version,
                    actual=stored_checksum,
                    expected=self.checksum,
                )
            )
        version.write(
            {"integrity_state": "ok", "integrity_checked_on": fields.Datetime.now()}
        )
        if repaired:
            # Every version with this content shares the rewritten file.
            self.env["qicai.document.version"].search(
                [("checksum", "=", self.checksum), ("id", "!=", version.id)]
            )._verify_integrity()
        document.message_post(
            body=self.env._(
                "Version %(new)s restored from backup %(backup)s as a copy of "
                "version %(old)s. SHA-256 %(checksum)s verified in the archive and "
                "in the filestore.",
                new=version.version,
                backup=self.backup_id.name,
                old=self.version,
                checksum=self.checksum,
            )
        )
        return version._get_form_action()
