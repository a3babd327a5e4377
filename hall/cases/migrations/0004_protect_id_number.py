"""Applicants' ID numbers out of the clear (issue 12): each case's `id_number` becomes a sealed value
(AES-256-GCM with the data dir's id_key, bound to the case's number), a keyed hash (HMAC-SHA256) to find
cases by number and the masked form; the plain column is dropped. Existing rows are converted here, in the
migration's transaction; going back opens them again into the plain column.

PostgreSQL keeps the old row versions in the table files until they are vacuumed: after this migration on a
hall that already held cases, run `VACUUM FULL cases_case;` (README, "The hall back office").
"""

import json

from django.db import migrations, models

BATCH = 5000


def _rows(cursor, sql: str, after: int) -> list[tuple]:
    cursor.execute(sql, [after, BATCH])
    return cursor.fetchall()


def _seal(apps, schema_editor):
    """Every plain number sealed, hashed and masked, a batch of rows per UPDATE (joined to the new values as
    one JSON parameter: bulk_update's CASE per row took a minute for 30,000 cases)."""
    from hall.cases import idnumbers

    with schema_editor.connection.cursor() as cur:
        last = 0
        while rows := _rows(cur, "SELECT id, number, id_number FROM cases_case WHERE id > %s AND id_number <> '' "
                                 "ORDER BY id LIMIT %s", last):
            values = []
            for pk, number, plain in rows:
                sealed, digest, masked = idnumbers.protect(plain, number)
                values.append({"id": pk, "sealed": sealed.hex(), "hash": digest, "masked": masked})
            cur.execute(
                "UPDATE cases_case c SET id_number_sealed = decode(r.sealed, 'hex'), id_number_hash = r.hash, "
                "id_number_masked = r.masked, id_number = '' "
                "FROM json_to_recordset(%s::json) AS r(id bigint, sealed text, hash text, masked text) WHERE c.id = r.id",
                [json.dumps(values)],
            )
            last = rows[-1][0]


def _open(apps, schema_editor):
    """Back: every sealed number opened into the plain column again."""
    from hall.cases import idnumbers

    with schema_editor.connection.cursor() as cur:
        last = 0
        while rows := _rows(cur, "SELECT id, number, id_number_sealed FROM cases_case "
                                 "WHERE id > %s AND id_number_sealed IS NOT NULL ORDER BY id LIMIT %s", last):
            values = [{"id": pk, "plain": idnumbers.open_sealed(sealed, number)} for pk, number, sealed in rows]
            cur.execute(
                "UPDATE cases_case c SET id_number = r.plain "
                "FROM json_to_recordset(%s::json) AS r(id bigint, plain text) WHERE c.id = r.id",
                [json.dumps(values)],
            )
            last = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_fewer_indexes")]

    operations = [
        migrations.AddField(
            model_name="case", name="id_number_sealed",
            field=models.BinaryField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case", name="id_number_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="case", name="id_number_masked",
            field=models.CharField(blank=True, default="", editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(_seal, _open),
        migrations.RemoveField(model_name="case", name="id_number"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=models.Q(("id_number_hash", ""), _negated=True), fields=["id_number_hash"],
                               name="cases_case_id_hash"),
        ),
    ]
