import base64
import errno
import hashlib
import json
import os
import zipfile
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import QicaiDocsCase


class TestBackup(QicaiDocsCase):
    def setUp(self):
        super().setUp()
        self.directory = self.make_temp_dir()
        self.configure_backup(self.directory)
        self.Backup = self.env["qicai.document.backup"].with_user(self.doc_admin)

    def run_backup(self):
        action = self.Backup.action_run_backup()
        return self.Backup.browse(action["res_id"])

    def read_manifest(self, run):
        with open(run._manifest_path(), encoding="utf-8") as manifest_file:
            return json.load(manifest_file)

    def rewrite_member(self, run, member, content):
        """Replace one file inside the archive, as someone editing it on disk."""
        path = run._archive_path()
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        members[member] = content
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                archive.writestr(name, data)

    def file_checksums(self):
        result = {}
        for name in os.listdir(self.directory):
            with open(os.path.join(self.directory, name), "rb") as backup_file:
                result[name] = hashlib.sha256(backup_file.read()).hexdigest()
        return result

    def create_history(self):
        """A manual with versions 1 (superseded) and 2 (effective)."""
        content_v1 = self.unique_content("v1")
        document = self.create_published(content=content_v1, title="维护手册")
        self.add_version(document, content=self.unique_content("v2"), note="v2")
        self.publish(document)
        return document, content_v1

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def test_backup_writes_archive_and_manifest(self):
        document, content_v1 = self.create_history()
        obsolete = self.create_published(title="Old procedure")
        obsolete.with_user(self.doc_admin).action_obsolete()
        draft = self.create_document(title="Draft only")

        run = self.run_backup()

        self.assertEqual(run.state, "done", run.message)
        self.assertEqual(run.trigger, "manual")
        self.assertEqual(run.user_id, self.doc_admin)
        self.assertEqual(run.version_count, 3)
        self.assertEqual(
            self.backup_files(self.directory),
            sorted([run.archive_name, run.manifest_name]),
        )
        self.assertTrue(run.archive_name.endswith(".zip"))
        manifest = self.read_manifest(run)
        self.assertEqual(manifest["archive"], run.archive_name)
        self.assertEqual(manifest["archive_sha256"], run.archive_checksum)
        by_key = {(e["number"], e["version"]): e for e in manifest["entries"]}
        self.assertEqual(
            set(by_key),
            {(document.name, 1), (document.name, 2), (obsolete.name, 1)},
        )
        self.assertNotIn(draft.name, {e["number"] for e in manifest["entries"]})
        first = by_key[(document.name, 1)]
        self.assertEqual(first["sha256"], hashlib.sha256(content_v1).hexdigest())
        self.assertEqual(first["size"], len(content_v1))
        self.assertEqual(first["title"], "维护手册")
        with zipfile.ZipFile(run._archive_path()) as archive:
            self.assertEqual(archive.read(first["member"]), content_v1)
        self.assertEqual(len(run.line_ids), 3)
        self.assertEqual(run.verify_state, "intact", run.verify_report)
        self.assertEqual(set(run.line_ids.mapped("verify_state")), {"ok"})
        self.assertEqual(set(document.version_ids.mapped("integrity_state")), {"ok"})

    def test_backup_requires_admin(self):
        with self.assertRaisesRegex(UserError, "Only a document administrator"):
            self.env["qicai.document.backup"].with_user(self.author).action_run_backup()

    def test_cron_backup_logs_run(self):
        self.create_published()
        run = self.env["qicai.document.backup"]._cron_backup()
        self.assertEqual(run.trigger, "scheduled")
        self.assertEqual(run.state, "done", run.message)
        self.assertEqual(run.verify_state, "intact")

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------

    def test_missing_directory_fails_clearly(self):
        self.create_published()
        missing = os.path.join(self.directory, "not_mounted")
        self.configure_backup(missing)
        run = self.run_backup()
        self.assertEqual(run.state, "failed")
        self.assertIn(missing, run.message)
        self.assertIn("does not exist", run.message)
        self.assertFalse(os.path.exists(missing), "never created silently")
        self.assertFalse(run.line_ids)

    def test_unconfigured_directory_fails_clearly(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "qicai_docs.backup_directory", False
        )
        run = self.run_backup()
        self.assertEqual(run.state, "failed")
        self.assertIn("No backup directory is configured", run.message)

    def test_directory_inside_filestore_rejected(self):
        filestore = self.env["ir.attachment"]._filestore()
        self.configure_backup(filestore)
        run = self.run_backup()
        self.assertEqual(run.state, "failed")
        self.assertIn("inside the filestore", run.message)
        self.configure_backup(self.directory)
        settings = self.env["res.config.settings"].create(
            {"qicai_docs_backup_directory": filestore}
        )
        with self.assertRaisesRegex(ValidationError, "inside the filestore"):
            settings.execute()
        missing = os.path.join(self.directory, "not_mounted")
        settings = self.env["res.config.settings"].create(
            {"qicai_docs_backup_directory": missing}
        )
        with self.assertRaisesRegex(ValidationError, "does not exist"):
            settings.execute()
        with self.assertRaisesRegex(ValidationError, "keep at least 1 backup"):
            self.env["res.config.settings"].create(
                {
                    "qicai_docs_backup_directory": self.directory,
                    "qicai_docs_backup_retention": 0,
                }
            )

    def test_settings_keep_unchanged_missing_directory(self):
        missing = os.path.join(self.directory, "unmounted_later")
        self.configure_backup(missing, retention=3)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.qicai_docs_backup_directory, missing)
        settings.qicai_docs_backup_retention = 4
        settings.execute()
        self.assertEqual(self.env["qicai.document.backup"]._get_retention(), 4)

    def test_settings_store_directory_and_retention(self):
        other = self.make_temp_dir()
        settings = self.env["res.config.settings"].create(
            {"qicai_docs_backup_directory": other, "qicai_docs_backup_retention": 3}
        )
        settings.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("qicai_docs.backup_directory"), other)
        self.assertEqual(self.env["qicai.document.backup"]._get_retention(), 3)

    def test_disk_full_keeps_earlier_backups(self):
        self.create_published()
        earlier = self.run_backup()
        self.assertEqual(earlier.state, "done")
        before = self.file_checksums()

        with patch.object(
            type(self.env["qicai.document.backup"]),
            "_write_chunk",
            side_effect=OSError(errno.ENOSPC, "No space left on device"),
        ):
            run = self.run_backup()

        self.assertEqual(run.state, "failed")
        self.assertIn("The backup disk is full", run.message)
        self.assertIn("No space left on device", run.message)
        self.assertEqual(self.file_checksums(), before, "earlier backup untouched")
        self.assertEqual(earlier.state, "done")
        earlier.action_verify()
        self.assertEqual(earlier.verify_state, "intact")

    def test_unreadable_attachment_fails_run(self):
        document = self.create_published()
        earlier = self.run_backup()
        before = self.file_checksums()
        os.remove(self.stored_path(document.effective_version_id))

        run = self.run_backup()

        self.assertEqual(run.state, "failed")
        self.assertIn(
            f"{document.name} v1: file missing from the filestore", run.message
        )
        self.assertIn("Earlier backups are untouched", run.message)
        self.assertEqual(document.effective_version_id.integrity_state, "missing")
        self.assertEqual(self.file_checksums(), before)
        self.assertEqual(earlier.state, "done")

    def test_altered_source_file_fails_run(self):
        document = self.create_published()
        self.alter_stored_file(document.effective_version_id)
        run = self.run_backup()
        self.assertEqual(run.state, "failed")
        self.assertIn(f"{document.name} v1: file altered", run.message)
        self.assertEqual(document.effective_version_id.integrity_state, "altered")
        self.assertEqual(self.backup_files(self.directory), [])

    def test_failed_run_removes_leftover_temp_files(self):
        self.create_published()
        leftover = os.path.join(self.directory, ".qicai_docs_crashed.zip.part")
        with open(leftover, "wb") as leftover_file:
            leftover_file.write(b"partial")
        run = self.run_backup()
        self.assertEqual(run.state, "done")
        self.assertFalse(os.path.exists(leftover))

    # ------------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------------

    def test_verify_detects_tampered_file(self):
        document = self.create_published()
        run = self.run_backup()
        line = run.line_ids
        self.rewrite_member(run, line.member, b"edited inside the archive")

        run.action_verify()

        self.assertEqual(run.verify_state, "damaged")
        self.assertEqual(line.verify_state, "altered")
        self.assertIn(f"{document.name} v1", run.verify_report)
        self.assertIn("was altered", run.verify_report)
        self.assertIn("changed after it was written", run.verify_report)

    def test_verify_detects_corrupted_bytes(self):
        content = self.unique_content() * 20
        self.create_published(content=content)
        run = self.run_backup()
        with open(run._archive_path(), "r+b") as archive_file:
            data = bytearray(archive_file.read())
            middle = len(data) // 3
            data[middle] ^= 0xFF
            archive_file.seek(0)
            archive_file.write(data)
        run.action_verify()
        self.assertEqual(run.verify_state, "damaged")
        self.assertIn("changed after it was written", run.verify_report)

    def test_verify_detects_missing_files(self):
        self.create_published()
        other = self.create_published()
        run = self.run_backup()
        gone = run.line_ids.filtered(lambda line: line.document_id == other)
        self.rewrite_member(run, "unexpected/extra.txt", b"x")
        with zipfile.ZipFile(run._archive_path()) as archive:
            kept = {
                name: archive.read(name)
                for name in archive.namelist()
                if name != gone.member
            }
        with zipfile.ZipFile(run._archive_path(), "w") as archive:
            for name, data in kept.items():
                archive.writestr(name, data)
        os.remove(run._manifest_path())

        run.action_verify()

        self.assertEqual(run.verify_state, "damaged")
        self.assertEqual(gone.verify_state, "missing")
        self.assertEqual((run.line_ids - gone).verify_state, "ok")
        self.assertIn("is missing from the archive", run.verify_report)
        self.assertIn("Manifest", run.verify_report)
        self.assertIn("unexpected/extra.txt", run.verify_report)

        os.remove(run._archive_path())
        run.action_verify()
        self.assertIn("is missing", run.verify_report)
        self.assertEqual(set(run.line_ids.mapped("verify_state")), {"missing"})

    def test_verify_detects_edited_manifest(self):
        self.create_published()
        run = self.run_backup()
        manifest = self.read_manifest(run)
        manifest["entries"][0]["sha256"] = "0" * 64
        with open(run._manifest_path(), "w", encoding="utf-8") as manifest_file:
            json.dump(manifest, manifest_file)
        run.action_verify()
        self.assertEqual(run.verify_state, "damaged")
        self.assertIn("does not match the backup log", run.verify_report)

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    def test_retention_prunes_oldest(self):
        self.configure_backup(self.directory, retention=2)
        self.create_published()
        runs = [self.run_backup() for _index in range(3)]
        oldest, middle, newest = runs
        self.assertEqual(oldest.state, "pruned")
        self.assertEqual(middle.state, "done")
        self.assertEqual(newest.state, "done")
        self.assertFalse(os.path.exists(oldest._archive_path()))
        self.assertFalse(os.path.exists(oldest._manifest_path()))
        self.assertEqual(
            self.backup_files(self.directory),
            sorted(
                [
                    middle.archive_name,
                    middle.manifest_name,
                    newest.archive_name,
                    newest.manifest_name,
                ]
            ),
        )
        with self.assertRaisesRegex(UserError, "no archive any more"):
            oldest.line_ids.action_restore()

    def test_failed_runs_do_not_count_for_retention(self):
        self.configure_backup(self.directory, retention=1)
        document = self.create_published()
        good = self.run_backup()
        os.remove(self.stored_path(document.effective_version_id))
        failed = self.run_backup()
        self.assertEqual(failed.state, "failed")
        self.assertEqual(good.state, "done")
        self.assertTrue(os.path.exists(good._archive_path()))

    # ------------------------------------------------------------------
    # Integrity check and restore
    # ------------------------------------------------------------------

    def test_restore_version_after_tampering(self):
        document, content_v1 = self.create_history()
        first = document.version_ids.filtered(lambda v: v.version == 1)
        run = self.run_backup()
        self.alter_stored_file(first)

        document.with_user(self.doc_admin).action_verify_integrity()
        self.assertEqual(first.integrity_state, "altered")
        self.assertEqual(document.integrity_state, "damaged")

        line = run.line_ids.filtered(lambda line: line.version_id == first)
        action = line.with_user(self.doc_admin).action_restore()
        restored = self.env["qicai.document.version"].browse(action["res_id"])

        self.assertEqual(restored.version, 3)
        self.assertEqual(restored.state, "draft")
        self.assertEqual(restored.checksum, first.checksum)
        self.assertEqual(restored.checksum, hashlib.sha256(content_v1).hexdigest())
        self.assertEqual(restored._read_stored_digest()[0], first.checksum)
        self.assertEqual(base64.b64decode(restored.datas), content_v1)
        self.assertEqual(restored.restored_from_version_id, first)
        self.assertEqual(restored.restored_from_backup_id, run)
        self.assertEqual(restored.integrity_state, "ok")
        self.assertEqual(first.integrity_state, "ok", "shared file rewritten")
        self.assertIn("restored from backup", document.message_ids[0].body)
        self.assertEqual(document.state, "effective")

        self.publish(document, author=self.doc_admin)
        self.assertEqual(document.effective_version_id, restored)

    def test_restore_refuses_altered_backup(self):
        document = self.create_published()
        run = self.run_backup()
        self.rewrite_member(run, run.line_ids.member, b"edited copy")
        versions_before = document.version_ids
        with self.assertRaisesRegex(UserError, "is altered"):
            run.line_ids.with_user(self.doc_admin).action_restore()
        self.assertEqual(document.version_ids, versions_before)

    def test_restore_guards(self):
        document = self.create_published()
        run = self.run_backup()
        with self.assertRaises(AccessError):
            run.line_ids.with_user(self.author).action_restore()
        document.with_user(self.author).action_new_version()
        with self.assertRaisesRegex(UserError, "while a version is in progress"):
            run.line_ids.with_user(self.doc_admin).action_restore()
