import base64
import datetime
import io

import xlsxwriter

from odoo import api, fields, models


class QicaiEquipmentLedgerWizard(models.TransientModel):
    _name = "qicai.equipment.ledger.wizard"
    _description = "Equipment Ledger Export"

    station_ids = fields.Many2many(
        "qicai.station",
        string="Stations",
        help="Leave empty to print the ledger of the whole network.",
    )
    export_file = fields.Binary(readonly=True, attachment=False)
    export_file_name = fields.Char(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        # Opened from selected stations: the ledger covers those stations.
        if (
            "station_ids" in fields_list
            and context.get("active_model") == "qicai.station"
            and context.get("active_ids")
        ):
            values["station_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    def _get_stations(self):
        self.ensure_one()
        return self.station_ids or self.env["qicai.station"].search([])

    def action_print_pdf(self):
        """Print the equipment ledger of the chosen stations, or all of them."""
        return self.env.ref("qicai_docs.action_report_equipment_ledger").report_action(
            self._get_stations()
        )

    def _get_xlsx_columns(self):
        return [
            self.env._("Station Code"),
            self.env._("Station"),
            self.env._("Equipment"),
            self.env._("Kind"),
            self.env._("Model"),
            self.env._("Manufacturer"),
            self.env._("Serial Number"),
            self.env._("Commissioning Date"),
            self.env._("Warranty Until"),
            self.env._("Status"),
            self.env._("Document Number"),
            self.env._("Document Title"),
            self.env._("Document Type"),
            self.env._("Version"),
            self.env._("Effective Since"),
            self.env._("SHA-256"),
        ]

    def _get_xlsx_rows(self, ledger):
        Equipment = self.env["maintenance.equipment"]
        kinds = dict(
            Equipment._fields["equipment_kind"]._description_selection(self.env)
        )
        statuses = dict(
            Equipment._fields["operational_status"]._description_selection(self.env)
        )

        def document_cells(document):
            if not document:
                return ["", "", "", "", "", ""]
            version = document.effective_version_id
            return [
                document.name,
                document.title,
                document.type_id.name,
                version.version,
                version.effective_date or "",
                version.checksum or "",
            ]

        rows = []
        for entry in ledger:
            station = entry["station"]
            station_cells = [station.code, station.name]
            for document in entry["station_documents"]:
                rows.append(station_cells + [""] * 8 + document_cells(document))
            for item in entry["equipment"]:
                equipment = item["equipment"]
                equipment_cells = [
                    equipment.name,
                    kinds.get(equipment.equipment_kind, ""),
                    equipment.charger_model_id.name or equipment.model or "",
                    equipment.manufacturer_id.name or "",
                    equipment.serial_no or "",
                    equipment.commissioning_date or "",
                    equipment.warranty_date or "",
                    statuses.get(equipment.operational_status, ""),
                ]
                for document in item["documents"] or [None]:
                    rows.append(
                        station_cells + equipment_cells + document_cells(document)
                    )
            if not entry["equipment"] and not entry["station_documents"]:
                rows.append(station_cells + [""] * 14)
        return rows

    def _build_xlsx(self, stations):
        """Return the equipment ledger of ``stations`` as XLSX bytes."""
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Equipment Ledger")[:31])
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        columns = self._get_xlsx_columns()
        sheet.write_row(0, 0, columns, header)
        for row_index, row in enumerate(
            self._get_xlsx_rows(stations._get_equipment_ledger_data()), start=1
        ):
            for column_index, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(
                        row_index,
                        column_index,
                        fields.Datetime.to_datetime(value),
                        date_format,
                    )
                else:
                    sheet.write(row_index, column_index, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, 0, len(columns) - 1)
        sheet.set_column(0, len(columns) - 1, 16)
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        """Export the equipment ledger as a spreadsheet and download it."""
        self.ensure_one()
        stations = self._get_stations()
        date = fields.Date.context_today(self)
        self.write(
            {
                "export_file": base64.b64encode(self._build_xlsx(stations)),
                "export_file_name": self.env._(
                    "equipment_ledger_%(date)s.xlsx", date=date
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": (
                f"/web/content/?model={self._name}&id={self.id}"
                "&field=export_file&filename_field=export_file_name&download=true"
            ),
            "target": "self",
        }
