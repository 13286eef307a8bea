from odoo import fields, models

from .maintenance_request import OPEN_STATES


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    open_work_order_count = fields.Integer(compute="_compute_open_work_order_count")

    def _compute_open_work_order_count(self):
        counts = dict(
            self.env["maintenance.request"]._read_group(
                [("equipment_id", "in", self.ids), ("work_state", "in", OPEN_STATES)],
                ["equipment_id"],
                ["__count"],
            )
        )
        for equipment in self:
            equipment.open_work_order_count = counts.get(equipment, 0)

    def _refresh_operational_status(self):
        """Set chargers faulted while an urgent fault is open, available after."""
        # Every open order counts, also those the current user may not read,
        # e.g. another team's order on the same charger; only ids are read.
        groups = (
            self.env["maintenance.request"]
            .sudo()
            ._read_group(
                [
                    ("equipment_id", "in", self.ids),
                    ("work_state", "in", OPEN_STATES),
                    ("urgency", "=", "urgent"),
                ],
                ["equipment_id"],
            )
        )
        urgent_open = {equipment.id for [equipment] in groups}
        to_fault = self.filtered(
            lambda e: e.id in urgent_open and e.operational_status != "faulted"
        )
        to_clear = self.filtered(
            lambda e: e.id not in urgent_open and e.operational_status == "faulted"
        )
        # The status follows the work orders. The user who moves an order on,
        # an engineer or a supplier, updates the charger even without write
        # access to the equipment.
        if to_fault:
            to_fault.sudo().operational_status = "faulted"
        if to_clear:
            to_clear.sudo().operational_status = "available"

    def action_view_open_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_maintenance.maintenance_request_action_work_order"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "search_default_filter_open": 1,
            "default_equipment_id": self.id,
            "default_station_id": self.station_id.id,
        }
        return action
