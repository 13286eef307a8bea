import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.qicai_station import SOURCES


class QicaiStationImport(models.TransientModel):
    _name = "qicai.station.import"
    _description = "Import Station Registry"

    source = fields.Selection(
        [source for source in SOURCES if source[0] != "manual"],
        string="Registry",
        required=True,
        default="shenzhen",
    )
    file = fields.Binary(string="Registry File", attachment=False)
    file_name = fields.Char()
    zones_file = fields.Binary(
        string="Traffic-zone File",
        attachment=False,
        help="Shenzhen only: zone CSV used to name the stations. Leave empty to "
        "use the copy shipped with the module.",
    )
    zones_file_name = fields.Char()
    region_id = fields.Many2one(
        "qicai.region",
        string="Region",
        help="Shenzhen stations are put in this region; UK counties become its "
        "sub-regions.",
    )
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

    rows_read = fields.Integer(readonly=True)
    rejected_count = fields.Integer(string="Rows Rejected", readonly=True)
    stations_created = fields.Integer(readonly=True)
    stations_updated = fields.Integer(readonly=True)
    chargers_created = fields.Integer(readonly=True)
    chargers_updated = fields.Integer(readonly=True)
    chargers_not_in_file = fields.Integer(
        string="Chargers No Longer in File", readonly=True
    )
    connectors_created = fields.Integer(readonly=True)
    connectors_updated = fields.Integer(readonly=True)
    duration = fields.Float(string="Seconds", readonly=True, digits=(16, 2))
    query_count = fields.Integer(string="SQL Queries", readonly=True)
    notes = fields.Text(readonly=True)
    line_ids = fields.One2many(
        "qicai.station.import.line", "wizard_id", string="Rejected Rows", readonly=True
    )
    report_file = fields.Binary(string="Rejected Rows (CSV)", attachment=False, readonly=True)
    report_file_name = fields.Char()

    def action_import(self):
        """Load the uploaded registry file and show the import report."""
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Upload the registry file before importing."))

        result = self.env["qicai.registry.loader"].load_registry(
            self.source,
            base64.b64decode(self.file),
            parent_region=self.region_id,
            zones_content=base64.b64decode(self.zones_file) if self.zones_file else None,
        )

        self.write(self._prepare_report_vals(result))
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Registry Import Report"),
        }

    def _prepare_report_vals(self, result):
        rejected = result["rejected"]
        vals = {
            "state": "done",
            "rows_read": result["rows"],
            "rejected_count": len(rejected),
            "duration": result["seconds"],
            "query_count": result["queries"],
            "notes": "\n".join(result["notes"]),
            "line_ids": [(5, 0, 0)] + [(0, 0, line) for line in rejected],
            "report_file": False,
            "report_file_name": False,
        }
        for key in (
            "stations_created",
            "stations_updated",
            "chargers_created",
            "chargers_updated",
            "chargers_not_in_file",
            "connectors_created",
            "connectors_updated",
        ):
            vals[key] = result[key]
        if rejected:
            vals["report_file"] = base64.b64encode(self._rejected_rows_csv(rejected))
            vals["report_file_name"] = f"{self.source}_rejected_rows.csv"
        return vals

    def _rejected_rows_csv(self, rejected):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["row", "ref", "reason"])
        for line in rejected:
            writer.writerow([line["row"], line["ref"], line["reason"]])
        return buffer.getvalue().encode("utf-8-sig")
