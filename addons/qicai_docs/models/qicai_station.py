from odoo import api, fields, models


class QicaiStation(models.Model):
    _inherit = "qicai.station"

    document_count = fields.Integer(
        string="Documents", compute="_compute_document_count"
    )

    def _get_document_domain(self):
        return [
            "|",
            ("station_id", "in", self.ids),
            ("equipment_id.station_id", "in", self.ids),
        ]

    def _compute_document_count(self):
        Document = self.env["qicai.document"]
        direct = dict(
            Document._read_group(
                [("station_id", "in", self.ids)], ["station_id"], ["__count"]
            )
        )
        via_equipment = Document._read_group(
            [
                ("station_id", "=", False),
                ("equipment_id.station_id", "in", self.ids),
            ],
            ["equipment_id"],
            ["__count"],
        )
        counts = {station.id: count for station, count in direct.items()}
        for equipment, count in via_equipment:
            station_id = equipment.station_id.id
            counts[station_id] = counts.get(station_id, 0) + count
        for station in self:
            station.document_count = counts.get(station.id, 0)

    def action_open_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_docs.qicai_document_action"
        )
        action["domain"] = self._get_document_domain()
        action["context"] = {"default_station_id": self.id}
        return action

    @api.model
    def _get_ledger_document_domain(self, stations, equipment):
        return [
            ("state", "=", "effective"),
            ("type_id.ledger_key", "=", True),
            "|",
            ("station_id", "in", stations.ids),
            ("equipment_id", "in", equipment.ids),
        ]

    def _get_equipment_ledger_data(self):
        """Gather the equipment ledger of the stations in a fixed number of
        queries, whatever the number of stations.

        Returns one dict per station: ``station``, ``equipment`` (a list of
        dicts with ``equipment`` and its key ``documents``) and
        ``station_documents`` (key documents linked to the station only).
        """
        equipment = self.env["maintenance.equipment"].search(
            [("station_id", "in", self.ids)],
            order="station_id, equipment_kind, name",
        )
        documents = self.env["qicai.document"].search(
            self._get_ledger_document_domain(self, equipment),
            order="type_id, name",
        )
        # Prefetch what the report prints in one query per model.
        equipment.fetch(
            [
                "name",
                "equipment_kind",
                "serial_no",
                "model",
                "station_id",
                "charger_model_id",
                "manufacturer_id",
                "commissioning_date",
                "warranty_date",
                "operational_status",
                "firmware_version",
            ]
        )
        documents.fetch(
            [
                "name",
                "title",
                "type_id",
                "station_id",
                "equipment_id",
                "effective_version_id",
            ]
        )
        documents.effective_version_id.fetch(["version", "effective_date", "checksum"])
        documents.type_id.fetch(["name"])
        equipment.charger_model_id.fetch(["name"])
        equipment.manufacturer_id.fetch(["name"])

        by_equipment = {}
        by_station = {}
        for document in documents:
            if document.equipment_id:
                by_equipment.setdefault(document.equipment_id.id, []).append(document)
            else:
                by_station.setdefault(document.station_id.id, []).append(document)
        equipment_by_station = {}
        for item in equipment:
            equipment_by_station.setdefault(item.station_id.id, []).append(
                {"equipment": item, "documents": by_equipment.get(item.id, [])}
            )
        return [
            {
                "station": station,
                "equipment": equipment_by_station.get(station.id, []),
                "station_documents": by_station.get(station.id, []),
            }
            for station in self
        ]
