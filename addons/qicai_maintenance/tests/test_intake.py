from odoo.exceptions import AccessError, UserError

from .common import QicaiMaintenanceCase


class TestIntake(QicaiMaintenanceCase):
    def test_new_order_per_fault(self):
        reports = self._intake(
            self._report_vals(self.charger_dc, self.cat_offline),
            self._report_vals(self.charger_ac, self.cat_offline),
            self._report_vals(self.charger_dc, self.cat_app),
            {"station_id": self.station_a.id, "fault_category_id": self.cat_offline.id},
        )

        orders = reports.request_id
        self.assertEqual(
            len(orders), 4, "each (station, charger, category) opens one order"
        )
        self.assertFalse(any(reports.mapped("is_duplicate")))
        self.assertRecordValues(
            reports.mapped("request_id"),
            [
                {
                    "equipment_id": self.charger_dc.id,
                    "fault_category_id": self.cat_offline.id,
                },
                {
                    "equipment_id": self.charger_ac.id,
                    "fault_category_id": self.cat_offline.id,
                },
                {
                    "equipment_id": self.charger_dc.id,
                    "fault_category_id": self.cat_app.id,
                },
                {"equipment_id": False, "fault_category_id": self.cat_offline.id},
            ],
        )

    def test_second_report_linked(self):
        first = self._intake(self._report_vals(self.charger_dc, self.cat_offline))
        order = first.request_id

        second = self._intake(
            self._report_vals(
                self.charger_dc,
                self.cat_offline,
                source_channel="qr_code",
                reporter_name="Driver Li",
            )
        )

        self.assertEqual(second.request_id, order)
        self.assertRecordValues(
            first | second, [{"is_duplicate": False}, {"is_duplicate": True}]
        )
        self.assertEqual(order.report_count, 2)
        self.assertIn(
            "1 more report(s) of this fault were linked",
            order.message_ids[0].body,
        )
        self.assertTrue(
            order.customer_feedback_required,
            "a linked QR report makes the order need customer feedback",
        )

    def test_duplicates_in_one_batch(self):
        reports = self._intake(
            self._report_vals(self.charger_dc, self.cat_offline),
            self._report_vals(self.charger_dc, self.cat_offline),
            self._report_vals(self.charger_dc, self.cat_offline),
        )

        self.assertEqual(len(reports.request_id), 1)
        self.assertEqual(reports.mapped("is_duplicate"), [False, True, True])
        self.assertEqual(reports.request_id.report_count, 3)

    def test_report_after_closure_opens_new_order(self):
        order = self._closed()

        report = self._intake(self._report_vals(self.charger_dc, self.cat_offline))

        self.assertNotEqual(report.request_id, order)
        self.assertFalse(report.is_duplicate)
        self.assertEqual(report.request_id.work_state, "new")

    def test_report_after_cancel_opens_new_order(self):
        order = self._new_order()
        order.action_cancel("False alarm")

        report = self._intake(self._report_vals(self.charger_dc, self.cat_offline))

        self.assertNotEqual(report.request_id, order)

    def test_platform_event_once_per_batch(self):
        reports = self._intake(
            self._report_vals(
                self.charger_dc, self.cat_offline, platform_event_id="E-1"
            ),
            self._report_vals(self.charger_ac, self.cat_offline),
            self._report_vals(
                self.charger_dc, self.cat_offline, platform_event_id="E-1"
            ),
        )

        self.assertEqual(len(reports), 3, "one result per report given")
        self.assertEqual(reports[0], reports[2])
        self.assertNotEqual(reports[0], reports[1])
        self.assertEqual(reports[1].equipment_id, self.charger_ac)
        self.assertEqual(
            self.env["qicai.fault.report"].search_count(
                [("platform_event_id", "=", "E-1")]
            ),
            1,
        )

    def test_platform_event_across_batches(self):
        first = self._intake(
            self._report_vals(
                self.charger_dc, self.cat_offline, platform_event_id="E-2"
            )
        )
        orders_before = self.env["maintenance.request"].search_count([])

        again = self._intake(
            self._report_vals(self.charger_ac, self.cat_app),
            self._report_vals(
                self.charger_dc, self.cat_offline, platform_event_id="E-2"
            ),
        )

        self.assertEqual(again[1], first)
        self.assertEqual(again[0].equipment_id, self.charger_ac)
        self.assertEqual(first.request_id.report_count, 1)
        self.assertEqual(
            self.env["maintenance.request"].search_count([]),
            orders_before + 1,
            "only the report of the new fault opened an order",
        )

    def test_numeric_platform_event(self):
        first = self._intake(
            self._report_vals(
                self.charger_dc, self.cat_offline, platform_event_id=4711
            ),
            self._report_vals(
                self.charger_dc, self.cat_offline, platform_event_id=4711
            ),
        )
        again = self._intake(
            self._report_vals(self.charger_dc, self.cat_offline, platform_event_id=4711)
        )

        self.assertEqual(first[0], first[1])
        self.assertEqual(again, first[0])
        self.assertEqual(first[0].platform_event_id, "4711")

    def test_invalid_reports_leave_nothing(self):
        reports_before = self.env["qicai.fault.report"].search_count([])
        orders_before = self.env["maintenance.request"].search_count([])

        # Called without assertRaises, whose savepoint would hide records
        # that the failed call left behind.
        try:
            self._intake(
                self._report_vals(self.charger_dc, self.cat_offline),
                {"fault_category_id": self.cat_offline.id},
                {"station_id": self.station_a.id},
                self._report_vals(
                    self.charger_b, self.cat_offline, station_id=self.station_a.id
                ),
            )
        except UserError as error:
            message = str(error)
        else:
            self.fail("invalid reports were taken in")

        self.assertIn("report 2: no station and no charger", message)
        self.assertIn("report 3: no fault category", message)
        self.assertIn(
            "report 4: charger B-DC-1 belongs to station [T-B] Partner Park", message
        )
        self.assertNotIn("report 1", message)
        self.assertEqual(
            self.env["qicai.fault.report"].search_count([]), reports_before
        )
        self.assertEqual(
            self.env["maintenance.request"].search_count([]), orders_before
        )

    def test_unknown_records_rejected(self):
        cases = [
            (
                {"station_id": 999999, "fault_category_id": self.cat_offline.id},
                "station 999999 does not exist",
            ),
            (
                {"equipment_id": 999999, "fault_category_id": self.cat_offline.id},
                "charger 999999 does not exist",
            ),
            (
                {"station_id": self.station_a.id, "fault_category_id": 999999},
                "fault category 999999 does not exist",
            ),
        ]
        for vals, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesRegex(UserError, message):
                    self._intake(vals)

    def test_connector_of_other_charger_rejected(self):
        connector = self.charger_ac.connector_ids
        with self.assertRaisesRegex(
            UserError,
            f"report 1: connector {connector.id} is not a connector of the report's "
            "charger",
        ):
            self._intake(
                self._report_vals(
                    self.charger_dc, self.cat_offline, connector_id=connector.id
                )
            )

    def test_order_values_from_intake(self):
        report = self._intake(
            self._report_vals(
                self.charger_dc,
                self.cat_fire,
                source_channel="platform",
                connector_id=self.charger_dc.connector_ids[1].id,
                reporter_name="Platform",
            )
        )
        order = report.request_id

        self.assertRecordValues(
            report,
            [{"station_id": self.station_a.id, "company_id": self.env.company.id}],
        )
        self.assertRecordValues(
            order,
            [
                {
                    "station_id": self.station_a.id,
                    "maintenance_team_id": self.team_own.id,
                    "connector_id": self.charger_dc.connector_ids[1].id,
                    "source_channel": "platform",
                    "fault_class": "serious",
                    "urgency": "urgent",
                    "priority": "3",
                    "work_state": "new",
                    "stage_id": self.env.ref("qicai_maintenance.stage_reported").id,
                    "emergency_plan_id": self.plan_fire.id,
                }
            ],
        )

    def test_priority_from_class_and_urgency(self):
        cases = [
            (self.cat_fire, "3"),
            (self.cat_offline, "2"),
            (self.cat_app, "1"),
        ]
        for category, priority in cases:
            with self.subTest(category=category.code):
                order = self._new_order(category=category)
                self.assertEqual(order.priority, priority)

        order = self._new_order(category=self.cat_app, charger=self.charger_ac)
        order.write({"fault_class": "serious"})
        self.assertEqual(order.priority, "2", "serious and non-urgent")

    def test_team_from_covering_team(self):
        reports = self._intake(
            self._report_vals(self.charger_b, self.cat_offline),
            self._report_vals(self.charger_d, self.cat_offline),
        )

        self.assertEqual(reports[0].request_id.maintenance_team_id, self.team_partner)
        self.assertEqual(
            reports[1].request_id.maintenance_team_id,
            self.team_north,
            "the expired responsible team is skipped for the region's team",
        )

    def test_intake_by_engineer(self):
        report = self._intake(
            self._report_vals(self.charger_dc, self.cat_offline), user=self.engineer
        )
        self.assertEqual(report.request_id.work_state, "new")

    def test_partner_cannot_intake(self):
        with self.assertRaises(AccessError):
            self._intake(
                self._report_vals(self.charger_b, self.cat_offline),
                user=self.partner_user,
            )
