from odoo import fields, models


class QicaiDocumentDepartment(models.Model):
    _name = "qicai.document.department"
    _description = "Document Owning Department"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    manager_id = fields.Many2one("res.users", string="Head of Department")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    active = fields.Boolean(default=True)
