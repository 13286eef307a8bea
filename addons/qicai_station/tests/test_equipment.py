from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import QicaiStationCase


@tagged("post_install", "-at_install")
class TestEquipment(QicaiStationCase):
    def test_charger_needs_model_and_station(self):
        Equipment = self.env["maintenance.equipment"]
        with self.assertRaises(ValidationError):
            Equipment.create(
                {"name": "No model", "equipment_kind": "charger",
                 "station_id": self.station_north.id}
            )
        with self.assertRaises(ValidationError):
            Equipment.create(
                {"name": "No station", "equipment_kind": "charger",
                 "charger_model_id": self.model_dc.id}
            )
        camera = Equipment.create({"name": "Camera", "equipment_kind": "camera"})
        self.assertFalse(camera.station_id)

    def test_serial_number_unique(self):
        self._create_charger(self.station_north, "C-1", serial_no="SN-0001")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._create_charger(self.station_south, "C-2", serial_no="SN-0001")

    def test_ocpp_identity_unique(self):
        self._create_charger(self.station_north, "C-1", ocpp_identity="CP-0001")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self._create_charger(self.station_south, "C-2", ocpp_identity="CP-0001")
        # Chargers without an identity do not clash.
        self._create_charger(self.station_south, "C-3")
        self._create_charger(self.station_south, "C-4")

    def test_warranty_state(self):
        charger = self._create_charger(self.station_north, "C-1")
        self.assertEqual(charger.warranty_state, "none")
        charger.warranty_date = "2030-01-01"
        self.assertEqual(
            charger.with_context(date="2029-12-31").warranty_state, "valid"
        )
        charger.invalidate_recordset(["warranty_state"])
        self.assertEqual(
            charger.with_context(date="2030-01-02").warranty_state, "expired"
        )

    def test_related_model_fields(self):
        charger = self._create_charger(self.station_north, "C-1", connectors=2)
        self.assertRecordValues(
            charger,
            [{"manufacturer_id": self.manufacturer.id, "current_type": "dc",
              "rated_power_kw": 120.0, "region_id": self.region_north.id,
              "connector_count": 2}],
        )

    def test_connector_number_rules(self):
        charger = self._create_charger(self.station_north, "C-1")
        Connector = self.env["qicai.charger.connector"]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Connector.create({"equipment_id": charger.id, "number": 1})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Connector.create({"equipment_id": charger.id, "number": 0})
        second = Connector.create({"equipment_id": charger.id, "number": 2})
        self.assertEqual(second.display_name, "C-1 / connector 2")
        self.assertEqual(second.station_id, self.station_north)

    def test_connector_only_on_charger(self):
        camera = self.env["maintenance.equipment"].create(
            {"name": "Camera", "equipment_kind": "camera",
             "station_id": self.station_north.id}
        )
        with self.assertRaises(ValidationError):
            self.env["qicai.charger.connector"].create(
                {"equipment_id": camera.id, "number": 1}
            )

    def test_charger_form_fills_from_model_and_station(self):
        self.station_north.team_id = self.team_own
        form = Form(
            self.env["maintenance.equipment"].with_context(
                default_equipment_kind="charger"
            )
        )
        form.name = "Form Charger"
        form.station_id = self.station_north
        form.charger_model_id = self.model_dc
        self.assertEqual(form.partner_id, self.manufacturer)
        self.assertEqual(form.model, "TC-120")
        self.assertEqual(form.maintenance_team_id, self.team_own)
        with form.connector_ids.new() as connector:
            connector.number = 1
        charger = form.save()
        self.assertRecordValues(
            charger.connector_ids,
            [{"number": 1, "standard": "gbt_dc", "current_type": "dc",
              "max_power_kw": 120.0}],
        )

    def test_charger_model_rules(self):
        Model = self.env["qicai.charger.model"]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Model.create(
                    {"name": "Zero", "manufacturer_id": self.manufacturer.id,
                     "rated_power_kw": 0}
                )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Model.create(
                    {"name": "TC-120", "manufacturer_id": self.manufacturer.id,
                     "rated_power_kw": 60}
                )
        self._create_charger(self.station_north, "C-1")
        self.assertEqual(self.model_dc.charger_count, 1)
        self.assertEqual(
            self.model_dc.display_name, "Test Charger Works TC-120 (DC 120 kW)"
        )
