"""Indexes on the kiosk day itself (the statistics' day: when the applicant was there, in the hall's time zone),
so today's figures — counted from the tables on every view of the statistics page — read today's rows only,
not the week of receipts the clock-skew bound allows (hall.console.statistics._where)."""

from django.conf import settings
from django.db import migrations

TZ = settings.TIME_ZONE
INDEXES = {
    "console_case_kiosk_day": ("cases_case", f"((coalesce(kiosk_decided_at, submitted_at) AT TIME ZONE '{TZ}')::date)"),
    "console_stepstat_kiosk_day": ("cases_stepstat", f"((at AT TIME ZONE '{TZ}')::date)"),
    "console_rating_kiosk_day": ("cases_rating", f"((at AT TIME ZONE '{TZ}')::date)"),
}


class Migration(migrations.Migration):
    dependencies = [("console", "0003_statistics_rollup")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expr})", f"DROP INDEX IF EXISTS {name}")
        for name, (table, expr) in INDEXES.items()
    ]
