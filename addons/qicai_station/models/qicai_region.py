from odoo import api, fields, models


class QicaiRegion(models.Model):
    _name = "qicai.region"
    _description = "O&M Region"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    parent_id = fields.Many2one(
        "qicai.region", string="Parent Region", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("qicai.region", "parent_id", string="Sub-regions")
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    station_ids = fields.One2many("qicai.station", "region_id", string="Stations")
    station_count = fields.Integer(compute="_compute_station_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A region code must be unique per company.",
        ),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for region in self:
            if region.parent_id:
                region.complete_name = f"{region.parent_id.complete_name} / {region.name}"
            else:
                region.complete_name = region.name

    def _compute_station_count(self):
        counts = dict(
            self.env["qicai.station"]._read_group(
                [("region_id", "child_of", self.ids)], ["region_id"], ["__count"]
            )
        )
        for region in self:
            region.station_count = sum(
                count for reg, count in counts.items() if reg.parent_path.startswith(region.parent_path)
            )
