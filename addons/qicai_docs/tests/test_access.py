from odoo.exceptions import AccessError

from .common import QicaiDocsCase


class TestDocumentAccess(QicaiDocsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_group = cls.env.ref("qicai_station.group_qicai_manager")
        cls.technical_group = cls.env.ref("qicai_station.group_qicai_technical")

    def visible(self, user, documents):
        return (
            self.env["qicai.document"]
            .with_user(user)
            .search([("id", "in", documents.ids)])
        )

    def visible_versions(self, user, documents):
        return (
            self.env["qicai.document.version"]
            .with_user(user)
            .search([("document_id", "in", documents.ids)])
        )

    def test_engineer_reads_effective_not_others_drafts(self):
        effective = self.create_published()
        draft = self.create_document()
        in_review = self.create_document()
        in_review.action_submit()
        documents = effective | draft | in_review
        self.assertEqual(self.visible(self.reader, documents), effective)
        self.assertEqual(self.visible(self.author, documents), documents, "own drafts")
        self.assertEqual(self.visible(self.doc_admin, documents), documents)
        with self.assertRaises(AccessError):
            draft.with_user(self.reader).read(["title"])

    def test_engineer_reads_only_effective_version(self):
        document = self.create_published()
        first = document.effective_version_id
        self.add_version(document, note="v2 in progress")
        self.assertEqual(self.visible_versions(self.reader, document), first)
        self.assertEqual(len(self.visible_versions(self.author, document)), 2)
        self.publish(document)
        second = document.effective_version_id
        self.assertEqual(self.visible_versions(self.reader, document), second)
        self.assertEqual(
            self.visible_versions(self.doc_admin, document), first | second
        )

    def test_engineer_reads_effective_file(self):
        document = self.create_published()
        attachment = document.effective_version_id.attachment_id
        content = attachment.with_user(self.reader).raw
        self.assertTrue(content)
        draft = self.create_document()
        draft_attachment = draft.pending_version_id.attachment_id
        with self.assertRaises(AccessError):
            draft_attachment.with_user(self.reader).read(["raw"])

    def test_obsolete_readable_superseded_and_archived_not(self):
        obsolete = self.create_published()
        obsolete.with_user(self.doc_admin).action_obsolete()
        replacement = self.create_published()
        superseded = self.create_published(superseded_by_id=replacement.id)
        superseded.with_user(self.doc_admin).action_supersede()
        archived = self.create_published()
        archived.with_user(self.doc_admin).action_obsolete()
        archived.with_user(self.doc_admin).action_archive_document()
        documents = obsolete | superseded | archived | replacement
        visible = (
            self.env["qicai.document"]
            .with_user(self.reader)
            .with_context(active_test=False)
            .search([("id", "in", documents.ids)])
        )
        self.assertEqual(visible, obsolete | replacement)
        self.assertEqual(
            self.visible_versions(self.reader, obsolete), obsolete.version_ids
        )

    def test_confidential_only_for_its_groups(self):
        confidential = self.create_published(
            confidentiality="confidential",
            group_ids=[(6, 0, self.technical_group.ids)],
        )
        self.assertFalse(self.visible(self.reader, confidential))
        self.assertFalse(self.visible_versions(self.reader, confidential))
        self.assertEqual(self.visible(self.technical, confidential), confidential)
        self.assertEqual(
            self.visible_versions(self.technical, confidential),
            confidential.effective_version_id,
        )
        self.assertEqual(self.visible(self.doc_admin, confidential), confidential)
        with self.assertRaises(AccessError):
            confidential.with_user(self.reader).read(["title"])

    def test_partner_reads_only_shared_with_team(self):
        shared = self.create_published(team_ids=[(6, 0, self.supplier_team.ids)])
        other_team = self.create_published(team_ids=[(6, 0, self.other_team.ids)])
        unshared = self.create_published()
        internal = self.create_published(confidentiality="internal")
        draft_shared = self.create_document(team_ids=[(6, 0, self.supplier_team.ids)])
        documents = shared | other_team | unshared | internal | draft_shared
        self.assertEqual(self.visible(self.partner_user, documents), shared)
        self.assertEqual(self.visible(self.other_partner_user, documents), other_team)
        self.assertEqual(
            self.visible_versions(self.partner_user, documents),
            shared.effective_version_id,
        )
        with self.assertRaises(AccessError):
            unshared.with_user(self.partner_user).read(["title"])

    def test_partner_confidential_needs_group(self):
        partner_group = self.env.ref("qicai_station.group_qicai_partner")
        for_partners = self.create_published(
            confidentiality="confidential",
            group_ids=[(6, 0, partner_group.ids)],
            team_ids=[(6, 0, self.supplier_team.ids)],
        )
        for_managers = self.create_published(
            confidentiality="confidential",
            group_ids=[(6, 0, self.manager_group.ids)],
            team_ids=[(6, 0, self.supplier_team.ids)],
        )
        self.assertEqual(
            self.visible(self.partner_user, for_partners | for_managers), for_partners
        )

    def test_partner_cannot_write_or_create(self):
        shared = self.create_published(team_ids=[(6, 0, self.supplier_team.ids)])
        with self.assertRaises(AccessError):
            shared.with_user(self.partner_user).write({"title": "Changed"})
        with self.assertRaises(AccessError):
            self.env["qicai.document"].with_user(self.partner_user).create(
                {"title": "Mine", "type_id": self.type_manual.id}
            )

    def test_engineer_cannot_edit_others_documents(self):
        document = self.create_document()
        with self.assertRaises(AccessError):
            document.with_user(self.reader).write({"title": "Hijacked"})
        with self.assertRaises(AccessError):
            self.env["qicai.document"].with_user(self.reader).create(
                {
                    "title": "For someone else",
                    "type_id": self.type_manual.id,
                    "owner_id": self.author.id,
                }
            )

    def test_backups_only_for_admin(self):
        for user in (self.reader, self.partner_user):
            with self.assertRaises(AccessError):
                self.env["qicai.document.backup"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["qicai.document.backup.line"].with_user(user).search([])
        self.env["qicai.document.backup"].with_user(self.doc_admin).search([])

    def test_configuration_read_only_for_engineers(self):
        with self.assertRaises(AccessError):
            self.env["qicai.document.type"].with_user(self.reader).create(
                {"name": "Ad hoc", "code": "AH"}
            )
        doc_type = (
            self.env["qicai.document.type"]
            .with_user(self.doc_admin)
            .create({"name": "Ad hoc", "code": "AH"})
        )
        self.assertTrue(doc_type.sequence_id)
        self.assertEqual(doc_type.with_user(self.reader).name, "Ad hoc")

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other O&M Co"})
        document = self.create_published()
        document.sudo().company_id = other_company
        self.assertFalse(self.visible(self.reader, document))
        self.assertFalse(self.visible(self.doc_admin, document))
