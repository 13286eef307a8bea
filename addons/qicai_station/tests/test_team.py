from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import QicaiStationCase

SLA_FIELDS = (
    "sla_response_urgent",
    "sla_arrival_urgent",
    "sla_resolution_urgent",
    "sla_response_normal",
    "sla_arrival_normal",
    "sla_resolution_normal",
)


@tagged("post_install", "-at_install")
class TestTeam(QicaiStationCase):
    def test_contract_dates_order(self):
        with self.assertRaises(ValidationError):
            self.team_partner.write(
                {"contract_start": "2025-06-01", "contract_end": "2025-05-31"}
            )
        self.team_partner.write(
            {"contract_start": "2025-06-01", "contract_end": "2025-06-01"}
        )

    def test_provider_company_required(self):
        Team = self.env["maintenance.team"]
        for provider_type in ("supplier", "partner"):
            with self.subTest(provider_type=provider_type):
                with self.assertRaises(ValidationError):
                    Team.create({"name": "No company", "provider_type": provider_type})
        own = Team.create({"name": "Own without company", "provider_type": "own"})
        self.assertFalse(own.provider_partner_id)

    def test_sla_targets_positive(self):
        for field_name in SLA_FIELDS:
            with self.subTest(field=field_name):
                with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                    with self.env.cr.savepoint():
                        self.team_own.write({field_name: 0})
                        self.team_own.flush_recordset()

    def test_get_sla_hours(self):
        self.team_own.write(
            dict(zip(SLA_FIELDS, (0.25, 1.5, 6.0, 1.0, 12.0, 48.0)))
        )
        self.assertEqual(self.team_own._get_sla_hours("urgent"), (0.25, 1.5, 6.0))
        self.assertEqual(self.team_own._get_sla_hours("non_urgent"), (1.0, 12.0, 48.0))

    def test_contract_active(self):
        team = self.team_partner
        team.write({"contract_start": "2025-01-01", "contract_end": "2025-12-31"})
        cases = (("2024-12-31", False), ("2025-01-01", True), ("2025-12-31", True),
                 ("2026-01-01", False))
        Team = self.env["maintenance.team"]
        for day, expected in cases:
            with self.subTest(day=day):
                dated = team.with_context(date=day)
                dated.invalidate_recordset(["contract_active"])
                self.assertEqual(dated.contract_active, expected)
                found = Team.with_context(date=day).search(
                    [("contract_active", "=", True), ("id", "=", team.id)]
                )
                self.assertEqual(bool(found), expected)
                not_found = Team.with_context(date=day).search(
                    [("contract_active", "=", False), ("id", "=", team.id)]
                )
                self.assertEqual(bool(not_found), not expected)
        # Own teams have no contract and are always active.
        self.team_own.contract_end = "2000-01-01"
        self.assertTrue(self.team_own.with_context(date="2025-06-01").contract_active)


@tagged("post_install", "-at_install")
class TestCoveringTeam(QicaiStationCase):
    def setUp(self):
        super().setUp()
        self.station = self._create_station(
            "Covered", "COV-1", region_id=self.region_north.id
        )

    def test_responsible_team_first(self):
        self.team_partner.station_ids = self.station
        self.station.team_id = self.team_supplier
        self.assertEqual(self.station._get_covering_team(), self.team_supplier)

    def test_listed_team_before_region(self):
        self.team_own.region_ids = self.region_north
        self.team_supplier.station_ids = self.station
        self.assertEqual(self.station._get_covering_team(), self.team_supplier)

    def test_listed_teams_prefer_own_then_partner(self):
        self.team_supplier.station_ids = self.station
        self.team_partner.station_ids = self.station
        self.assertEqual(self.station._get_covering_team(), self.team_partner)
        self.team_own.station_ids = self.station
        self.assertEqual(self.station._get_covering_team(), self.team_own)

    def test_region_then_parent_region(self):
        self.assertFalse(self.station._get_covering_team())
        self.team_partner.region_ids = self.region_city
        self.assertEqual(self.station._get_covering_team(), self.team_partner)
        self.team_supplier.region_ids = self.region_north
        self.assertEqual(self.station._get_covering_team(), self.team_supplier)
        # A team of the sibling district does not cover the station.
        self.team_own.region_ids = self.region_south
        self.assertEqual(self.station._get_covering_team(), self.team_supplier)

    def test_expired_contracts_skipped(self):
        expired = {"contract_start": "2020-01-01", "contract_end": "2021-01-01"}
        self.team_supplier.write(expired)
        self.station.team_id = self.team_supplier
        self.team_partner.write(dict(expired, station_ids=[(6, 0, self.station.ids)]))
        self.team_own.region_ids = self.region_city
        self.assertEqual(self.station._get_covering_team(), self.team_own)

        self.team_own.region_ids = False
        self.assertFalse(self.station._get_covering_team())

    def test_archived_responsible_team_skipped(self):
        self.station.team_id = self.team_partner
        self.team_own.region_ids = self.region_north
        self.team_partner.active = False
        self.assertEqual(self.station._get_covering_team(), self.team_own)
