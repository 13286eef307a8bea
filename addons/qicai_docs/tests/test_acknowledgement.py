import base64

from odoo.exceptions import AccessError, UserError

from .common import QicaiDocsCase


class TestAcknowledgement(QicaiDocsCase):
    def create_plan(self, **values):
        return self.create_published(
            title="Fire emergency plan", type_id=self.type_emergency.id, **values
        )

    def pending(self, document):
        return self.env["qicai.document.acknowledgement"].search(
            [("document_id", "=", document.id), ("state", "=", "pending")]
        )

    def test_type_defaults_apply(self):
        document = self.create_document(type_id=self.type_emergency.id)
        self.assertTrue(document.requires_acknowledgement)
        self.assertIn(
            self.env.ref("qicai_station.group_qicai_engineer"), document.ack_group_ids
        )
        manual = self.create_document()
        self.assertFalse(manual.requires_acknowledgement)

    def test_publish_asks_group_members(self):
        document = self.create_plan()
        readers = self.pending(document).user_id
        self.assertIn(self.reader, readers)
        self.assertIn(self.author, readers)
        self.assertIn(self.doc_admin, readers, "implied engineer group counts")
        self.assertNotIn(self.partner_user, readers, "not in the engineer group")
        self.assertEqual(document.ack_pending_count, len(readers))
        self.assertEqual(document.ack_done_count, 0)
        activity_type = self.env.ref(
            "qicai_docs.mail_activity_type_document_acknowledge"
        )
        reader_activity = document.activity_ids.filtered(
            lambda a: a.user_id == self.reader and a.activity_type_id == activity_type
        )
        self.assertEqual(len(reader_activity), 1)

    def test_manual_without_acknowledgement(self):
        document = self.create_published()
        self.assertFalse(self.pending(document))

    def test_reader_confirms(self):
        document = self.create_plan()
        as_reader = document.with_user(self.reader)
        self.assertTrue(as_reader.is_ack_pending_for_me)
        as_reader.action_acknowledge()
        acknowledgement = self.env["qicai.document.acknowledgement"].search(
            [("document_id", "=", document.id), ("user_id", "=", self.reader.id)]
        )
        self.assertEqual(acknowledgement.state, "done")
        self.assertTrue(acknowledgement.acknowledged_on)
        self.assertEqual(acknowledgement.version_id, document.effective_version_id)
        document.invalidate_recordset()
        self.assertEqual(document.ack_done_count, 1)
        self.assertNotIn(self.reader, self.pending(document).user_id)
        self.assertFalse(
            document.activity_ids.filtered(lambda a: a.user_id == self.reader)
        )
        with self.assertRaisesRegex(UserError, "no pending read acknowledgement"):
            as_reader.action_acknowledge()

    def test_reader_cannot_confirm_for_others(self):
        document = self.create_plan()
        other = self.pending(document).filtered(lambda a: a.user_id == self.author)
        with self.assertRaises(AccessError):
            other.with_user(self.reader).action_confirm()
        with self.assertRaises(AccessError):
            other.with_user(self.reader).write({"state": "done"})
        admin_view = other.with_user(self.doc_admin)
        with self.assertRaisesRegex(UserError, "Only Author Engineer can confirm"):
            admin_view.action_confirm()
        self.assertEqual(other.state, "pending")

    def test_reader_sees_only_own_acknowledgements(self):
        document = self.create_plan()
        visible = (
            self.env["qicai.document.acknowledgement"]
            .with_user(self.reader)
            .search([("document_id", "=", document.id)])
        )
        self.assertEqual(visible.user_id, self.reader)
        everything = (
            self.env["qicai.document.acknowledgement"]
            .with_user(self.doc_admin)
            .search([("document_id", "=", document.id), ("state", "=", "pending")])
        )
        self.assertEqual(len(everything), document.ack_pending_count)

    def test_new_version_asks_again(self):
        document = self.create_plan()
        document.with_user(self.reader).action_acknowledge()
        first = document.effective_version_id
        document.with_user(self.author).action_new_version()
        document.pending_version_id.with_user(self.author).write(
            {
                "datas": base64.b64encode(self.unique_content("v2")),
                "file_name": "v2.txt",
                "change_note": "New assembly point",
            }
        )
        self.publish(document)
        old = self.env["qicai.document.acknowledgement"].search(
            [("version_id", "=", first.id)]
        )
        self.assertEqual(old.filtered(lambda a: a.user_id == self.reader).state, "done")
        self.assertEqual(
            set(old.filtered(lambda a: a.user_id != self.reader).mapped("state")),
            {"cancelled"},
        )
        new_pending = self.pending(document)
        self.assertEqual(new_pending.version_id, document.effective_version_id)
        self.assertIn(self.reader, new_pending.user_id)

    def test_confidential_asks_only_readers_with_access(self):
        manager_group = self.env.ref("qicai_station.group_qicai_manager")
        document = self.create_plan(
            confidentiality="confidential", group_ids=[(6, 0, manager_group.ids)]
        )
        readers = self.pending(document).user_id
        self.assertIn(self.manager, readers)
        self.assertNotIn(self.reader, readers)

    def test_refresh_adds_new_members(self):
        document = self.create_plan()
        newcomer = self.env["res.users"].create(
            {
                "name": "Newcomer",
                "login": "qd_newcomer",
                "groups_id": [
                    (6, 0, self.env.ref("qicai_station.group_qicai_engineer").ids)
                ],
            }
        )
        self.assertNotIn(newcomer, self.pending(document).user_id)
        with self.assertRaisesRegex(UserError, "Only a document administrator"):
            document.with_user(self.reader).action_refresh_acknowledgements()
        document.with_user(self.doc_admin).action_refresh_acknowledgements()
        self.assertIn(newcomer, self.pending(document).user_id)
        count = len(self.pending(document))
        document.with_user(self.doc_admin).action_refresh_acknowledgements()
        self.assertEqual(len(self.pending(document)), count, "no duplicates")
