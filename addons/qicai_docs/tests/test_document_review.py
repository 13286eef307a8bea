from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import QicaiDocsCase


class TestDocumentReview(QicaiDocsCase):
    def setUp(self):
        super().setUp()
        self.review_type = self.env.ref("qicai_docs.mail_activity_type_document_review")

    def review_activities(self, documents):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "qicai.document"),
                ("res_id", "in", documents.ids),
                ("activity_type_id", "=", self.review_type.id),
            ]
        )

    @freeze_time("2025-01-10")
    def test_next_review_from_type_and_document(self):
        document = self.create_published()
        self.assertEqual(document.review_interval_months, 24)
        self.assertEqual(document.last_review_date, date(2025, 1, 10))
        self.assertEqual(document.next_review_date, date(2027, 1, 10))
        document.with_user(self.doc_admin).review_interval_months = 6
        self.assertEqual(document.next_review_date, date(2025, 7, 10))
        document.with_user(self.doc_admin).review_interval_months = 0
        self.assertFalse(document.next_review_date)

    def test_draft_has_no_review_date(self):
        document = self.create_document()
        self.assertFalse(document.next_review_date)
        self.assertFalse(document.is_review_overdue)

    def test_overdue_listed(self):
        with freeze_time("2024-01-15"):
            overdue = self.create_published(review_interval_months=6)
            current = self.create_published(review_interval_months=24)
        with freeze_time("2024-08-01"):
            overdue.invalidate_recordset(["is_review_overdue"])
            self.assertTrue(overdue.is_review_overdue)
            self.assertFalse(current.is_review_overdue)
            found = self.env["qicai.document"].search(
                [
                    ("is_review_overdue", "=", True),
                    ("id", "in", (overdue | current).ids),
                ]
            )
            self.assertEqual(found, overdue)
            not_overdue = self.env["qicai.document"].search(
                [
                    ("is_review_overdue", "=", False),
                    ("id", "in", (overdue | current).ids),
                ]
            )
            self.assertEqual(not_overdue, current)

    def test_cron_reminds_owner_before_due_date(self):
        with freeze_time("2024-01-15"):
            due_soon = self.create_published(review_interval_months=6)
            later = self.create_published(review_interval_months=24)
        self.env["ir.config_parameter"].sudo().set_param(
            "qicai_docs.review_reminder_days", "30"
        )
        with freeze_time("2024-06-20"):
            self.env["qicai.document"]._cron_review_reminders()
            activity = self.review_activities(due_soon)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.author)
            self.assertEqual(activity.date_deadline, date(2024, 7, 15))
            self.assertFalse(self.review_activities(later))
            self.env["qicai.document"]._cron_review_reminders()
            self.assertEqual(len(self.review_activities(due_soon)), 1, "no duplicate")

    def test_confirm_review_restarts_interval(self):
        with freeze_time("2024-01-15"):
            document = self.create_published(review_interval_months=6)
        with freeze_time("2024-07-01"):
            self.env["qicai.document"]._cron_review_reminders()
            self.assertTrue(self.review_activities(document))
            with self.assertRaisesRegex(UserError, "Only the owner"):
                document.with_user(self.reader).action_confirm_review()
            document.with_user(self.author).action_confirm_review()
            self.assertEqual(document.last_review_date, date(2024, 7, 1))
            self.assertEqual(document.next_review_date, date(2025, 1, 1))
            self.assertFalse(self.review_activities(document))

    def test_confirm_review_requires_effective(self):
        document = self.create_document()
        with self.assertRaisesRegex(UserError, "Allowed status: Effective"):
            document.with_user(self.author).action_confirm_review()

    def test_obsolete_drops_reminder(self):
        with freeze_time("2024-01-15"):
            document = self.create_published(review_interval_months=6)
        with freeze_time("2024-07-01"):
            self.env["qicai.document"]._cron_review_reminders()
            document.with_user(self.doc_admin).action_obsolete()
            self.assertFalse(self.review_activities(document))
            self.assertFalse(document.next_review_date)
