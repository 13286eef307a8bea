import logging
import re

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{6,19}$")
MAX_DESCRIPTION = 2000
MAX_NAME = 100


class QicaiPublicFaultReport(http.Controller):
    """Public fault report page behind the QR code printed on a station."""

    @http.route(
        "/qicai/report/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def report_fault(self, token, **post):
        station = self._station_of_token(token)
        if not station:
            return self._render("qicai_maintenance.public_report_invalid", {}, status=404)
        values = {
            "station": station,
            "chargers": station.charger_ids.sorted("name"),
            "categories": request.env["qicai.fault.category"]
            .sudo()
            .with_context(lang=self._lang())
            .search([]),
            "errors": [],
            "post": post,
            "selected_charger": self._selected_charger(station, post.get("charger")),
        }
        if request.httprequest.method == "POST":
            report_vals, errors = self._parse_report(station, post)
            if not errors:
                try:
                    # Drivers have no account; the token proves which station
                    # they stand at, and intake checks every value again.
                    report = (
                        request.env["qicai.fault.report"]
                        .sudo()
                        .with_context(lang=self._lang())
                        .intake([report_vals])
                    )
                except UserError as error:
                    _logger.warning(
                        "Public fault report for station %s rejected: %s",
                        station.id,
                        error,
                    )
                    errors.append(str(error))
                else:
                    return self._render(
                        "qicai_maintenance.public_report_done",
                        {"station": station, "report": report},
                    )
            values["errors"] = errors
        return self._render("qicai_maintenance.public_report_form", values)

    def _station_of_token(self, token):
        # The public user may read no station. Only the station whose secret
        # token is in the URL is looked up, and the page shows its public fields.
        station = (
            request.env["qicai.station"]
            .sudo()
            .with_context(lang=self._lang())
            .search([("qr_token", "=", token), ("qr_token", "!=", False)], limit=1)
        )
        if not token or station.operating_state == "closed":
            return station.browse()
        return station

    def _selected_charger(self, station, value):
        """Return the charger named by its id or OCPP identity, if on the station."""
        if not value:
            return station.charger_ids.browse()
        return station.charger_ids.filtered(
            lambda charger: str(charger.id) == value or charger.ocpp_identity == value
        )[:1]

    def _parse_report(self, station, post):
        env = request.env(context=dict(request.env.context, lang=self._lang()))
        errors = []

        charger = self._selected_charger(station, post.get("charger"))
        if post.get("charger") and not charger:
            errors.append(env._("Choose a charger of this station from the list."))
        category = (
            env["qicai.fault.category"]
            .sudo()
            .search([("id", "=", int(post["category"]))], limit=1)
            if (post.get("category") or "").isdigit()
            else env["qicai.fault.category"]
        )
        if not category:
            errors.append(env._("Choose what is wrong from the list."))

        phone = (post.get("phone") or "").strip()
        if not PHONE_PATTERN.match(phone):
            errors.append(
                env._(
                    "Phone number %(phone)s is invalid: enter 7 to 20 digits so that "
                    "we can call you back.",
                    phone=phone or "-",
                )
            )

        name = (post.get("name") or "").strip()
        if len(name) > MAX_NAME:
            errors.append(
                env._("Your name is too long: use at most %(max)s characters.", max=MAX_NAME)
            )

        description = (post.get("description") or "").strip()
        if len(description) > MAX_DESCRIPTION:
            errors.append(
                env._(
                    "The description is too long: use at most %(max)s characters.",
                    max=MAX_DESCRIPTION,
                )
            )

        vals = {
            "station_id": station.id,
            "equipment_id": charger.id or False,
            "fault_category_id": category.id,
            "source_channel": "qr_code",
            "reporter_name": name,
            "reporter_phone": phone,
            "description": description,
        }
        return vals, errors

    def _lang(self):
        """Return the page language: the visitor's choice, else Chinese when loaded."""
        installed = dict(request.env["res.lang"].get_installed())
        requested = request.httprequest.args.get("lang") or request.httprequest.cookies.get(
            "frontend_lang"
        )
        if requested in installed:
            return requested
        return "zh_CN" if "zh_CN" in installed else request.env.lang

    def _render(self, template, values, status=200):
        request.update_context(lang=self._lang())
        return request.render(template, values, status=status)
