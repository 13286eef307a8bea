from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .common import QicaiMaintenanceCase


class TestEscalation(QicaiMaintenanceCase):
    def _to_technical(self, order, user=None):
        self._wizard(
            order,
            user or self.engineer,
            "action_open_escalate_wizard",
            reason="Replaced the fuse, still no output",
        )

    def _to_manufacturer(self, order):
        self._wizard(
            order,
            self.technical,
            "action_open_escalate_wizard",
            reason="Firmware fault suspected",
            support_mode="on_site",
        )

    def test_chain_order(self):
        order = self._on_site()

        self._to_technical(order)
        self.assertEqual(order.escalation_level, "technical")
        self.assertFalse(order.support_team_id)

        self._to_manufacturer(order)
        self.assertEqual(order.escalation_level, "manufacturer")
        self.assertEqual(order.support_team_id, self.team_supplier)

        with self.assertRaisesRegex(UserError, "already with the manufacturer"):
            order.with_user(self.manager).action_escalate("Still broken")

    def test_history_lines(self):
        order = self._on_site()
        start = fields.Datetime.now().replace(microsecond=0)
        with freeze_time(start + timedelta(hours=1)):
            self._to_technical(order)
        with freeze_time(start + timedelta(hours=3)):
            self._to_manufacturer(order)

        self.assertRecordValues(
            order.escalation_ids,
            [
                {
                    "from_level": "engineer",
                    "to_level": "technical",
                    "user_id": self.engineer.id,
                    "escalated_at": start + timedelta(hours=1),
                    "support_mode": "remote",
                    "support_team_id": False,
                    "reason": "Replaced the fuse, still no output",
                    "is_automatic": False,
                    "closed_at": False,
                },
                {
                    "from_level": "technical",
                    "to_level": "manufacturer",
                    "user_id": self.technical.id,
                    "escalated_at": start + timedelta(hours=3),
                    "support_mode": "on_site",
                    "support_team_id": self.team_supplier.id,
                    "reason": "Firmware fault suspected",
                    "is_automatic": False,
                    "closed_at": False,
                },
            ],
        )

    def test_resolution_closes_history(self):
        order = self._on_site()
        self._to_technical(order)
        order.with_user(self.technical).safety_check_ids.write({"confirmed": True})
        order.with_user(self.technical).action_start()

        resolved_at = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=2)
        with freeze_time(resolved_at):
            self._resolve(order, self.technical)

        self.assertRecordValues(
            order.escalation_ids, [{"result": "Tightened it", "closed_at": resolved_at}]
        )

    def test_reason_required(self):
        order = self._on_site()
        for reason in (False, "", "   "):
            with self.subTest(reason=reason):
                with self.assertRaisesRegex(
                    UserError, "Give the reason for the escalation"
                ):
                    order.with_user(self.engineer).action_escalate(reason)
        self.assertEqual(order.escalation_level, "engineer")

    def test_who_escalates_to_technical(self):
        for user in (self.engineer2, self.technical, self.outsider):
            with self.subTest(user=user.login):
                order = self._accepted(charger=self.charger_ac)
                with self.assertRaisesRegex(AccessError, "may not escalate work order"):
                    order.with_user(user).action_escalate("Help")
                order.with_user(self.service).action_cancel("Test finished")

        for user in (self.engineer, self.service):
            with self.subTest(user=user.login):
                order = self._accepted()
                order.with_user(user).action_escalate("Help")
                self.assertEqual(order.escalation_level, "technical")
                order.with_user(self.service).action_cancel("Test finished")

    def test_who_escalates_to_manufacturer(self):
        order = self._accepted()
        order.with_user(self.engineer).action_escalate("Help")

        for user in (self.engineer, self.service, self.supplier_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    order.with_user(user).action_escalate("More help")
        self.assertEqual(order.escalation_level, "technical")

        order.with_user(self.technical).action_escalate("More help")
        self.assertEqual(order.escalation_level, "manufacturer")

    def test_manufacturer_contact_person_matches(self):
        contact = self.env["res.partner"].create(
            {"name": "Volt Works service desk", "parent_id": self.manufacturer.id}
        )
        self.team_supplier.provider_partner_id = contact
        order = self._on_site()
        self._to_technical(order)

        self._to_manufacturer(order)

        self.assertEqual(order.support_team_id, self.team_supplier)

    def test_no_manufacturer_team(self):
        self.station_c.team_id = self.team_own
        order = self._on_site(charger=self.charger_c)
        order.with_user(self.manager).action_escalate("Help")

        with self.assertRaises(UserError) as caught:
            order.with_user(self.technical).action_escalate("More help")

        message = str(caught.exception)
        self.assertIn(
            "No supplier team of manufacturer Amp Co has an active contract", message
        )
        self.assertIn(order.display_name, message)
        self.assertEqual(order.escalation_level, "technical")

    def test_expired_manufacturer_contract(self):
        self.team_supplier.contract_end = self.today - timedelta(days=1)
        order = self._on_site()
        self._to_technical(order)

        with self.assertRaisesRegex(
            UserError, "No supplier team of manufacturer Volt Works"
        ):
            self._to_manufacturer(order)

    def test_partner_team_of_manufacturer_not_used(self):
        self.team_supplier.provider_type = "partner"
        order = self._on_site()
        self._to_technical(order)

        with self.assertRaisesRegex(UserError, "No supplier team of manufacturer"):
            order.with_user(self.technical).action_escalate("More help")

    def test_technical_department_notified(self):
        order = self._on_site()
        self._to_technical(order)

        self.assertIn(self.technical.partner_id, order.message_partner_ids)
        self.assertIn("Escalated to Technical Department", order.message_ids[0].body)

    def test_supplier_sees_and_works_supported_order(self):
        order = self._on_site(charger=self.charger_dc, category=self.cat_module)
        Request = self.env["maintenance.request"].with_user(self.supplier_user)
        self.assertFalse(Request.search([("id", "=", order.id)]))

        self._to_technical(order)
        self._to_manufacturer(order)

        self.assertEqual(Request.search([("id", "=", order.id)]), order)
        self.assertIn(self.supplier_user.partner_id, order.message_partner_ids)
        as_supplier = order.with_user(self.supplier_user)
        self.assertEqual(len(as_supplier.report_ids), 1)
        self.assertEqual(len(as_supplier.escalation_ids), 2)
        self.assertEqual(as_supplier.equipment_id.name, "A-DC-1")
        self.assertEqual(as_supplier.station_id.name, "Futian Hub")

        as_supplier.safety_check_ids.write({"confirmed": True})
        as_supplier.action_start()
        self._resolve(order, self.supplier_user)

        self.assertEqual(order.work_state, "resolved")
        self.assertEqual(order.safety_check_ids.confirmed_by_id, self.supplier_user)

    def test_supplier_cannot_work_before_escalation(self):
        order = self._on_site()
        with self.assertRaises(AccessError):
            order.with_user(self.supplier_user).action_start()
