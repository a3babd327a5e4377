"""Indexes for the statistics page (hall.console.statistics) over a million cases and sessions: each of its
queries bounds the hall's receipt time (the kiosk's day within the range, received no earlier than a week
before it), so sessions and ratings are read by received_at as cases already are by submitted_at; the 差评
list reads the open ones and the range's bad ones through two small partial indexes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("console", "0001_queue_indexes"), ("cases", "0002_history_append_only_and_roles")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS console_stepstat_received ON cases_stepstat (received_at)",
            "DROP INDEX IF EXISTS console_stepstat_received",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS console_rating_received ON cases_rating (received_at)",
            "DROP INDEX IF EXISTS console_rating_received",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS console_rating_bad_at ON cases_rating (at) WHERE stars <= 2",
            "DROP INDEX IF EXISTS console_rating_bad_at",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS console_rating_open ON cases_rating (received_at) "
            "WHERE stars <= 2 AND handling = 'open'",
            "DROP INDEX IF EXISTS console_rating_open",
        ),
    ]
