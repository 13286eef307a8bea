import csv
import io
import math

from odoo import api, models
from odoo.exceptions import UserError


class QicaiRegistryParser(models.AbstractModel):
    """Base of the registry formats: reads a CSV file and turns its rows into
    station records for ``qicai.registry.loader``.

    A format sets ``_columns`` (the required header) and implements
    ``_parse_rows``, which returns ``(records, rejected, notes)``.

    Each record is a dict with these keys:

    - ``row`` and ``ref``: line number and registry id;
    - ``station``: station field values;
    - ``links``: ``country`` code, optional ``operator`` and ``region`` names;
    - ``generated`` (optional): station fields that the format made up, which
      a later load must not overwrite;
    - ``chargers``: dicts with ``ref``, ``model`` (``("generic", "ac"|"dc")`` or
      ``("named", manufacturer, name, current, power, standard, count)``),
      ``vals`` and ``connectors`` (connector field values with ``number``).
    """

    _name = "qicai.registry.parser"
    _description = "Station Registry Format"
    _columns = ()

    def _parse_rows(self, rows, zones_content=None):
        raise NotImplementedError

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
