from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    document_count = fields.Integer(
        string="Documents", compute="_compute_document_count"
    )

    def _compute_document_count(self):
        counts = dict(
            self.env["qicai.document"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.document_count = counts.get(equipment, 0)

    def action_open_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_docs.qicai_document_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "default_equipment_id": self.id,
            "default_station_id": self.station_id.id,
        }
        return action
