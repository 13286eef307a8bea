from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import QicaiStationCase


@tagged("post_install", "-at_install")
class TestAccess(QicaiStationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.charger_north = cls._create_charger(cls.station_north, "N-1", connectors=2)
        cls.charger_south = cls._create_charger(cls.station_south, "S-1")
        cls.stations = cls.station_north | cls.station_south

    def _visible(self, model, user, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    def test_own_staff_read_whole_network(self):
        for user in (self.user_engineer, self.user_technical, self.user_service,
                     self.user_doc_admin, self.user_manager):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible("qicai.station", user, self.stations),
                                 self.stations)
                chargers = self.charger_north | self.charger_south
                self.assertEqual(
                    self._visible("maintenance.equipment", user, chargers), chargers
                )
                connectors = chargers.connector_ids
                self.assertEqual(
                    self._visible("qicai.charger.connector", user, connectors),
                    connectors,
                )

    def test_engineer_cannot_create_or_edit_stations(self):
        Station = self.env["qicai.station"].with_user(self.user_engineer)
        with self.assertRaises(AccessError):
            Station.create({"name": "Nope", "code": "NOPE"})
        with self.assertRaises(AccessError):
            self.station_north.with_user(self.user_engineer).name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["maintenance.equipment"].with_user(self.user_engineer).create(
                {"name": "Nope", "equipment_kind": "camera",
                 "station_id": self.station_north.id}
            )
        with self.assertRaises(AccessError):
            self.region_north.with_user(self.user_engineer).name = "Renamed"

    def test_engineer_updates_charger_status(self):
        charger = self.charger_north.with_user(self.user_engineer)
        charger.operational_status = "faulted"
        charger.connector_ids[0].status = "faulted"
        self.assertEqual(self.station_north.faulted_count, 1)

    def test_service_writes_but_does_not_create_stations(self):
        station = self.station_north.with_user(self.user_service)
        station.write({"contact_phone": "0755-12345678", "opening_hours": "07:00-23:00"})
        self.assertEqual(self.station_north.contact_phone, "0755-12345678")
        station.action_regenerate_qr_token()
        with self.assertRaises(AccessError):
            self.env["qicai.station"].with_user(self.user_service).create(
                {"name": "Nope", "code": "NOPE"}
            )
        with self.assertRaises(AccessError):
            station.unlink()

    def test_manager_creates_network(self):
        env = self.env(user=self.user_manager)
        region = env["qicai.region"].create({"name": "New District"})
        model = env["qicai.charger.model"].create(
            {"name": "M-1", "manufacturer_id": self.manufacturer.id, "rated_power_kw": 30}
        )
        station = env["qicai.station"].create(
            {"name": "New", "code": "NEW-1", "region_id": region.id}
        )
        charger = env["maintenance.equipment"].create(
            {"name": "New-1", "equipment_kind": "charger", "station_id": station.id,
             "charger_model_id": model.id,
             "connector_ids": [(0, 0, {"number": 1})]}
        )
        team = env["maintenance.team"].create(
            {"name": "New Team", "station_ids": [(6, 0, station.ids)]}
        )
        self.assertEqual(station.charger_count, 1)
        self.assertEqual(station._get_covering_team(), team)
        charger.unlink()
        station.unlink()

    def test_partner_sees_only_own_team_network(self):
        cases = (
            (self.user_partner, self.station_north, self.charger_north),
            (self.user_supplier, self.station_south, self.charger_south),
        )
        for user, station, charger in cases:
            with self.subTest(user=user.login):
                self.assertEqual(self._visible("qicai.station", user, self.stations),
                                 station)
                self.assertEqual(
                    self._visible(
                        "maintenance.equipment", user,
                        self.charger_north | self.charger_south,
                    ),
                    charger,
                )
                self.assertEqual(
                    self._visible(
                        "qicai.charger.connector", user,
                        (self.charger_north | self.charger_south).connector_ids,
                    ),
                    charger.connector_ids,
                )
                other = self.stations - station
                with self.assertRaises(AccessError):
                    other.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    (self.charger_north | self.charger_south - charger).with_user(
                        user
                    ).read(["name"])

    def test_partner_sees_stations_listed_on_team(self):
        self.team_partner.station_ids = self.station_south
        self.assertEqual(
            self._visible("qicai.station", self.user_partner, self.stations),
            self.stations,
        )
        self.assertEqual(
            self._visible(
                "maintenance.equipment", self.user_partner,
                self.charger_north | self.charger_south,
            ),
            self.charger_north | self.charger_south,
        )

    def test_partner_updates_status_but_not_stations(self):
        charger = self.charger_north.with_user(self.user_partner)
        charger.operational_status = "maintenance"
        self.assertEqual(self.charger_north.operational_status, "maintenance")
        with self.assertRaises(AccessError):
            self.station_north.with_user(self.user_partner).name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["qicai.station"].with_user(self.user_partner).create(
                {"name": "Nope", "code": "NOPE"}
            )
        with self.assertRaises(AccessError):
            self.charger_south.with_user(self.user_partner).operational_status = "faulted"

    def test_user_without_suite_group_sees_nothing(self):
        outsider = new_test_user(self.env, login="qs_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["qicai.station"].with_user(outsider).search([])

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other O&M Co"})
        foreign = self._create_station(
            "Foreign", "F-1", company_id=other_company.id
        )
        self.assertFalse(self._visible("qicai.station", self.user_engineer, foreign))
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_engineer).read(["name"])

        self.user_manager.write({"company_ids": [(4, other_company.id)]})
        both = self.env["qicai.station"].with_user(self.user_manager).with_context(
            allowed_company_ids=[self.company.id, other_company.id]
        ).search([("id", "in", (foreign | self.station_north).ids)])
        self.assertEqual(both, foreign | self.station_north)
