"""The case history is append-only (PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE on it, whoever
asks, the ORM or psql), and the three staff roles exist as Django groups."""

from django.db import migrations

APPEND_ONLY = """
CREATE FUNCTION cases_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cases_casehistory is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER cases_casehistory_no_update_delete BEFORE UPDATE OR DELETE ON cases_casehistory
    FOR EACH ROW EXECUTE FUNCTION cases_history_append_only();
CREATE TRIGGER cases_casehistory_no_truncate BEFORE TRUNCATE ON cases_casehistory
    FOR EACH STATEMENT EXECUTE FUNCTION cases_history_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS cases_casehistory_no_truncate ON cases_casehistory;
DROP TRIGGER IF EXISTS cases_casehistory_no_update_delete ON cases_casehistory;
DROP FUNCTION IF EXISTS cases_history_append_only();
"""

ROLE_GROUPS = ("受理员", "审批人", "管理员")


def add_groups(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP),
        migrations.RunPython(add_groups, remove_groups),
    ]
