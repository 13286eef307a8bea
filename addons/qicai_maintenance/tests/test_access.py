from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import QicaiMaintenanceCase


class TestWorkOrderVisibility(QicaiMaintenanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_order = cls._build_on_site(cls.engineer, cls.charger_dc)
        cls.partner_order = cls._build_on_site(cls.partner_user, cls.charger_b)
        cls.own_order.with_user(cls.engineer).action_escalate("Need help")
        cls.partner_order.with_user(cls.partner_user).action_escalate("Need help")
        cls.orders = cls.own_order | cls.partner_order

    @classmethod
    def _build_on_site(cls, engineer, charger):
        report = (
            cls.env["qicai.fault.report"]
            .with_user(cls.service)
            .intake(
                [{"equipment_id": charger.id, "fault_category_id": cls.cat_offline.id}]
            )
        )
        order = report.request_id.with_user(cls.service)
        order.action_classify()
        order.action_dispatch()
        order.with_user(engineer).action_accept()
        order.with_user(engineer).action_arrive()
        return order

    def _visible(self, user, model, domain):
        return self.env[model].with_user(user).search(domain)

    def assertSees(self, user, expected_orders):
        scope = self.orders
        self.assertEqual(
            self._visible(user, "maintenance.request", [("id", "in", scope.ids)]),
            expected_orders,
        )
        for model, field in (
            ("qicai.fault.report", "report_ids"),
            ("qicai.escalation", "escalation_ids"),
            ("qicai.safety.check", "safety_check_ids"),
        ):
            with self.subTest(model=model):
                records = scope.sudo().mapped(field)
                self.assertTrue(records, f"test data lacks {model}")
                self.assertEqual(
                    self._visible(user, model, [("id", "in", records.ids)]),
                    expected_orders.sudo().mapped(field),
                )

    def test_engineers_see_every_order(self):
        for user in (self.engineer, self.outsider, self.technical, self.service):
            with self.subTest(user=user.login):
                self.assertSees(user, self.orders)

    def test_partner_sees_own_team_orders(self):
        self.assertSees(self.partner_user, self.partner_order)

    def test_supplier_sees_nothing_before_escalation(self):
        self.assertSees(self.supplier_user, self.env["maintenance.request"])

    def test_supplier_sees_supported_order(self):
        self.own_order.with_user(self.technical).action_escalate("Manufacturer needed")
        self.assertSees(self.supplier_user, self.own_order)

    def test_partner_cannot_read_other_order(self):
        with self.assertRaises(AccessError):
            self.own_order.with_user(self.partner_user).read(["name"])

    def test_partner_cannot_write_other_order(self):
        with self.assertRaises(AccessError):
            self.own_order.with_user(self.partner_user).write({"root_cause": "x"})

    def test_supplier_sees_partner_order_at_manufacturer(self):
        order = self.partner_order
        self._wizard(
            order,
            self.technical,
            "action_open_escalate_wizard",
            reason="Manufacturer needed",
        )
        self.assertEqual(order.escalation_level, "manufacturer")
        self.assertSees(self.supplier_user, order)


class TestReferenceDataAccess(QicaiMaintenanceCase):
    def test_engineer_cannot_edit_fault_categories(self):
        Category = self.env["qicai.fault.category"].with_user(self.engineer)
        self.assertTrue(Category.search([("id", "=", self.cat_offline.id)]))
        with self.assertRaises(AccessError):
            self.cat_offline.with_user(self.engineer).write({"name": "Offline"})
        with self.assertRaises(AccessError):
            Category.create({"code": "T-99", "name": "New"})

    def test_service_edits_fault_categories(self):
        Category = self.env["qicai.fault.category"].with_user(self.service)
        self.cat_offline.with_user(self.service).write({"solution": "Restart it"})
        category = Category.create({"code": "T-98", "name": "New"})
        self.assertEqual(self.cat_offline.solution, "Restart it")
        with self.assertRaises(AccessError):
            category.unlink()

    def test_manager_deletes_fault_categories(self):
        category = (
            self.env["qicai.fault.category"]
            .with_user(self.manager)
            .create({"code": "T-97", "name": "Temporary"})
        )
        category.unlink()
        self.assertFalse(category.exists())

    def test_only_manager_edits_safety_reference(self):
        records = {
            "qicai.emergency.plan": (
                self.plan_fire,
                {"name": "Fire"},
                {"code": "T-E2", "name": "Flood"},
            ),
            "qicai.emergency.plan.step": (
                self.plan_fire.step_ids[0],
                {"instruction": "Stop"},
                {"plan_id": self.plan_fire.id, "instruction": "Leave"},
            ),
            "qicai.safety.check.item": (
                self.item_ppe,
                {"name": "PPE"},
                {"code": "T-S9", "name": "Gloves"},
            ),
        }
        for model, (record, write_vals, create_vals) in records.items():
            for user in (
                self.engineer,
                self.service,
                self.technical,
                self.partner_user,
            ):
                with self.subTest(model=model, user=user.login):
                    self.assertTrue(record.with_user(user).read(list(write_vals)))
                    with self.assertRaises(AccessError):
                        record.with_user(user).write(write_vals)
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(user).create(create_vals)
            with self.subTest(model=model, user="manager"):
                record.with_user(self.manager).write(write_vals)
                created = self.env[model].with_user(self.manager).create(create_vals)
                created.unlink()

    def test_fault_report_rights(self):
        report = self._intake(self._report_vals(self.charger_dc, self.cat_offline))
        with self.assertRaises(AccessError):
            report.with_user(self.engineer).write({"reporter_name": "X"})
        report.with_user(self.service).write({"reporter_name": "Driver Wang"})
        with self.assertRaises(AccessError):
            report.with_user(self.service).unlink()
        report.with_user(self.manager).unlink()
        self.assertFalse(report.exists())


class TestMultiCompany(QicaiMaintenanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_1 = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Qicai North Co"})
        cls.team_2 = cls.env["maintenance.team"].create(
            {
                "name": "North Co O&M",
                "company_id": cls.company_2.id,
                "member_ids": [(6, 0, cls.engineer.ids)],
            }
        )
        cls.engineer.company_ids |= cls.company_2
        cls.service.company_ids |= cls.company_2
        cls.station_2 = cls.env["qicai.station"].create(
            {
                "name": "North Co Station",
                "code": "T-N2",
                "company_id": cls.company_2.id,
                "team_id": cls.team_2.id,
            }
        )
        cls.charger_2 = cls.env["maintenance.equipment"].create(
            {
                "name": "N2-DC-1",
                "equipment_kind": "charger",
                "station_id": cls.station_2.id,
                "charger_model_id": cls.model_dc.id,
                "company_id": cls.company_2.id,
            }
        )
        cls.user_1 = new_test_user(
            cls.env,
            login="qicai_t_c1",
            groups="qicai_station.group_qicai_service",
            lang="en_US",
        )

    def _report_model(self):
        """Return the report model as the service desk, working in both companies."""
        return (
            self.env["qicai.fault.report"]
            .with_user(self.service)
            .with_context(allowed_company_ids=[self.company_1.id, self.company_2.id])
        )

    def test_intake_takes_station_company(self):
        Report = self._report_model()

        report = Report.intake(
            [
                {
                    "equipment_id": self.charger_2.id,
                    "fault_category_id": self.cat_offline.id,
                }
            ]
        )

        self.assertEqual(report.company_id, self.company_2)
        self.assertRecordValues(
            report.request_id,
            [{"company_id": self.company_2.id, "maintenance_team_id": self.team_2.id}],
        )

    def test_platform_event_per_company(self):
        Report = self._report_model()

        reports = Report.intake(
            [
                self._report_vals(
                    self.charger_dc, self.cat_offline, platform_event_id="E-7"
                ),
                self._report_vals(
                    self.charger_2, self.cat_offline, platform_event_id="E-7"
                ),
            ]
        )

        self.assertNotEqual(reports[0], reports[1])
        self.assertEqual(reports.company_id, self.company_1 | self.company_2)

    def test_other_company_orders_hidden(self):
        Report = self._report_model()
        report = Report.intake(
            [
                {
                    "equipment_id": self.charger_2.id,
                    "fault_category_id": self.cat_offline.id,
                }
            ]
        )

        Request = self.env["maintenance.request"].with_user(self.user_1)
        self.assertFalse(Request.search([("id", "=", report.request_id.id)]))
        self.assertFalse(
            self.env["qicai.fault.report"]
            .with_user(self.user_1)
            .search([("id", "=", report.id)])
        )

    def test_escalation_skips_other_company_supplier(self):
        self.team_supplier.company_id = self.company_2
        order = self._on_site()
        order.with_user(self.engineer).action_escalate("Help")

        with self.assertRaisesRegex(
            UserError, "No supplier team of manufacturer Volt Works"
        ):
            order.with_user(self.technical).action_escalate("More help")
