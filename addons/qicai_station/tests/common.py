from odoo.tests import TransactionCase, new_test_user

GROUPS = {
    "manager": "qicai_station.group_qicai_manager",
    "service": "qicai_station.group_qicai_service",
    "engineer": "qicai_station.group_qicai_engineer",
    "technical": "qicai_station.group_qicai_technical",
    "partner": "qicai_station.group_qicai_partner",
    "doc_admin": "qicai_station.group_qicai_doc_admin",
}


class QicaiStationCase(TransactionCase):
    """Regions, two charger models, a team of each provider type, two stations
    and one user per role of the suite, all built without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
        )
        cls.company = cls.env.company
        cls.manufacturer = cls.env["res.partner"].create(
            {"name": "Test Charger Works", "is_company": True}
        )
        cls.partner_company = cls.env["res.partner"].create(
            {"name": "Test Service Partner", "is_company": True}
        )
        cls.model_dc = cls.env["qicai.charger.model"].create(
            {
                "name": "TC-120",
                "manufacturer_id": cls.manufacturer.id,
                "current_type": "dc",
                "rated_power_kw": 120.0,
                "connector_standard": "gbt_dc",
                "connector_count": 2,
            }
        )
        cls.model_ac = cls.env["qicai.charger.model"].create(
            {
                "name": "TC-7",
                "manufacturer_id": cls.manufacturer.id,
                "current_type": "ac",
                "rated_power_kw": 7.0,
                "connector_standard": "gbt_ac",
            }
        )

        Region = cls.env["qicai.region"]
        cls.region_city = Region.create({"name": "Test City", "code": "T-CITY"})
        cls.region_north = Region.create(
            {"name": "North District", "code": "T-N", "parent_id": cls.region_city.id}
        )
        cls.region_south = Region.create(
            {"name": "South District", "code": "T-S", "parent_id": cls.region_city.id}
        )

        users = {
            role: new_test_user(cls.env, login=f"qs_{role}", groups=group)
            for role, group in GROUPS.items()
        }
        cls.user_manager = users["manager"]
        cls.user_service = users["service"]
        cls.user_engineer = users["engineer"]
        cls.user_technical = users["technical"]
        cls.user_partner = users["partner"]
        cls.user_doc_admin = users["doc_admin"]
        cls.user_supplier = new_test_user(
            cls.env, login="qs_supplier", groups=GROUPS["partner"]
        )

        Team = cls.env["maintenance.team"]
        cls.team_own = Team.create(
            {
                "name": "Own Team",
                "provider_type": "own",
                "member_ids": [(6, 0, cls.user_engineer.ids)],
            }
        )
        cls.team_supplier = Team.create(
            {
                "name": "Supplier Team",
                "provider_type": "supplier",
                "provider_partner_id": cls.manufacturer.id,
                "contract_start": "2020-01-01",
                "member_ids": [(6, 0, cls.user_supplier.ids)],
            }
        )
        cls.team_partner = Team.create(
            {
                "name": "Partner Team",
                "provider_type": "partner",
                "provider_partner_id": cls.partner_company.id,
                "contract_start": "2020-01-01",
                "member_ids": [(6, 0, cls.user_partner.ids)],
            }
        )

        cls.station_north = cls._create_station(
            "North Station", "T-ST-N", region_id=cls.region_north.id,
            team_id=cls.team_partner.id,
        )
        cls.station_south = cls._create_station(
            "South Station", "T-ST-S", region_id=cls.region_south.id,
            team_id=cls.team_supplier.id,
        )

    @classmethod
    def _create_station(cls, name, code, **vals):
        return cls.env["qicai.station"].create(
            dict({"latitude": 22.54, "longitude": 113.93}, name=name, code=code, **vals)
        )

    @classmethod
    def _create_charger(cls, station, name, model=None, connectors=1, **vals):
        """Create a charger on ``station`` with ``connectors`` connectors."""
        model = model or cls.model_dc
        return cls.env["maintenance.equipment"].create(
            dict(
                name=name,
                equipment_kind="charger",
                station_id=station.id,
                charger_model_id=model.id,
                connector_ids=[
                    (0, 0, {"number": number, "current_type": model.current_type})
                    for number in range(1, connectors + 1)
                ],
                **vals,
            )
        )
