from odoo.exceptions import AccessError, UserError

from .common import QicaiMaintenanceCase


class TestStateGuards(QicaiMaintenanceCase):
    """Every action refuses an order in the wrong state."""

    def assertWrongState(self, order, action, *args, user=None):
        with self.assertRaisesRegex(UserError, r"^Cannot .* work order .* in state"):
            getattr(order.with_user(user or self.service), action)(*args)

    def test_classify_only_new(self):
        order = self._classified()
        self.assertWrongState(order, "action_classify")

    def test_dispatch_only_classified(self):
        self.assertWrongState(self._new_order(), "action_dispatch")
        self.assertWrongState(
            self._accepted(charger=self.charger_ac), "action_dispatch"
        )

    def test_accept_only_dispatched(self):
        order = self._classified()
        self.assertWrongState(order, "action_accept", user=self.engineer)

    def test_arrive_only_accepted(self):
        order = self._dispatched()
        self.assertWrongState(order, "action_arrive", user=self.engineer)

    def test_start_only_on_site(self):
        order = self._accepted()
        self.assertWrongState(order, "action_start", user=self.engineer)

    def test_resolve_on_site_only_in_progress(self):
        order = self._on_site()
        order.with_user(self.engineer).write({"root_cause": "x", "actions_taken": "y"})
        self.assertWrongState(order, "action_resolve", user=self.engineer)

    def test_resolve_remote_only_classified(self):
        order = self._new_order(category=self.cat_app)
        order.write(
            {"resolution_mode": "remote", "root_cause": "x", "actions_taken": "y"}
        )
        self.assertWrongState(order, "action_resolve")

    def test_feedback_only_resolved(self):
        order = self._in_progress()
        self.assertWrongState(order, "action_notify_customer", "Told the driver")

    def test_close_only_resolved(self):
        order = self._in_progress()
        self.assertWrongState(order, "action_close")

    def test_reopen_only_resolved(self):
        order = self._closed()
        self.assertWrongState(order, "action_reopen")

    def test_callback_only_closed(self):
        order = self._resolved()
        self.assertWrongState(order, "action_record_callback", "5")

    def test_cancel_only_open(self):
        self.assertWrongState(self._resolved(), "action_cancel", "Duplicate")
        self.assertWrongState(
            self._closed(charger=self.charger_ac), "action_cancel", "Duplicate"
        )

    def test_escalate_only_after_acceptance(self):
        order = self._dispatched()
        self.assertWrongState(order, "action_escalate", "Need help", user=self.engineer)


class TestGroupGuards(QicaiMaintenanceCase):
    """Service management steps are closed to engineers, and on-site steps to
    anybody but the assigned engineer and the current support level."""

    def assertForbidden(self, order, user, action, *args):
        with self.assertRaisesRegex(AccessError, "Only members of Service Management"):
            getattr(order.with_user(user), action)(*args)

    def test_engineer_cannot_classify(self):
        self.assertForbidden(self._new_order(), self.engineer, "action_classify")

    def test_engineer_cannot_dispatch(self):
        self.assertForbidden(self._classified(), self.engineer, "action_dispatch")

    def test_engineer_cannot_close(self):
        self.assertForbidden(self._resolved(), self.engineer, "action_close")

    def test_engineer_cannot_callback(self):
        self.assertForbidden(
            self._closed(), self.engineer, "action_record_callback", "5"
        )

    def test_engineer_cannot_cancel(self):
        self.assertForbidden(self._dispatched(), self.engineer, "action_cancel", "x")

    def test_engineer_cannot_reopen(self):
        self.assertForbidden(self._resolved(), self.engineer, "action_reopen")

    def test_engineer_cannot_feed_back(self):
        self.assertForbidden(
            self._resolved(), self.engineer, "action_notify_customer", "Told them"
        )

    def test_engineer_cannot_resolve_remotely(self):
        order = self._classified(mode="remote", category=self.cat_app)
        order.write({"root_cause": "x", "actions_taken": "y"})
        self.assertForbidden(order, self.engineer, "action_resolve")

    def test_technical_cannot_classify(self):
        self.assertForbidden(self._new_order(), self.technical, "action_classify")

    def test_partner_cannot_cancel(self):
        order = self._dispatched(charger=self.charger_b)
        self.assertForbidden(order, self.partner_user, "action_cancel", "x")

    def test_only_assigned_engineer_works_on_site(self):
        order = self._accepted()

        for user in (self.engineer2, self.service, self.technical):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(AccessError, "is assigned to Test eng1"):
                    order.with_user(user).action_arrive()

        order.with_user(self.engineer).action_arrive()
        order.with_user(self.engineer).safety_check_ids.write({"confirmed": True})
        with self.assertRaisesRegex(AccessError, "is assigned to Test eng1"):
            order.with_user(self.engineer2).action_start()
        order.with_user(self.engineer).action_start()
        order.with_user(self.engineer).write({"root_cause": "x", "actions_taken": "y"})
        with self.assertRaisesRegex(AccessError, "is assigned to Test eng1"):
            order.with_user(self.engineer2).action_resolve()

    def test_manager_may_work_any_order(self):
        order = self._accepted()

        order.with_user(self.manager).action_arrive()
        order.with_user(self.manager).safety_check_ids.write({"confirmed": True})
        order.with_user(self.manager).action_start()
        self._resolve(order, self.manager)

        self.assertEqual(order.work_state, "resolved")

    def test_technical_works_at_technical_level(self):
        order = self._on_site()
        order.with_user(self.engineer).action_escalate("Cannot find the fault")

        order.with_user(self.technical).safety_check_ids.write({"confirmed": True})
        order.with_user(self.technical).action_start()
        self._resolve(order, self.technical)

        self.assertEqual(order.work_state, "resolved")


class TestDirectWrites(QicaiMaintenanceCase):
    """The state moves only through the actions."""

    def test_work_state_write_rejected(self):
        order = self._new_order()
        for user in (self.service, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(
                    UserError, "changes only through its buttons"
                ):
                    order.with_user(user).write({"work_state": "closed"})
        self.assertEqual(order.work_state, "new")

    def test_stage_write_rejected(self):
        order = self._new_order()
        closed = self.env.ref("qicai_maintenance.stage_closed")
        with self.assertRaisesRegex(UserError, "Stage of work order"):
            order.with_user(self.manager).write({"stage_id": closed.id})
        self.assertEqual(
            order.stage_id, self.env.ref("qicai_maintenance.stage_reported")
        )

    def test_escalation_level_write_rejected(self):
        order = self._accepted()
        with self.assertRaisesRegex(UserError, "Escalation Level of work order"):
            order.with_user(self.manager).write({"escalation_level": "manufacturer"})

    def test_create_in_later_state_rejected(self):
        Request = self.env["maintenance.request"].with_user(self.service)
        with self.assertRaisesRegex(UserError, "cannot be created in a later state"):
            Request.create(
                {
                    "name": "Backdated",
                    "station_id": self.station_a.id,
                    "fault_category_id": self.cat_offline.id,
                    "work_state": "closed",
                }
            )

    def test_create_with_stage_follows_state(self):
        closed = self.env.ref("qicai_maintenance.stage_closed")
        order = (
            self.env["maintenance.request"]
            .with_user(self.service)
            .create(
                {
                    "name": "From a kanban column",
                    "station_id": self.station_a.id,
                    "fault_category_id": self.cat_offline.id,
                    "stage_id": closed.id,
                }
            )
        )

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "new",
                    "stage_id": self.env.ref("qicai_maintenance.stage_reported").id,
                    "close_date": False,
                }
            ],
        )

    def test_stage_follows_each_transition(self):
        order = self._in_progress()
        self.assertEqual(
            order.stage_id, self.env.ref("qicai_maintenance.stage_in_progress")
        )
        self._resolve(order, self.engineer)
        self.assertEqual(
            order.stage_id, self.env.ref("qicai_maintenance.stage_resolved")
        )

    def test_generic_request_keeps_core_stages(self):
        request = self.env["maintenance.request"].create(
            {"name": "Repaint the canopy", "maintenance_team_id": self.team_own.id}
        )
        done = self.env["maintenance.stage"].search([("done", "=", True)], limit=1)

        request.write({"stage_id": done.id})

        self.assertEqual(request.stage_id, done)


class TestDispatch(QicaiMaintenanceCase):
    def test_dispatch_to_covering_team(self):
        order = self._dispatched()

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "dispatched",
                    "maintenance_team_id": self.team_own.id,
                    "stage_id": self.env.ref("qicai_maintenance.stage_dispatched").id,
                }
            ],
        )
        self.assertTrue(order.dispatched_at)
        self.assertLessEqual(
            self.engineer.partner_id | self.engineer2.partner_id,
            order.message_partner_ids,
            "the team members follow the dispatched order",
        )

    def test_remote_order_not_dispatched(self):
        order = self._classified(mode="remote", category=self.cat_app)
        with self.assertRaisesRegex(UserError, "is to be solved remotely or by phone"):
            order.action_dispatch()

    def test_phone_order_not_dispatched(self):
        order = self._classified(mode="phone", category=self.cat_app)
        with self.assertRaisesRegex(UserError, "is to be solved remotely or by phone"):
            order.action_dispatch()

    def test_no_covering_team(self):
        order = self._classified(charger=self.charger_c)

        with self.assertRaises(UserError) as caught:
            order.action_dispatch()

        message = str(caught.exception)
        self.assertIn(
            "No O&M team with an active contract covers station [T-C]", message
        )
        self.assertIn(order.display_name, message)
        self.assertIn("Set the station's responsible team", message)
        self.assertEqual(order.work_state, "classified")

    def test_expired_contract_skipped(self):
        order = self._classified(charger=self.charger_d)
        order.maintenance_team_id = self.team_expired

        order.action_dispatch()

        self.assertEqual(order.maintenance_team_id, self.team_north)

    def test_chosen_covering_team_kept(self):
        self.team_partner.station_ids |= self.station_a
        order = self._classified()
        order.maintenance_team_id = self.team_partner

        order.action_dispatch()

        self.assertEqual(order.maintenance_team_id, self.team_partner)

    def test_team_not_covering_replaced(self):
        order = self._classified()
        order.maintenance_team_id = self.team_north

        order.action_dispatch()

        self.assertEqual(order.maintenance_team_id, self.team_own)

    def test_team_without_members(self):
        self.team_own.member_ids = False
        order = self._classified()

        with self.assertRaisesRegex(UserError, "Team Futian O&M has no members"):
            order.action_dispatch()

    def test_several_uncovered_listed(self):
        first = self._classified(charger=self.charger_c)
        second = self._classified(charger=self.charger_c, category=self.cat_app)

        with self.assertRaises(UserError) as caught:
            (first | second).action_dispatch()

        self.assertIn(first.display_name, str(caught.exception))
        self.assertIn(second.display_name, str(caught.exception))
