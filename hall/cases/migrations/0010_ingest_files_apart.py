"""The documents' bytes cross to PostgreSQL as one binary bytea[] parameter beside the posts' JSON, and
hall_ingest_group reads each post's rows from its JSON once (issue 12: PostgreSQL's CPU per event).

Measured (bench/bench_hall_ingest.py at 2,000 events/s, perf and auto_explain on the cluster; a
microbenchmark of the functions on groups of 1-32 posts):

- PostgreSQL 15 parses a JSON string character by character, and the documents' base64 (a 2 kB PDF is 2.7 kB
  of base64) was most of an application's JSON: parsing a group's argument was about a fifth of the group's
  CPU (2.5-2.8 ms of 11-12 ms for 32 events), 1.7-2.1 ms without the files; decode(..., 'base64') came on top. Now the JSON names each document or material page
  by `blob`, its 1-based place among its post's files, and the files come as a bytea[] parameter sent in
  binary (psycopg: nothing is escaped, nothing parsed). hall_ingest(p jsonb, blobs bytea[]) for one post;
  hall_ingest_group(p jsonb, blobs bytea[], bases integer[]) for a group: the group's files one after the
  other, post i's starting after bases[i].
- hall_ingest_group joined each post to the events it inserted before reading the post's rows from its JSON
  (jsonb_to_recordset), so a post of n events had its cases, documents, ratings and statistics read n times
  (auto_explain: `Function Scan on jsonb_to_recordset ... loops=32` for 4 posts of 8 events): the cost grew
  with the square of the post's size, i.e. with the hall's load (a slower hall gets bigger posts). Each
  section's rows are now read once per post (a MATERIALIZED CTE) and then matched to the inserted events.

Same answers, same rows, same conflicts (HI001, HI002, 23505) as migrations 0007-0009.
"""

import importlib

from django.db import migrations

_0008 = importlib.import_module("hall.cases.migrations.0008_ingest_index_probes")
_0009 = importlib.import_module("hall.cases.migrations.0009_ingest_group_function")


def _files_by_place(function: str) -> str:
    """hall_ingest with its files from the bytea[] parameter instead of base64 text in the JSON."""
    for old, new in (("CREATE OR REPLACE FUNCTION hall_ingest(p jsonb) RETURNS jsonb",
                      "CREATE FUNCTION hall_ingest(p jsonb, blobs bytea[]) RETURNS jsonb"),
                     ("decode(r.content, 'base64')", "blobs[r.blob]"),
                     ("sha256 text, content text)", "sha256 text, blob integer)")):
        assert function.count(old) >= 1, old
        function = function.replace(old, new)
    return function


ONE = (_files_by_place(_0008.FUNCTION)
       + "ALTER FUNCTION hall_ingest(jsonb, bytea[]) SET enable_seqscan = off SET jit = off;")
ONE_BACK = "DROP FUNCTION IF EXISTS hall_ingest(jsonb, bytea[]);\n" + _0008.FUNCTION + _0008.SETTINGS

GROUP = r"""
CREATE FUNCTION hall_ingest_group(p jsonb, blobs bytea[], bases integer[]) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  valid int[];
  existing int[] := '{}';
  stored int[];
  numbers text[];
  held text[] := '{}';
  held_k bigint[] := '{}';
  ins_i int[];
  ins_uuid uuid[];
  ins_id bigint[];
  n_events bigint;
  seq_k bigint[] := '{}';
  seq_v bigint[] := '{}';
  foreign_ids jsonb := '{}';
BEGIN
  -- the posts whose kiosk still holds the token; the kiosks' rows FOR KEY SHARE (as tokens.VERIFY), by id
  valid := ARRAY(
    SELECT x.i::int FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i)
    JOIN cases_kiosk c ON c.id = (x.b->>'kiosk')::bigint
    WHERE c.revoked_at IS NULL AND (x.b->>'token' IS NULL OR c.token_hash = x.b->>'token')
    ORDER BY c.id FOR KEY SHARE OF c);

  -- (p @? path: a plain expression, no query started; the sections no post has cost nothing)
  IF p @? '$[*].calendar' THEN
    -- deadlines inside: the calendar's lock shared until commit, and the notices they were counted by current
    PERFORM pg_advisory_xact_lock_shared(7385112002);
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p) AS x(b) WHERE x.b ? 'calendar' AND x.b->'calendar' IS DISTINCT FROM
               (SELECT coalesce(jsonb_agg(jsonb_build_array(year, revision) ORDER BY year), '[]'::jsonb)
                FROM cases_holidaynotice)) THEN
      RAISE EXCEPTION 'the holiday calendar changed' USING ERRCODE = 'HI002';
    END IF;
  END IF;

  -- one probe of the number index for every named case (= ANY(array): a join was planned as a hash of the
  -- whole table); another kiosk's number sets its post aside
  numbers := ARRAY(SELECT jsonb_array_elements_text(x.b->'numbers') FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i)
                   WHERE x.i = ANY(valid));
  IF cardinality(numbers) > 0 THEN
    SELECT coalesce(array_agg(c.number), '{}'), coalesce(array_agg(c.kiosk_id), '{}') INTO held, held_k
    FROM cases_case c WHERE c.number = ANY(numbers);
  END IF;
  IF cardinality(held) > 0 THEN
    existing := ARRAY(
      SELECT DISTINCT x.i::int FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
                                    jsonb_array_elements_text(x.b->'numbers') AS n(number),
                                    unnest(held, held_k) AS h(number, k)
      WHERE x.i = ANY(valid) AND h.number = n.number AND h.k <> (x.b->>'kiosk')::bigint);
  END IF;
  stored := ARRAY(SELECT unnest(valid) EXCEPT SELECT unnest(existing));

  WITH ins AS (
    INSERT INTO cases_event (event_id, kiosk_id, kind, at, received_at, body)
    SELECT r.event_id, (x.b->>'kiosk')::bigint, r.kind, r.at, (x.b->>'now')::timestamptz, r.body
    FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
         jsonb_to_recordset(x.b->'events') AS r(event_id uuid, kind text, at timestamptz, body jsonb)
    WHERE x.i = ANY(stored)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id, id, kiosk_id)
  SELECT coalesce(array_agg(x.i::int), '{}'), coalesce(array_agg(ins.event_id), '{}'), coalesce(array_agg(ins.id), '{}')
  INTO ins_i, ins_uuid, ins_id
  FROM ins JOIN jsonb_array_elements(p) WITH ORDINALITY AS x(b, i)
    ON (x.b->>'kiosk')::bigint = ins.kiosk_id AND x.i = ANY(stored);

  IF cardinality(held) > 0 AND EXISTS (
      SELECT 1 FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
                    jsonb_to_recordset(x.b->'cases') AS r(event_id uuid, number text),
                    unnest(ins_i, ins_uuid) AS u(i, event_id)
      WHERE u.i = x.i AND u.event_id = r.event_id AND r.number = ANY(held)) THEN
    RAISE EXCEPTION 'a refresh of a case already held' USING ERRCODE = 'HI001';
  END IF;

  n_events := (SELECT coalesce(sum(jsonb_array_length(x.b->'events')), 0)
               FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i) WHERE x.i = ANY(stored));
  IF cardinality(ins_uuid) < n_events THEN
    SELECT coalesce(jsonb_object_agg(f.i, f.ids), '{}') INTO foreign_ids FROM (
      SELECT x.i, jsonb_agg(e.event_id) AS ids
      FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
           jsonb_to_recordset(x.b->'events') AS r(event_id uuid), cases_event e
      WHERE x.i = ANY(stored) AND e.event_id = r.event_id AND e.kiosk_id <> (x.b->>'kiosk')::bigint
      GROUP BY x.i) f;
  END IF;

  -- the change counters of the kiosks that named cases (their rows locked until commit, in kiosk id order)
  WITH b AS (
    UPDATE cases_kiosk SET change_seq = change_seq + 1
    WHERE id = ANY(ARRAY(SELECT (x.b->>'kiosk')::bigint FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i)
                         WHERE x.i = ANY(stored) AND jsonb_array_length(x.b->'numbers') > 0 ORDER BY 1))
    RETURNING id, change_seq)
  SELECT coalesce(array_agg(b.id), '{}'), coalesce(array_agg(b.change_seq), '{}') INTO seq_k, seq_v FROM b;

  IF p @? '$[*].cases[0]' AND cardinality(ins_i) > 0 THEN
    WITH cr AS MATERIALIZED (
      -- each post's cases read from its JSON once (joined to the inserted events first, the planner read a
      -- post's whole array again for every event of it)
      SELECT r.*, x.i::int AS i, (x.b->>'kiosk')::bigint AS k, (x.b->>'now')::timestamptz AS t
      FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
           jsonb_to_recordset(x.b->'cases') AS r(
        ord integer, event_id uuid, number text, service text, service_title text, office text, document_name text,
        outcome text, state text, licence_number text, applicant_name text, applicant_phone text,
        id_number_sealed text, id_number_hash text, id_number_masked text, answers jsonb, id_answers_sealed text,
        id_answer_hashes jsonb, findings jsonb, promised_days integer, time_limit_days integer,
        kiosk_decided_at timestamptz, correction_due date, decision_due date, by_name text, history jsonb)
      WHERE x.i = ANY(ins_i)),
    chosen AS (
      -- per post the last event for each number; two posts with the same new number: 23505, the group apart
      SELECT DISTINCT ON (cr.i, cr.number) cr.*, s.v AS seq
      FROM cr JOIN unnest(ins_i, ins_uuid) AS u(i, event_id) ON u.i = cr.i AND u.event_id = cr.event_id
              JOIN unnest(seq_k, seq_v) AS s(k, v) ON s.k = cr.k
      ORDER BY cr.i, cr.number, cr.ord DESC),
    c AS (
      INSERT INTO cases_case (number, kiosk_id, service, service_title, office, document_name, outcome, state,
        licence_number, applicant_name, applicant_phone, id_number_sealed, id_number_hash, id_number_masked,
        answers, id_answers_sealed, id_answer_hashes, findings, promised_days, time_limit_days, kiosk_decided_at,
        submitted_at, correction_due, decision_due, paused_working_days, correction_count, change_seq, updated_at)
      SELECT number, k, service, service_title, office, document_name, outcome, state,
        licence_number, applicant_name, applicant_phone, decode(id_number_sealed, 'base64'), id_number_hash,
        id_number_masked, answers, decode(id_answers_sealed, 'base64'), id_answer_hashes, findings, promised_days,
        time_limit_days, kiosk_decided_at, t, correction_due, decision_due, 0, 0, seq, t
      FROM chosen
      RETURNING id, number, state),
    h AS (
      INSERT INTO cases_casehistory (case_id, at, by_name, action, from_state, to_state, note, data)
      SELECT c.id, ch.t, ch.by_name, 'received', '', c.state, '', ch.history FROM c JOIN chosen ch USING (number)),
    dr AS MATERIALIZED (
      SELECT r.*, x.i::int AS i, bases[x.i] AS base
      FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
           jsonb_to_recordset(x.b->'docs') AS r(event_id uuid, ord integer, name text, sha256 text, blob integer)
      WHERE x.i = ANY(ins_i)),
    pr AS MATERIALIZED (
      SELECT r.*, x.i::int AS i, bases[x.i] AS base
      FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
           jsonb_to_recordset(x.b->'pages') AS r(event_id uuid, material text, sha256 text, blob integer)
      WHERE x.i = ANY(ins_i)),
    d AS (
      INSERT INTO cases_casedocument (case_id, name, sha256, content)
      SELECT DISTINCT ON (c.id, r.name) c.id, r.name, r.sha256, blobs[r.base + r.blob]
      FROM dr r JOIN chosen ch ON ch.i = r.i AND ch.event_id = r.event_id JOIN c ON c.number = ch.number
      ORDER BY c.id, r.name, r.ord DESC
      ON CONFLICT (case_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, content = EXCLUDED.content)
    INSERT INTO cases_materialpage (case_id, material, sha256, content)
    SELECT c.id, r.material, r.sha256, blobs[r.base + r.blob]
    FROM pr r JOIN chosen ch ON ch.i = r.i AND ch.event_id = r.event_id JOIN c ON c.number = ch.number
    ON CONFLICT (case_id, sha256) DO NOTHING;
  END IF;

  IF p @? '$[*].calls[0]' AND cardinality(ins_i) > 0 THEN
  INSERT INTO cases_staffcall (call_id, kiosk_id, screen, service, number, location, created_at, received_at,
                               change_seq)
  WITH r AS MATERIALIZED (
    SELECT r.*, x.i::int AS i, (x.b->>'kiosk')::bigint AS k, (x.b->>'now')::timestamptz AS t
    FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
         jsonb_to_recordset(x.b->'calls') AS r(event_id uuid, call_id uuid, screen text, service text, number text,
                                                location text, created_at timestamptz)
    WHERE x.i = ANY(ins_i))
  SELECT r.call_id, r.k, r.screen, r.service, r.number, r.location, r.created_at, r.t, 0
  FROM r JOIN unnest(ins_i, ins_uuid) AS u(i, event_id) ON u.i = r.i AND u.event_id = r.event_id
  ON CONFLICT (call_id) DO NOTHING;
  END IF;

  IF p @? '$[*].ratings[0]' AND cardinality(ins_i) > 0 THEN
  INSERT INTO cases_rating (event_id, kiosk_id, number, service, stars, reason, at, received_at, handling, due,
                            answer)
  WITH r AS MATERIALIZED (
    SELECT r.*, x.i::int AS i, (x.b->>'kiosk')::bigint AS k, (x.b->>'now')::timestamptz AS t
    FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
         jsonb_to_recordset(x.b->'ratings') AS r(event_id uuid, number text, service text, stars smallint,
                                                  reason text, at timestamptz, handling text, due date)
    WHERE x.i = ANY(ins_i))
  SELECT u.id, r.k, r.number, r.service, r.stars, r.reason, r.at, r.t, r.handling, r.due, ''
  FROM r JOIN unnest(ins_i, ins_uuid, ins_id) AS u(i, event_id, id) ON u.i = r.i AND u.event_id = r.event_id;
  END IF;

  IF p @? '$[*].stats[0]' AND cardinality(ins_i) > 0 THEN
  INSERT INTO cases_stepstat (kiosk_id, session_id, service, steps, finished, abandoned_at, at, received_at)
  WITH r AS MATERIALIZED (
    SELECT r.*, x.i::int AS i, (x.b->>'kiosk')::bigint AS k, (x.b->>'now')::timestamptz AS t
    FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
         jsonb_to_recordset(x.b->'stats') AS r(ord integer, event_id uuid, session_id text, service text, steps jsonb,
                                                finished boolean, abandoned_at text, at timestamptz)
    WHERE x.i = ANY(ins_i))
  SELECT DISTINCT ON (r.k, r.session_id) r.k, r.session_id, r.service, r.steps, r.finished, r.abandoned_at, r.at, r.t
  FROM r JOIN unnest(ins_i, ins_uuid) AS u(i, event_id) ON u.i = r.i AND u.event_id = r.event_id
  ORDER BY r.k, r.session_id, r.ord DESC
  ON CONFLICT (kiosk_id, session_id) DO UPDATE SET service = EXCLUDED.service, steps = EXCLUDED.steps,
    finished = EXCLUDED.finished, abandoned_at = EXCLUDED.abandoned_at, at = EXCLUDED.at,
    received_at = EXCLUDED.received_at;
  END IF;

  RETURN jsonb_build_object(
    'revoked', to_jsonb(ARRAY(SELECT g FROM generate_series(1, jsonb_array_length(p)) g EXCEPT SELECT unnest(valid))),
    'existing', to_jsonb(existing), 'foreign', foreign_ids);
END
$fn$;
ALTER FUNCTION hall_ingest_group(jsonb, bytea[], integer[]) SET enable_seqscan = off SET jit = off;
"""
GROUP_BACK = "DROP FUNCTION IF EXISTS hall_ingest_group(jsonb, bytea[], integer[]);\n" + _0009.FUNCTION


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_ingest_group_function")]

    operations = [
        migrations.RunSQL("DROP FUNCTION hall_ingest(jsonb);\n" + ONE, ONE_BACK),
        migrations.RunSQL("DROP FUNCTION hall_ingest_group(jsonb);\n" + GROUP, GROUP_BACK),
    ]
