from odoo.tests import tagged

from .common import QicaiStationCase

STATIONS_CSV = """\
name,code,region_id,team_id,operating_state,street,city,latitude,longitude,contact_phone,opening_hours
Keyuan Station,KY-001,Test City / North District,Own Team,Operating,Keyuan Road 1,Shenzhen,22.54,113.95,0755-1234,00:00-24:00
Airport Station,AP-001,Test City / South District,,Suspended,Airport Road 2,Shenzhen,22.63,113.81,,
"""

CHARGERS_CSV = """\
name,equipment_kind,station_id,charger_model_id,serial_no,ocpp_identity,firmware_version,commissioning_date,warranty_date,operational_status,connector_ids/number,connector_ids/standard,connector_ids/current_type,connector_ids/max_power_kw
KY-001-01,Charger,KY-001,TC-120,SN-1001,CP-KY-001-01,V1.2.3,2024-05-01,2027-05-01,Available,1,GB/T 20234.3 DC,DC,60
,,,,,,,,,,2,GB/T 20234.3 DC,DC,60
KY-001-02,Charger,Keyuan Station,TC-7,SN-1002,CP-KY-001-02,V2.0,2024-05-01,2027-05-01,Faulted,1,GB/T 20234.2 AC,AC,7
"""


@tagged("post_install", "-at_install")
class TestStandardImport(QicaiStationCase):
    """Check the column names documented in readme/USAGE.md."""

    def _base_import(self, model, content):
        importer = self.env["base_import.import"].with_user(self.user_manager).create(
            {"res_model": model, "file": content.encode(), "file_type": "text/csv",
             "file_name": f"{model}.csv"}
        )
        header = content.splitlines()[0].split(",")
        options = {"has_headers": True, "quoting": '"', "separator": ",",
                   "encoding": "utf-8"}
        return importer.execute_import(header, header, options)

    def test_import_stations_and_chargers(self):
        result = self._base_import("qicai.station", STATIONS_CSV)
        self.assertFalse(result["messages"], result["messages"])
        stations = self.env["qicai.station"].browse(result["ids"])
        self.assertRecordValues(
            stations,
            [
                {"code": "KY-001", "region_id": self.region_north.id,
                 "team_id": self.team_own.id, "operating_state": "operating",
                 "latitude": 22.54, "contact_phone": "0755-1234"},
                {"code": "AP-001", "region_id": self.region_south.id,
                 "team_id": False, "operating_state": "suspended",
                 "latitude": 22.63, "contact_phone": False},
            ],
        )

        result = self._base_import("maintenance.equipment", CHARGERS_CSV)
        self.assertFalse(result["messages"], result["messages"])
        chargers = self.env["maintenance.equipment"].browse(result["ids"])
        self.assertRecordValues(
            chargers,
            [
                {"name": "KY-001-01", "station_id": stations[0].id,
                 "charger_model_id": self.model_dc.id, "serial_no": "SN-1001",
                 "ocpp_identity": "CP-KY-001-01", "operational_status": "available",
                 "connector_count": 2},
                {"name": "KY-001-02", "station_id": stations[0].id,
                 "charger_model_id": self.model_ac.id, "serial_no": "SN-1002",
                 "ocpp_identity": "CP-KY-001-02", "operational_status": "faulted",
                 "connector_count": 1},
            ],
        )
        self.assertEqual(stations[0].faulted_count, 1)

    def test_load_reports_bad_rows(self):
        result = self.env["qicai.station"].load(
            ["name", "code", "latitude", "longitude"],
            [["Bad", "BAD-1", "95", "113.9"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("out of range", result["messages"][0]["message"])
        self.assertFalse(self.env["qicai.station"].search([("code", "=", "BAD-1")]))
