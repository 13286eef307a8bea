from odoo import api, fields, models


class QicaiDocumentType(models.Model):
    _name = "qicai.document.type"
    _description = "Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short code used as the prefix of the document numbers of this type.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Numbering Sequence",
        copy=False,
        ondelete="restrict",
        help="Sequence that numbers the documents of this type. A sequence with "
        "the prefix CODE-YEAR- is created when the type is saved without one.",
    )
    review_interval_months = fields.Integer(
        string="Review Interval (months)",
        default=12,
        help="Months between two periodic reviews of an effective document of "
        "this type. 0 means no periodic review.",
    )
    requires_acknowledgement = fields.Boolean(
        help="Readers of the groups below must confirm that they have read each "
        "effective version.",
    )
    ack_group_ids = fields.Many2many(
        "res.groups",
        "qicai_document_type_ack_group_rel",
        "type_id",
        "group_id",
        string="Acknowledging Groups",
    )
    ledger_key = fields.Boolean(
        string="Key Document in Equipment Ledger",
        default=True,
        help="Effective documents of this type are listed in the equipment ledger "
        "of their station or equipment.",
    )
    document_count = fields.Integer(compute="_compute_document_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A document type code must be unique."),
        (
            "review_interval_positive",
            "CHECK(review_interval_months >= 0)",
            "The review interval of a document type cannot be negative.",
        ),
    ]

    def _compute_document_count(self):
        counts = dict(
            self.env["qicai.document"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for doc_type in self:
            doc_type.document_count = counts.get(doc_type, 0)

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        types.filtered(lambda t: not t.sequence_id)._create_sequences()
        return types

    def _prepare_sequence_vals(self):
        self.ensure_one()
        return {
            "name": self.env._("Documents: %(type)s", type=self.name),
            "implementation": "no_gap",
            "prefix": f"{self.code}-%(year)s-",
            "padding": 4,
            "company_id": False,
        }

    def _create_sequences(self):
        # The type administrator may not be allowed to create sequences; the
        # sequence belongs to the type and is only reachable through it.
        Sequence = self.env["ir.sequence"].sudo()
        for doc_type in self:
            doc_type.sequence_id = Sequence.create(doc_type._prepare_sequence_vals())

    def _next_document_number(self):
        """Return the next document number of this type."""
        self.ensure_one()
        if not self.sequence_id:
            self._create_sequences()
        # Authors read the sequence only to draw a number from it.
        return self.sequence_id.sudo().next_by_id()

    def action_open_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_docs.qicai_document_action"
        )
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action
