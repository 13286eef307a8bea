import base64
import os
import shutil
import tempfile
import uuid

from odoo.tests import Form, TransactionCase, new_test_user


class QicaiDocsCase(TransactionCase):
    """Users of each group, a station with equipment, a supplier team and
    helpers to register and publish documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, no_reset_password=True))
        cls.doc_admin = new_test_user(
            cls.env,
            login="qd_docadmin",
            name="Document Administrator",
            groups="qicai_station.group_qicai_doc_admin",
        )
        cls.manager = new_test_user(
            cls.env,
            login="qd_manager",
            name="O&M Manager",
            groups="qicai_station.group_qicai_manager",
        )
        cls.author = new_test_user(
            cls.env,
            login="qd_author",
            name="Author Engineer",
            groups="qicai_station.group_qicai_engineer",
        )
        cls.reader = new_test_user(
            cls.env,
            login="qd_reader",
            name="Reader Engineer",
            groups="qicai_station.group_qicai_engineer",
        )
        cls.technical = new_test_user(
            cls.env,
            login="qd_technical",
            name="Technical Engineer",
            groups="qicai_station.group_qicai_technical",
        )
        cls.partner_user = new_test_user(
            cls.env,
            login="qd_partner",
            name="Supplier Engineer",
            groups="qicai_station.group_qicai_partner",
        )
        cls.other_partner_user = new_test_user(
            cls.env,
            login="qd_partner_other",
            name="Other Partner Engineer",
            groups="qicai_station.group_qicai_partner",
        )
        supplier = cls.env["res.partner"].create(
            {"name": "Supplier Co", "is_company": True}
        )
        cls.supplier_team = cls.env["maintenance.team"].create(
            {
                "name": "Supplier Team",
                "provider_type": "supplier",
                "provider_partner_id": supplier.id,
                "member_ids": [(6, 0, cls.partner_user.ids)],
            }
        )
        cls.other_team = cls.env["maintenance.team"].create(
            {
                "name": "Other Partner Team",
                "provider_type": "partner",
                "provider_partner_id": supplier.id,
                "member_ids": [(6, 0, cls.other_partner_user.ids)],
            }
        )
        cls.charger_model = cls.env["qicai.charger.model"].create(
            {"name": "QD-120", "manufacturer_id": supplier.id, "rated_power_kw": 120}
        )
        cls.station = cls.env["qicai.station"].create(
            {"name": "Docs Test Station", "code": "QD-ST-1"}
        )
        cls.charger = cls.env["maintenance.equipment"].create(
            {
                "name": "Docs Test Charger",
                "equipment_kind": "charger",
                "station_id": cls.station.id,
                "charger_model_id": cls.charger_model.id,
                "serial_no": "QD-SN-001",
            }
        )
        cls.type_manual = cls.env.ref("qicai_docs.document_type_manual")
        cls.type_emergency = cls.env.ref("qicai_docs.document_type_emergency_plan")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def make_temp_dir(self):
        directory = tempfile.mkdtemp(prefix="qicai_docs_test_")
        self.addCleanup(shutil.rmtree, directory, True)
        return directory

    def unique_content(self, label="file"):
        """Return file bytes no other test shares, so altering the filestore
        copy of one test never touches another test's file."""
        return f"{self._testMethodName} {label} {uuid.uuid4()}\n".encode()

    def create_document(self, user=None, content=None, **values):
        """Register a document with a draft first version, as ``user``."""
        user = user or self.author
        vals = {
            "title": "Test manual",
            "type_id": self.type_manual.id,
            "owner_id": user.id,
            **values,
        }
        document = self.env["qicai.document"].with_user(user).create(vals)
        self.add_version(document, user=user, content=content)
        return document

    def add_version(self, document, user=None, content=None, note="Change note"):
        user = user or document.owner_id
        content = content or self.unique_content()
        return (
            self.env["qicai.document.version"]
            .with_user(user)
            .create(
                {
                    "document_id": document.id,
                    "datas": base64.b64encode(content),
                    "file_name": "document.txt",
                    "change_note": note,
                }
            )
        )

    def publish(self, document, author=None):
        """Submit the pending version as its author and approve it as the
        document administrator."""
        document.with_user(author or document.owner_id).action_submit()
        document.with_user(self.doc_admin).action_approve()
        document.invalidate_recordset()
        return document.effective_version_id

    def create_published(self, user=None, content=None, **values):
        document = self.create_document(user=user, content=content, **values)
        self.publish(document)
        return document

    def register_with_form(self, user, title, content):
        form = Form(self.env["qicai.document"].with_user(user))
        form.title = title
        form.type_id = self.type_manual
        with form.version_ids.new() as line:
            line.datas = base64.b64encode(content)
            line.file_name = "manual.txt"
            line.change_note = "First issue"
        return form.save()

    def stored_path(self, version):
        attachment = version.sudo().attachment_id
        return attachment._full_path(attachment.store_fname)

    def alter_stored_file(self, version, content=b"altered on disk"):
        with open(self.stored_path(version), "wb") as stored:
            stored.write(content)

    def configure_backup(self, directory, retention=7):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("qicai_docs.backup_directory", directory)
        params.set_param("qicai_docs.backup_retention", str(retention))

    def backup_files(self, directory):
        return sorted(os.listdir(directory))
