from unittest.mock import patch

from .common import QicaiDocsCase


class TestDocumentReference(QicaiDocsCase):
    def test_selection_lists_installed_models_only(self):
        Document = self.env["qicai.document"]
        with patch.object(
            type(Document),
            "_get_reference_models",
            return_value=["maintenance.request", "qicai.not.installed"],
        ):
            selection = dict(Document._selection_res_ref())
        self.assertIn("maintenance.request", selection)
        self.assertNotIn("qicai.not.installed", selection)

    def test_default_models(self):
        selection = dict(self.env["qicai.document"]._selection_res_ref())
        self.assertIn("maintenance.request", selection)
        self.assertIn("maintenance.team", selection)
        self.assertIn("qicai.charger.model", selection)
        for model in ("qicai.fault.category", "qicai.inspection"):
            self.assertEqual(model in selection, model in self.env)

    def test_link_to_work_order(self):
        request = self.env["maintenance.request"].create(
            {"name": "Charger 3 does not start", "equipment_id": self.charger.id}
        )
        document = self.create_document(
            res_ref=f"maintenance.request,{request.id}",
            station_id=self.station.id,
            equipment_id=self.charger.id,
        )
        self.assertEqual(document.res_ref, request)
        found = self.env["qicai.document"].search(
            [("res_ref", "=", f"maintenance.request,{request.id}")]
        )
        self.assertEqual(found, document)
