from odoo.tests import TransactionCase


class TestStationSmoke(TransactionCase):
    def test_covering_team_prefers_responsible(self):
        team = self.env["maintenance.team"].create({"name": "T1"})
        station = self.env["qicai.station"].create(
            {"name": "S1", "code": "S1", "team_id": team.id}
        )
        self.assertEqual(station._get_covering_team(), team)
