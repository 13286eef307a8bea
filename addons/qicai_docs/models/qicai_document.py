import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .qicai_document_version import VERSION_STATES

_logger = logging.getLogger(__name__)

DOC_ADMIN_GROUP = "qicai_station.group_qicai_doc_admin"

DOCUMENT_STATES = [
    ("draft", "Draft"),
    ("review", "In Review"),
    ("effective", "Effective"),
    ("superseded", "Superseded"),
    ("obsolete", "Obsolete"),
    ("archived", "Archived"),
]

CONFIDENTIALITY_LEVELS = [
    ("general", "General"),
    ("internal", "Internal Only"),
    ("confidential", "Confidential"),
]

# Fields of the register entry that only the document administrator may change
# once the document has left the draft state.
REGISTER_FIELDS = {
    "title",
    "type_id",
    "owner_id",
    "department_id",
    "company_id",
    "station_id",
    "equipment_id",
    "res_ref",
    "tag_ids",
    "confidentiality",
    "group_ids",
    "team_ids",
    "review_interval_months",
    "requires_acknowledgement",
    "ack_group_ids",
    "superseded_by_id",
    "description",
}

# State changes an author may make without the administrator group.
AUTHOR_TRANSITIONS = {("draft", "review"), ("review", "draft")}


class QicaiDocument(models.Model):
    _name = "qicai.document"
    _description = "Controlled Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name desc, id desc"
    _rec_names_search = ["name", "title"]
    _check_company_auto = True
    # Readers may comment on a document and close their own reminders on it.
    _mail_post_access = "read"

    # Register
    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    title = fields.Char(required=True, tracking=True)
    type_id = fields.Many2one(
        "qicai.document.type",
        string="Type",
        required=True,
        tracking=True,
        index=True,
        ondelete="restrict",
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        help="User responsible for the content and the periodic review.",
    )
    department_id = fields.Many2one(
        "qicai.document.department", string="Department", tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    description = fields.Html()
    tag_ids = fields.Many2many("qicai.document.tag", string="Tags")

    # Links
    station_id = fields.Many2one(
        "qicai.station",
        string="Station",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Charger / Equipment",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    equipment_kind = fields.Selection(related="equipment_id.equipment_kind")
    res_ref = fields.Reference(
        selection="_selection_res_ref",
        string="Related Record",
        help="Any other record the document belongs to, such as a fault "
        "category, a work order or an inspection.",
    )

    # Access
    confidentiality = fields.Selection(
        CONFIDENTIALITY_LEVELS,
        required=True,
        default="general",
        tracking=True,
        help="General: every O&M user, and supplier or partner users of the "
        "teams it is shared with. Internal only: O&M staff, never suppliers or "
        "partners. Confidential: only members of the access groups.",
    )
    group_ids = fields.Many2many(
        "res.groups",
        "qicai_document_access_group_rel",
        "document_id",
        "group_id",
        string="Access Groups",
        help="Groups whose members may read a confidential document.",
    )
    team_ids = fields.Many2many(
        "maintenance.team",
        "qicai_document_team_rel",
        "document_id",
        "team_id",
        string="Shared with Teams",
        help="Supplier and partner teams whose members may read the effective version.",
    )

    # Status and versions
    state = fields.Selection(
        DOCUMENT_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    version_ids = fields.One2many(
        "qicai.document.version", "document_id", string="Versions", copy=False
    )
    version_count = fields.Integer(compute="_compute_version_count")
    effective_version_id = fields.Many2one(
        "qicai.document.version",
        string="Effective Version",
        compute="_compute_effective_version_id",
        store=True,
        index=True,
    )
    effective_version = fields.Integer(
        related="effective_version_id.version", string="Current Version"
    )
    effective_date = fields.Date(
        related="effective_version_id.effective_date", string="Effective Since"
    )
    pending_version_id = fields.Many2one(
        "qicai.document.version",
        string="Version in Progress",
        compute="_compute_pending_version_id",
    )
    pending_version_state = fields.Selection(
        VERSION_STATES,
        string="Progress Status",
        compute="_compute_pending_version_id",
    )
    superseded_by_id = fields.Many2one(
        "qicai.document",
        string="Superseded By",
        tracking=True,
        copy=False,
        help="Document that replaces this one when it is superseded.",
    )
    integrity_state = fields.Selection(
        [
            ("unchecked", "Not Checked"),
            ("ok", "Intact"),
            ("damaged", "Damaged"),
        ],
        compute="_compute_integrity_state",
        string="File Integrity",
    )

    # Periodic review
    review_interval_months = fields.Integer(
        string="Review Interval (months)",
        compute="_compute_review_interval_months",
        store=True,
        readonly=False,
        precompute=True,
        help="Months between two periodic reviews; 0 means no periodic review. "
        "Taken from the document type and adjustable per document.",
    )
    last_review_date = fields.Date(tracking=True, copy=False)
    next_review_date = fields.Date(
        compute="_compute_next_review_date", store=True, index=True
    )
    is_review_overdue = fields.Boolean(
        string="Review Overdue",
        compute="_compute_is_review_overdue",
        search="_search_is_review_overdue",
    )

    # Read acknowledgement
    requires_acknowledgement = fields.Boolean(
        compute="_compute_acknowledgement_settings",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    ack_group_ids = fields.Many2many(
        "res.groups",
        "qicai_document_ack_group_rel",
        "document_id",
        "group_id",
        string="Acknowledging Groups",
        compute="_compute_acknowledgement_settings",
        store=True,
        readonly=False,
        precompute=True,
        help="Users of these groups confirm that they have read each effective "
        "version.",
    )
    acknowledgement_ids = fields.One2many(
        "qicai.document.acknowledgement", "document_id", string="Acknowledgements"
    )
    ack_pending_count = fields.Integer(
        string="Pending Acknowledgements", compute="_compute_ack_counts"
    )
    ack_done_count = fields.Integer(
        string="Confirmed Acknowledgements", compute="_compute_ack_counts"
    )
    is_ack_pending_for_me = fields.Boolean(compute="_compute_is_ack_pending_for_me")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A document number must be unique per company.",
        ),
        (
            "review_interval_positive",
            "CHECK(review_interval_months >= 0)",
            "The review interval of a document cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Reference selection
    # ------------------------------------------------------------------

    @api.model
    def _get_reference_models(self):
        """Return the technical names of the models a document may refer to.

        Higher modules extend this list; models that are not installed are
        left out of the selection, so no module has to depend on this one.
        """
        return [
            "qicai.fault.category",
            "maintenance.request",
            "qicai.inspection",
            "maintenance.team",
            "qicai.charger.model",
        ]

    @api.model
    def _selection_res_ref(self):
        IrModel = self.env["ir.model"]
        return [
            (model, IrModel._get(model).name)
            for model in self._get_reference_models()
            if model in self.env
        ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_version_count(self):
        counts = dict(
            self.env["qicai.document.version"]._read_group(
                [("document_id", "in", self.ids)], ["document_id"], ["__count"]
            )
        )
        for document in self:
            document.version_count = counts.get(document, 0)

    @api.depends("version_ids.state")
    def _compute_effective_version_id(self):
        for document in self:
            effective = document.version_ids.filtered(lambda v: v.state == "effective")
            document.effective_version_id = effective[:1]

    @api.depends("version_ids.state")
    def _compute_pending_version_id(self):
        for document in self:
            pending = document.version_ids.filtered(
                lambda v: v.state in ("draft", "review")
            )
            document.pending_version_id = pending[:1]
            document.pending_version_state = pending[:1].state

    @api.depends("version_ids.integrity_state")
    def _compute_integrity_state(self):
        for document in self:
            states = set(document.version_ids.mapped("integrity_state"))
            if states & {"altered", "missing"}:
                document.integrity_state = "damaged"
            elif states and states <= {"ok"}:
                document.integrity_state = "ok"
            else:
                document.integrity_state = "unchecked"

    @api.depends("type_id")
    def _compute_review_interval_months(self):
        for document in self:
            document.review_interval_months = document.type_id.review_interval_months

    @api.depends("last_review_date", "review_interval_months", "state")
    def _compute_next_review_date(self):
        for document in self:
            if (
                document.state == "effective"
                and document.last_review_date
                and document.review_interval_months
            ):
                document.next_review_date = document.last_review_date + relativedelta(
                    months=document.review_interval_months
                )
            else:
                document.next_review_date = False

    @api.depends("next_review_date")
    @api.depends_context("date")
    def _compute_is_review_overdue(self):
        today = fields.Date.context_today(self)
        for document in self:
            document.is_review_overdue = bool(
                document.next_review_date and document.next_review_date < today
            )

    def _search_is_review_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Search on overdue reviews supports only = and !=.")
            )
        overdue = [
            ("next_review_date", "!=", False),
            ("next_review_date", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    @api.depends("type_id")
    def _compute_acknowledgement_settings(self):
        for document in self:
            document.requires_acknowledgement = (
                document.type_id.requires_acknowledgement
            )
            document.ack_group_ids = document.type_id.ack_group_ids

    @api.depends("acknowledgement_ids.state", "effective_version_id")
    def _compute_ack_counts(self):
        # The counts cover every reader, while readers may only open their
        # own acknowledgement records.
        groups = (
            self.env["qicai.document.acknowledgement"]
            .sudo()
            ._read_group(
                [
                    ("document_id", "in", self.ids),
                    ("version_id.state", "=", "effective"),
                ],
                ["document_id", "state"],
                ["__count"],
            )
        )
        counts = {(document.id, state): count for document, state, count in groups}
        for document in self:
            document.ack_pending_count = counts.get((document.id, "pending"), 0)
            document.ack_done_count = counts.get((document.id, "done"), 0)

    @api.depends_context("uid")
    @api.depends("acknowledgement_ids.state", "acknowledgement_ids.user_id")
    def _compute_is_ack_pending_for_me(self):
        pending = self.env["qicai.document.acknowledgement"].search(
            [
                ("document_id", "in", self.ids),
                ("user_id", "=", self.env.uid),
                ("state", "=", "pending"),
            ]
        )
        for document in self:
            document.is_ack_pending_for_me = document in pending.document_id

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("station_id", "equipment_id")
    def _check_equipment_station(self):
        bad = self.filtered(
            lambda d: (
                d.station_id
                and d.equipment_id.station_id
                and d.equipment_id.station_id != d.station_id
            )
        )
        if bad:
            raise ValidationError(
                self.env._(
                    "Document %(documents)s links equipment of another station. "
                    "Choose equipment of the linked station or clear the station.",
                    documents=", ".join(bad.mapped("display_name")),
                )
            )

    @api.constrains("confidentiality", "group_ids", "team_ids")
    def _check_confidentiality(self):
        no_group = self.filtered(
            lambda d: d.confidentiality == "confidential" and not d.group_ids
        )
        if no_group:
            raise ValidationError(
                self.env._(
                    "Confidential document %(documents)s has no access group. Add "
                    "the groups whose members may read it.",
                    documents=", ".join(no_group.mapped("display_name")),
                )
            )
        shared_internal = self.filtered(
            lambda d: d.confidentiality == "internal" and d.team_ids
        )
        if shared_internal:
            raise ValidationError(
                self.env._(
                    "Document %(documents)s is internal only but shared with teams "
                    "%(teams)s. Remove the teams or set the confidentiality to "
                    "General.",
                    documents=", ".join(shared_internal.mapped("display_name")),
                    teams=", ".join(shared_internal.team_ids.mapped("name")),
                )
            )

    @api.constrains("superseded_by_id")
    def _check_superseded_by(self):
        bad = self.filtered(lambda d: d.superseded_by_id == d)
        if bad:
            raise ValidationError(
                self.env._(
                    "Document %(documents)s cannot supersede itself. Choose the "
                    "document that replaces it.",
                    documents=", ".join(bad.mapped("display_name")),
                )
            )

    @api.onchange("equipment_id")
    def _onchange_equipment_id(self):
        if self.equipment_id.station_id:
            self.station_id = self.equipment_id.station_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.depends("name", "title")
    def _compute_display_name(self):
        for document in self:
            if document.name and document.name != "/":
                document.display_name = f"{document.name} {document.title or ''}"
            else:
                document.display_name = document.title or ""

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(
                    self.env._(
                        "Document %(title)s cannot be created in status %(state)s. "
                        "Register it as a draft and publish it through review.",
                        title=vals.get("title", ""),
                        state=vals["state"],
                    )
                )
            if vals.get("name", "/") == "/" and vals.get("type_id"):
                doc_type = self.env["qicai.document.type"].browse(vals["type_id"])
                vals["name"] = doc_type._next_document_number()
        return super().create(vals_list)

    def write(self, vals):
        # Access errors come before workflow errors, so a user without write
        # access learns that first.
        self.check_access("write")
        self._check_write_allowed(vals)
        return super().write(vals)

    def _check_write_allowed(self, vals):
        if self.env.su or self._is_doc_admin():
            return
        locked = self.filtered(lambda d: d.state != "draft")
        changed = REGISTER_FIELDS.intersection(vals)
        if locked and changed:
            raise UserError(
                self.env._(
                    "Only the document administrator can change %(fields)s of "
                    "document %(documents)s once it has been submitted. Ask the "
                    "document administrator, or start a new version.",
                    fields=", ".join(sorted(changed)),
                    documents=", ".join(locked.mapped("display_name")),
                )
            )
        if "state" in vals:
            bad = self.filtered(
                lambda d: (
                    (d.state, vals["state"]) not in AUTHOR_TRANSITIONS
                    and d.state != vals["state"]
                )
            )
            if bad:
                raise UserError(
                    self.env._(
                        "Only the document administrator can move document "
                        "%(documents)s to status %(state)s.",
                        documents=", ".join(bad.mapped("display_name")),
                        state=dict(DOCUMENT_STATES)[vals["state"]],
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_published(self):
        published = self.filtered(lambda d: d.state != "draft")
        if published:
            raise UserError(
                self.env._(
                    "Document %(documents)s has been submitted or published and "
                    "must stay in the register. Declare it obsolete, then archive "
                    "it.",
                    documents=", ".join(published.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Permission helpers
    # ------------------------------------------------------------------

    def _is_doc_admin(self):
        return self.env.user.has_group(DOC_ADMIN_GROUP)

    def _check_doc_admin(self, action_label):
        """Raise unless the current user is a document administrator."""
        if not self._is_doc_admin():
            raise UserError(
                self.env._(
                    "Only a document administrator or the O&M centre manager can "
                    "%(action)s document %(documents)s.",
                    action=action_label,
                    documents=", ".join(self.mapped("display_name")),
                )
            )

    def _check_owner_or_admin(self, action_label):
        """Raise unless the current user owns every document or administers them."""
        if self._is_doc_admin():
            return
        foreign = self.filtered(lambda d: d.owner_id != self.env.user)
        if foreign:
            raise UserError(
                self.env._(
                    "Only the owner or a document administrator can %(action)s "
                    "document %(documents)s.",
                    action=action_label,
                    documents=", ".join(foreign.mapped("display_name")),
                )
            )

    def _check_state(self, allowed_states, action_label):
        bad = self.filtered(lambda d: d.state not in allowed_states)
        if bad:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s document %(documents)s in status %(state)s. "
                    "Allowed status: %(allowed)s.",
                    action=action_label,
                    documents=", ".join(bad.mapped("display_name")),
                    state=", ".join({labels[d.state] for d in bad}),
                    allowed=", ".join(labels[s] for s in allowed_states),
                )
            )

    def _get_pending_versions(self, action_label, states):
        """Return the version in progress of each document, or raise."""
        missing = self.filtered(lambda d: d.pending_version_id.state not in states)
        if missing:
            raise UserError(
                self.env._(
                    "Document %(documents)s has no version to %(action)s. Add a "
                    "version with its file and change note first.",
                    documents=", ".join(missing.mapped("display_name")),
                    action=action_label,
                )
            )
        return self.pending_version_id

    # ------------------------------------------------------------------
    # Workflow actions
    # ------------------------------------------------------------------

    def action_submit(self):
        """Submit the version in progress of each document for review."""
        versions = self._get_pending_versions(self.env._("submit"), ("draft",))
        versions.action_submit()
        return True

    def action_approve(self):
        """Approve and publish the version in review of each document."""
        versions = self._get_pending_versions(self.env._("approve"), ("review",))
        versions.action_approve()
        return True

    def action_return_to_draft(self):
        """Send the version in review of each document back to its author."""
        versions = self._get_pending_versions(
            self.env._("return to draft"), ("review",)
        )
        versions.action_return_to_draft()
        return True

    def action_new_version(self):
        """Start a new draft version of an effective document and open it."""
        self.ensure_one()
        label = self.env._("start a new version of")
        self._check_owner_or_admin(label)
        self._check_state(("effective",), label)
        if self.pending_version_id:
            raise UserError(
                self.env._(
                    "Document %(document)s already has version %(version)s in "
                    "progress. Finish or delete it before starting another one.",
                    document=self.display_name,
                    version=self.pending_version_id.version,
                )
            )
        version = self.env["qicai.document.version"].create({"document_id": self.id})
        return version._get_form_action()

    def action_obsolete(self):
        """Withdraw effective documents: they stay readable, marked obsolete."""
        label = self.env._("declare obsolete")
        self._check_doc_admin(label)
        self._check_state(("effective",), label)
        self._check_no_pending_version(label)
        self.effective_version_id._set_retired("obsolete")
        self.write({"state": "obsolete"})
        self.activity_unlink(["qicai_docs.mail_activity_type_document_review"])
        return True

    def action_supersede(self):
        """Retire effective documents in favour of their replacement document."""
        label = self.env._("supersede")
        self._check_doc_admin(label)
        self._check_state(("effective",), label)
        self._check_no_pending_version(label)
        no_successor = self.filtered(lambda d: d.superseded_by_id.state != "effective")
        if no_successor:
            raise UserError(
                self.env._(
                    "Document %(documents)s needs an effective replacement document "
                    "in the Superseded By field before it can be superseded.",
                    documents=", ".join(no_successor.mapped("display_name")),
                )
            )
        self.effective_version_id._set_retired("superseded")
        self.write({"state": "superseded"})
        self.activity_unlink(["qicai_docs.mail_activity_type_document_review"])
        return True

    def action_archive_document(self):
        """Archive superseded or obsolete documents out of the daily lists."""
        label = self.env._("archive")
        self._check_doc_admin(label)
        self._check_state(("superseded", "obsolete"), label)
        self.write({"state": "archived", "active": False})
        return True

    def _check_no_pending_version(self, action_label):
        busy = self.filtered("pending_version_id")
        if busy:
            raise UserError(
                self.env._(
                    "Cannot %(action)s document %(documents)s while a version is in "
                    "progress. Withdraw and delete the version in progress first.",
                    action=action_label,
                    documents=", ".join(busy.mapped("display_name")),
                )
            )

    def action_confirm_review(self):
        """Record that the periodic review found the effective version current."""
        label = self.env._("confirm the periodic review of")
        self._check_owner_or_admin(label)
        self._check_state(("effective",), label)
        today = fields.Date.context_today(self)
        self.write({"last_review_date": today})
        self.activity_feedback(["qicai_docs.mail_activity_type_document_review"])
        for document in self:
            document.message_post(
                body=self.env._(
                    "Periodic review done: version %(version)s stays effective. "
                    "Next review on %(date)s.",
                    version=document.effective_version,
                    date=document.next_review_date or "-",
                )
            )
        return True

    def action_acknowledge(self):
        """Confirm that the current user has read the effective version."""
        pending = self.env["qicai.document.acknowledgement"].search(
            [
                ("document_id", "in", self.ids),
                ("user_id", "=", self.env.uid),
                ("state", "=", "pending"),
            ]
        )
        if not pending:
            raise UserError(
                self.env._(
                    "You have no pending read acknowledgement on document "
                    "%(documents)s.",
                    documents=", ".join(self.mapped("display_name")),
                )
            )
        pending.action_confirm()
        return True

    def action_refresh_acknowledgements(self):
        """Ask the current members of the acknowledging groups who have not yet
        confirmed the effective version."""
        self._check_doc_admin(self.env._("refresh the acknowledgements of"))
        self.effective_version_id._request_acknowledgements()
        return True

    def action_verify_integrity(self):
        """Recompute the SHA-256 of every version file in the filestore."""
        self._check_doc_admin(self.env._("verify the files of"))
        self.version_ids._verify_integrity()
        return True

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------

    def action_open_versions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_docs.qicai_document_version_action"
        )
        action["domain"] = [("document_id", "=", self.id)]
        action["context"] = {"default_document_id": self.id}
        return action

    def action_open_acknowledgements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_docs.qicai_document_acknowledgement_action"
        )
        action["domain"] = [
            ("document_id", "=", self.id),
            ("version_id", "=", self.effective_version_id.id),
        ]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Scheduled jobs
    # ------------------------------------------------------------------

    @api.model
    def _get_review_reminder_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qicai_docs.review_reminder_days", "30")
        )
        try:
            return max(int(value), 0)
        except ValueError:
            _logger.warning(
                "Invalid qicai_docs.review_reminder_days %r, using 30 days", value
            )
            return 30

    @api.model
    def _cron_review_reminders(self):
        """Schedule a review activity for the owner of each document whose
        periodic review falls due within the reminder lead time."""
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._get_review_reminder_days())
        documents = self.search(
            [
                ("state", "=", "effective"),
                ("next_review_date", "!=", False),
                ("next_review_date", "<=", horizon),
            ]
        )

        activity_type = self.env.ref("qicai_docs.mail_activity_type_document_review")
        reminded = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", documents.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        reminded_ids = set(reminded.mapped("res_id"))
        to_remind = documents.filtered(lambda d: d.id not in reminded_ids)
        for document in to_remind:
            document.activity_schedule(
                "qicai_docs.mail_activity_type_document_review",
                date_deadline=document.next_review_date,
                user_id=document.owner_id.id,
                summary=self.env._(
                    "Periodic review of %(document)s",
                    document=document.display_name,
                ),
            )

        overdue = documents.filtered(lambda d: d.next_review_date < today)
        _logger.info(
            "Document review reminders: %d due by %s, %d new reminders, %d overdue",
            len(documents),
            horizon,
            len(to_remind),
            len(overdue),
        )
        return to_remind
