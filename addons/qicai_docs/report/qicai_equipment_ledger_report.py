from odoo import api, fields, models


class ReportEquipmentLedger(models.AbstractModel):
    _name = "report.qicai_docs.report_equipment_ledger"
    _description = "Equipment Ledger Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        stations = self.env["qicai.station"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "qicai.station",
            "docs": stations,
            "ledger": stations._get_equipment_ledger_data(),
            "kind_labels": dict(
                self.env["maintenance.equipment"]
                ._fields["equipment_kind"]
                ._description_selection(self.env)
            ),
            "status_labels": dict(
                self.env["maintenance.equipment"]
                ._fields["operational_status"]
                ._description_selection(self.env)
            ),
            "printed_on": fields.Datetime.context_timestamp(
                self, fields.Datetime.now()
            ),
        }
