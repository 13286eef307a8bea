import math
from collections import Counter

from odoo import api, models

UK_NCR_CONNECTOR_SLOTS = 8

# chargeDeviceStatus -> (station operating state, charger operational status)
UK_NCR_DEVICE_STATES = {
    "in service": ("operating", "available"),
    "out of service": ("suspended", "out_of_service"),
    "planned": ("planned", "out_of_service"),
}
UK_NCR_CONNECTOR_STATES = {
    "in service": "available",
    "out of service": "out_of_service",
}
# Fragments of connectorNType, checked in this order (a "Type 2 Combo" is CCS2,
# not Type 2), with the standard and, when the plug fixes it, the current type.
UK_NCR_CONNECTOR_TYPES = (
    ("combo", "ccs2", "dc"),
    ("chademo", "chademo", "dc"),
    ("tesla", "type2", "dc"),
    ("type 2", "type2", None),
    ("type 1", "type1", None),
    ("j1772", "type1", None),
    ("bs1363", "domestic", "ac"),
    ("type g", "domestic", "ac"),
)


class QicaiRegistryUkNcr(models.AbstractModel):
    """UK National Chargepoint Registry CSV export: one row per charge device
    with its address, operators, status and up to eight connectors."""

    _name = "qicai.registry.uk.ncr"
    _inherit = "qicai.registry.parser"
    _description = "UK National Chargepoint Registry Format"
    _columns = (
        "chargeDeviceID",
        "reference",
        "name",
        "latitude",
        "longitude",
        "chargeDeviceStatus",
    )

    def _parse_rows(self, rows, zones_content=None):
        records, rejected, first_rows = [], [], {}
        other_types = Counter()
        for row in rows:
            ref = (row.get("chargeDeviceID") or "").strip()
            if not self._check_shape(row, rejected, ref):
                continue
            if not ref:
                self._reject(rejected, row, ref, self.env._("chargeDeviceID is missing."))
                continue
            if self._is_duplicate(row, rejected, ref, first_rows):
                continue
            coordinates = self._parse_coordinates(
                row, rejected, ref, "latitude", "longitude"
            )
            if coordinates is None:
                continue
            status = (row.get("chargeDeviceStatus") or "").strip()
            states = UK_NCR_DEVICE_STATES.get(status.lower())
            if not states:
                self._reject(
                    rejected,
                    row,
                    ref,
                    self.env._(
                        "Unknown device status %(status)s: expected In service, "
                        "Out of service or Planned.",
                        status=repr(status),
                    ),
                )
                continue
            connectors = self._parse_uk_connectors(row, rejected, ref, states[1], other_types)
            if connectors is None:
                continue
            records.append(self._prepare_uk_record(row, ref, coordinates, states, connectors))

        notes = [
            self.env._(
                "Each UK device became one station (its reference is the "
                "chargeDeviceID) with one charger; the controller, or else the "
                "owner, is recorded as the operator and the county as a region."
            ),
        ]
        if other_types:
            notes.append(
                self.env._(
                    "Connector types with no matching standard were stored as "
                    "Other: %(types)s.",
                    types=", ".join(f"{name} ({count})" for name, count in other_types.items()),
                )
            )
        return records, rejected, notes

    def _parse_uk_connectors(self, row, rejected, ref, charger_status, other_types):
        """Return the connector dicts of one device, or None after rejecting it."""
        connectors = []
        for slot in range(1, UK_NCR_CONNECTOR_SLOTS + 1):
            prefix = f"connector{slot}"
            plug = (row.get(f"{prefix}Type") or "").strip()
            connector_ref = (row.get(f"{prefix}ID") or "").strip()
            if not plug and not connector_ref:
                continue

            raw_power = (row.get(f"{prefix}RatedOutputKW") or "").strip()
            try:
                power = float(raw_power) if raw_power else 0.0
            except ValueError:
                power = math.nan
            if not math.isfinite(power) or power < 0:
                self._reject(
                    rejected,
                    row,
                    ref,
                    self.env._(
                        "Connector %(slot)s has the rated output %(power)s, not a "
                        "number of kW.",
                        slot=slot,
                        power=repr(raw_power),
                    ),
                )
                return None

            raw_status = (row.get(f"{prefix}Status") or "").strip()
            status = UK_NCR_CONNECTOR_STATES.get(raw_status.lower())
            if raw_status and not status:
                self._reject(
                    rejected,
                    row,
                    ref,
                    self.env._(
                        "Connector %(slot)s has the unknown status %(status)s: "
                        "expected In service or Out of service.",
                        slot=slot,
                        status=repr(raw_status),
                    ),
                )
                return None
            if not status:
                status = "available" if charger_status == "available" else "out_of_service"

            standard, current = self._map_uk_connector_type(plug)
            if standard == "other":
                other_types[plug or "-"] += 1
            method = (row.get(f"{prefix}ChargeMethod") or "").lower()
            if "dc" in method.split():
                current = "dc"
            elif "ac" in method.split():
                current = current or "ac"
            connectors.append(
                {
                    "number": slot,
                    "standard": standard,
                    "current_type": current or "ac",
                    "max_power_kw": power,
                    "status": status,
                    "source_ref": connector_ref,
                }
            )
        return connectors

    @api.model
    def _map_uk_connector_type(self, plug):
        lowered = plug.lower()
        for fragment, standard, current in UK_NCR_CONNECTOR_TYPES:
            if fragment in lowered:
                return standard, current
        return "other", None

    def _prepare_uk_record(self, row, ref, coordinates, states, connectors):
        def part(column):
            return (row.get(column) or "").strip()

        latitude, longitude = coordinates
        station_state, charger_status = states
        code = part("reference") or f"NCR-{ref[:8]}"
        street = " ".join(filter(None, [part("buildingNumber"), part("thoroughfare")]))
        if part("buildingName"):
            street = ", ".join(filter(None, [part("buildingName"), street]))
        access = part("access24Hours")

        manufacturer, model_name = part("deviceManufacturer"), part("deviceModel")
        current = "dc" if any(c["current_type"] == "dc" for c in connectors) else "ac"
        if manufacturer and model_name:
            model = (
                "named",
                manufacturer,
                model_name,
                current,
                max([c["max_power_kw"] for c in connectors] or [0.0]),
                connectors[0]["standard"] if connectors else "other",
                max(len(connectors), 1),
            )
        else:
            model = ("generic", current)

        return {
            "row": row["_row"],
            "ref": ref,
            "station": {
                "name": part("name") or code,
                "code": code,
                "street": street,
                "street2": ", ".join(
                    filter(None, [part("street"), part("dependantLocality")])
                ),
                "city": part("town"),
                "zip": part("postcode"),
                "latitude": latitude,
                "longitude": longitude,
                "operating_state": station_state,
                "location_type": part("locationType"),
                "opening_hours": "00:00-24:00" if access == "1" else False,
            },
            "links": {
                "country": (part("countryCode") or "gb").upper(),
                "operator": part("deviceControllerName") or part("deviceOwnerName"),
                "region": part("county"),
            },
            "chargers": [
                {
                    "ref": ref,
                    "model": model,
                    "vals": {
                        "name": code,
                        "operational_status": charger_status,
                        "model": model_name or False,
                    },
                    "connectors": connectors,
                }
            ],
        }
