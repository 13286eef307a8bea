from odoo import api, fields, models
from odoo.exceptions import UserError

ACK_ACTIVITY_TYPE = "qicai_docs.mail_activity_type_document_acknowledge"


class QicaiDocumentAcknowledgement(models.Model):
    _name = "qicai.document.acknowledgement"
    _description = "Document Read Acknowledgement"
    _order = "state desc, document_id, user_id"
    _rec_name = "user_id"

    document_id = fields.Many2one(
        "qicai.document", required=True, index=True, ondelete="cascade"
    )
    version_id = fields.Many2one(
        "qicai.document.version",
        string="Version",
        required=True,
        index=True,
        ondelete="cascade",
    )
    version = fields.Integer(related="version_id.version", string="Version Number")
    user_id = fields.Many2one(
        "res.users", string="Reader", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Confirmed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
        index=True,
    )
    requested_on = fields.Datetime(default=fields.Datetime.now, readonly=True)
    acknowledged_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "version_user_uniq",
            "unique(version_id, user_id)",
            "A reader acknowledges a document version only once.",
        ),
    ]

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(
            "qicai_station.group_qicai_doc_admin"
        ):
            foreign = self.filtered(lambda a: a.user_id != self.env.user)
            if foreign or set(vals) - {"state", "acknowledged_on"}:
                raise UserError(
                    self.env._("You can only confirm your own read acknowledgements.")
                )
        return super().write(vals)

    def action_confirm(self):
        """Confirm that the reader has read the effective version."""
        not_mine = self.filtered(lambda a: a.user_id != self.env.user)
        if not_mine:
            raise UserError(
                self.env._(
                    "Only %(readers)s can confirm that they have read document "
                    "%(documents)s.",
                    readers=", ".join(not_mine.user_id.mapped("name")),
                    documents=", ".join(not_mine.document_id.mapped("display_name")),
                )
            )
        stale = self.filtered(
            lambda a: a.state != "pending" or a.version_id.state != "effective"
        )
        if stale:
            raise UserError(
                self.env._(
                    "The acknowledgement of %(documents)s is no longer pending: the "
                    "version was confirmed already or replaced.",
                    documents=", ".join(stale.document_id.mapped("display_name")),
                )
            )
        self.write({"state": "done", "acknowledged_on": fields.Datetime.now()})
        for acknowledgement in self:
            acknowledgement.document_id.activity_feedback(
                [ACK_ACTIVITY_TYPE], user_id=acknowledgement.user_id.id
            )
            acknowledgement.document_id.message_post(
                body=self.env._(
                    "%(user)s confirmed reading version %(version)s.",
                    user=acknowledgement.user_id.name,
                    version=acknowledgement.version,
                )
            )
        return True

    def _cancel(self):
        """Cancel pending acknowledgements of a version that was retired."""
        self.write({"state": "cancelled"})
        for acknowledgement in self:
            acknowledgement.document_id.activity_unlink(
                [ACK_ACTIVITY_TYPE], user_id=acknowledgement.user_id.id
            )

    def _schedule_activities(self):
        for acknowledgement in self:
            acknowledgement.document_id.activity_schedule(
                ACK_ACTIVITY_TYPE,
                user_id=acknowledgement.user_id.id,
                summary=self.env._(
                    "Read version %(version)s and confirm",
                    version=acknowledgement.version,
                ),
            )
