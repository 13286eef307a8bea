from urllib.parse import quote

from markupsafe import Markup

from odoo import api, fields, models

from .maintenance_request import OPEN_STATES


class QicaiStation(models.Model):
    _inherit = "qicai.station"

    request_ids = fields.One2many("maintenance.request", "station_id")
    open_work_order_count = fields.Integer(compute="_compute_open_work_order_count")
    public_report_url = fields.Char(
        string="Public Report Link",
        compute="_compute_public_report_url",
        help="Page where drivers report a fault without an account; the station's "
        "QR code points here.",
    )
    public_report_qr = fields.Html(
        string="QR Code", compute="_compute_public_report_url", sanitize=False
    )

    @api.depends("qr_token")
    def _compute_public_report_url(self):
        base_url = self.get_base_url() if self else ""
        for station in self:
            if not station.qr_token:
                station.public_report_url = False
                station.public_report_qr = False
                continue
            url = f"{base_url}/qicai/report/{station.qr_token}"
            station.public_report_url = url
            station.public_report_qr = Markup(
                '<img src="/report/barcode/?barcode_type=QR&amp;value=%s'
                '&amp;width=180&amp;height=180" alt="QR"/>'
            ) % quote(url, safe="")

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
