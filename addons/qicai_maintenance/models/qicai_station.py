from odoo import fields, models

from .maintenance_request import OPEN_STATES


class QicaiStation(models.Model):
    _inherit = "qicai.station"

    request_ids = fields.One2many("maintenance.request", "station_id")
    open_work_order_count = fields.Integer(compute="_compute_open_work_order_count")

    def _compute_open_work_order_count(self):
        counts = dict(
            self.env["maintenance.request"]._read_group(
                [("station_id", "in", self.ids), ("work_state", "in", OPEN_STATES)],
                ["station_id"],
                ["__count"],
            )
        )
        for station in self:
            station.open_work_order_count = counts.get(station, 0)

    def action_view_open_work_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "qicai_maintenance.maintenance_request_action_work_order"
        )
        action["domain"] = [("station_id", "=", self.id)]
        action["context"] = {
            "search_default_filter_open": 1,
            "default_station_id": self.id,
        }
        return action
