from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import QicaiStationCase


@tagged("post_install", "-at_install")
class TestStation(QicaiStationCase):
    def test_code_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._create_station("Twin", self.station_north.code)

        other_company = self.env["res.company"].create({"name": "Other O&M Co"})
        twin = self._create_station(
            "Twin", self.station_north.code, company_id=other_company.id
        )
        self.assertEqual(twin.code, self.station_north.code)

    def test_coordinates_out_of_range(self):
        for latitude, longitude in ((90.5, 0.0), (-91.0, 0.0), (0.0, 180.1), (0.0, -181)):
            with self.subTest(latitude=latitude, longitude=longitude):
                with self.assertRaises(ValidationError):
                    self._create_station(
                        "Bad", f"BAD-{latitude}-{longitude}",
                        latitude=latitude, longitude=longitude,
                    )
        edge = self._create_station("Edge", "EDGE", latitude=-90, longitude=180)
        self.assertEqual((edge.latitude, edge.longitude), (-90, 180))

    def test_capacity_not_negative(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._create_station("Neg", "NEG", parking_bays=-1)

    def test_display_name_and_copy(self):
        self.assertEqual(self.station_north.display_name, "[T-ST-N] North Station")
        copy = self.station_north.copy()
        self.assertEqual(copy.code, "T-ST-N-COPY")
        self.assertNotEqual(copy.qr_token, self.station_north.qr_token)

    def test_regenerate_qr_token(self):
        old_token = self.station_north.qr_token
        self.assertTrue(old_token)
        self.station_north.action_regenerate_qr_token()
        self.assertTrue(self.station_north.qr_token)
        self.assertNotEqual(self.station_north.qr_token, old_token)

    def test_contact_address(self):
        china = self.env.ref("base.cn")
        self.station_north.write(
            {"street": "Keyuan Road 1", "zip": "518057", "city": "Shenzhen",
             "country_id": china.id}
        )
        self.assertEqual(
            self.station_north.contact_address,
            f"Keyuan Road 1, 518057 Shenzhen, {china.name}",
        )

    def test_live_counts(self):
        station = self.station_north
        self._create_charger(station, "N-1", connectors=2)
        self._create_charger(station, "N-2", operational_status="faulted")
        self._create_charger(station, "N-3", operational_status="offline")
        self._create_charger(station, "N-4", model=self.model_ac, operational_status="faulted")
        self.env["maintenance.equipment"].create(
            [
                {"name": "Transformer", "equipment_kind": "transformer",
                 "station_id": station.id},
                {"name": "Camera", "equipment_kind": "camera", "station_id": station.id},
            ]
        )
        self.assertRecordValues(
            station,
            [{"charger_count": 4, "connector_count": 5, "faulted_count": 2,
              "offline_count": 1, "equipment_count": 2}],
        )
        self.assertRecordValues(
            self.station_south,
            [{"charger_count": 0, "connector_count": 0, "faulted_count": 0,
              "offline_count": 0, "equipment_count": 0}],
        )

        station.charger_ids.filtered(lambda c: c.name == "N-2").operational_status = (
            "available"
        )
        self.assertEqual(station.faulted_count, 1)

    def test_live_counts_query_count(self):
        stations = self.env["qicai.station"].create(
            [
                {"name": f"Batch {index}", "code": f"B-{index}"}
                for index in range(20)
            ]
        )
        for station in stations:
            self._create_charger(station, f"{station.code}-C1", connectors=2)
        self.env.invalidate_all()
        # One grouped read for the equipment, one for the connectors,
        # whatever the number of stations.
        with self.assertQueryCount(2):
            stations[0].charger_count
        self.env.invalidate_all()
        with self.assertQueryCount(2):
            counts = stations.mapped("connector_count")
        self.assertEqual(counts, [2] * 20)

    def test_region_station_count(self):
        self.assertEqual(self.region_city.station_count, 2)
        self.assertEqual(self.region_north.station_count, 1)
        self.assertEqual(self.region_north.complete_name, "Test City / North District")

    def test_action_view_chargers(self):
        charger = self._create_charger(self.station_north, "N-1")
        self._create_charger(self.station_south, "S-1")
        action = self.station_north.action_view_chargers()
        self.assertEqual(
            self.env["maintenance.equipment"].search(action["domain"]), charger
        )
        self.assertEqual(action["context"]["default_station_id"], self.station_north.id)
        connectors = self.env["qicai.charger.connector"].search(
            self.station_north.action_view_connectors()["domain"]
        )
        self.assertEqual(connectors, charger.connector_ids)

    def test_station_form_creates_station(self):
        form = Form(self.env["qicai.station"])
        form.name = "Form Station"
        form.code = "FORM-1"
        form.region_id = self.region_south
        form.latitude = 22.5
        form.longitude = 114.0
        station = form.save()
        self.assertEqual(station.operating_state, "operating")
        self.assertEqual(station.source, "manual")
        self.assertEqual(len(station.qr_token), 32)
