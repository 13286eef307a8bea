from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError

from .common import QicaiMaintenanceCase


class TestResolution(QicaiMaintenanceCase):
    def test_root_cause_and_actions_required(self):
        order = self._in_progress()
        as_engineer = order.with_user(self.engineer)
        for vals in (
            {"root_cause": False, "actions_taken": "Tightened it"},
            {"root_cause": "Loose terminal", "actions_taken": False},
        ):
            with self.subTest(vals=vals):
                as_engineer.write(vals)
                with self.assertRaisesRegex(
                    UserError, "needs a root cause and the actions taken"
                ):
                    as_engineer.action_resolve()
        self.assertEqual(order.work_state, "in_progress")

    def test_on_site_resolution(self):
        order = self._in_progress()
        resolved_at = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=1)

        with freeze_time(resolved_at):
            self._resolve(order, self.engineer)

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "resolved",
                    "resolution_mode": "on_site",
                    "resolved_at": resolved_at,
                    "stage_id": self.env.ref("qicai_maintenance.stage_resolved").id,
                }
            ],
        )

    def test_remote_resolution_without_dispatch(self):
        for mode, charger in (("remote", self.charger_dc), ("phone", self.charger_ac)):
            with self.subTest(mode=mode):
                order = self._classified(
                    mode=mode, category=self.cat_app, charger=charger
                )
                order.write({"root_cause": "Stuck session", "actions_taken": "Reset"})

                order.action_resolve()

                self.assertRecordValues(
                    order,
                    [
                        {
                            "work_state": "resolved",
                            "resolution_mode": mode,
                            "dispatched_at": False,
                            "accepted_at": False,
                            "user_id": False,
                            "kpi_remote": 1.0,
                        }
                    ],
                )
                self.assertTrue(order.resolved_at)

    def test_reopen_on_site(self):
        order = self._resolved()
        self._wizard(
            order, self.service, "action_open_feedback_wizard", feedback="Fixed"
        )

        order.action_reopen()

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "in_progress",
                    "reopen_count": 1,
                    "resolved_at": False,
                    "customer_notified_at": False,
                }
            ],
        )
        self._resolve(order, self.engineer)
        order.action_reopen()
        self.assertEqual(order.reopen_count, 2)

    def test_reopen_remote(self):
        order = self._classified(mode="remote", category=self.cat_app)
        order.write({"root_cause": "Stuck session", "actions_taken": "Reset"})
        order.action_resolve()

        order.action_reopen()

        self.assertRecordValues(
            order,
            [{"work_state": "classified", "reopen_count": 1, "resolved_at": False}],
        )


class TestClosure(QicaiMaintenanceCase):
    def test_customer_order_needs_feedback(self):
        order = self._resolved(source_channel="qr_code")
        self.assertTrue(order.customer_feedback_required)

        with self.assertRaisesRegex(
            UserError, "came from a customer: feed the result back"
        ):
            order.action_close()

        self._wizard(
            order,
            self.service,
            "action_open_feedback_wizard",
            feedback="Fixed, please try again.",
        )
        order.action_close()

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "closed",
                    "customer_feedback": "Fixed, please try again.",
                    "closed_by_id": self.service.id,
                    "stage_id": self.env.ref("qicai_maintenance.stage_closed").id,
                }
            ],
        )
        self.assertTrue(order.customer_notified_at)
        self.assertTrue(order.closed_at)
        self.assertEqual(order.close_date, order.closed_at.date())

    def test_linked_customer_report_needs_feedback(self):
        order = self._new_order(source_channel="platform")
        self.assertFalse(order.customer_feedback_required)

        self._intake(
            self._report_vals(
                self.charger_dc, self.cat_offline, source_channel="customer_service"
            )
        )

        self.assertTrue(order.customer_feedback_required)

    def test_platform_order_closes_without_feedback(self):
        order = self._resolved(source_channel="platform")
        order.action_close()
        self.assertEqual(order.work_state, "closed")
        self.assertFalse(order.customer_notified_at)

    def test_feedback_text_required(self):
        order = self._resolved()
        for feedback in (False, "  "):
            with self.subTest(feedback=feedback):
                with self.assertRaisesRegex(
                    UserError, "Write what was told to the customer"
                ):
                    order.action_notify_customer(feedback)

    def test_feedback_posted(self):
        order = self._resolved()
        self._wizard(
            order, self.service, "action_open_feedback_wizard", feedback="Fixed"
        )
        self.assertIn(
            "Result fed back to the customer: Fixed", order.message_ids[0].body
        )


class TestCallback(QicaiMaintenanceCase):
    def test_callback_recorded(self):
        order = self._closed()
        called_at = fields.Datetime.now().replace(microsecond=0) + timedelta(days=1)

        with freeze_time(called_at):
            self._wizard(
                order,
                self.service,
                "action_open_callback_wizard",
                satisfaction="4",
                comment="Quick fix",
            )

        self.assertRecordValues(
            order,
            [
                {
                    "callback_at": called_at,
                    "callback_by_id": self.service.id,
                    "callback_satisfaction": "4",
                    "callback_comment": "Quick fix",
                    "callback_score": 4.0,
                }
            ],
        )

    def test_callback_only_once(self):
        order = self._closed()
        order.action_record_callback(5)

        with self.assertRaisesRegex(UserError, "was already called back"):
            order.action_record_callback(3)
        self.assertEqual(order.callback_satisfaction, "5")

    def test_satisfaction_validated(self):
        order = self._closed()
        for value in (0, 6, "x", False, "4.5"):
            with self.subTest(value=value):
                with self.assertRaisesRegex(UserError, "give a score from 1 to 5"):
                    order.action_record_callback(value)
        self.assertFalse(order.callback_at)

    def test_every_score_accepted(self):
        for score in range(1, 6):
            with self.subTest(score=score):
                order = self._closed(charger=self.charger_ac)
                order.action_record_callback(score)
                self.assertEqual(order.callback_score, float(score))
                order.archive_equipment_request()


class TestCancelAndDelete(QicaiMaintenanceCase):
    def test_cancel_needs_reason(self):
        order = self._dispatched()
        for reason in (False, "", " \n "):
            with self.subTest(reason=reason):
                with self.assertRaisesRegex(
                    UserError, "Give the reason for cancelling"
                ):
                    order.action_cancel(reason)
        self.assertEqual(order.work_state, "dispatched")

    def test_cancel_through_wizard(self):
        order = self._dispatched()

        self._wizard(
            order, self.service, "action_open_cancel_wizard", reason="False alarm"
        )

        self.assertRecordValues(
            order,
            [
                {
                    "work_state": "cancelled",
                    "cancel_reason": "False alarm",
                    "stage_id": self.env.ref("qicai_maintenance.stage_cancelled").id,
                }
            ],
        )
        self.assertTrue(order.cancelled_at)

    def test_closed_order_not_deleted(self):
        order = self._closed()
        with self.assertRaisesRegex(UserError, "cannot be deleted. Archive it instead"):
            order.with_user(self.manager).unlink()
        self.assertTrue(order.exists())

    def test_closed_order_archived(self):
        order = self._closed()

        order.with_user(self.service).archive_equipment_request()

        self.assertTrue(order.archive)
        self.assertEqual(order.work_state, "closed")

    def test_open_and_cancelled_orders_deleted(self):
        open_order = self._new_order()
        cancelled = self._new_order(charger=self.charger_ac)
        cancelled.action_cancel("Duplicate")
        reports = (open_order | cancelled).report_ids

        (open_order | cancelled).with_user(self.manager).unlink()

        self.assertFalse((open_order | cancelled).exists())
        self.assertFalse(reports.exists(), "the reports go with their order")
