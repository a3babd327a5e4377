"""Partial indexes for the console's queue (hall.console.views.queue): the open cases ordered by their
decision deadline, overall, per item and per owner (只看我认领的), so the first page over a million cases reads about 50 index
entries instead of sorting every open case."""

from django.db import migrations

OPEN = "state IN ('submitted', 'correction_requested', 'accepted')"


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS console_queue_open ON cases_case (decision_due, id) WHERE {OPEN}",
            "DROP INDEX IF EXISTS console_queue_open",
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS console_queue_open_service ON cases_case (service, decision_due, id) "
            f"WHERE {OPEN}",
            "DROP INDEX IF EXISTS console_queue_open_service",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS console_queue_claimed ON cases_case (claimed_by_id, decision_due, id) "
            f"WHERE claimed_by_id IS NOT NULL AND {OPEN}",
            "DROP INDEX IF EXISTS console_queue_claimed",
        ),
    ]
