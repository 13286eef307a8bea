import base64
import os

from .common import QicaiDocsCase


class TestChineseWalkthrough(QicaiDocsCase):
    """The document administrator's walk-through, with the interface in
    Simplified Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["qicai_station", "qicai_docs"], ["zh_CN"], overwrite=True
        )
        cls.doc_admin.lang = "zh_CN"

    def test_register_publish_backup_restore(self):
        directory = self.make_temp_dir()
        self.configure_backup(directory)
        admin_env = self.env(user=self.doc_admin, context={"lang": "zh_CN"})
        content_v1 = "HN-DC120 直流充电桩维护手册 第 1 版\n".encode() + (
            self.unique_content()
        )

        document = self.register_with_form(
            self.doc_admin, "直流充电桩维护手册", content_v1
        ).with_env(admin_env)
        self.assertEqual(document.type_id.name, "维护手册")
        document.action_submit()
        document.action_approve()
        first = document.effective_version_id
        self.assertEqual(
            dict(document._fields["state"]._description_selection(admin_env))[
                document.state
            ],
            "生效",
        )
        self.assertIn("已由 Document Administrator 批准", document.message_ids[0].body)

        action = document.action_new_version()
        second = admin_env["qicai.document.version"].browse(action["res_id"])
        second.write(
            {
                "datas": base64.b64encode(self.unique_content("第 2 版")),
                "file_name": "manual_v2.txt",
                "change_note": "增加液冷充电枪检查项",
            }
        )
        document.action_submit()
        document.action_approve()
        self.assertEqual(first.state, "superseded")
        self.assertEqual(second.state, "effective")

        action = admin_env["qicai.document.backup"].action_run_backup()
        run = admin_env["qicai.document.backup"].browse(action["res_id"])
        self.assertEqual(run.state, "done", run.message)
        self.assertIn("已将 2 个版本写入", run.message)
        self.assertEqual(run.verify_state, "intact")
        self.assertIn("全部 2 个文件与其 SHA-256 校验值一致", run.verify_report)

        self.alter_stored_file(first, "被篡改的内容".encode())
        document.action_verify_integrity()
        self.assertEqual(first.integrity_state, "altered")
        self.assertIn("完整性校验失败", document.message_ids[0].body)
        failed = admin_env["qicai.document.backup"].browse(
            admin_env["qicai.document.backup"].action_run_backup()["res_id"]
        )
        self.assertEqual(failed.state, "failed")
        self.assertIn("备份已中止", failed.message)
        self.assertIn("文件已被篡改", failed.message)

        line = run.line_ids.filtered(lambda line: line.version_id == first)
        action = line.action_restore()
        restored = admin_env["qicai.document.version"].browse(action["res_id"])
        self.assertEqual(restored.version, 3)
        self.assertEqual(restored.checksum, first.checksum)
        self.assertEqual(base64.b64decode(restored.datas), content_v1)
        self.assertIn("已在归档文件和文件存储中校验一致", document.message_ids[0].body)
        self.assertEqual(first.integrity_state, "ok")
        self.assertEqual(
            sorted(os.listdir(directory)), sorted([run.archive_name, run.manifest_name])
        )

    def test_missing_directory_message_in_chinese(self):
        missing = os.path.join(self.make_temp_dir(), "未挂载")
        self.configure_backup(missing)
        # The web client sends the user's language in the context.
        Backup = (
            self.env["qicai.document.backup"]
            .with_user(self.doc_admin)
            .with_context(lang=self.doc_admin.lang)
        )
        run = Backup.browse(Backup.action_run_backup()["res_id"])
        self.assertEqual(run.state, "failed")
        self.assertIn(f"备份目录 {missing} 不存在", run.message)
