"""hall_ingest(batch jsonb): a kiosk's whole batch stored in one statement (issue 12, ingest throughput).

The usual batch (new events naming only new case numbers) used to take three round trips and nine
statements sent from Python (token check, events, counter bump; then the derived rows; then COMMIT), each
built and converted by psycopg in Python. hall.cases.ingest now sends the batch as one JSON parameter to
this function, in autocommit (one round trip, its own transaction, committed before the reply): it checks the
kiosk's token (FOR KEY SHARE, as tokens.VERIFY), returns {"existing": true} without writing anything when a
named case number is another kiosk's, inserts the events (ON CONFLICT (event_id) DO NOTHING), raises HI001
(the statement rolls back: nothing kept) when a newly inserted event names a case this kiosk already has (a
refresh: the Python path handles those, as before), and derives rows only from the events it inserted:
cases with their history, documents and material pages (one statement), staff calls, ratings, step
statistics. A replay (events already held, their cases too) stores nothing new here. It returns the event
ids that another kiosk holds ({"foreign": [...]}).

Every row to insert comes prepared by Python (sealed ID numbers, working-day deadlines), tagged with its
event id and its order in the batch: "the last event wins" is decided here among the inserted events only.
Deadlines come with the holiday notices they were counted by (p->'calendar'): checked under the calendar's
lock, as hall.cases.holidays.hold_current does on the Python path (HI002 when an admin changed them).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION hall_ingest(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  k bigint := (p->>'kiosk')::bigint;
  t timestamptz := (p->>'now')::timestamptz;
  seq bigint := 0;
  ins_uuid uuid[];
  ins_id bigint[];
  foreign_ids jsonb := '[]';
  numbers text[] := ARRAY(SELECT jsonb_array_elements_text(p->'numbers'));
  held text[] := '{}';
BEGIN
  IF p->>'token' IS NOT NULL THEN
    PERFORM 1 FROM cases_kiosk WHERE id = k AND token_hash = p->>'token' AND revoked_at IS NULL FOR KEY SHARE;
    IF NOT FOUND THEN
      RETURN '{"revoked": true}';
    END IF;
  END IF;
  IF p ? 'calendar' THEN
    -- deadlines inside (new cases, 差评): computed by the holiday notices named in p->'calendar'; the calendar's
    -- lock shared until commit, and those notices still current, or nothing kept (HI002: the Python path
    -- loads the current notices and computes again; hall.cases.holidays)
    PERFORM pg_advisory_xact_lock_shared(7385112002);
    IF (SELECT coalesce(jsonb_agg(jsonb_build_array(year, revision) ORDER BY year), '[]'::jsonb)
        FROM cases_holidaynotice) IS DISTINCT FROM p->'calendar' THEN
      RAISE EXCEPTION 'the holiday calendar changed' USING ERRCODE = 'HI002';
    END IF;
  END IF;
  IF cardinality(numbers) > 0 THEN
    -- = ANY(array): one probe of the number's unique index each (an IN (subquery) was planned as a scan).
    -- Another kiosk's number: the step-by-step path rejects those events.
    PERFORM 1 FROM cases_case WHERE number = ANY(numbers) AND kiosk_id <> k LIMIT 1;
    IF FOUND THEN
      RETURN '{"existing": true}';
    END IF;
    held := ARRAY(SELECT number FROM cases_case WHERE number = ANY(numbers));
  END IF;

  WITH ins AS (
    INSERT INTO cases_event (event_id, kiosk_id, kind, at, received_at, body)
    SELECT r.event_id, k, r.kind, r.at, t, r.body
    FROM jsonb_to_recordset(p->'events') AS r(event_id uuid, kind text, at timestamptz, body jsonb)
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id, id)
  SELECT coalesce(array_agg(ins.event_id), '{}'), coalesce(array_agg(ins.id), '{}') INTO ins_uuid, ins_id FROM ins;

  IF cardinality(held) > 0 AND EXISTS (
      SELECT 1 FROM jsonb_to_recordset(p->'cases') AS r(event_id uuid, number text)
      WHERE r.number = ANY(held) AND r.event_id = ANY(ins_uuid)) THEN
    -- a new event for a case this kiosk already has (a refresh): nothing kept, the step-by-step path does it
    RAISE EXCEPTION 'a refresh of a case already held' USING ERRCODE = 'HI001';
  END IF;

  IF cardinality(ins_uuid) < jsonb_array_length(p->'events') THEN
    SELECT coalesce(jsonb_agg(e.event_id), '[]') INTO foreign_ids FROM cases_event e
    WHERE e.event_id = ANY(ARRAY(SELECT (x->>'event_id')::uuid FROM jsonb_array_elements(p->'events') x))
      AND e.kiosk_id <> k;
  END IF;

  IF cardinality(numbers) > 0 THEN
    -- the kiosk's row stays locked until commit: its changes commit in counter order
    UPDATE cases_kiosk SET change_seq = change_seq + 1 WHERE id = k RETURNING change_seq INTO seq;
  END IF;

  IF jsonb_array_length(p->'cases') > 0 THEN
    WITH chosen AS (
      SELECT DISTINCT ON (r.number) r.*
      FROM jsonb_to_recordset(p->'cases') AS r(
        ord integer, event_id uuid, number text, service text, service_title text, office text, document_name text,
        outcome text, state text, licence_number text, applicant_name text, applicant_phone text,
        id_number_sealed text, id_number_hash text, id_number_masked text, answers jsonb, id_answers_sealed text,
        id_answer_hashes jsonb, findings jsonb, promised_days integer, time_limit_days integer,
        kiosk_decided_at timestamptz, correction_due date, decision_due date, by_name text, history jsonb)
      WHERE r.event_id = ANY(ins_uuid)
      ORDER BY r.number, r.ord DESC),
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
      SELECT c.id, t, ch.by_name, 'received', '', c.state, '', ch.history FROM c JOIN chosen ch USING (number)),
    d AS (
      INSERT INTO cases_casedocument (case_id, name, sha256, content)
      SELECT DISTINCT ON (c.id, r.name) c.id, r.name, r.sha256, decode(r.content, 'base64')
      FROM jsonb_to_recordset(p->'docs') AS r(event_id uuid, ord integer, name text, sha256 text, content text)
      JOIN chosen ch ON ch.event_id = r.event_id JOIN c ON c.number = ch.number
      ORDER BY c.id, r.name, r.ord DESC
      ON CONFLICT (case_id, name) DO UPDATE SET sha256 = EXCLUDED.sha256, content = EXCLUDED.content)
    INSERT INTO cases_materialpage (case_id, material, sha256, content)
    SELECT c.id, r.material, r.sha256, decode(r.content, 'base64')
    FROM jsonb_to_recordset(p->'pages') AS r(event_id uuid, material text, sha256 text, content text)
    JOIN chosen ch ON ch.event_id = r.event_id JOIN c ON c.number = ch.number
    ON CONFLICT (case_id, sha256) DO NOTHING;
  END IF;

  IF jsonb_array_length(p->'calls') > 0 THEN
    INSERT INTO cases_staffcall (call_id, kiosk_id, screen, service, number, location, created_at, received_at,
                                 change_seq)
    SELECT r.call_id, k, r.screen, r.service, r.number, r.location, r.created_at, t, 0
    FROM jsonb_to_recordset(p->'calls') AS r(event_id uuid, call_id uuid, screen text, service text, number text,
                                             location text, created_at timestamptz)
    WHERE r.event_id = ANY(ins_uuid)
    ON CONFLICT (call_id) DO NOTHING;
  END IF;

  IF jsonb_array_length(p->'ratings') > 0 THEN
    INSERT INTO cases_rating (event_id, kiosk_id, number, service, stars, reason, at, received_at, handling, due,
                              answer)
    SELECT i.id, k, r.number, r.service, r.stars, r.reason, r.at, t, r.handling, r.due, ''
    FROM jsonb_to_recordset(p->'ratings') AS r(event_id uuid, number text, service text, stars smallint,
                                               reason text, at timestamptz, handling text, due date)
    JOIN unnest(ins_uuid, ins_id) AS i(event_id, id) ON i.event_id = r.event_id;
  END IF;

  IF jsonb_array_length(p->'stats') > 0 THEN
    INSERT INTO cases_stepstat (kiosk_id, session_id, service, steps, finished, abandoned_at, at, received_at)
    SELECT DISTINCT ON (r.session_id) k, r.session_id, r.service, r.steps, r.finished, r.abandoned_at, r.at, t
    FROM jsonb_to_recordset(p->'stats') AS r(ord integer, event_id uuid, session_id text, service text, steps jsonb,
                                             finished boolean, abandoned_at text, at timestamptz)
    WHERE r.event_id = ANY(ins_uuid)
    ORDER BY r.session_id, r.ord DESC
    ON CONFLICT (kiosk_id, session_id) DO UPDATE SET service = EXCLUDED.service, steps = EXCLUDED.steps,
      finished = EXCLUDED.finished, abandoned_at = EXCLUDED.abandoned_at, at = EXCLUDED.at,
      received_at = EXCLUDED.received_at;
  END IF;

  RETURN jsonb_build_object('foreign', foreign_ids);
END
$fn$;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_protect_id_answers")]

    operations = [migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS hall_ingest(jsonb);")]
