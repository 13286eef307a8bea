import logging
import time
from collections import Counter

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Parser model of each registry, a key of qicai.station field "source".
REGISTRY_PARSERS = {
    "shenzhen": "qicai.registry.shenzhen",
    "uk_ncr": "qicai.registry.uk.ncr",
}

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

        if source not in REGISTRY_PARSERS:
            raise UserError(
                self.env._(
                    "Unknown registry %(registry)s. Choose the Shenzhen station "
                    "registry or the UK National Chargepoint Registry.",
                    registry=source,
                )
            )
        parser = self.env[REGISTRY_PARSERS[source]].with_context(**LOAD_CONTEXT)
        rows = parser._read_csv(content, parser._columns)
        records, rejected, notes = parser._parse_rows(rows, zones_content=zones_content)

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
        codes_in_use = {
            station.code: station
            for station in self.env["qicai.station"].search_fetch(
                [("code", "in", list(new_codes)), ("company_id", "=", company.id)],
                ["code", "name"],
            )
        }
        if not codes_in_use:
            return records
        accepted = []
        for record in records:
            station = codes_in_use.get(record["station"]["code"])
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
                accepted.append(record)
        return accepted

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
        # TODO: offer to archive the chargers that the registry no longer lists;
        # they are only counted now.
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
