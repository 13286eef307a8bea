from odoo import fields


def reference_date(records):
    """Return the day against which dates of ``records`` are judged.

    A ``date`` context key (a date or an ISO string) lets reports and tests
    evaluate another day. Without it, the day is today in the user's time zone.
    """
    return fields.Date.to_date(records.env.context.get("date")) or (
        fields.Date.context_today(records)
    )
