from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEngineerTour(HttpCase):
    """An engineer works a dispatched order on a phone through the web client."""

    browser_size = "390x844"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(
            cls.env,
            login="tour_engineer",
            name="Tour Engineer",
            groups="qicai_station.group_qicai_engineer",
        )
        manufacturer = cls.env["res.partner"].create(
            {"name": "Tour Charger Works", "is_company": True}
        )
        charger_model = cls.env["qicai.charger.model"].create(
            {
                "name": "TW-7",
                "manufacturer_id": manufacturer.id,
                "current_type": "ac",
                "rated_power_kw": 7.0,
                "connector_standard": "gbt_ac",
            }
        )

        cls.team = cls.env["maintenance.team"].create(
            {"name": "Tour Team", "member_ids": [(6, 0, cls.engineer.ids)]}
        )
        cls.station = cls.env["qicai.station"].create(
            {"name": "Tour Station", "code": "TOUR-ST", "team_id": cls.team.id}
        )
        cls.charger = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour Charger 1",
                "equipment_kind": "charger",
                "charger_model_id": charger_model.id,
                "station_id": cls.station.id,
            }
        )

        # Two known blocking items keep the tour's checklist fixed, because the
        # seeded items depend on the charger and the fault category.
        cls.env["qicai.safety.check.item"].search([]).action_archive()
        cls.env["qicai.safety.check.item"].create(
            [
                {"code": "TOUR-1", "sequence": 1, "name": "Tour PPE", "blocking": True},
                {
                    "code": "TOUR-2",
                    "sequence": 2,
                    "name": "Tour isolation",
                    "blocking": True,
                },
            ]
        )

        category = cls.env["qicai.fault.category"].create(
            {
                "code": "TOUR-F",
                "name": "Tour fault",
                "default_class": "common",
                "default_urgency": "urgent",
            }
        )
        cls.order = cls.env["maintenance.request"].create(
            {
                "name": "Charger stops during charging",
                "station_id": cls.station.id,
                "equipment_id": cls.charger.id,
                "fault_category_id": category.id,
                "source_channel": "platform",
            }
        )
        cls.order.action_classify()
        cls.order.action_dispatch()

    def test_engineer_resolves_on_phone(self):
        self.assertEqual(self.order.work_state, "dispatched")

        self.start_tour("/odoo/my-work-orders", "qicai_engineer_tour", login="tour_engineer")

        order = self.order
        self.assertEqual(order.work_state, "resolved")
        self.assertEqual(order.user_id, self.engineer)
        self.assertEqual(order.root_cause, "Loose terminal on the AC contactor")
        self.assertEqual(
            order.actions_taken, "Tightened the terminal and tested a full charge"
        )
        steps = [
            order.dispatched_at,
            order.accepted_at,
            order.arrived_at,
            order.started_at,
            order.resolved_at,
        ]
        self.assertTrue(all(steps), f"a step time is missing: {steps}")
        self.assertEqual(steps, sorted(steps))
        self.assertEqual(len(order.safety_check_ids), 2)
        self.assertTrue(all(order.safety_check_ids.mapped("confirmed")))
        self.assertEqual(order.safety_check_ids.confirmed_by_id, self.engineer)
