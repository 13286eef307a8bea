import logging
import math

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

SHENZHEN_ZONES_FILE = "qicai_station/data/cn_shenzhen_zones_st-evcdp.csv"
ZONE_COLUMNS = ("grid", "lon", "la")


class QicaiRegistryShenzhen(models.AbstractModel):
    """Shenzhen public station registry: coordinates and counts of fast (DC)
    and slow (AC) piles per station, without names."""

    _name = "qicai.registry.shenzhen"
    _inherit = "qicai.registry.parser"
    _description = "Shenzhen Station Registry Format"
    _columns = ("station_id", "latitude", "longitude", "fast", "slow", "count")

    def _read_zones(self, zones_content):
        zones = []
        for row in self._read_csv(zones_content, ZONE_COLUMNS):
            try:
                zones.append((row["grid"].strip(), float(row["la"]), float(row["lon"])))
            except ValueError:
                _logger.warning(
                    "Skipped traffic zone on line %s: invalid grid, lon or la value",
                    row["_row"],
                )
        return zones

    @api.model
    def _nearest_zone(self, zones, latitude, longitude):
        """Return the id of the zone whose centre is nearest (equirectangular)."""
        scale = math.cos(math.radians(latitude))
        best = min(
            zones,
            key=lambda zone: (zone[1] - latitude) ** 2
            + ((zone[2] - longitude) * scale) ** 2,
        )
        return best[0]

    def _parse_rows(self, rows, zones_content=None):
        if zones_content is None:
            with file_open(SHENZHEN_ZONES_FILE, "rb") as zones_file:
                zones_content = zones_file.read()
        zones = self._read_zones(zones_content)
        if not zones:
            raise UserError(
                self.env._("The traffic-zone file holds no zone. Upload the zone CSV.")
            )
        records, rejected, first_rows = [], [], {}
        for row in rows:
            ref = (row.get("station_id") or "").strip()
            if not self._check_shape(row, rejected, ref):
                continue
            if not ref.isdigit():
                self._reject(
                    rejected,
                    row,
                    ref,
                    self.env._(
                        "Station id %(ref)s is missing or not a whole number.",
                        ref=repr(ref),
                    ),
                )
                continue
            if self._is_duplicate(row, rejected, ref, first_rows):
                continue
            coordinates = self._parse_coordinates(
                row, rejected, ref, "latitude", "longitude"
            )
            if coordinates is None:
                continue
            fast = self._parse_count(row, rejected, ref, "fast")
            slow = fast is not None and self._parse_count(row, rejected, ref, "slow")
            if fast is None or slow is None:
                continue
            total = (row.get("count") or "").strip()
            if total and total != str(fast + slow):
                self._reject(
                    rejected,
                    row,
                    ref,
                    self.env._(
                        "Total count %(count)s differs from fast %(fast)s plus slow "
                        "%(slow)s piles.",
                        count=repr(total),
                        fast=fast,
                        slow=slow,
                    ),
                )
                continue
            records.append(self._prepare_shenzhen_record(row, ref, coordinates, fast, slow, zones))

        notes = [
            self.env._(
                "The Shenzhen registry has no station names: every station got the "
                "code SZ-<station id> and a generated name made of its nearest "
                "traffic zone and its id."
            ),
            self.env._(
                "The registry gives only counts of fast (DC) and slow (AC) piles: "
                "each pile became one charger with one GB/T connector of the "
                "generic DC or AC charger model, at that model's nominal power."
            ),
        ]
        return records, rejected, notes

    def _prepare_shenzhen_record(self, row, ref, coordinates, fast, slow, zones):
        latitude, longitude = coordinates
        zone = self._nearest_zone(zones, latitude, longitude)
        code = f"SZ-{ref}"
        chargers = []
        for current, count in (("dc", fast), ("ac", slow)):
            label = current.upper()
            for index in range(1, count + 1):
                chargers.append(
                    {
                        "ref": f"{ref}/{label}{index}",
                        "model": ("generic", current),
                        "vals": {
                            "name": f"{code}-{label}{index:02d}",
                            "operational_status": "available",
                        },
                        "connectors": [
                            {
                                "number": 1,
                                "standard": "gbt_dc" if current == "dc" else "gbt_ac",
                                "current_type": current,
                            }
                        ],
                    }
                )
        return {
            "row": row["_row"],
            "ref": ref,
            "station": {
                # The name is data in Chinese: the registry's users are in Shenzhen.
                "name": f"深圳{zone}号交通小区{ref}号充电站",
                "code": code,
                "city": "深圳市",
                "latitude": latitude,
                "longitude": longitude,
                "operating_state": "operating",
            },
            "generated": ("name",),
            "links": {"country": "CN"},
            "chargers": chargers,
        }
