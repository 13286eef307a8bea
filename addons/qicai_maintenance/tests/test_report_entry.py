from odoo.tests import Form

from .common import QicaiMaintenanceCase


class TestReportEntry(QicaiMaintenanceCase):
    """Reports typed in by the service desk, and how their orders look."""

    def _report_form(self, charger, category):
        form = Form(self.env["qicai.fault.report"].with_user(self.service))
        form.station_id = charger.station_id
        form.equipment_id = charger
        form.fault_category_id = category
        form.reporter_name = "Driver Li"
        form.reporter_phone = "13800000000"
        return form

    def test_form_report_opens_order(self):
        report = self._report_form(self.charger_dc, self.cat_offline).save()

        self.assertTrue(report.request_id)
        self.assertFalse(report.is_duplicate)
        self.assertRecordValues(
            report.request_id,
            [
                {
                    "station_id": self.charger_dc.station_id.id,
                    "equipment_id": self.charger_dc.id,
                    "fault_category_id": self.cat_offline.id,
                    "source_channel": "customer_service",
                    "reporter_name": "Driver Li",
                    "work_state": "new",
                }
            ],
        )

    def test_form_report_links_open_order(self):
        first = self._report_form(self.charger_dc, self.cat_offline).save()
        second = self._report_form(self.charger_dc, self.cat_offline).save()

        self.assertEqual(second.request_id, first.request_id)
        self.assertTrue(second.is_duplicate)
        self.assertEqual(first.request_id.report_count, 2)

    def test_mixed_create_keeps_order(self):
        order = self._new_order()
        Report = self.env["qicai.fault.report"].with_user(self.service)
        vals = self._report_vals(self.charger_b, self.cat_app)
        reports = Report.create(
            [
                dict(vals, description="by hand"),
                dict(
                    self._report_vals(self.charger_dc, self.cat_offline),
                    request_id=order.id,
                    description="direct",
                ),
            ]
        )

        self.assertEqual(reports.mapped("description"), ["by hand", "direct"])
        self.assertEqual(reports[1].request_id, order)
        self.assertNotEqual(reports[0].request_id, order)

    def test_order_has_no_engineer_until_accepted(self):
        category = self.env["maintenance.equipment.category"].create(
            {"name": "Chargers", "technician_user_id": self.engineer2.id}
        )
        self.charger_dc.category_id = category

        order = self._new_order()

        self.assertFalse(order.user_id)

    def test_plain_request_keeps_core_technician(self):
        category = self.env["maintenance.equipment.category"].create(
            {"name": "Tools", "technician_user_id": self.engineer2.id}
        )
        tool = self.env["maintenance.equipment"].create(
            {"name": "Drill", "category_id": category.id}
        )

        request = self.env["maintenance.request"].create(
            {"name": "Drill check", "equipment_id": tool.id}
        )

        self.assertEqual(request.user_id, self.engineer2)

    def test_work_order_kanban_shows_flow_stages(self):
        Request = self.env["maintenance.request"].with_context(
            qicai_work_order_stages=True
        )
        groups = Request.read_group(
            [("station_id", "!=", False)], ["stage_id"], ["stage_id"]
        )
        stages = self.env["maintenance.stage"].browse(
            [group["stage_id"][0] for group in groups]
        )

        self.assertTrue(stages)
        self.assertTrue(all(stages.mapped("work_state")))

    def test_fault_order_opens_work_order_form(self):
        order = self._new_order()
        view = self.env.ref("qicai_maintenance.maintenance_request_view_form_work_order")

        self.assertEqual(order.get_formview_id(), view.id)
        plain = self.env["maintenance.request"].create({"name": "Plain"})
        self.assertNotEqual(plain.get_formview_id(), view.id)

    def test_callback_posted_in_chatter(self):
        order = self._closed()

        self._wizard(
            order,
            self.service,
            "action_open_callback_wizard",
            satisfaction="4",
            comment="Quick fix",
        )

        bodies = order.message_ids.mapped("body")
        self.assertTrue(any("Quick fix" in str(body) for body in bodies))
        self.assertEqual(order.callback_satisfaction, "4")

    def test_feedback_wizard_shows_reporter(self):
        order = self._resolved(reporter_name="Driver Li", reporter_phone="13800000000")
        action = order.with_user(self.service).action_open_feedback_wizard()

        wizard = Form(
            self.env[action["res_model"]].with_user(self.service).with_context(
                action["context"]
            )
        )

        self.assertEqual(wizard.reporter_name, "Driver Li")
        self.assertEqual(wizard.reporter_phone, "13800000000")
        self.assertEqual(wizard.root_cause, order.root_cause)
