"""ID numbers among the applicant's answers out of the clear (issue 12), as 0004 did for the applicant's own:
each answer that holds an ID number (hall.cases.idfields: typed id_number by the item's spec, or a valid
resident ID number) is masked in `cases_case.answers` and sealed with the others of its case as one value
(hall.cases.idnumbers.protect_answers), with the numbers' keyed hashes; the stored raw event bodies
(`cases_event.body`) keep the masked answers only. Existing rows are converted here, in the migration's
transaction; going back opens the sealed values into the answers again (the event bodies stay masked:
the case row holds the numbers).

As after 0004, PostgreSQL keeps the old row versions until they are vacuumed: on a hall that already held
cases, run `VACUUM FULL cases_case; VACUUM FULL cases_event;` afterwards (README, "The hall back office").
"""

import json

from django.db import migrations, models

BATCH = 2000


def _seal(apps, schema_editor):
    """Batch by batch (one UPDATE per batch joined to the new values as one JSON parameter, as 0004)."""
    from hall.cases import idfields, idnumbers

    with schema_editor.connection.cursor() as cur:
        last = 0
        while True:
            cur.execute("SELECT id, number, service, answers::text FROM cases_case WHERE id > %s ORDER BY id LIMIT %s",
                        [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                break
            values = []
            for pk, number, service, text in rows:
                answers = json.loads(text) if text else {}
                if not isinstance(answers, dict):
                    continue
                keys = idfields.id_answer_keys(service, answers)
                if not keys:
                    continue
                masked, sealed, hashes = idnumbers.protect_answers(answers, keys, number)
                values.append({"id": pk, "answers": masked, "sealed": sealed.hex(), "hashes": hashes})
            if values:
                cur.execute(
                    "UPDATE cases_case c SET answers = r.answers, id_answers_sealed = decode(r.sealed, 'hex'), "
                    "id_answer_hashes = r.hashes FROM jsonb_to_recordset(%s::jsonb) "
                    "AS r(id bigint, answers jsonb, sealed text, hashes jsonb) WHERE c.id = r.id",
                    [json.dumps(values, ensure_ascii=False)])
            last = rows[-1][0]
        last = 0
        while True:
            cur.execute("SELECT id, body->>'service', (body->'answers')::text FROM cases_event "
                        "WHERE id > %s AND kind = 'application' ORDER BY id LIMIT %s", [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                break
            values = []
            for pk, service, text in rows:
                answers = json.loads(text) if text else None
                if not isinstance(answers, dict):
                    continue
                keys = idfields.id_answer_keys(service or "", answers)
                if keys:
                    values.append({"id": pk, "answers": idnumbers.mask_answers(answers, keys)})
            if values:
                cur.execute(
                    "UPDATE cases_event e SET body = jsonb_set(e.body, '{answers}', r.answers) "
                    "FROM jsonb_to_recordset(%s::jsonb) AS r(id bigint, answers jsonb) WHERE e.id = r.id",
                    [json.dumps(values, ensure_ascii=False)])
            last = rows[-1][0]


def _open(apps, schema_editor):
    """Back: the sealed answers opened into `answers` again."""
    from hall.cases import idnumbers

    with schema_editor.connection.cursor() as cur:
        last = 0
        while True:
            cur.execute("SELECT id, number, answers::text, id_answers_sealed FROM cases_case "
                        "WHERE id > %s AND id_answers_sealed IS NOT NULL ORDER BY id LIMIT %s", [last, BATCH])
            rows = cur.fetchall()
            if not rows:
                break
            values = [{"id": pk, "answers": {**json.loads(text), **idnumbers.open_answers(sealed, number)}}
                      for pk, number, text, sealed in rows]
            cur.execute("UPDATE cases_case c SET answers = r.answers FROM jsonb_to_recordset(%s::jsonb) "
                        "AS r(id bigint, answers jsonb) WHERE c.id = r.id", [json.dumps(values, ensure_ascii=False)])
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_holiday_notice")]

    operations = [
        migrations.AddField(
            model_name="case", name="id_answers_sealed",
            field=models.BinaryField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case", name="id_answer_hashes",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(_seal, _open),
    ]
