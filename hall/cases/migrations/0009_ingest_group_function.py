"""hall_ingest_group(posts jsonb): the posts of several kiosks stored in one statement and one transaction
(issue 12: group commit, hall.cases.group).

Measured (bench/bench_hall_ingest.py, uploader model, perf on the cluster): at a hall's load nearly every
post carries one event, and PostgreSQL's ~0.8 ms of CPU a post went mostly to the fixed cost of hall_ingest's
ten-odd statements (executor start-up, cached-plan checks, relation opens and locks: hash_search,
AllocSetContextCreate, ExecutorStart), then to the commit (WAL flush and fdatasync) - not to the rows. This
function does what hall_ingest does for a whole array of posts (each hall_ingest's argument, one per kiosk),
every statement once for all of them, so those fixed costs and the commit are paid once per group.

Per post, the same answers as hall_ingest: revoked (the kiosk no longer holds the token: nothing of that post
is written), existing (a named case number is another kiosk's: nothing of that post is written; the caller
takes it step by step), the event ids another kiosk holds ("foreign", by the post's 1-based position).
For the whole group, as hall_ingest for one post: HI001 (a new event refreshes a case its kiosk already holds),
HI002 (the holiday notices changed), 23505 (a new case number inserted meanwhile, or by two posts of the group):
the statement rolls back, nothing of the group is kept, and the caller stores each post on its own.

The caller puts one post per kiosk in a group (rows are matched to their post by kiosk) and orders the posts by
kiosk id (the kiosks' rows are locked in that order: two groups never wait for each other in a cycle).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION hall_ingest_group(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
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
    WITH chosen AS (
      -- per post the last event for each number; two posts with the same new number: 23505, the group apart
      SELECT DISTINCT ON (x.i, r.number) r.*, x.i::int AS i, (x.b->>'kiosk')::bigint AS k,
             (x.b->>'now')::timestamptz AS t, s.v AS seq
      FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
           jsonb_to_recordset(x.b->'cases') AS r(
        ord integer, event_id uuid, number text, service text, service_title text, office text, document_name text,
        outcome text, state text, licence_number text, applicant_name text, applicant_phone text,
        id_number_sealed text, id_number_hash text, id_number_masked text, answers jsonb, id_answers_sealed text,
        id_answer_hashes jsonb, findings jsonb, promised_days integer, time_limit_days integer,
        kiosk_decided_at timestamptz, correction_due date, decision_due date, by_name text, history jsonb),
           unnest(ins_i, ins_uuid) AS u(i, event_id), unnest(seq_k, seq_v) AS s(k, v)
      WHERE u.i = x.i AND u.event_id = r.event_id AND s.k = (x.b->>'kiosk')::bigint
      ORDER BY x.i, r.number, r.ord DESC),
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
    d AS (
      INSERT INTO cases_casedocument (case_id, name, sha256, content)
      SELECT DISTINCT ON (c.id, r.name) c.id, r.name, r.sha256, decode(r.content, 'base64')
      FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
           jsonb_to_recordset(x.b->'docs') AS r(event_id uuid, ord integer, name text, sha256 text, content text),
           chosen ch, c
      WHERE ch.i = x.i AND ch.event_id = r.event_id AND c.number = ch.number
      ORDER BY c.id, r.name, r.ord DESC
      ON CONFLICT (case_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, content = EXCLUDED.content)
    INSERT INTO cases_materialpage (case_id, material, sha256, content)
    SELECT c.id, r.material, r.sha256, decode(r.content, 'base64')
    FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
         jsonb_to_recordset(x.b->'pages') AS r(event_id uuid, material text, sha256 text, content text),
         chosen ch, c
    WHERE ch.i = x.i AND ch.event_id = r.event_id AND c.number = ch.number
    ON CONFLICT (case_id, sha256) DO NOTHING;
  END IF;

  IF p @? '$[*].calls[0]' AND cardinality(ins_i) > 0 THEN
  INSERT INTO cases_staffcall (call_id, kiosk_id, screen, service, number, location, created_at, received_at,
                               change_seq)
  SELECT r.call_id, (x.b->>'kiosk')::bigint, r.screen, r.service, r.number, r.location, r.created_at,
         (x.b->>'now')::timestamptz, 0
  FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
       jsonb_to_recordset(x.b->'calls') AS r(event_id uuid, call_id uuid, screen text, service text, number text,
                                              location text, created_at timestamptz),
       unnest(ins_i, ins_uuid) AS u(i, event_id)
  WHERE u.i = x.i AND u.event_id = r.event_id
  ON CONFLICT (call_id) DO NOTHING;
  END IF;

  IF p @? '$[*].ratings[0]' AND cardinality(ins_i) > 0 THEN
  INSERT INTO cases_rating (event_id, kiosk_id, number, service, stars, reason, at, received_at, handling, due,
                            answer)
  SELECT u.id, (x.b->>'kiosk')::bigint, r.number, r.service, r.stars, r.reason, r.at, (x.b->>'now')::timestamptz,
         r.handling, r.due, ''
  FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
       jsonb_to_recordset(x.b->'ratings') AS r(event_id uuid, number text, service text, stars smallint,
                                                reason text, at timestamptz, handling text, due date),
       unnest(ins_i, ins_uuid, ins_id) AS u(i, event_id, id)
  WHERE u.i = x.i AND u.event_id = r.event_id;
  END IF;

  IF p @? '$[*].stats[0]' AND cardinality(ins_i) > 0 THEN
  INSERT INTO cases_stepstat (kiosk_id, session_id, service, steps, finished, abandoned_at, at, received_at)
  SELECT DISTINCT ON ((x.b->>'kiosk')::bigint, r.session_id) (x.b->>'kiosk')::bigint, r.session_id, r.service,
         r.steps, r.finished, r.abandoned_at, r.at, (x.b->>'now')::timestamptz
  FROM jsonb_array_elements(p) WITH ORDINALITY AS x(b, i),
       jsonb_to_recordset(x.b->'stats') AS r(ord integer, event_id uuid, session_id text, service text, steps jsonb,
                                              finished boolean, abandoned_at text, at timestamptz),
       unnest(ins_i, ins_uuid) AS u(i, event_id)
  WHERE u.i = x.i AND u.event_id = r.event_id
  ORDER BY (x.b->>'kiosk')::bigint, r.session_id, r.ord DESC
  ON CONFLICT (kiosk_id, session_id) DO UPDATE SET service = EXCLUDED.service, steps = EXCLUDED.steps,
    finished = EXCLUDED.finished, abandoned_at = EXCLUDED.abandoned_at, at = EXCLUDED.at,
    received_at = EXCLUDED.received_at;
  END IF;

  RETURN jsonb_build_object(
    'revoked', to_jsonb(ARRAY(SELECT g FROM generate_series(1, jsonb_array_length(p)) g EXCEPT SELECT unnest(valid))),
    'existing', to_jsonb(existing), 'foreign', foreign_ids);
END
$fn$;
ALTER FUNCTION hall_ingest_group(jsonb) SET enable_seqscan = off SET jit = off;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_ingest_index_probes")]

    operations = [migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS hall_ingest_group(jsonb);")]
