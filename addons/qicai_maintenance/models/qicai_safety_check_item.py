from odoo import fields, models

SAFETY_SCOPES = [
    ("all", "All Work"),
    ("dc_charger", "DC Chargers"),
    ("hv_work", "High-voltage Work"),
    ("outdoor", "Outdoor Work"),
]


class QicaiSafetyCheckItem(models.Model):
    _name = "qicai.safety.check.item"
    _description = "Safety Checklist Item"
    _order = "sequence, code"

    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    detail = fields.Text(translate=True)
    applies_to = fields.Selection(SAFETY_SCOPES, required=True, default="all")
    blocking = fields.Boolean(
        default=True, help="Work cannot start until this item is confirmed."
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A safety checklist item code must be unique."),
    ]
