from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from .common import QicaiMaintenanceCase

# Early today, so that the contract dates of the teams, relative to today,
# hold at every frozen time of the tests.
T0 = datetime.combine(date.today(), time(2, 0))


def at(minutes):
    return T0 + timedelta(minutes=minutes)


class SlaCase(QicaiMaintenanceCase):
    def _order_at_t0(self, **kwargs):
        with freeze_time(T0):
            return self._new_order(reported_at=T0, **kwargs)

    def _state_at(self, order, minutes):
        return order.with_context(qicai_now=at(minutes)).sla_state


class TestSlaDeadlines(SlaCase):
    def test_urgent_on_site_deadlines(self):
        order = self._order_at_t0(category=self.cat_offline)

        self.assertRecordValues(
            order,
            [
                {
                    "sla_response_deadline": at(60),
                    "sla_arrival_deadline": at(120),
                    "sla_resolution_deadline": at(8 * 60),
                }
            ],
        )

    def test_non_urgent_deadlines(self):
        order = self._order_at_t0(category=self.cat_app)

        self.assertRecordValues(
            order,
            [
                {
                    "sla_response_deadline": at(4 * 60),
                    "sla_arrival_deadline": at(24 * 60),
                    "sla_resolution_deadline": at(72 * 60),
                }
            ],
        )

    def test_remote_order_has_no_arrival(self):
        order = self._order_at_t0(category=self.cat_app)
        order.resolution_mode = "remote"

        self.assertFalse(order.sla_arrival_deadline)
        self.assertEqual(order.sla_resolution_deadline, at(72 * 60))

    def test_deadlines_follow_urgency(self):
        order = self._order_at_t0(category=self.cat_app)
        order.urgency = "urgent"
        self.assertEqual(order.sla_resolution_deadline, at(8 * 60))

    def test_deadlines_from_partner_team(self):
        self.team_partner.write(
            {"sla_response_urgent": 3.0, "sla_resolution_urgent": 12.0}
        )
        order = self._order_at_t0(charger=self.charger_b, category=self.cat_offline)

        self.assertEqual(order.maintenance_team_id, self.team_partner)
        self.assertEqual(order.sla_response_deadline, at(3 * 60))
        self.assertEqual(order.sla_resolution_deadline, at(12 * 60))


class TestSlaState(SlaCase):
    def test_states_before_response(self):
        order = self._order_at_t0()

        self.assertEqual(self._state_at(order, 10), "on_track")
        self.assertEqual(self._state_at(order, 50), "at_risk")
        self.assertEqual(self._state_at(order, 61), "breached")
        self.assertEqual(order.with_context(qicai_now=at(10)).sla_next_deadline, at(60))

    def test_states_after_acceptance(self):
        order = self._order_at_t0()
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()
        with freeze_time(at(30)):
            order.with_user(self.engineer).action_accept()

        self.assertFalse(order.sla_response_breached)
        self.assertEqual(
            self._state_at(order, 70),
            "on_track",
            "arrival is due 2 hours after the report",
        )
        self.assertEqual(self._state_at(order, 100), "at_risk")
        self.assertEqual(self._state_at(order, 121), "breached")
        self.assertEqual(
            order.with_context(qicai_now=at(70)).sla_next_deadline, at(120)
        )

    def test_met_when_resolved_in_time(self):
        order = self._timed_order(accept=30, arrive=90, resolve=300)

        self.assertRecordValues(
            order,
            [
                {
                    "sla_response_breached": False,
                    "sla_arrival_breached": False,
                    "sla_resolution_breached": False,
                    "sla_breached": False,
                }
            ],
        )
        self.assertEqual(self._state_at(order, 1000), "met")

    def test_late_steps_flagged(self):
        order = self._timed_order(accept=70, arrive=130, resolve=500)

        self.assertRecordValues(
            order,
            [
                {
                    "sla_response_breached": True,
                    "sla_arrival_breached": True,
                    "sla_resolution_breached": True,
                    "sla_breached": True,
                }
            ],
        )
        self.assertEqual(self._state_at(order, 1000), "breached")

    def test_late_remote_resolution_flagged(self):
        order = self._order_at_t0(category=self.cat_offline)
        with freeze_time(at(5)):
            order.resolution_mode = "remote"
            order.action_classify()
        with freeze_time(at(90)):
            order.write(
                {"root_cause": "Hung module", "actions_taken": "Reset remotely"}
            )
            order.action_resolve()

        self.assertRecordValues(
            order,
            [
                {
                    "sla_response_breached": True,
                    "sla_arrival_breached": False,
                    "sla_resolution_breached": False,
                }
            ],
        )

    def test_cancelled_has_no_sla(self):
        order = self._order_at_t0()
        order.action_cancel("False alarm")
        self.assertEqual(self._state_at(order, 600), "none")

    def test_frozen_clock_without_context(self):
        order = self._order_at_t0()
        with freeze_time(at(50)):
            order.invalidate_recordset(["sla_state"])
            self.assertEqual(order.sla_state, "at_risk")

    def test_string_time_in_context(self):
        order = self._order_at_t0()
        state = order.with_context(qicai_now=f"{date.today()} 02:50:00").sla_state
        self.assertEqual(state, "at_risk")

    def _timed_order(self, accept, arrive, resolve):
        order = self._order_at_t0()
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()
        engineer_order = order.with_user(self.engineer)
        with freeze_time(at(accept)):
            engineer_order.action_accept()
        with freeze_time(at(arrive)):
            engineer_order.action_arrive()
            engineer_order.safety_check_ids.write({"confirmed": True})
            engineer_order.action_start()
        with freeze_time(at(resolve)):
            self._resolve(order, self.engineer)
        return order


class TestSlaSearch(SlaCase):
    def test_search_matches_compute(self):
        on_track = self._order_at_t0(charger=self.charger_dc)
        with freeze_time(at(-45)):
            at_risk = self._new_order(reported_at=at(-45), charger=self.charger_ac)
        with freeze_time(at(-70)):
            breached = self._new_order(
                reported_at=at(-70), charger=self.charger_dc, category=self.cat_module
            )
        met = self._order_at_t0(charger=self.charger_ac, category=self.cat_module)
        with freeze_time(at(1)):
            met.action_classify()
            met.action_dispatch()
            as_engineer = met.with_user(self.engineer)
            as_engineer.action_accept()
            as_engineer.action_arrive()
            as_engineer.safety_check_ids.write({"confirmed": True})
            as_engineer.action_start()
            self._resolve(met, self.engineer)
        cancelled = self._order_at_t0(charger=self.charger_dc, category=self.cat_app)
        cancelled.action_cancel("False alarm")
        flagged = self._order_at_t0(charger=self.charger_ac, category=self.cat_app)
        flagged.with_context(qicai_transition=True).sla_response_breached = True

        orders = on_track | at_risk | breached | met | cancelled | flagged
        expected = {
            "on_track": on_track,
            "at_risk": at_risk,
            "breached": breached | flagged,
            "met": met,
            "none": cancelled,
        }
        Request = self.env["maintenance.request"].with_user(self.service)
        Request = Request.with_context(qicai_now=at(10))
        scope = [("id", "in", orders.ids)]
        for state, matching in expected.items():
            with self.subTest(state=state):
                self.assertEqual(
                    matching.with_context(qicai_now=at(10)).mapped("sla_state"),
                    [state] * len(matching),
                )
                self.assertEqual(
                    Request.search(scope + [("sla_state", "=", state)]), matching
                )
                self.assertEqual(
                    Request.search(scope + [("sla_state", "!=", state)]),
                    orders - matching,
                )

        self.assertEqual(
            Request.search(scope + [("sla_state", "in", ["at_risk", "breached"])]),
            at_risk | breached | flagged,
        )
        self.assertEqual(
            Request.search(scope + [("sla_state", "not in", ["on_track", "none"])]),
            at_risk | breached | flagged | met,
        )
        self.assertFalse(Request.search(scope + [("sla_state", "in", [])]))

    def test_search_sees_unsaved_changes(self):
        order = self._order_at_t0()
        order.with_context(qicai_transition=True).sla_response_breached = True

        found = order.with_context(qicai_now=at(10)).search(
            [("id", "=", order.id), ("sla_state", "=", "breached")]
        )

        self.assertEqual(found, order)

    def test_search_operator_rejected(self):
        with self.assertRaisesRegex(
            Exception, "cannot be searched with operator ilike"
        ):
            self.env["maintenance.request"].search([("sla_state", "ilike", "risk")])


class TestSlaCron(SlaCase):
    def _run_cron(self, minutes, **kwargs):
        with freeze_time(at(minutes)):
            return self.env["maintenance.request"]._cron_check_sla(**kwargs)

    def _sla_messages(self, order):
        return order.message_ids.filtered(
            lambda m: "SLA deadline missed" in (m.body or "")
        )

    def test_flags_and_notifies_once(self):
        order = self._order_at_t0()
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()

        flagged = self._run_cron(61)

        self.assertEqual(flagged, order)
        self.assertTrue(order.sla_response_breached)
        self.assertFalse(order.sla_arrival_breached)
        self.assertEqual(len(self._sla_messages(order)), 1)
        self.assertIn("response", self._sla_messages(order).body)
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service, "the desk that classified it")

        self.assertFalse(self._run_cron(62), "nothing new to flag")
        self.assertEqual(len(self._sla_messages(order)), 1)
        self.assertEqual(len(order.activity_ids), 1)

        self._run_cron(121)
        self.assertTrue(order.sla_arrival_breached)
        self.assertEqual(len(self._sla_messages(order)), 2)

    def test_activity_for_assigned_engineer(self):
        order = self._order_at_t0()
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()
            order.with_user(self.engineer).action_accept()

        self._run_cron(121)

        self.assertEqual(order.activity_ids.user_id, self.engineer)

    def test_missed_resolution_escalates_once(self):
        order = self._order_at_t0()
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()
            order.with_user(self.engineer).action_accept()
            order.with_user(self.engineer).action_arrive()

        self._run_cron(8 * 60 + 1)
        self.assertTrue(order.sla_resolution_breached)
        self.assertEqual(order.escalation_level, "technical")
        self.assertRecordValues(
            order.escalation_ids,
            [
                {
                    "from_level": "engineer",
                    "to_level": "technical",
                    "is_automatic": True,
                    "reason": "Resolution deadline missed.",
                }
            ],
        )

        self._run_cron(9 * 60)
        self.assertEqual(order.escalation_level, "technical", "escalated once only")
        self.assertEqual(len(order.escalation_ids), 1)

    def test_unassigned_order_not_escalated(self):
        order = self._order_at_t0()
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()

        self._run_cron(8 * 60 + 1)

        self.assertTrue(order.sla_resolution_breached)
        self.assertEqual(order.escalation_level, "engineer")

    def test_failed_escalation_logged(self):
        self.station_c.team_id = self.team_own
        order = self._order_at_t0(charger=self.charger_c)
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()
            order.with_user(self.engineer).action_accept()
            order.with_user(self.engineer).action_escalate("Help")

        with self.assertLogs(
            "odoo.addons.qicai_maintenance.models.maintenance_request", "WARNING"
        ) as logs:
            self._run_cron(8 * 60 + 1)

        self.assertIn(f"SLA escalation of work order {order.id} failed", logs.output[0])
        self.assertTrue(
            order.sla_resolution_breached, "the flag stays despite the failure"
        )
        self.assertEqual(order.escalation_level, "technical")

    def test_responded_orders_do_not_fill_batch(self):
        # Orders that responded in time come before and after the late one,
        # whatever order the cron reads them in.
        responded = self._order_at_t0(charger=self.charger_dc)
        late = self._order_at_t0(charger=self.charger_ac)
        responded |= self._order_at_t0(
            charger=self.charger_dc, category=self.cat_module
        )
        with freeze_time(at(5)):
            (responded | late).action_classify()
            (responded | late).action_dispatch()
            for order in responded:
                order.with_user(self.engineer).action_accept()
                order.with_user(self.engineer).action_arrive()

        flagged = self._run_cron(61, batch_size=1)

        self.assertEqual(flagged, late)
        self.assertTrue(late.sla_response_breached)

    def test_closed_orders_ignored(self):
        order = self._order_at_t0(source_channel="platform")
        with freeze_time(at(5)):
            order.action_classify()
            order.action_dispatch()
            order.with_user(self.engineer).action_accept()
            order.with_user(self.engineer).action_arrive()
            order.with_user(self.engineer).safety_check_ids.write({"confirmed": True})
            order.with_user(self.engineer).action_start()
            self._resolve(order, self.engineer)
            order.action_close()

        self.assertFalse(self._run_cron(10 * 60))
