"""The statistics page's daily rollup (hall.console.rollup): one row per (kiosk day, item) of every figure the
page shows, kept for days that are over, so a range reads a few rows per day instead of every session, case
and rating in it.

A day is trusted only while it has a console_statdone row. Triggers on the three tables the figures come from
delete that row for every day a statement touches (insert, update or delete, the old and the new day), in the
same transaction: a kiosk back after days offline, a case refreshed by its kiosk, anything that changes a
day's figures sends that day back to be counted again from the tables. The triggers take a shared advisory
lock and the filler an exclusive one, so a day is never marked done from a snapshot that misses a write in
flight (hall.console.rollup.fill)."""

from django.conf import settings
from django.db import migrations

#: pg_advisory_xact_lock key shared by the triggers (shared) and the filler (exclusive).
LOCK_KEY = 7_385_112_001

DAY = {"cases_case": "coalesce(r.kiosk_decided_at, r.submitted_at)", "cases_stepstat": "r.at", "cases_rating": "r.at"}


def _function(table: str) -> str:
    day = f"(({DAY[table]}) AT TIME ZONE '{settings.TIME_ZONE}')::date"
    return f"""
CREATE OR REPLACE FUNCTION console_stat_touch_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({LOCK_KEY});
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM console_statdone WHERE day IN (SELECT {day} FROM new_rows r);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM console_statdone WHERE day IN (SELECT {day} FROM old_rows r);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER console_stat_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION console_stat_touch_{table}();
CREATE TRIGGER console_stat_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION console_stat_touch_{table}();
CREATE TRIGGER console_stat_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION console_stat_touch_{table}();
"""


def _drop(table: str) -> str:
    return (f"DROP TRIGGER IF EXISTS console_stat_ins ON {table}; DROP TRIGGER IF EXISTS console_stat_upd ON {table};"
            f" DROP TRIGGER IF EXISTS console_stat_del ON {table}; DROP FUNCTION IF EXISTS console_stat_touch_{table}();")


class Migration(migrations.Migration):
    dependencies = [("console", "0002_statistics_indexes")]

    operations = [
        migrations.RunSQL(
            """
            CREATE TABLE console_statday (
                day date NOT NULL, service varchar(100) NOT NULL,
                started integer NOT NULL, finished integer NOT NULL, abandoned integer NOT NULL,
                median_s double precision, instant integer NOT NULL, accepted integer NOT NULL,
                blocked integer NOT NULL,
                steps jsonb NOT NULL, findings jsonb NOT NULL, stars jsonb NOT NULL,
                PRIMARY KEY (day, service));
            CREATE TABLE console_statdone (day date PRIMARY KEY, counted_at timestamptz NOT NULL);
            """,
            "DROP TABLE IF EXISTS console_statday; DROP TABLE IF EXISTS console_statdone;",
        ),
        *[migrations.RunSQL(_function(t), _drop(t)) for t in DAY],
    ]
