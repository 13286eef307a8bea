import base64
import hashlib
import io
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

VERSION_STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("effective", "Effective"),
    ("superseded", "Superseded"),
    ("obsolete", "Obsolete"),
]

INTEGRITY_STATES = [
    ("unchecked", "Not Checked"),
    ("ok", "Intact"),
    ("altered", "Altered"),
    ("missing", "Missing"),
]

# States whose file belongs to the controlled record and goes into backups.
CONTROLLED_STATES = ("effective", "superseded", "obsolete")

# Once a version leaves the draft state these fields never change again.
CONTENT_FIELDS = {"datas", "file_name", "change_note", "document_id", "version"}

# Fields only the document administrator (or the server itself) writes.
ADMIN_FIELDS = {
    "approver_id",
    "approved_on",
    "effective_date",
    "retired_on",
    "integrity_state",
    "integrity_checked_on",
    "restored_from_version_id",
    "restored_from_backup_id",
}

AUTHOR_TRANSITIONS = {("draft", "review"), ("review", "draft")}

CHUNK_SIZE = 1024 * 1024


def sha256_of_stream(stream, chunk_size=CHUNK_SIZE):
    """Return the SHA-256 hex digest and the size in bytes of a binary stream."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class QicaiDocumentVersion(models.Model):
    _name = "qicai.document.version"
    _description = "Controlled Document Version"
    _inherit = ["mail.thread"]
    _order = "document_id, version desc"
    _mail_post_access = "read"

    document_id = fields.Many2one(
        "qicai.document",
        string="Document",
        required=True,
        index=True,
        ondelete="cascade",
    )
    version = fields.Integer(required=True, readonly=True, copy=False, default=0)
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    document_state = fields.Selection(
        related="document_id.state", string="Document Status"
    )
    state = fields.Selection(
        VERSION_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )

    # File
    datas = fields.Binary(string="File", attachment=True, copy=False)
    file_name = fields.Char(tracking=True)
    checksum = fields.Char(
        string="SHA-256",
        compute="_compute_file_checksum",
        store=True,
        copy=False,
        help="SHA-256 of the file, computed when it is uploaded.",
    )
    file_size = fields.Integer(
        string="Size (bytes)", compute="_compute_file_checksum", store=True
    )
    attachment_id = fields.Many2one(
        "ir.attachment", compute="_compute_attachment_id", string="Attachment"
    )
    change_note = fields.Text(tracking=True)

    # People and dates
    author_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        default=lambda self: self.env.user,
        index=True,
    )
    approver_id = fields.Many2one("res.users", string="Approver", readonly=True)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    effective_date = fields.Date(readonly=True, copy=False)
    retired_on = fields.Datetime(
        string="Retired On",
        readonly=True,
        copy=False,
        help="When this version was superseded or declared obsolete.",
    )

    # Integrity and provenance
    integrity_state = fields.Selection(
        INTEGRITY_STATES,
        default="unchecked",
        required=True,
        readonly=True,
        copy=False,
    )
    integrity_checked_on = fields.Datetime(readonly=True, copy=False)
    restored_from_version_id = fields.Many2one(
        "qicai.document.version", string="Restored From Version", readonly=True
    )
    restored_from_backup_id = fields.Many2one(
        "qicai.document.backup", string="Restored From Backup", readonly=True
    )

    _sql_constraints = [
        (
            "document_version_uniq",
            "unique(document_id, version)",
            "A document cannot have two versions with the same number.",
        ),
    ]

    def init(self):
        # The database enforces the workflow invariants even under concurrent
        # approvals: one effective version and one version in progress.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS "
                "qicai_document_version_one_effective ON qicai_document_version "
                "(document_id) WHERE state = 'effective'"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS qicai_document_version_one_pending "
                "ON qicai_document_version (document_id) "
                "WHERE state IN ('draft', 'review')"
            )
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("document_id.name", "version")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(document)s v%(version)s",
                document=version.document_id.name or "",
                version=version.version,
            )

    @api.depends("datas")
    def _compute_file_checksum(self):
        for version in self.with_context(bin_size=False):
            if version.datas:
                raw = base64.b64decode(version.datas)
                version.checksum = hashlib.sha256(raw).hexdigest()
                version.file_size = len(raw)
            else:
                version.checksum = False
                version.file_size = 0

    def _compute_attachment_id(self):
        attachments = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_field", "=", "datas"),
                ("res_id", "in", self.ids),
            ]
        )
        by_version = {attachment.res_id: attachment for attachment in attachments}
        for version in self:
            version.attachment_id = by_version.get(version.id, False)

    @api.constrains("datas", "file_name")
    def _check_file_name(self):
        unnamed = self.filtered(lambda v: v.datas and not v.file_name)
        if unnamed:
            raise ValidationError(
                self.env._(
                    "Version %(versions)s has a file without a file name. Upload "
                    "the file again or enter its name.",
                    versions=", ".join(unnamed.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        next_numbers = {}
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(
                    self.env._(
                        "A document version is always created as a draft; status "
                        "%(state)s is set by the review workflow.",
                        state=vals["state"],
                    )
                )
            if not self.env.su and not self.env.user.has_group(
                "qicai_station.group_qicai_doc_admin"
            ):
                forbidden = ADMIN_FIELDS.intersection(vals)
                if forbidden:
                    raise UserError(
                        self.env._(
                            "Only the document administrator can set %(fields)s on "
                            "a document version.",
                            fields=", ".join(sorted(forbidden)),
                        )
                    )
            document_id = vals.get("document_id")
            if document_id and not vals.get("version"):
                if document_id not in next_numbers:
                    next_numbers[document_id] = self._get_next_version_number(
                        document_id
                    )
                vals["version"] = next_numbers[document_id]
                next_numbers[document_id] += 1
        # The partial unique indexes check the inserted row against the
        # states in the database, so pending state changes must be written.
        self.flush_model(["state"])
        versions = super().create(vals_list)
        versions._check_document_accepts_versions()
        return versions

    def _get_next_version_number(self, document_id):
        # Version numbers continue after versions the current user cannot read.
        self.flush_model(["document_id", "version"])
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM qicai_document_version "
                "WHERE document_id = %s",
                document_id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _check_document_accepts_versions(self):
        closed = self.document_id.filtered(
            lambda d: d.state in ("superseded", "obsolete", "archived")
        )
        if closed:
            raise UserError(
                self.env._(
                    "Document %(documents)s is superseded, obsolete or archived "
                    "and takes no new version.",
                    documents=", ".join(closed.mapped("display_name")),
                )
            )

    def write(self, vals):
        # Access errors come before workflow errors, so a user without write
        # access learns that first.
        self.check_access("write")
        self._check_write_allowed(vals)
        return super().write(vals)

    def _check_write_allowed(self, vals):
        frozen = self.filtered(lambda v: v.state != "draft")
        changed = CONTENT_FIELDS.intersection(vals)
        if frozen and changed:
            raise UserError(
                self.env._(
                    "Version %(versions)s has been submitted or published and cannot "
                    "be edited. Start a new version of the document instead.",
                    versions=", ".join(frozen.mapped("display_name")),
                )
            )
        if self.env.su or self.env.user.has_group(
            "qicai_station.group_qicai_doc_admin"
        ):
            return
        forbidden = ADMIN_FIELDS.intersection(vals)
        if forbidden:
            raise UserError(
                self.env._(
                    "Only the document administrator can change %(fields)s of "
                    "version %(versions)s.",
                    fields=", ".join(sorted(forbidden)),
                    versions=", ".join(self.mapped("display_name")),
                )
            )
        if "state" in vals:
            bad = self.filtered(
                lambda v: (
                    (v.state, vals["state"]) not in AUTHOR_TRANSITIONS
                    and v.state != vals["state"]
                )
            )
            if bad:
                raise UserError(
                    self.env._(
                        "Only the document administrator can move version "
                        "%(versions)s to status %(state)s.",
                        versions=", ".join(bad.mapped("display_name")),
                        state=dict(VERSION_STATES)[vals["state"]],
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        submitted = self.filtered(lambda v: v.state != "draft")
        if submitted:
            raise UserError(
                self.env._(
                    "Version %(versions)s has been submitted or published and is "
                    "part of the document history; it cannot be deleted.",
                    versions=", ".join(submitted.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_states(self, allowed_states, action_label):
        bad = self.filtered(lambda v: v.state not in allowed_states)
        if bad:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s version %(versions)s in status %(state)s. "
                    "Allowed status: %(allowed)s.",
                    action=action_label,
                    versions=", ".join(bad.mapped("display_name")),
                    state=", ".join({labels[v.state] for v in bad}),
                    allowed=", ".join(labels[s] for s in allowed_states),
                )
            )

    def _check_author_or_admin(self, action_label):
        if self.env.user.has_group("qicai_station.group_qicai_doc_admin"):
            return
        foreign = self.filtered(
            lambda v: self.env.user not in (v.author_id | v.document_id.owner_id)
        )
        if foreign:
            raise UserError(
                self.env._(
                    "Only the author, the document owner or a document administrator "
                    "can %(action)s version %(versions)s.",
                    action=action_label,
                    versions=", ".join(foreign.mapped("display_name")),
                )
            )

    def action_submit(self):
        """Send draft versions to review; the file and the change note are
        required."""
        label = self.env._("submit")
        self._check_states(("draft",), label)
        self._check_author_or_admin(label)
        incomplete = self.filtered(lambda v: not v.datas or not v.change_note)
        if incomplete:
            raise UserError(
                self.env._(
                    "Version %(versions)s needs a file and a change note before it "
                    "can be submitted for review.",
                    versions=", ".join(incomplete.mapped("display_name")),
                )
            )
        self._check_document_accepts_versions()
        self.write({"state": "review", "submitted_on": fields.Datetime.now()})
        self.document_id.filtered(lambda d: d.state == "draft").write(
            {"state": "review"}
        )
        for version in self:
            version.document_id.message_post(
                body=self.env._(
                    "Version %(version)s submitted for review: %(note)s",
                    version=version.version,
                    note=version.change_note,
                )
            )
        return True

    def action_approve(self):
        """Approve versions in review and make each the effective version of its
        document; the previous effective version becomes superseded."""
        label = self.env._("approve")
        self.document_id._check_doc_admin(label)
        self._check_states(("review",), label)
        if len(self.document_id) != len(self):
            raise UserError(
                self.env._(
                    "Versions %(versions)s include two versions of one document. "
                    "Approve one version per document at a time.",
                    versions=", ".join(self.mapped("display_name")),
                )
            )

        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        previous = self.document_id.effective_version_id
        previous._set_retired("superseded")
        # The partial unique index on effective versions is checked per
        # statement, so the previous version must leave the state first.
        previous.flush_recordset(["state"])
        self.write(
            {
                "state": "effective",
                "approver_id": self.env.uid,
                "approved_on": now,
                "effective_date": today,
            }
        )
        self.document_id.write({"state": "effective", "last_review_date": today})

        for version in self:
            version.document_id.message_post(
                body=self.env._(
                    "Version %(version)s approved by %(approver)s and effective from "
                    "%(date)s. SHA-256: %(checksum)s",
                    version=version.version,
                    approver=self.env.user.name,
                    date=version.effective_date,
                    checksum=version.checksum,
                )
            )
        self._request_acknowledgements()
        return True

    def action_return_to_draft(self):
        """Return versions in review to their author, for a correction or
        because the author withdraws them."""
        label = self.env._("return to draft")
        self._check_states(("review",), label)
        self._check_author_or_admin(label)
        self.write({"state": "draft", "submitted_on": False})
        self.document_id.filtered(lambda d: d.state == "review").write(
            {"state": "draft"}
        )
        for version in self:
            version.document_id.message_post(
                body=self.env._(
                    "Version %(version)s returned to draft by %(user)s.",
                    version=version.version,
                    user=self.env.user.name,
                )
            )
        return True

    def _set_retired(self, state):
        """Retire effective versions as ``superseded`` or ``obsolete``."""
        if not self:
            return
        self.write({"state": state, "retired_on": fields.Datetime.now()})
        acknowledgements = self.env["qicai.document.acknowledgement"].search(
            [("version_id", "in", self.ids), ("state", "=", "pending")]
        )
        acknowledgements._cancel()

    # ------------------------------------------------------------------
    # Read acknowledgement
    # ------------------------------------------------------------------

    def _request_acknowledgements(self):
        """Create a pending acknowledgement for every member of the
        acknowledging groups who can read the effective version."""
        # TODO: ask users who join an acknowledging group later without
        # waiting for the administrator's "Ask New Readers" button.
        Acknowledgement = self.env["qicai.document.acknowledgement"]
        versions = self.filtered(
            lambda v: v.state == "effective" and v.document_id.requires_acknowledgement
        )
        if not versions:
            return Acknowledgement
        existing = Acknowledgement.search([("version_id", "in", versions.ids)])
        asked = {(ack.version_id.id, ack.user_id.id) for ack in existing}
        vals_list = []
        for version in versions:
            users = version.document_id.ack_group_ids.users.filtered(
                lambda u: u.active and not u.share
            )
            for user in users:
                if (version.id, user.id) in asked:
                    continue
                if not version.with_user(user).has_access("read"):
                    continue
                vals_list.append(
                    {
                        "document_id": version.document_id.id,
                        "version_id": version.id,
                        "user_id": user.id,
                    }
                )
        acknowledgements = Acknowledgement.create(vals_list)
        acknowledgements._schedule_activities()
        return acknowledgements

    # ------------------------------------------------------------------
    # Integrity
    # ------------------------------------------------------------------

    def _open_stored_file(self):
        """Open the stored file of the version for binary reading.

        Returns ``None`` when the version has no attachment or its file is
        missing from the filestore.
        """
        self.ensure_one()
        # The filestore location is server data: the caller already has
        # access to the version, not necessarily to every attachment column.
        attachment = self.attachment_id.sudo()
        if not attachment:
            return None
        if attachment.store_fname:
            try:
                return open(attachment._full_path(attachment.store_fname), "rb")
            except FileNotFoundError:
                return None
        return io.BytesIO(attachment.db_datas or b"")

    def _read_stored_digest(self):
        """Return (SHA-256, size) of the stored file, or (None, 0) if missing."""
        self.ensure_one()
        stream = self._open_stored_file()
        if stream is None:
            return None, 0
        with stream:
            return sha256_of_stream(stream)

    def _verify_integrity(self):
        """Compare each stored file with its recorded SHA-256.

        Sets ``integrity_state`` on every version, posts the problems on the
        documents and returns the damaged versions.
        """
        now = fields.Datetime.now()
        damaged = self.browse()
        for version in self.filtered("checksum"):
            digest, _size = version._read_stored_digest()
            if digest is None:
                state = "missing"
            elif digest != version.checksum:
                state = "altered"
            else:
                state = "ok"
            version.write({"integrity_state": state, "integrity_checked_on": now})
            if state != "ok":
                damaged |= version
                _logger.warning(
                    "Document version %s (id %s): stored file %s",
                    version.display_name,
                    version.id,
                    state,
                )
        by_document = {}
        for version in damaged:
            by_document.setdefault(version.document_id, []).append(version)
        for document, lines in by_document.items():
            document.message_post(
                body=self.env._(
                    "Integrity check failed for version %(versions)s: the file in "
                    "the filestore is missing or differs from its recorded "
                    "SHA-256. Restore it from a verified backup.",
                    versions=", ".join(str(v.version) for v in lines),
                )
            )
        return damaged

    def action_verify_integrity(self):
        self.document_id._check_doc_admin(self.env._("verify the files of"))
        self._verify_integrity()
        return True

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
