"""Body search units as windows of consecutive passages (issue #15).

``CaseSearchUnit.passages``: how many passages a body unit covers, from its first
(``passage_id``). Existing units stay valid (one passage each, the default);
``hagukumi reindex_cases`` rebuilds them as windows of about 800 characters.

SQLite rebuilds cases_casesearchunit to add a column, which drops the FTS5
triggers: SQLITE_FORWARD of 0004 recreates table and triggers and rebuilds the
index (as 0004's docstring asks of such a migration).
"""

from importlib import import_module

from django.db import migrations, models


def _fts_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        fts = import_module("hagukumi.cases.migrations.0004_search_fts_kind")
        for sql in fts.SQLITE_FORWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_no_unique_per_owner")]

    operations = [
        # Reversed, the column goes first (rebuilding the table again): then the triggers.
        migrations.RunPython(migrations.RunPython.noop, _fts_forward, elidable=False),
        migrations.AddField(
            model_name="casesearchunit",
            name="passages",
            field=models.PositiveIntegerField(default=1, verbose_name="段落数"),
        ),
        migrations.RunPython(_fts_forward, migrations.RunPython.noop, elidable=False),
    ]
