import csv
import io
import logging
import math
import time
from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import file_open

_logger = logging.getLogger(__name__)

SHENZHEN_COLUMNS = ("station_id", "latitude", "longitude", "fast", "slow", "count")
SHENZHEN_ZONES_FILE = "qicai_station/data/cn_shenzhen_zones_st-evcdp.csv"
ZONE_COLUMNS = ("grid", "lon", "la")
UK_NCR_COLUMNS = (
    "chargeDeviceID",
    "reference",
    "name",
    "latitude",
    "longitude",
    "chargeDeviceStatus",
)
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

# Records of data/qicai_charger_model_data.xml used when a registry names no model.
GENERIC_MODELS = {
    ("shenzhen", "dc"): "qicai_station.charger_model_generic_cn_dc",
    ("shenzhen", "ac"): "qicai_station.charger_model_generic_cn_ac",
    ("uk_ncr", "dc"): "qicai_station.charger_model_generic_uk_dc",
    ("uk_ncr", "ac"): "qicai_station.charger_model_generic_uk_ac",
}

LOAD_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "active_test": False,
}
CREATE_BATCH_SIZE = 5000


class QicaiRegistryLoader(models.AbstractModel):
    _name = "qicai.registry.loader"
    _description = "Station Registry Loader"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    @api.model
    def load_registry(self, source, content, parent_region=None, zones_content=None):
        """Create or update stations, chargers and connectors from a registry file.

        :param source: ``"shenzhen"`` or ``"uk_ncr"``, a key of ``qicai.station``
            field ``source``.
        :param content: the CSV file as bytes (UTF-8).
        :param parent_region: optional ``qicai.region``. Shenzhen stations are
            put in it; UK counties become sub-regions of it.
        :param zones_content: Shenzhen only: the traffic-zone CSV as bytes used
            to name stations; the copy shipped with the module by default.
        :return: a dict with the counts, ``rejected`` (list of dicts with
            ``row``, ``ref`` and ``reason``), ``notes``, ``seconds`` and
            ``queries``.
        """
        started = time.perf_counter()
        queries_before = self.env.cr.sql_log_count
        loader = self.with_context(**LOAD_CONTEXT)

        rows = loader._read_csv(content, self._registry_columns(source))
        if source == "shenzhen":
            if zones_content is None:
                with file_open(SHENZHEN_ZONES_FILE, "rb") as zones_file:
                    zones_content = zones_file.read()
            records, rejected, notes = loader._parse_shenzhen(rows, zones_content)
        else:
            records, rejected, notes = loader._parse_uk_ncr(rows)

        result = loader._apply_records(source, records, rejected, notes, parent_region)
        self.env.flush_all()
        result.update(
            source=source,
            rows=len(rows),
            rejected=sorted(rejected, key=lambda line: line["row"]),
            notes=notes,
            seconds=round(time.perf_counter() - started, 2),
            queries=self.env.cr.sql_log_count - queries_before,
        )
        _logger.info(
            "Registry %s loaded: %s rows, %s rejected, %s stations created, "
            "%s updated, %s chargers created in %.1f s and %s queries",
            source,
            result["rows"],
            len(result["rejected"]),
            result["stations_created"],
            result["stations_updated"],
            result["chargers_created"],
            result["seconds"],
            result["queries"],
        )
        return result

    @api.model
    def _registry_columns(self, source):
        if source == "shenzhen":
            return SHENZHEN_COLUMNS
        if source == "uk_ncr":
            return UK_NCR_COLUMNS
        raise UserError(
            self.env._(
                "Unknown registry %(registry)s. Choose the Shenzhen station registry "
                "or the UK National Chargepoint Registry.",
                registry=source,
            )
        )

    # ------------------------------------------------------------------
    # Reading and parsing
    # ------------------------------------------------------------------

    @api.model
    def _read_csv(self, content, required_columns):
        """Return the data rows of a CSV file as dicts with a ``_row`` line number.

        Raise a ``UserError`` when the file is empty, not UTF-8 or lacks a
        required column: then nothing is loaded.
        """
        if not content:
            raise UserError(self.env._("The registry file is empty. Upload a CSV file."))
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UserError(
                self.env._(
                    "The registry file is not UTF-8 text (%(error)s). Save it as "
                    "UTF-8 CSV and upload it again.",
                    error=error,
                )
            ) from error

        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        missing = [column for column in required_columns if column not in header]
        if missing:
            raise UserError(
                self.env._(
                    "The registry file lacks the columns %(columns)s. Check that "
                    "you chose the right registry for this file.",
                    columns=", ".join(missing),
                )
            )

        rows = []
        for values in reader:
            values["_row"] = reader.line_num
            rows.append(values)
        return rows

    def _reject(self, rejected, row, ref, reason):
        rejected.append({"row": row["_row"], "ref": ref or "", "reason": reason})

    def _check_shape(self, row, rejected, ref):
        """Reject a row whose field count differs from the header's."""
        extra = row.get(None)
        short = [key for key, value in row.items() if key and value is None]
        if extra or short:
            self._reject(
                rejected,
                row,
                ref,
                self.env._(
                    "The row has %(count)s fields more or less than the header; "
                    "its columns are shifted.",
                    count=len(extra or short),
                ),
            )
            return False
        return True

    def _parse_coordinates(self, row, rejected, ref, lat_key, lon_key):
        """Return (latitude, longitude) or None after rejecting the row."""
        raw_lat = (row.get(lat_key) or "").strip()
        raw_lon = (row.get(lon_key) or "").strip()
        if not raw_lat or not raw_lon:
            self._reject(
                rejected, row, ref, self.env._("Latitude or longitude is missing.")
            )
            return None
        try:
            latitude, longitude = float(raw_lat), float(raw_lon)
        except ValueError:
            latitude = longitude = math.nan
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            self._reject(
                rejected,
                row,
                ref,
                self.env._(
                    "Coordinates %(lat)s, %(lon)s are not numbers.",
                    lat=raw_lat,
                    lon=raw_lon,
                ),
            )
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (
            latitude == 0 and longitude == 0
        ):
            self._reject(
                rejected,
                row,
                ref,
                self.env._(
                    "Coordinates %(lat)s, %(lon)s are out of range or a 0, 0 "
                    "placeholder.",
                    lat=raw_lat,
                    lon=raw_lon,
                ),
            )
            return None
        return latitude, longitude

    def _is_duplicate(self, row, rejected, ref, first_rows):
        if ref in first_rows:
            self._reject(
                rejected,
                row,
                ref,
                self.env._(
                    "Duplicate id %(ref)s: row %(first)s already has it.",
                    ref=ref,
                    first=first_rows[ref],
                ),
            )
            return True
        first_rows[ref] = row["_row"]
        return False

    def _parse_count(self, row, rejected, ref, column):
        """Return a non-negative integer from ``column`` or None after rejecting."""
        raw = (row.get(column) or "").strip()
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value < 0:
            self._reject(
                rejected,
                row,
                ref,
                self.env._(
                    "Column %(column)s holds %(value)s, not a whole number of "
                    "piles.",
                    column=column,
                    value=repr(raw),
                ),
            )
            return None
        return value

    # Shenzhen ---------------------------------------------------------

    def _read_zones(self, zones_content):
        zones = []
        for row in self._read_csv(zones_content, ZONE_COLUMNS):
            try:
                zones.append((row["grid"].strip(), float(row["la"]), float(row["lon"])))
            except ValueError:
                _logger.warning("Skipped traffic zone on line %s: bad values", row["_row"])
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

    def _parse_shenzhen(self, rows, zones_content):
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

    # UK National Chargepoint Registry ----------------------------------

    def _parse_uk_ncr(self, rows):
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

    # ------------------------------------------------------------------
    # Resolving names to records
    # ------------------------------------------------------------------

    def _get_or_create_partners(self, names):
        """Return {name: partner id} for company partners, creating missing ones."""
        names = {name for name in names if name}
        if not names:
            return {}
        Partner = self.env["res.partner"]
        found = {}
        for partner in Partner.search_fetch(
            [("name", "in", list(names)), ("is_company", "=", True)], ["name"], order="id"
        ):
            found.setdefault(partner.name, partner.id)
        missing = sorted(names - found.keys())
        for partner in Partner.create(
            [{"name": name, "is_company": True} for name in missing]
        ):
            found[partner.name] = partner.id
        return found

    def _get_or_create_regions(self, names, parent_region, company):
        names = {name for name in names if name}
        if not names:
            return {}
        Region = self.env["qicai.region"]
        parent_id = parent_region.id if parent_region else False
        found = {
            region.name: region.id
            for region in Region.search_fetch(
                [
                    ("name", "in", list(names)),
                    ("parent_id", "=", parent_id),
                    ("company_id", "in", [company.id, False]),
                ],
                ["name"],
            )
        }
        missing = sorted(names - found.keys())
        for region in Region.create(
            [
                {"name": name, "parent_id": parent_id, "company_id": company.id}
                for name in missing
            ]
        ):
            found[region.name] = region.id
        return found

    def _resolve_charger_models(self, source, records):
        """Return {model key: charger model id} for every charger of ``records``."""
        keys = {charger["model"] for record in records for charger in record["chargers"]}
        resolved = {}
        for key in keys:
            if key[0] == "generic":
                resolved[key] = self.env.ref(GENERIC_MODELS[(source, key[1])]).id

        named = [key for key in keys if key[0] == "named"]
        if not named:
            return resolved
        manufacturers = self._get_or_create_partners({key[1] for key in named})
        Model = self.env["qicai.charger.model"]
        existing = {
            (model.manufacturer_id.id, model.name): model.id
            for model in Model.search_fetch(
                [
                    ("name", "in", list({key[2] for key in named})),
                    ("manufacturer_id", "in", list(manufacturers.values())),
                ],
                ["name", "manufacturer_id"],
            )
        }
        to_create = {}
        for key in named:
            _tag, manufacturer, name, current, power, standard, count = key
            identity = (manufacturers[manufacturer], name)
            if identity in existing:
                resolved[key] = existing[identity]
                continue
            if identity not in to_create:
                to_create[identity] = {
                    "name": name,
                    "manufacturer_id": identity[0],
                    "current_type": current,
                    "rated_power_kw": power
                    or self.env.ref(GENERIC_MODELS[(source, current)]).rated_power_kw,
                    "connector_standard": standard,
                    "connector_count": count,
                    "company_id": False,
                }
        created = Model.create(list(to_create.values()))
        existing.update(zip(to_create, created.ids))
        for key in named:
            resolved[key] = existing[(manufacturers[key[1]], key[2])]
        return resolved

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    @api.model
    def _changed_values(self, record, vals):
        """Return the part of ``vals`` that differs from what ``record`` stores."""
        changed = {}
        for name, value in vals.items():
            field = record._fields[name]
            current = record[name]
            if field.type == "many2one":
                current = current.id
            if field.type == "float":
                if abs((current or 0.0) - (value or 0.0)) > 1e-7:
                    changed[name] = value
            elif (current or False) != (value or False):
                changed[name] = value
        return changed

    def _create_in_batches(self, model, vals_list):
        records = model.browse()
        for start in range(0, len(vals_list), CREATE_BATCH_SIZE):
            records |= model.create(vals_list[start : start + CREATE_BATCH_SIZE])
            _logger.info(
                "Registry load: %s %s records created", len(records), model._name
            )
        return records

    def _apply_records(self, source, records, rejected, notes, parent_region):
        """Create or update the stations of ``records`` and their equipment."""
        company = self.env.company
        Station = self.env["qicai.station"]
        stats = Counter()

        existing = {
            station.source_ref: station
            for station in Station.search_fetch(
                [
                    ("source", "=", source),
                    ("source_ref", "in", [record["ref"] for record in records]),
                    ("company_id", "=", company.id),
                ],
                ["source_ref", "code", "name"],
            )
        }
        records = self._drop_code_conflicts(records, existing, rejected, company)

        partners = self._get_or_create_partners(
            {record["links"].get("operator") for record in records}
        )
        countries = {
            country.code: country.id
            for country in self.env["res.country"].search_fetch(
                [("code", "in", list({r["links"]["country"] for r in records}))],
                ["code"],
            )
        }
        if source == "uk_ncr":
            regions = self._get_or_create_regions(
                {record["links"].get("region") for record in records},
                parent_region,
                company,
            )
        else:
            regions = {}

        for record in records:
            links = record["links"]
            vals = record["station"]
            vals["country_id"] = countries.get(links["country"], False)
            if partners.get(links.get("operator")):
                vals["operator_id"] = partners[links["operator"]]
            region_id = regions.get(links.get("region"))
            if region_id or parent_region:
                vals["region_id"] = region_id or parent_region.id

        stations = self._upsert_stations(source, records, existing, company, stats)
        self._upsert_chargers(source, records, stations, company, stats)
        self._upsert_connectors(records, stats)

        missing = Station.search_count(
            [
                ("source", "=", source),
                ("company_id", "=", company.id),
                ("source_ref", "not in", [record["ref"] for record in records]),
            ]
        )
        if missing:
            notes.append(
                self.env._(
                    "%(count)s stations loaded earlier from this registry are not "
                    "in the file, or were rejected now; they were left unchanged.",
                    count=missing,
                )
            )
        return {
            "stations_created": stats["stations_created"],
            "stations_updated": stats["stations_updated"],
            "chargers_created": stats["chargers_created"],
            "chargers_updated": stats["chargers_updated"],
            "chargers_not_in_file": stats["chargers_not_in_file"],
            "connectors_created": stats["connectors_created"],
            "connectors_updated": stats["connectors_updated"],
        }

    def _drop_code_conflicts(self, records, existing, rejected, company):
        """Reject new stations whose code another station already uses."""
        new_codes = {
            record["station"]["code"]: record
            for record in records
            if record["ref"] not in existing
        }
        taken = {
            station.code: station
            for station in self.env["qicai.station"].search_fetch(
                [("code", "in", list(new_codes)), ("company_id", "=", company.id)],
                ["code", "name"],
            )
        }
        if not taken:
            return records
        kept = []
        for record in records:
            station = taken.get(record["station"]["code"])
            if station and record["ref"] not in existing:
                rejected.append(
                    {
                        "row": record["row"],
                        "ref": record["ref"],
                        "reason": self.env._(
                            "Station code %(code)s is already used by station "
                            "%(station)s. Rename that station or remove the row.",
                            code=station.code,
                            station=station.display_name,
                        ),
                    }
                )
            else:
                kept.append(record)
        return kept

    def _upsert_stations(self, source, records, existing, company, stats):
        """Return {source ref: station} after creating or updating the stations."""
        Station = self.env["qicai.station"]
        to_create = []
        for record in records:
            station = existing.get(record["ref"])
            if station:
                # The code, and a generated name, may have been edited by hand.
                vals = {
                    key: value
                    for key, value in record["station"].items()
                    if key != "code" and key not in record.get("generated", ())
                }
                changes = self._changed_values(station, vals)
                if changes:
                    station.write(changes)
                    stats["stations_updated"] += 1
            else:
                to_create.append(
                    dict(
                        record["station"],
                        source=source,
                        source_ref=record["ref"],
                        company_id=company.id,
                    )
                )
        created = self._create_in_batches(Station, to_create)
        stats["stations_created"] = len(created)
        stations = dict(existing)
        stations.update(zip((vals["source_ref"] for vals in to_create), created))
        return stations

    def _upsert_chargers(self, source, records, stations, company, stats):
        """Create or update the chargers; store each one under ``"charger"``."""
        Equipment = self.env["maintenance.equipment"]
        models_by_key = self._resolve_charger_models(source, records)
        existing = {
            (charger.station_id.id, charger.source_ref): charger
            for charger in Equipment.search_fetch(
                [
                    ("station_id", "in", [station.id for station in stations.values()]),
                    ("source_ref", "!=", False),
                ],
                ["station_id", "source_ref", "name", "operational_status", "model"]
                + ["charger_model_id"],
            )
        }
        manufacturer_of = {
            model.id: model.manufacturer_id.id
            for model in self.env["qicai.charger.model"].browse(
                set(models_by_key.values())
            )
        }

        seen, to_create, pending = set(), [], []
        for record in records:
            station = stations[record["ref"]]
            for charger_data in record["chargers"]:
                key = (station.id, charger_data["ref"])
                seen.add(key)
                model_id = models_by_key[charger_data["model"]]
                vals = dict(charger_data["vals"], charger_model_id=model_id)
                charger = existing.get(key)
                if charger:
                    charger_data["charger"] = charger
                    changes = self._changed_values(charger, vals)
                    if changes:
                        charger.write(changes)
                        stats["chargers_updated"] += 1
                    continue
                vals.update(
                    equipment_kind="charger",
                    station_id=station.id,
                    source_ref=charger_data["ref"],
                    company_id=company.id,
                    partner_id=manufacturer_of[model_id],
                    maintenance_team_id=station.team_id.id,
                )
                to_create.append(vals)
                pending.append(charger_data)

        created = self._create_in_batches(Equipment, to_create)
        for charger_data, charger in zip(pending, created):
            charger_data["charger"] = charger
        stats["chargers_created"] = len(created)
        stats["chargers_not_in_file"] = len(existing.keys() - seen)

    def _upsert_connectors(self, records, stats):
        Connector = self.env["qicai.charger.connector"]
        charger_list = [
            charger_data["charger"]
            for record in records
            for charger_data in record["chargers"]
        ]
        existing = {
            (connector.equipment_id.id, connector.number): connector
            for connector in Connector.search_fetch(
                [("equipment_id", "in", [charger.id for charger in charger_list])],
                ["equipment_id", "number", "standard", "current_type", "status"]
                + ["max_power_kw", "source_ref"],
            )
        }

        to_create = []
        for record in records:
            for charger_data in record["chargers"]:
                charger = charger_data["charger"]
                for connector_vals in charger_data["connectors"]:
                    vals = dict(connector_vals)
                    vals.setdefault("max_power_kw", charger.charger_model_id.rated_power_kw)
                    connector = existing.get((charger.id, vals["number"]))
                    if not connector:
                        to_create.append(dict(vals, equipment_id=charger.id))
                        continue
                    changes = self._changed_values(connector, vals)
                    if changes:
                        connector.write(changes)
                        stats["connectors_updated"] += 1

        created = self._create_in_batches(Connector, to_create)
        stats["connectors_created"] = len(created)
