import base64
import io

import openpyxl

from odoo.tests import Form

from .common import QicaiDocsCase


class TestEquipmentLedger(QicaiDocsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.transformer = cls.env["maintenance.equipment"].create(
            {
                "name": "箱式变压器",
                "equipment_kind": "transformer",
                "station_id": cls.station.id,
                "serial_no": "TR-001",
            }
        )
        cls.type_acceptance = cls.env.ref("qicai_docs.document_type_acceptance_record")
        cls.type_training = cls.env.ref("qicai_docs.document_type_training_material")

    def create_station_with_documents(self, index):
        station = self.env["qicai.station"].create(
            {"name": f"批量站 {index}", "code": f"QD-BATCH-{index}"}
        )
        charger = self.env["maintenance.equipment"].create(
            {
                "name": f"批量桩 {index}",
                "equipment_kind": "charger",
                "station_id": station.id,
                "charger_model_id": self.charger_model.id,
            }
        )
        self.create_published(
            title=f"验收记录 {index}",
            type_id=self.type_acceptance.id,
            station_id=station.id,
        )
        self.create_published(
            title=f"维护手册 {index}", equipment_id=charger.id, station_id=station.id
        )
        return station

    def test_ledger_lists_equipment_and_key_documents(self):
        manual = self.create_published(
            title="直流桩维护手册", equipment_id=self.charger.id
        )
        acceptance = self.create_published(
            title="竣工验收记录",
            type_id=self.type_acceptance.id,
            station_id=self.station.id,
        )
        self.create_published(
            title="培训课件", type_id=self.type_training.id, station_id=self.station.id
        )
        self.create_document(title="草稿手册", equipment_id=self.charger.id)

        ledger = self.station._get_equipment_ledger_data()

        self.assertEqual(len(ledger), 1)
        entry = ledger[0]
        self.assertEqual(entry["station_documents"], [acceptance], "not a key type")
        by_equipment = {
            item["equipment"]: item["documents"] for item in entry["equipment"]
        }
        self.assertEqual(set(by_equipment), {self.charger, self.transformer})
        self.assertEqual(by_equipment[self.charger], [manual], "drafts left out")
        self.assertEqual(by_equipment[self.transformer], [])

    def test_ledger_queries_do_not_grow_with_stations(self):
        one = self.create_station_with_documents(1)
        many = one | self.create_station_with_documents(2)
        many |= self.create_station_with_documents(3)
        many |= self.create_station_with_documents(4)
        many |= self.create_station_with_documents(5)
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            one._get_equipment_ledger_data()
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            ledger = many._get_equipment_ledger_data()
        self.assertEqual(len(ledger), 5)
        self.assertEqual(sum(len(entry["equipment"]) for entry in ledger), 5)

    def test_pdf_report_renders_chinese(self):
        self.create_published(title="直流桩维护手册", equipment_id=self.charger.id)
        report = self.env.ref("qicai_docs.action_report_equipment_ledger")
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.reader)
            .with_context(lang="zh_CN")
        )
        html, _format = Report._render_qweb_html(report, self.station.ids)
        html = html.decode()
        self.assertIn("直流桩维护手册", html)
        self.assertIn("箱式变压器", html)
        self.assertIn("Noto Sans CJK SC", html)
        pdf, report_format = Report.with_context(
            force_report_rendering=True
        )._render_qweb_pdf(report, self.station.ids)
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertIn(b"NotoSansCJK", pdf, "CJK font embedded")

    def test_network_pdf_from_wizard(self):
        self.create_station_with_documents(7)
        wizard = Form(
            self.env["qicai.equipment.ledger.wizard"].with_user(self.reader)
        ).save()
        action = wizard.action_print_pdf()
        self.assertEqual(action["report_name"], "qicai_docs.report_equipment_ledger")
        all_stations = self.env["qicai.station"].search([])
        self.assertEqual(set(action["context"]["active_ids"]), set(all_stations.ids))

    def test_xlsx_export(self):
        manual = self.create_published(
            title="直流桩维护手册", equipment_id=self.charger.id
        )
        form = Form(self.env["qicai.equipment.ledger.wizard"].with_user(self.reader))
        form.station_ids.add(self.station)
        wizard = form.save()
        action = wizard.action_export_xlsx()
        self.assertIn("download=true", action["url"])
        self.assertTrue(wizard.export_file_name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.export_file)))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Station Code")
        charger_rows = [row for row in rows if row[2] == self.charger.name]
        self.assertEqual(len(charger_rows), 1)
        row = charger_rows[0]
        self.assertEqual(row[0], self.station.code)
        self.assertEqual(row[6], "QD-SN-001")
        self.assertEqual(row[10], manual.name)
        self.assertEqual(row[11], "直流桩维护手册")
        self.assertEqual(row[13], 1)
        self.assertEqual(row[15], manual.effective_version_id.checksum)
        transformer_rows = [row for row in rows if row[2] == "箱式变压器"]
        self.assertEqual(len(transformer_rows), 1)
        self.assertIsNone(transformer_rows[0][10])

    def test_smart_buttons(self):
        on_station = self.create_document(station_id=self.station.id)
        on_charger = self.create_document(equipment_id=self.charger.id)
        self.create_document()
        station = self.station.with_user(self.author)
        self.assertEqual(station.document_count, 2)
        self.assertEqual(self.charger.with_user(self.author).document_count, 1)
        action = station.action_open_documents()
        found = (
            self.env["qicai.document"].with_user(self.author).search(action["domain"])
        )
        self.assertEqual(found, on_station | on_charger)
        self.assertEqual(action["context"]["default_station_id"], self.station.id)
        action = self.charger.with_user(self.author).action_open_documents()
        self.assertEqual(
            self.env["qicai.document"].search(action["domain"]), on_charger
        )

    def test_equipment_sets_station(self):
        form = Form(self.env["qicai.document"].with_user(self.author))
        form.title = "Charger manual"
        form.type_id = self.type_manual
        form.equipment_id = self.charger
        self.assertEqual(form.station_id, self.station)

    def test_wizard_defaults_to_selected_stations(self):
        Wizard = self.env["qicai.equipment.ledger.wizard"].with_user(self.reader)
        selected = Wizard.with_context(
            active_model="qicai.station", active_ids=self.station.ids
        ).create({})
        self.assertEqual(selected.station_ids, self.station)
        from_menu = Wizard.with_context(
            active_model="maintenance.equipment", active_ids=self.charger.ids
        ).create({})
        self.assertFalse(from_menu.station_ids)
