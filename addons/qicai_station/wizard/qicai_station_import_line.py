from odoo import fields, models


class QicaiStationImportLine(models.TransientModel):
    _name = "qicai.station.import.line"
    _description = "Rejected Registry Row"
    _order = "row"

    wizard_id = fields.Many2one(
        "qicai.station.import", required=True, ondelete="cascade", index=True
    )
    row = fields.Integer(help="Line number in the file; the header is line 1.")
    ref = fields.Char(string="Registry ID")
    reason = fields.Char(required=True)
