import base64
import hashlib

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import QicaiDocsCase


class TestDocumentWorkflow(QicaiDocsCase):
    def test_form_registration_numbers_per_type(self):
        content = self.unique_content()
        document = self.register_with_form(self.author, "DC manual", content)
        second = self.register_with_form(
            self.author, "AC manual", self.unique_content()
        )
        plan = self.create_document(title="Fire plan", type_id=self.type_emergency.id)

        self.assertEqual(document.state, "draft")
        self.assertEqual(document.owner_id, self.author)
        self.assertRegex(document.name, r"^MM-\d{4}-\d{4}$")
        self.assertRegex(plan.name, r"^EP-\d{4}-\d{4}$")
        self.assertEqual(
            int(second.name[-4:]), int(document.name[-4:]) + 1, "sequence per type"
        )
        version = document.version_ids
        self.assertEqual(version.version, 1)
        self.assertEqual(version.checksum, hashlib.sha256(content).hexdigest())
        self.assertEqual(version.file_size, len(content))
        self.assertEqual(version.author_id, self.author)

    def test_submit_requires_file_and_note(self):
        document = (
            self.env["qicai.document"]
            .with_user(self.author)
            .create({"title": "Empty", "type_id": self.type_manual.id})
        )
        with self.assertRaisesRegex(UserError, "no version to submit"):
            document.action_submit()
        version = (
            self.env["qicai.document.version"]
            .with_user(self.author)
            .create({"document_id": document.id})
        )
        with self.assertRaisesRegex(UserError, "needs a file and a change note"):
            document.action_submit()
        version.write(
            {
                "datas": base64.b64encode(self.unique_content()),
                "file_name": "a.txt",
            }
        )
        with self.assertRaisesRegex(UserError, "needs a file and a change note"):
            document.action_submit()
        version.change_note = "First issue"
        document.action_submit()
        self.assertEqual(version.state, "review")
        self.assertEqual(document.state, "review")
        self.assertTrue(version.submitted_on)

    def test_submit_only_by_author_owner_or_admin(self):
        document = self.create_document()
        foreign = document.pending_version_id.with_user(self.technical)
        with self.assertRaises(AccessError):
            foreign.action_submit()
        self.assertEqual(document.pending_version_id.state, "draft")

    def test_author_cannot_approve(self):
        document = self.create_document()
        document.action_submit()
        with self.assertRaisesRegex(UserError, "Only a document administrator"):
            document.with_user(self.author).action_approve()
        self.assertEqual(document.state, "review")
        self.assertEqual(document.pending_version_id.state, "review")

    def test_approve_requires_review(self):
        document = self.create_document()
        with self.assertRaisesRegex(UserError, "no version to approve"):
            document.with_user(self.doc_admin).action_approve()
        with self.assertRaisesRegex(UserError, "Cannot approve version"):
            document.pending_version_id.with_user(self.doc_admin).action_approve()

    def test_approve_publishes_and_tracks(self):
        document = self.create_document()
        # Odoo 18's mail.thread does not track records created in the same
        # transaction; running the pre-commit hooks ends it as a commit would.
        self.env.flush_all()
        self.env.cr.precommit.run()
        version = self.publish(document)
        self.assertEqual(document.state, "effective")
        self.assertEqual(version.state, "effective")
        self.assertEqual(version.approver_id, self.doc_admin)
        self.assertTrue(version.approved_on)
        self.assertTrue(version.effective_date)
        self.assertEqual(document.last_review_date, version.effective_date)
        self.env.flush_all()
        self.env.cr.precommit.run()
        document.invalidate_recordset(["message_ids"])
        # Reading tracking values needs access to ir.model.fields.
        tracked = document.message_ids.tracking_value_ids.sudo().filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertIn("Effective", tracked.mapped("new_value_char"))
        bodies = " ".join(document.message_ids.mapped("body"))
        self.assertIn(version.checksum, bodies)
        self.assertIn("submitted for review", bodies)

    def test_manager_can_approve(self):
        document = self.create_document()
        document.action_submit()
        document.with_user(self.manager).action_approve()
        self.assertEqual(document.state, "effective")

    def test_return_to_draft_by_admin_and_author(self):
        document = self.create_document()
        document.action_submit()
        document.with_user(self.doc_admin).action_return_to_draft()
        self.assertEqual(document.state, "draft")
        self.assertEqual(document.pending_version_id.state, "draft")
        document.action_submit()
        document.with_user(self.author).action_return_to_draft()
        self.assertEqual(document.state, "draft")
        document.action_submit()
        with self.assertRaises(AccessError):
            document.with_user(self.reader).action_return_to_draft()

    def test_new_version_supersedes_previous(self):
        document = self.create_published()
        first = document.effective_version_id
        action = document.with_user(self.author).action_new_version()
        second = self.env["qicai.document.version"].browse(action["res_id"])
        self.assertEqual(second.version, 2)
        self.assertEqual(document.state, "effective", "v1 stays effective meanwhile")
        second.with_user(self.author).write(
            {
                "datas": base64.b64encode(self.unique_content("v2")),
                "file_name": "v2.txt",
                "change_note": "Revised torque values",
            }
        )
        second.with_user(self.author).action_submit()
        self.assertEqual(document.state, "effective")
        self.assertEqual(document.effective_version_id, first)
        second.with_user(self.doc_admin).action_approve()
        document.invalidate_recordset()
        self.assertEqual(first.state, "superseded")
        self.assertTrue(first.retired_on)
        self.assertEqual(second.state, "effective")
        self.assertEqual(document.effective_version_id, second)
        self.assertEqual(
            document.version_ids.filtered(lambda v: v.state == "effective"), second
        )

    def test_new_version_guards(self):
        draft = self.create_document()
        with self.assertRaisesRegex(UserError, "Allowed status: Effective"):
            draft.action_new_version()
        document = self.create_published()
        with self.assertRaisesRegex(UserError, "Only the owner"):
            document.with_user(self.reader).action_new_version()
        document.with_user(self.author).action_new_version()
        with self.assertRaisesRegex(UserError, "already has version 2 in progress"):
            document.with_user(self.author).action_new_version()

    def test_one_effective_version_enforced_by_database(self):
        document = self.create_published()
        version = self.add_version(document)
        version.action_submit()
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE qicai_document_version SET state = 'effective' "
                    "WHERE id = %s",
                    [version.id],
                )

    def test_one_version_in_progress(self):
        document = self.create_document()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.add_version(document)

    def test_effective_version_cannot_be_edited(self):
        document = self.create_published()
        version = document.effective_version_id
        with self.assertRaises(AccessError):
            version.with_user(self.author).write({"change_note": "sneaky edit"})
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            version.with_user(self.doc_admin).write({"change_note": "sneaky edit"})
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            version.with_user(self.doc_admin).write(
                {"datas": base64.b64encode(b"replaced content")}
            )
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            version.with_user(self.doc_admin).write({"file_name": "renamed.txt"})
        self.assertEqual(version.file_name, "document.txt")

    def test_submitted_version_attachment_locked(self):
        document = self.create_published()
        attachment = document.effective_version_id.attachment_id.with_user(
            self.doc_admin
        )
        self.assertTrue(attachment)
        with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
            attachment.write({"raw": b"tampered through the attachment"})
        with self.assertRaisesRegex(UserError, "cannot be changed or deleted"):
            attachment.unlink()

    def test_published_records_cannot_be_deleted(self):
        document = self.create_published()
        with self.assertRaisesRegex(UserError, "part of the document history"):
            document.effective_version_id.with_user(self.doc_admin).unlink()
        with self.assertRaisesRegex(UserError, "must stay in the register"):
            document.with_user(self.doc_admin).unlink()
        draft = self.create_document()
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_author_cannot_force_state(self):
        document = self.create_document()
        with self.assertRaisesRegex(UserError, "Only the document administrator"):
            document.write({"state": "effective"})
        with self.assertRaisesRegex(UserError, "Only the document administrator"):
            document.pending_version_id.write({"state": "effective"})
        with self.assertRaisesRegex(UserError, "always created as a draft"):
            self.env["qicai.document.version"].with_user(self.author).create(
                {"document_id": document.id, "state": "effective"}
            )
        with self.assertRaisesRegex(UserError, "cannot be created in status"):
            self.env["qicai.document"].with_user(self.doc_admin).create(
                {
                    "title": "Imported",
                    "type_id": self.type_manual.id,
                    "state": "effective",
                }
            )

    def test_register_locked_for_author_after_submit(self):
        document = self.create_document()
        document.write({"title": "Renamed while draft"})
        document.action_submit()
        with self.assertRaisesRegex(UserError, "Only the document administrator can"):
            document.write({"title": "Renamed in review"})
        document.with_user(self.doc_admin).write({"title": "Renamed by admin"})
        self.assertEqual(document.title, "Renamed by admin")

    def test_obsolete_stays_readable_and_marked(self):
        document = self.create_published()
        with self.assertRaisesRegex(UserError, "Only a document administrator"):
            document.with_user(self.author).action_obsolete()
        document.with_user(self.doc_admin).action_obsolete()
        self.assertEqual(document.state, "obsolete")
        self.assertEqual(document.version_ids.state, "obsolete")
        self.assertFalse(document.effective_version_id)
        as_reader = document.with_user(self.reader)
        self.assertEqual(as_reader.title, "Test manual")
        self.assertEqual(as_reader.state, "obsolete")
        with self.assertRaisesRegex(UserError, "takes no new version"):
            self.add_version(document, user=self.doc_admin)

    def test_obsolete_blocked_by_version_in_progress(self):
        document = self.create_published()
        document.with_user(self.author).action_new_version()
        with self.assertRaisesRegex(UserError, "while a version is in progress"):
            document.with_user(self.doc_admin).action_obsolete()

    def test_supersede_needs_effective_replacement(self):
        document = self.create_published()
        replacement = self.create_document(title="New manual")
        with self.assertRaisesRegex(UserError, "needs an effective replacement"):
            document.with_user(self.doc_admin).action_supersede()
        document.with_user(self.doc_admin).superseded_by_id = replacement
        with self.assertRaisesRegex(UserError, "needs an effective replacement"):
            document.with_user(self.doc_admin).action_supersede()
        self.publish(replacement)
        document.with_user(self.doc_admin).action_supersede()
        self.assertEqual(document.state, "superseded")
        self.assertEqual(document.version_ids.state, "superseded")
        with self.assertRaises(ValidationError):
            replacement.with_user(self.doc_admin).superseded_by_id = replacement

    def test_archive_only_retired_documents(self):
        document = self.create_published()
        with self.assertRaisesRegex(UserError, "Allowed status: Superseded, Obsolete"):
            document.with_user(self.doc_admin).action_archive_document()
        document.with_user(self.doc_admin).action_obsolete()
        with self.assertRaisesRegex(UserError, "Only a document administrator"):
            document.with_user(self.author).action_archive_document()
        document.with_user(self.doc_admin).action_archive_document()
        self.assertEqual(document.state, "archived")
        self.assertFalse(document.active)

    def test_equipment_must_belong_to_station(self):
        other_station = self.env["qicai.station"].create(
            {"name": "Other", "code": "QD-ST-2"}
        )
        with self.assertRaisesRegex(ValidationError, "equipment of another station"):
            self.env["qicai.document"].create(
                {
                    "title": "Mismatch",
                    "type_id": self.type_manual.id,
                    "station_id": other_station.id,
                    "equipment_id": self.charger.id,
                }
            )

    def test_confidential_needs_group_and_internal_no_team(self):
        with self.assertRaisesRegex(ValidationError, "has no access group"):
            self.create_document(confidentiality="confidential")
        with self.assertRaisesRegex(ValidationError, "internal only but shared"):
            self.create_document(
                confidentiality="internal", team_ids=[(4, self.supplier_team.id)]
            )
