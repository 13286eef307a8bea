from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user

from .common import QicaiMaintenanceCase

NO_MAIL = {"tracking_disable": True, "mail_notrack": True}


class TestAcceptanceRace(TransactionCase):
    """Two engineers accept one dispatched order through two database cursors.

    Other cursors cannot see the uncommitted data of the test transaction, so
    the order and its team are committed first and deleted after the class.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL))
            cls.engineer_ids = [
                new_test_user(
                    env,
                    login=f"qicai_race_{n}",
                    name=f"Race eng{n}",
                    groups="qicai_station.group_qicai_engineer",
                    lang="en_US",
                    notification_type="inbox",
                    context=NO_MAIL,
                ).id
                for n in (1, 2)
            ]
            team = env["maintenance.team"].create(
                {"name": "Race team", "member_ids": [(6, 0, cls.engineer_ids)]}
            )
            station = env["qicai.station"].create(
                {"name": "Race station", "code": "T-RACE", "team_id": team.id}
            )
            category = env["qicai.fault.category"].create(
                {"code": "T-RACE", "name": "Race fault", "default_urgency": "urgent"}
            )
            order = env["maintenance.request"].create(
                {
                    "name": "Race order",
                    "station_id": station.id,
                    "fault_category_id": category.id,
                }
            )
            order.action_classify()
            order.action_dispatch()
            cls.order_id = order.id
            cls.committed = [
                ("maintenance.request", order.ids),
                ("qicai.fault.category", category.ids),
                ("qicai.station", station.ids),
                ("maintenance.team", team.ids),
                ("res.users", cls.engineer_ids),
                (
                    "res.partner",
                    env["res.users"].browse(cls.engineer_ids).partner_id.ids,
                ),
            ]
        cls.addClassCleanup(cls._delete_committed)

    @classmethod
    def _delete_committed(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, dict(NO_MAIL))
            for model, ids in cls.committed:
                env[model].browse(ids).exists().unlink()

    def _order_as(self, cr, user_id):
        env = api.Environment(cr, user_id, dict(NO_MAIL))
        return env["maintenance.request"].browse(self.order_id)

    def test_simultaneous_acceptance(self):
        first_id, second_id = self.engineer_ids
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._order_as(cr1, first_id)
            second = self._order_as(cr2, second_id)
            # Both phones show the order as free.
            self.assertEqual(first.work_state, "dispatched")
            self.assertEqual(second.work_state, "dispatched")

            first.action_accept()
            # The first transaction still holds the row lock here.
            with self.assertRaisesRegex(
                UserError, "Another engineer is accepting work order Race order"
            ):
                second.action_accept()
            # The failed lock did not abort the second transaction, which can
            # still read the order as it was when that transaction started.
            second.invalidate_recordset()
            self.assertEqual(second.work_state, "dispatched")
            cr2.rollback()
            cr1.commit()

        with self.registry.cursor() as cr3:
            late = self._order_as(cr3, second_id)
            with self.assertRaisesRegex(
                UserError, "Work order Race order was already accepted by Race eng1"
            ):
                late.action_accept()
            cr3.rollback()

        with self.registry.cursor() as cr4:
            order = self._order_as(cr4, SUPERUSER_ID)
            self.assertEqual(order.work_state, "accepted")
            self.assertEqual(order.user_id.id, first_id)


class TestAcceptance(QicaiMaintenanceCase):
    def test_accept_records_engineer(self):
        order = self._dispatched()

        order.with_user(self.engineer).action_accept()

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "accepted",
                    "user_id": self.engineer.id,
                    "stage_id": self.env.ref("qicai_maintenance.stage_accepted").id,
                }
            ],
        )
        self.assertTrue(order.accepted_at)

    def test_second_engineer_after_first(self):
        order = self._dispatched()
        order.with_user(self.engineer).action_accept()

        with self.assertRaisesRegex(UserError, "was already accepted by Test eng1"):
            order.with_user(self.engineer2).action_accept()
        self.assertEqual(order.user_id, self.engineer)

    def test_non_member_cannot_accept(self):
        order = self._dispatched()

        for user in (self.outsider, self.technical, self.service):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(
                    AccessError, f"{user.name} is not a member of team Futian O&M"
                ):
                    order.with_user(user).action_accept()
        self.assertEqual(order.work_state, "dispatched")

    def test_manager_may_accept(self):
        order = self._dispatched()
        order.with_user(self.manager).action_accept()
        self.assertEqual(order.user_id, self.manager)

    def test_partner_accepts_own_team_order(self):
        order = self._dispatched(charger=self.charger_b)

        order.with_user(self.partner_user).action_accept()

        self.assertEqual(order.user_id, self.partner_user)

    def test_partner_cannot_see_other_team_order(self):
        order = self._dispatched()

        for user in (self.partner_user, self.supplier_user):
            with self.subTest(user=user.login):
                Request = self.env["maintenance.request"].with_user(user)
                self.assertFalse(Request.search([("id", "=", order.id)]))
                with self.assertRaises(AccessError):
                    order.with_user(user).action_accept()
