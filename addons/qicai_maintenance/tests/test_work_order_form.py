from odoo.tests import Form

from .common import QicaiMaintenanceCase

WORK_ORDER_FORM = "qicai_maintenance.maintenance_request_view_form_work_order"


class TestWorkOrderForm(QicaiMaintenanceCase):
    def _form(self, record=None, user=None):
        record = record or self.env["maintenance.request"]
        return Form(record.with_user(user or self.service), view=WORK_ORDER_FORM)

    def test_create_from_charger(self):
        form = self._form()
        form.name = "Screen dark"
        form.equipment_id = self.charger_dc
        form.fault_category_id = self.cat_fire
        order = form.save()

        self.assertRecordValues(
            order,
            [
                {
                    "station_id": self.station_a.id,
                    "maintenance_team_id": self.team_own.id,
                    "fault_class": "serious",
                    "urgency": "urgent",
                    "priority": "3",
                    "work_state": "new",
                    "stage_id": self.env.ref("qicai_maintenance.stage_reported").id,
                    "source_channel": "customer_service",
                    "emergency_plan_id": self.plan_fire.id,
                }
            ],
        )
        self.assertEqual(self.charger_dc.operational_status, "faulted")

    def test_team_follows_station(self):
        form = self._form()
        form.name = "Cable damaged"
        form.station_id = self.station_b
        self.assertEqual(form.maintenance_team_id, self.team_partner)

        form.station_id = self.station_d
        self.assertEqual(
            form.maintenance_team_id,
            self.team_north,
            "expired responsible team skipped",
        )
        form.fault_category_id = self.cat_offline
        order = form.save()

        self.assertEqual(order.maintenance_team_id, self.team_north)

    def test_category_sets_class_while_new(self):
        form = self._form()
        form.name = "Fault"
        form.station_id = self.station_a
        form.fault_category_id = self.cat_app
        self.assertEqual(
            (form.fault_class, form.urgency, form.priority),
            ("common", "non_urgent", "1"),
        )

        form.fault_category_id = self.cat_fire
        self.assertEqual(
            (form.fault_class, form.urgency, form.priority), ("serious", "urgent", "3")
        )

    def test_category_change_keeps_desk_choice(self):
        form = self._form()
        form.name = "Fault"
        form.equipment_id = self.charger_dc
        form.fault_category_id = self.cat_offline
        form.fault_class = "serious"
        form.urgency = "non_urgent"
        order = form.save()
        order.action_classify()
        self.assertEqual(order.priority, "2")

        with self._form(order) as form:
            form.fault_category_id = self.cat_app

        self.assertRecordValues(
            order,
            [
                {
                    "fault_category_id": self.cat_app.id,
                    "fault_class": "serious",
                    "urgency": "non_urgent",
                    "priority": "2",
                }
            ],
        )

    def test_category_write_after_classification(self):
        order = self._classified(category=self.cat_app)
        order.write({"fault_class": "serious", "urgency": "urgent"})

        order.fault_category_id = self.cat_offline

        self.assertRecordValues(
            order, [{"fault_class": "serious", "urgency": "urgent"}]
        )

    def test_desk_changes_urgency_after_classification(self):
        order = self._classified(category=self.cat_app)
        self.assertEqual(self.charger_dc.operational_status, "available")

        with self._form(order) as form:
            form.urgency = "urgent"

        self.assertEqual(order.priority, "2")
        self.assertEqual(self.charger_dc.operational_status, "faulted")
