"""hall_ingest probes cases_case by its number index, always; documents stored without a compression try.

Measured (issue 12, bench/bench_hall_ingest.py with auto_explain): the function's statements are planned
once per connection and the plan kept (PL/pgSQL's generic plans). A connection that first ran hall_ingest
while cases_case was small kept a Seq Scan for `number = ANY(numbers)`: every batch then read the whole
table, twice (the "another kiosk's number?" probe and the "held" probe), so a batch's cost grew with the
number of cases held (10-20 ms a batch after a few thousand). Now:

- one probe instead of two (held numbers and whether any is another kiosk's, in one index pass);
- the function runs with enable_seqscan = off, so its plans use the indexes whatever the table's size was
  when they were made (every table it reads is read by a unique index: the kiosk's id, a case's number, an
  event id), and jit = off (the penalty on a Seq Scan of a table without a usable index, as the holiday
  notices', made the planner's cost pass jit_above_cost: every call was compiled by LLVM; JIT never pays
  for these few-row statements);
- cases_casedocument.content and cases_materialpage.content SET STORAGE EXTERNAL: the PDFs and PNGs come
  compressed already, so PostgreSQL's pglz attempt on every row over 2 kB (which fails on such data) is
  skipped; they are still moved out of line (TOAST) as before. Existing rows are unchanged.
"""

import importlib

from django.db import migrations

_0007 = importlib.import_module("hall.cases.migrations.0007_ingest_function")

_TWO_PROBES = """    PERFORM 1 FROM cases_case WHERE number = ANY(numbers) AND kiosk_id <> k LIMIT 1;
    IF FOUND THEN
      RETURN '{"existing": true}';
    END IF;
    held := ARRAY(SELECT number FROM cases_case WHERE number = ANY(numbers));"""
_ONE_PROBE = """    SELECT coalesce(array_agg(c.number), '{}'), coalesce(bool_or(c.kiosk_id <> k), false) INTO held, other
    FROM cases_case c WHERE c.number = ANY(numbers);
    IF other THEN
      RETURN '{"existing": true}';
    END IF;"""
assert _TWO_PROBES in _0007.FUNCTION

FUNCTION = (_0007.FUNCTION.replace(_TWO_PROBES, _ONE_PROBE)
            .replace("  held text[] := '{}';\n", "  held text[] := '{}';\n  other boolean := false;\n"))

#: jit off too: with a Seq Scan penalised, a tiny table's plan (cases_holidaynotice) costs over jit_above_cost
#: and PostgreSQL compiled it with LLVM on every call (measured: 0.5 s a batch).
SETTINGS = "ALTER FUNCTION hall_ingest(jsonb) SET enable_seqscan = off SET jit = off;"

STORAGE = """
ALTER TABLE cases_casedocument ALTER COLUMN content SET STORAGE EXTERNAL;
ALTER TABLE cases_materialpage ALTER COLUMN content SET STORAGE EXTERNAL;
"""
STORAGE_BACK = """
ALTER TABLE cases_casedocument ALTER COLUMN content SET STORAGE EXTENDED;
ALTER TABLE cases_materialpage ALTER COLUMN content SET STORAGE EXTENDED;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_ingest_function")]

    operations = [
        migrations.RunSQL(FUNCTION + SETTINGS, _0007.FUNCTION + "ALTER FUNCTION hall_ingest(jsonb) RESET ALL;"),
        migrations.RunSQL(STORAGE, STORAGE_BACK),
    ]
