"""Make core_auditevent append-only in the database itself (see hagukumi.core.audit).

PostgreSQL: one plpgsql function behind a BEFORE UPDATE OR DELETE row trigger and
a BEFORE TRUNCATE statement trigger. SQLite: BEFORE UPDATE / BEFORE DELETE
triggers raising ABORT. Both refuse with an integrity error (SQLSTATE 23000 /
SQLITE_CONSTRAINT) unless the purge gate is open in the current transaction:
the transaction-local setting hagukumi.allow_audit_purge = 'on' on PostgreSQL,
a row in hagukumi_audit_purge_gate on SQLite. Reversible: the reverse drops the
triggers, the function and the gate table.
"""

from django.db import migrations

MESSAGE = "監査ログ (core_auditevent) は追記のみです。変更・削除はできません。"

POSTGRES_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION hagukumi_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('hagukumi.allow_audit_purge', true), '') = 'on' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$;
    """,
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;",
    """
    CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION hagukumi_audit_append_only();
    """,
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;",
    """
    CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION hagukumi_audit_append_only();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;",
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;",
    "DROP FUNCTION IF EXISTS hagukumi_audit_append_only();",
]

SQLITE_FORWARD = [
    "CREATE TABLE IF NOT EXISTS hagukumi_audit_purge_gate (opened integer NOT NULL);",
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    f"""
    CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM hagukumi_audit_purge_gate)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (UPDATE)'); END;
    """,
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
    f"""
    CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM hagukumi_audit_purge_gate)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE} (DELETE)'); END;
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TABLE IF EXISTS hagukumi_audit_purge_gate;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"監査ログの追記専用トリガーは {schema_editor.connection.vendor} に未対応です。"
            )
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
            elidable=False,
        ),
    ]
