"""Chain the audit rows by hash and refuse REPLACE / UPSERT (issue [品質] 3; hagukumi.core.audit_chain).

Schema: `previous_hash` and `row_hash` on core_auditevent; `occurred_at` is set by
AuditEvent.save() instead of auto_now_add (the hash covers it); the new action
「アクセス拒否」.

On SQLite these changes rebuild the table, which drops its triggers: the last
operation re-creates the triggers of migration 0002 (same SQL) and adds
`core_auditevent_no_replace`, a BEFORE INSERT trigger refusing a row whose id
already exists. `INSERT OR REPLACE` deletes the conflicting row without firing
DELETE triggers (recursive_triggers is off), so only an INSERT trigger sees it;
`INSERT … ON CONFLICT DO UPDATE` is refused by it too (and by the UPDATE
trigger). On PostgreSQL the triggers of 0002 stay and already refuse an upsert
(its DO UPDATE fires the UPDATE trigger).

Data: the rows already there are chained in id order (the trigger gate is
opened for this transaction on PostgreSQL). Reversible: the reverse drops the new
trigger, removes the columns and re-creates the triggers of 0002 on SQLite.
"""

from django.db import migrations, models

MESSAGE = "監査ログ (core_auditevent) は追記のみです。変更・削除はできません。"
REPLACE_MESSAGE = (
    "監査ログ (core_auditevent) は追記のみです。既存の記録の置き換え (REPLACE / UPSERT) はできません。"
)

# Copied from 0002 (a rebuilt SQLite table has lost them).
SQLITE_APPEND_ONLY = [
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
SQLITE_NO_REPLACE = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_replace;",
    f"""
    CREATE TRIGGER core_auditevent_no_replace BEFORE INSERT ON core_auditevent
    WHEN EXISTS (SELECT 1 FROM core_auditevent WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, '{REPLACE_MESSAGE}'); END;
    """,
]
POSTGRES_PURGE_SETTING = "hagukumi.allow_audit_purge"


def _execute(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def _chain_existing_rows(apps, schema_editor):
    from hagukumi.core.audit_chain import GENESIS_HASH, event_hash

    AuditEvent = apps.get_model("core", "AuditEvent")
    db = schema_editor.connection.alias
    previous = GENESIS_HASH
    for event in AuditEvent.objects.using(db).order_by("id").iterator(chunk_size=2000):
        row_hash = event_hash(event, previous)
        AuditEvent.objects.using(db).filter(pk=event.pk).update(
            previous_hash=previous, row_hash=row_hash
        )
        previous = row_hash


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _chain_existing_rows(apps, schema_editor)  # the rebuilt table has no triggers yet
        _execute(schema_editor, SQLITE_APPEND_ONLY + SQLITE_NO_REPLACE)
    elif vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [POSTGRES_PURGE_SETTING])
            _chain_existing_rows(apps, schema_editor)
            cursor.execute("SELECT set_config(%s, 'off', true)", [POSTGRES_PURGE_SETTING])
    else:
        raise NotImplementedError(f"監査ログの連鎖は {vendor} に未対応です。")


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _execute(schema_editor, ["DROP TRIGGER IF EXISTS core_auditevent_no_replace;"])


def restore_0002_triggers(apps, schema_editor):
    # Runs last when going backwards: removing the columns rebuilt the table again.
    if schema_editor.connection.vendor == "sqlite":
        _execute(schema_editor, SQLITE_APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_remove_membership_membership_unique_role_and_more"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_0002_triggers, elidable=False),
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(
                blank=True, db_index=True, editable=False, verbose_name="日時"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="直前の記録のハッシュ",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="ハッシュ"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "ログイン"),
                    ("login_failed", "ログイン失敗"),
                    ("locked", "アカウントロック"),
                    ("logout", "ログアウト"),
                    ("create", "登録"),
                    ("update", "更新"),
                    ("delete", "削除"),
                    ("view", "閲覧"),
                    ("export", "出力"),
                    ("import", "取込"),
                    ("refused", "アクセス拒否"),
                ],
                max_length=20,
                verbose_name="操作",
            ),
        ),
        migrations.RunPython(forward, reverse, elidable=False),
    ]
