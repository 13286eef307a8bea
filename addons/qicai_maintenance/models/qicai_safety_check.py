from odoo import api, fields, models
from odoo.exceptions import UserError


class QicaiSafetyCheck(models.Model):
    """Confirmation of one safety checklist item on one work order."""

    _name = "qicai.safety.check"
    _description = "Safety Check"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one(
        "maintenance.request", required=True, ondelete="cascade", index=True
    )
    item_id = fields.Many2one(
        "qicai.safety.check.item", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="item_id.sequence", store=True)
    name = fields.Char(related="item_id.name")
    detail = fields.Text(related="item_id.detail")
    blocking = fields.Boolean(related="item_id.blocking")
    confirmed = fields.Boolean()
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    confirmed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "item_uniq",
            "unique(request_id, item_id)",
            "A checklist item appears only once on a work order.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self._check_not_started(
            self.env["maintenance.request"].browse(
                [vals["request_id"] for vals in vals_list if vals.get("request_id")]
            )
        )
        for vals in vals_list:
            vals.update(self._confirmation_vals(vals.get("confirmed")))
        return super().create(vals_list)

    def write(self, vals):
        self._check_not_started(self.request_id)
        if "request_id" in vals:
            self._check_not_started(self.request_id.browse(vals["request_id"]))
        # Who confirmed and when is recorded here, never taken from the caller.
        vals = {
            key: value
            for key, value in vals.items()
            if key not in ("confirmed_by_id", "confirmed_at")
        }
        if "confirmed" in vals:
            vals.update(self._confirmation_vals(vals["confirmed"]))
        return super().write(vals)

    def _check_not_started(self, requests):
        started = requests.filtered("started_at")
        if started:
            raise UserError(
                self.env._(
                    "Work on %(orders)s has already started, so its safety "
                    "checklist can no longer change.",
                    orders=", ".join(started.mapped("display_name")),
                )
            )

    def _confirmation_vals(self, confirmed):
        if confirmed:
            return {
                "confirmed_by_id": self.env.uid,
                "confirmed_at": fields.Datetime.now(),
            }
        return {"confirmed_by_id": False, "confirmed_at": False}
