import re

from odoo.tests import HttpCase, tagged

from .common import QicaiMaintenanceCase


@tagged("post_install", "-at_install")
class TestPublicReport(HttpCase, QicaiMaintenanceCase):
    """The page behind a station's QR code, used by drivers without an account."""

    def _url(self, station=None):
        return f"/qicai/report/{(station or self.station_a).qr_token}"

    def _post(self, **values):
        page = self.url_open(self._url())
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        data = {
            "csrf_token": token,
            "charger": str(self.charger_dc.id),
            "category": str(self.cat_offline.id),
            "phone": "138 0000 0000",
            "name": "Driver Wang",
            "description": "Screen is black",
        }
        data.update(values)
        return self.url_open(self._url(), data=data)

    def test_page_shows_station_and_chargers(self):
        response = self.url_open(self._url() + f"?charger={self.charger_dc.id}")

        self.assertEqual(response.status_code, 200)
        self.assertIn(self.station_a.name, response.text)
        self.assertIn(self.charger_dc.name, response.text)
        self.assertIn(self.cat_offline.name, response.text)

    def test_unknown_token_not_found(self):
        self.env["res.lang"]._activate_lang("en_US")

        response = self.url_open("/qicai/report/not-a-token?lang=en_US")

        self.assertEqual(response.status_code, 404)
        self.assertIn("no longer valid", response.text)

    def test_page_defaults_to_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")

        response = self.url_open("/qicai/report/not-a-token")

        self.assertIn("该二维码已失效", response.text)

    def test_closed_station_not_found(self):
        self.station_a.operating_state = "closed"

        response = self.url_open(self._url())

        self.assertEqual(response.status_code, 404)

    def test_report_opens_work_order(self):
        response = self._post()

        self.assertEqual(response.status_code, 200)
        report = self.env["qicai.fault.report"].search(
            [("reporter_phone", "=", "138 0000 0000")]
        )
        self.assertEqual(len(report), 1)
        self.assertIn(str(report.id), response.text)
        self.assertRecordValues(
            report.request_id,
            [
                {
                    "source_channel": "qr_code",
                    "station_id": self.station_a.id,
                    "equipment_id": self.charger_dc.id,
                    "fault_category_id": self.cat_offline.id,
                    "work_state": "new",
                    "customer_feedback_required": True,
                }
            ],
        )

    def test_second_scan_links_open_order(self):
        self._post()
        self._post(phone="139 1111 2222")

        reports = self.env["qicai.fault.report"].search(
            [("station_id", "=", self.station_a.id)]
        )
        self.assertEqual(len(reports), 2)
        self.assertEqual(len(reports.request_id), 1)
        self.assertEqual(reports.filtered("is_duplicate").reporter_phone, "139 1111 2222")

    def test_invalid_phone_rejected(self):
        response = self._post(phone="abc")

        self.assertEqual(response.status_code, 200)
        self.assertIn("abc", response.text)
        self.assertIn("alert-danger", response.text)
        self.assertFalse(
            self.env["qicai.fault.report"].search([("station_id", "=", self.station_a.id)])
        )

    def test_charger_of_other_station_rejected(self):
        response = self._post(charger=str(self.charger_b.id))

        self.assertIn("alert-danger", response.text)
        self.assertFalse(self.env["qicai.fault.report"].search([]))

    def test_missing_category_rejected(self):
        response = self._post(category="")

        self.assertIn("alert-danger", response.text)
        self.assertFalse(self.env["qicai.fault.report"].search([]))

    def test_post_without_csrf_rejected(self):
        response = self.url_open(
            self._url(),
            data={"category": str(self.cat_offline.id), "phone": "13800000000"},
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.env["qicai.fault.report"].search([]))

    def test_regenerated_token_disables_old_link(self):
        old_url = self._url()
        self.station_a.with_user(self.service).action_regenerate_qr_token()

        self.assertEqual(self.url_open(old_url).status_code, 404)
        self.assertEqual(self.url_open(self._url()).status_code, 200)

    def test_station_shows_public_link(self):
        station = self.station_a.with_user(self.service)

        self.assertTrue(station.public_report_url.endswith(self._url()))
        self.assertIn("barcode_type=QR", station.public_report_qr)
