import base64
import csv
import io
import os
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import QicaiStationCase

SHENZHEN_HEADER = "station_id,latitude,longitude,fast,slow,count"
ZONES = (
    "num,grid,count,fast_count,slow_count,area,lon,la,CBD,dynamic_pricing\n"
    "1,102,30,3,27,0.71,113.83,22.72,0,0\n"
    "2,305,20,0,20,1.00,114.05,22.68,1,1\n"
).encode()

UK_BASE_COLUMNS = [
    "chargeDeviceID", "reference", "name", "latitude", "longitude", "buildingName",
    "buildingNumber", "thoroughfare", "street", "dependantLocality", "town", "county",
    "postcode", "countryCode", "locationType", "deviceManufacturer", "deviceModel",
    "deviceOwnerName", "deviceControllerName", "chargeDeviceStatus", "access24Hours",
]
UK_CONNECTOR_FIELDS = ["ID", "Type", "RatedOutputKW", "ChargeMethod", "Status"]
UK_COLUMNS = UK_BASE_COLUMNS + [
    f"connector{slot}{name}" for slot in range(1, 9) for name in UK_CONNECTOR_FIELDS
]


def shenzhen_csv(*lines):
    return "\n".join((SHENZHEN_HEADER,) + lines).encode() + b"\n"


def uk_device(device_id, status="In service", connectors=(), **values):
    row = {
        "chargeDeviceID": device_id,
        "reference": f"REF-{device_id}",
        "name": f"Device {device_id}",
        "latitude": "51.5",
        "longitude": "-0.12",
        "thoroughfare": "High Street",
        "buildingNumber": "12",
        "town": "London",
        "county": "Greater London",
        "postcode": "SE1 1AA",
        "countryCode": "gb",
        "locationType": "On-street",
        "deviceOwnerName": "Owner Ltd",
        "deviceControllerName": "Controller Ltd",
        "chargeDeviceStatus": status,
        "access24Hours": "1",
    }
    row.update(values)
    for slot, connector in enumerate(connectors, start=1):
        for name, value in zip(UK_CONNECTOR_FIELDS, connector):
            row[f"connector{slot}{name}"] = value
    return row


def uk_csv(*rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=UK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


TYPE2 = ("c1", "Type 2 Mennekes (IEC62196)", "7.0", "Single Phase AC", "In service")
CHADEMO = ("c2", "JEVS G105 (CHAdeMO) DC", "50", "DC", "Out of service")
PLUG_G = ("c3", "3-pin Type G (BS1363)", "3.7", "Single Phase AC", "In service")
SCAME = ("c4", "Type 3 Scame (IEC62196)", "7.0", "Single Phase AC", "")


@tagged("post_install", "-at_install")
class TestRegistryLoader(QicaiStationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = cls.env["qicai.registry.loader"]
        cls.uk_root = cls.env["qicai.region"].create({"name": "United Kingdom"})

    def _load(self, source, content, **kwargs):
        return self.loader.load_registry(source, content, **kwargs)

    def _stations(self, source):
        return self.env["qicai.station"].search([("source", "=", source)])

    def _reasons(self, result):
        return {line["row"]: line["reason"] for line in result["rejected"]}

    # Shenzhen ---------------------------------------------------------

    def test_shenzhen_good_rows(self):
        result = self._load(
            "shenzhen",
            shenzhen_csv("1,22.716272,113.826349,2,1,3", "2,22.678851,114.049721,0,0,0"),
            parent_region=self.region_north,
            zones_content=ZONES,
        )
        self.assertEqual(result["rows"], 2)
        self.assertFalse(result["rejected"])
        self.assertEqual(result["stations_created"], 2)
        self.assertEqual(result["chargers_created"], 3)
        self.assertEqual(result["connectors_created"], 3)
        self.assertEqual(len(result["notes"]), 2)

        station = self._stations("shenzhen").filtered(lambda s: s.source_ref == "1")
        self.assertRecordValues(
            station,
            [{"code": "SZ-1", "name": "深圳102号交通小区1号充电站",
              "region_id": self.region_north.id, "country_id": self.env.ref("base.cn").id,
              "latitude": 22.716272, "longitude": 113.826349,
              "operating_state": "operating", "charger_count": 3, "connector_count": 3}],
        )
        generic_dc = self.env.ref("qicai_station.charger_model_generic_cn_dc")
        generic_ac = self.env.ref("qicai_station.charger_model_generic_cn_ac")
        chargers = station.charger_ids.sorted("name")
        self.assertEqual(chargers.mapped("name"), ["SZ-1-AC01", "SZ-1-DC01", "SZ-1-DC02"])
        self.assertEqual(
            chargers.mapped("charger_model_id"), generic_ac | generic_dc
        )
        self.assertEqual(
            chargers.connector_ids.mapped("standard"), ["gbt_ac", "gbt_dc", "gbt_dc"]
        )
        self.assertEqual(
            chargers.connector_ids.mapped("max_power_kw"),
            [generic_ac.rated_power_kw, generic_dc.rated_power_kw, generic_dc.rated_power_kw],
        )
        other = self._stations("shenzhen") - station
        self.assertEqual(other.name, "深圳305号交通小区2号充电站")
        self.assertFalse(other.charger_ids)

    def test_shenzhen_rejections(self):
        result = self._load(
            "shenzhen",
            shenzhen_csv(
                "1,22.716272,113.826349,1,1,2",
                "1,22.5,114.0,1,1,2",
                "abc,22.5,114.0,1,1,2",
                ",22.5,114.0,1,1,2",
                "3,,114.0,1,1,2",
                "4,x,114.0,1,1,2",
                "5,95,114.0,1,1,2",
                "6,22.5,114.0,two,1,3",
                "7,22.5,114.0,1,-1,0",
                "8,22.5,114.0,1,1,5",
                "9,22.5,114.0,1",
                "10,0,0,1,1,2",
            ),
            zones_content=ZONES,
        )
        self.assertEqual(result["rows"], 12)
        self.assertEqual(result["stations_created"], 1)
        reasons = self._reasons(result)
        self.assertEqual(sorted(reasons), list(range(3, 14)))
        expected = {
            3: "Duplicate id 1: row 2",
            4: "not a whole number",
            5: "not a whole number",
            6: "missing",
            7: "not numbers",
            8: "out of range",
            9: "Column fast",
            10: "Column slow",
            11: "differs from fast 1 plus slow 1",
            12: "shifted",
            13: "placeholder",
        }
        for row, fragment in expected.items():
            with self.subTest(row=row):
                self.assertIn(fragment, reasons[row])
        self.assertEqual(result["rejected"][0]["ref"], "1")

    def test_shenzhen_rerun_updates(self):
        self._load("shenzhen", shenzhen_csv("1,22.7,113.8,1,1,2"), zones_content=ZONES)
        station = self._stations("shenzhen")
        station.name = "Renamed by hand"
        chargers = station.charger_ids

        result = self._load(
            "shenzhen", shenzhen_csv("1,22.71,113.81,2,1,3"), zones_content=ZONES
        )
        self.assertEqual(result["stations_created"], 0)
        self.assertEqual(result["stations_updated"], 1)
        self.assertEqual(result["chargers_created"], 1)
        self.assertEqual(result["connectors_created"], 1)
        self.assertEqual(self._stations("shenzhen"), station)
        self.assertEqual(station.name, "Renamed by hand")
        self.assertAlmostEqual(station.latitude, 22.71)
        self.assertEqual(station.charger_count, 3)
        self.assertLess(chargers, station.charger_ids)

        result = self._load(
            "shenzhen", shenzhen_csv("1,22.71,113.81,1,1,2"), zones_content=ZONES
        )
        self.assertEqual(result["stations_updated"], 0)
        self.assertEqual(result["chargers_created"], 0)
        self.assertEqual(result["chargers_not_in_file"], 1)
        self.assertEqual(station.charger_count, 3)

    def test_shipped_zone_file_used_by_default(self):
        result = self._load("shenzhen", shenzhen_csv("1,22.54041,114.103,0,1,1"))
        self.assertFalse(result["rejected"])
        self.assertEqual(self._stations("shenzhen").name, "深圳102号交通小区1号充电站")

    def test_code_taken_by_other_station_rejected(self):
        self._create_station("Hand-made", "SZ-1")
        result = self._load("shenzhen", shenzhen_csv("1,22.7,113.8,1,0,1"), zones_content=ZONES)
        self.assertEqual(result["stations_created"], 0)
        self.assertIn("SZ-1", self._reasons(result)[2])
        self.assertFalse(self._stations("shenzhen"))

    def test_bad_files_raise(self):
        with self.assertRaisesRegex(UserError, "empty"):
            self._load("shenzhen", b"")
        with self.assertRaisesRegex(UserError, "UTF-8"):
            self._load("shenzhen", b"station_id,latitude\n\xff\xfe,1\n")
        with self.assertRaisesRegex(UserError, "fast, slow"):
            self._load("shenzhen", b"station_id,latitude,longitude,count\n1,2,3,4\n")
        with self.assertRaisesRegex(UserError, "chargeDeviceStatus"):
            self._load("uk_ncr", shenzhen_csv("1,22.7,113.8,1,1,2"))
        with self.assertRaisesRegex(UserError, "Unknown registry"):
            self._load("manual", shenzhen_csv("1,22.7,113.8,1,1,2"))
        self.assertFalse(self._stations("shenzhen"))

    # UK National Chargepoint Registry -----------------------------------

    def test_uk_good_rows(self):
        result = self._load(
            "uk_ncr",
            uk_csv(
                uk_device("d1", connectors=(TYPE2, CHADEMO), deviceManufacturer="ABB",
                          deviceModel="Terra 53", buildingName="Car Park A"),
                uk_device("d2", status="Out of service", connectors=(PLUG_G,),
                          county="Tyne and Wear", deviceControllerName="",
                          access24Hours="0"),
                uk_device("d3", status="Planned", connectors=(SCAME,)),
            ),
            parent_region=self.uk_root,
        )
        self.assertFalse(result["rejected"])
        self.assertEqual(result["stations_created"], 3)
        self.assertEqual(result["chargers_created"], 3)
        self.assertEqual(result["connectors_created"], 4)
        self.assertIn("Type 3 Scame (IEC62196) (1)", result["notes"][-1])

        stations = self._stations("uk_ncr").sorted("source_ref")
        london = self.env["qicai.region"].search(
            [("name", "=", "Greater London"), ("parent_id", "=", self.uk_root.id)]
        )
        self.assertRecordValues(
            stations,
            [
                {"source_ref": "d1", "code": "REF-d1", "name": "Device d1",
                 "street": "Car Park A, 12 High Street", "city": "London",
                 "zip": "SE1 1AA", "country_id": self.env.ref("base.uk").id,
                 "region_id": london.id, "operating_state": "operating",
                 "location_type": "On-street", "opening_hours": "00:00-24:00"},
                {"source_ref": "d2", "code": "REF-d2", "name": "Device d2",
                 "street": "12 High Street", "city": "London", "zip": "SE1 1AA",
                 "country_id": self.env.ref("base.uk").id,
                 "region_id": london.search(
                     [("name", "=", "Tyne and Wear")]).id,
                 "operating_state": "suspended", "location_type": "On-street",
                 "opening_hours": False},
                {"source_ref": "d3", "code": "REF-d3", "name": "Device d3",
                 "street": "12 High Street", "city": "London", "zip": "SE1 1AA",
                 "country_id": self.env.ref("base.uk").id, "region_id": london.id,
                 "operating_state": "planned", "location_type": "On-street",
                 "opening_hours": "00:00-24:00"},
            ],
        )
        self.assertEqual(stations[0].operator_id.name, "Controller Ltd")
        self.assertEqual(stations[1].operator_id.name, "Owner Ltd")

        charger = stations[0].charger_ids
        self.assertEqual(charger.charger_model_id.name, "Terra 53")
        self.assertEqual(charger.charger_model_id.manufacturer_id.name, "ABB")
        self.assertEqual(charger.charger_model_id.current_type, "dc")
        self.assertEqual(charger.charger_model_id.rated_power_kw, 50.0)
        self.assertRecordValues(
            charger.connector_ids,
            [
                {"number": 1, "standard": "type2", "current_type": "ac",
                 "max_power_kw": 7.0, "status": "available", "source_ref": "c1"},
                {"number": 2, "standard": "chademo", "current_type": "dc",
                 "max_power_kw": 50.0, "status": "out_of_service", "source_ref": "c2"},
            ],
        )
        self.assertEqual(stations[1].charger_ids.operational_status, "out_of_service")
        self.assertEqual(
            stations[1].charger_ids.charger_model_id,
            self.env.ref("qicai_station.charger_model_generic_uk_ac"),
        )
        self.assertEqual(stations[1].connector_ids.standard, "domestic")
        self.assertRecordValues(
            stations[2].connector_ids,
            [{"standard": "other", "current_type": "ac", "status": "out_of_service"}],
        )

    def test_uk_rejections(self):
        result = self._load(
            "uk_ncr",
            uk_csv(
                uk_device("d1", connectors=(TYPE2,)),
                uk_device("d1", connectors=(TYPE2,)),
                uk_device("", connectors=(TYPE2,)),
                uk_device("d4", status="Broken", connectors=(TYPE2,)),
                uk_device("d5", connectors=(("c", "Type 2", "fast", "AC", "In service"),)),
                uk_device("d6", connectors=(("c", "Type 2", "7", "AC", "Maybe"),)),
                uk_device("d7", latitude="", connectors=(TYPE2,)),
                uk_device("d8", longitude="-200", connectors=(TYPE2,)),
            ),
        )
        self.assertEqual(result["stations_created"], 1)
        reasons = self._reasons(result)
        expected = {
            3: "Duplicate id d1: row 2",
            4: "chargeDeviceID is missing",
            5: "Unknown device status 'Broken'",
            6: "Connector 1 has the rated output 'fast'",
            7: "Connector 1 has the unknown status 'Maybe'",
            8: "missing",
            9: "out of range",
        }
        self.assertEqual(sorted(reasons), sorted(expected))
        for row, fragment in expected.items():
            with self.subTest(row=row):
                self.assertIn(fragment, reasons[row])

    def test_uk_rerun_updates_without_duplicates(self):
        self._load("uk_ncr", uk_csv(uk_device("d1", status="Out of service",
                                              connectors=(PLUG_G,))))
        station = self._stations("uk_ncr")
        charger = station.charger_ids
        connector = station.connector_ids
        self.assertEqual(charger.operational_status, "out_of_service")

        back_in_service = ("c3", "3-pin Type G (BS1363)", "3.7", "Single Phase AC",
                           "Out of service")
        result = self._load(
            "uk_ncr",
            uk_csv(uk_device("d1", name="Renamed", connectors=(back_in_service, TYPE2))),
        )
        self.assertEqual(result["stations_created"], 0)
        self.assertEqual(result["stations_updated"], 1)
        self.assertEqual(result["chargers_updated"], 1)
        self.assertEqual(result["connectors_updated"], 1)
        self.assertEqual(result["connectors_created"], 1)
        self.assertEqual(self._stations("uk_ncr"), station)
        self.assertEqual(station.charger_ids, charger)
        self.assertRecordValues(
            station, [{"name": "Renamed", "operating_state": "operating"}]
        )
        self.assertEqual(charger.operational_status, "available")
        self.assertEqual(connector.status, "out_of_service")
        self.assertEqual(station.connector_count, 2)

        result = self._load(
            "uk_ncr",
            uk_csv(uk_device("d1", name="Renamed", connectors=(back_in_service, TYPE2))),
        )
        for key in ("stations_created", "stations_updated", "chargers_created",
                    "chargers_updated", "connectors_created", "connectors_updated"):
            self.assertEqual(result[key], 0, key)

    # Wizard -------------------------------------------------------------

    def _open_wizard(self, user):
        action = self.env.ref("qicai_station.qicai_station_import_action").sudo().read()[0]
        return Form(self.env[action["res_model"]].with_user(user))

    def test_wizard_reports_and_downloads_rejections(self):
        form = self._open_wizard(self.user_manager)
        form.source = "shenzhen"
        form.file = base64.b64encode(
            shenzhen_csv("1,22.7,113.8,1,1,2", "2,abc,113.8,1,1,2")
        )
        form.zones_file = base64.b64encode(ZONES)
        form.region_id = self.region_south
        wizard = form.save()
        action = wizard.action_import()
        self.assertEqual((action["res_model"], action["res_id"]), (wizard._name, wizard.id))
        self.assertRecordValues(
            wizard,
            [{"state": "done", "rows_read": 2, "rejected_count": 1,
              "stations_created": 1, "chargers_created": 2, "connectors_created": 2}],
        )
        self.assertEqual(wizard.line_ids.row, 3)
        self.assertEqual(wizard.line_ids.ref, "2")
        report = base64.b64decode(wizard.report_file).decode("utf-8-sig").splitlines()
        self.assertEqual(report[0], "row,ref,reason")
        self.assertTrue(report[1].startswith("3,2,"))
        self.assertEqual(wizard.report_file_name, "shenzhen_rejected_rows.csv")
        station = self._stations("shenzhen")
        self.assertEqual(station.region_id, self.region_south)
        self.assertGreaterEqual(wizard.query_count, 1)

    def test_wizard_requires_file(self):
        wizard = self.env["qicai.station.import"].with_user(self.user_manager).create(
            {"source": "uk_ncr"}
        )
        with self.assertRaises(UserError):
            wizard.action_import()

    def test_wizard_manager_only(self):
        for user in (self.user_engineer, self.user_service, self.user_partner):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["qicai.station.import"].with_user(user).create(
                    {"source": "uk_ncr"}
                )


@tagged("post_install", "-at_install")
class TestRegistryRealFiles(QicaiStationCase):
    """Load the real registry extracts kept in shared/data/real beside the
    repository (the CI clone has that folder next to it)."""

    def _real_file(self, name):
        root = Path(__file__).resolve().parents[3]
        folder = Path(
            os.environ.get("QICAI_REAL_DATA") or root.parent / "shared" / "data" / "real"
        )
        path = folder / name
        self.assertTrue(
            path.is_file(),
            f"{path} is missing: set QICAI_REAL_DATA to the folder that holds the "
            "registry extracts.",
        )
        return path.read_bytes()

    def test_uk_file_loads_completely(self):
        loader = self.env["qicai.registry.loader"]
        content = self._real_file("uk_ncr_2017_london_northeast.csv")
        result = loader.load_registry("uk_ncr", content)
        self.assertEqual(result["rows"], 1145)
        self.assertFalse(result["rejected"])
        self.assertEqual(result["stations_created"], 1145)
        self.assertEqual(result["chargers_created"], 1145)
        self.assertEqual(result["connectors_created"], 1860)
        stations = self.env["qicai.station"].search([("source", "=", "uk_ncr")])
        self.assertEqual(
            len(stations.filtered(lambda s: s.operating_state == "suspended")), 68
        )
        self.assertEqual(
            self.env["qicai.charger.connector"].search_count(
                [("station_id.source", "=", "uk_ncr"), ("status", "=", "out_of_service")]
            ),
            140,
        )
        # Batched: far fewer queries than rows.
        self.assertLess(result["queries"], 300)

        again = loader.load_registry("uk_ncr", content)
        self.assertEqual(again["stations_created"] + again["stations_updated"], 0)
        self.assertEqual(again["connectors_created"] + again["connectors_updated"], 0)

    def test_shenzhen_file_loads_completely(self):
        result = self.env["qicai.registry.loader"].load_registry(
            "shenzhen", self._real_file("cn_shenzhen_stations_st-evcdp.csv")
        )
        self.assertEqual(result["rows"], 1706)
        self.assertFalse(result["rejected"])
        self.assertEqual(result["stations_created"], 1706)
        self.assertEqual(result["chargers_created"], 22872)
        self.assertEqual(result["connectors_created"], 22872)
        dc_chargers = self.env["maintenance.equipment"].search_count(
            [("station_id.source", "=", "shenzhen"), ("current_type", "=", "dc")]
        )
        self.assertEqual(dc_chargers, 2693)
        self.assertLess(result["queries"], 1500)
