from .common import QicaiMaintenanceCase


class TestChargerStatus(QicaiMaintenanceCase):
    def test_urgent_order_faults_charger(self):
        self._new_order(category=self.cat_offline)
        self.assertEqual(self.charger_dc.operational_status, "faulted")

    def test_non_urgent_order_keeps_charger(self):
        self._new_order(category=self.cat_app)
        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_available_after_closure(self):
        order = self._in_progress()
        self.assertEqual(self.charger_dc.operational_status, "faulted")

        self._resolve(order, self.engineer)
        self._wizard(
            order, self.service, "action_open_feedback_wizard", feedback="Fixed"
        )
        order.action_close()

        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_available_after_cancel(self):
        order = self._dispatched()
        order.action_cancel("False alarm")
        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_other_urgent_order_keeps_fault(self):
        first = self._new_order(category=self.cat_offline)
        self._new_order(category=self.cat_module)

        first.action_cancel("Duplicate of the module failure")

        self.assertEqual(self.charger_dc.operational_status, "faulted")

    def test_other_non_urgent_order_clears_fault(self):
        first = self._new_order(category=self.cat_offline)
        self._new_order(category=self.cat_app)

        first.action_cancel("False alarm")

        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_urgency_change(self):
        order = self._new_order(category=self.cat_app)

        order.urgency = "urgent"
        self.assertEqual(self.charger_dc.operational_status, "faulted")

        order.urgency = "non_urgent"
        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_order_moved_to_other_charger(self):
        order = self._new_order(category=self.cat_offline)

        order.equipment_id = self.charger_ac

        self.assertEqual(self.charger_ac.operational_status, "faulted")
        self.assertEqual(
            self.charger_dc.operational_status,
            "available",
            "the charger the order left is no longer faulted",
        )

    def test_deleted_order_clears_fault(self):
        order = self._new_order(category=self.cat_offline)

        order.with_user(self.manager).unlink()

        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_status_changed_by_engineer_without_equipment_rights(self):
        order = self._accepted(category=self.cat_offline)
        order.with_user(self.service).action_cancel("Found working on arrival")
        self.assertEqual(self.charger_dc.operational_status, "available")

    def test_partner_moves_order_on(self):
        order = self._in_progress(charger=self.charger_b, engineer=self.partner_user)
        self.assertEqual(self.charger_b.operational_status, "faulted")

        self._resolve(order, self.partner_user)

        self.assertEqual(self.charger_b.operational_status, "available")

    def test_order_hidden_from_user_keeps_fault(self):
        order = self._in_progress(charger=self.charger_b, engineer=self.partner_user)
        # A second urgent fault, handed to another team, which the partner
        # engineer cannot read.
        other = self._new_order(charger=self.charger_b, category=self.cat_module)
        other.maintenance_team_id = self.team_own
        Request = self.env["maintenance.request"].with_user(self.partner_user)
        self.assertFalse(Request.search([("id", "=", other.id)]))

        self._resolve(order, self.partner_user)

        self.assertEqual(self.charger_b.operational_status, "faulted")

    def test_non_charger_equipment_untouched(self):
        camera = self.env["maintenance.equipment"].create(
            {
                "name": "Camera 1",
                "equipment_kind": "camera",
                "station_id": self.station_a.id,
            }
        )
        self._intake(
            {
                "station_id": self.station_a.id,
                "equipment_id": camera.id,
                "fault_category_id": self.cat_offline.id,
            }
        )
        self.assertEqual(camera.operational_status, "available")
