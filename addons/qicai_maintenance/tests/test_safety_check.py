from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import QicaiMaintenanceCase

WORK_ORDER_FORM = "qicai_maintenance.maintenance_request_view_form_work_order"


class TestSafetyChecklist(QicaiMaintenanceCase):
    def test_items_by_charger_and_fault(self):
        cases = [
            (
                self.charger_dc,
                self.cat_module,
                self.item_ppe | self.item_dc | self.item_hv,
            ),
            (self.charger_dc, self.cat_offline, self.item_ppe | self.item_dc),
            (self.charger_ac, self.cat_module, self.item_ppe | self.item_hv),
            (self.charger_ac, self.cat_offline, self.item_ppe),
        ]
        for charger, category, specific in cases:
            with self.subTest(charger=charger.name, category=category.code):
                order = self._on_site(charger=charger, category=category)
                self.assertEqual(
                    order.safety_check_ids.item_id,
                    specific | self.item_outdoor | self.item_note,
                )

    def test_no_checklist_before_arrival(self):
        order = self._accepted()
        self.assertFalse(order.safety_check_ids)
        self.assertFalse(order.safety_confirmed)

    def test_archived_item_left_out(self):
        self.item_outdoor.active = False
        order = self._on_site()
        self.assertNotIn(self.item_outdoor, order.safety_check_ids.item_id)

    def test_start_needs_blocking_items(self):
        order = self._on_site(charger=self.charger_dc, category=self.cat_module)
        checks = order.with_user(self.engineer).safety_check_ids
        checks.filtered(lambda c: c.item_id == self.item_ppe).confirmed = True

        with self.assertRaises(UserError) as caught:
            order.with_user(self.engineer).action_start()

        message = str(caught.exception)
        for name in ("DC bus discharged", "Earthing fitted", "Weather safe"):
            self.assertIn(name, message)
        self.assertNotIn("PPE worn", message, "confirmed items are not listed")
        self.assertNotIn(
            "Photo of the site", message, "non-blocking items are not listed"
        )
        self.assertEqual(order.work_state, "on_site")

    def test_non_blocking_item_optional(self):
        order = self._on_site()
        checks = order.with_user(self.engineer).safety_check_ids
        checks.filtered("blocking").write({"confirmed": True})

        self.assertTrue(order.safety_confirmed)
        order.with_user(self.engineer).action_start()

        self.assertEqual(order.work_state, "in_progress")
        self.assertTrue(order.started_at)

    def test_confirmation_records_who_and_when(self):
        order = self._on_site()
        check = order.with_user(self.engineer).safety_check_ids[0]

        with freeze_time("2025-03-01 08:30:00"):
            check.write({"confirmed": True, "confirmed_by_id": self.manager.id})

        self.assertRecordValues(
            check,
            [
                {
                    "confirmed": True,
                    "confirmed_by_id": self.engineer.id,
                    "confirmed_at": datetime(2025, 3, 1, 8, 30),
                }
            ],
        )

        check.confirmed = False
        self.assertRecordValues(
            check, [{"confirmed_by_id": False, "confirmed_at": False}]
        )

    def test_forged_confirmation_ignored(self):
        order = self._on_site()
        check = order.with_user(self.engineer).safety_check_ids[0]

        check.write({"confirmed_by_id": self.manager.id})

        self.assertFalse(check.confirmed_by_id)

    def test_checklist_frozen_after_start(self):
        order = self._in_progress()
        checks = order.with_user(self.engineer).safety_check_ids

        with self.assertRaisesRegex(UserError, "has already started"):
            checks[0].confirmed = False
        with self.assertRaises(AccessError):
            checks[0].unlink()
        with self.assertRaisesRegex(UserError, "has already started"):
            self.env["qicai.safety.check"].with_user(self.engineer).create(
                {"request_id": order.id, "item_id": self.item_hv.id}
            )
        self.assertTrue(all(checks.mapped("confirmed")))

    def test_confirm_in_work_order_form(self):
        order = self._on_site(charger=self.charger_ac)

        with Form(order.with_user(self.engineer), view=WORK_ORDER_FORM) as form:
            for index in range(len(form.safety_check_ids)):
                with form.safety_check_ids.edit(index) as line:
                    line.confirmed = True

        self.assertTrue(order.safety_confirmed)
        self.assertEqual(order.safety_check_ids.confirmed_by_id, self.engineer)
        order.with_user(self.engineer).action_start()
        self.assertEqual(order.work_state, "in_progress")


class TestEmergencyPlan(QicaiMaintenanceCase):
    def test_serious_fault_shows_plan(self):
        order = self._new_order(category=self.cat_fire)

        self.assertEqual(order.emergency_plan_id, self.plan_fire)
        self.assertIn("Press the emergency stop.", order.emergency_steps_html)
        self.assertIn("119", order.emergency_steps_html)

    def test_common_fault_has_no_plan(self):
        self.cat_offline.emergency_plan_id = self.plan_fire
        order = self._new_order(category=self.cat_offline)

        self.assertFalse(order.emergency_plan_id)
        self.assertFalse(order.emergency_steps_html)

    def test_plan_follows_class(self):
        order = self._new_order(category=self.cat_fire)

        order.fault_class = "common"
        self.assertFalse(order.emergency_plan_id)

        order.fault_class = "serious"
        self.assertEqual(order.emergency_plan_id, self.plan_fire)
