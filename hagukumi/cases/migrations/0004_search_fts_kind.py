"""SQLite only: the FTS5 table also indexes each unit's kind (title / meta / body).

With the kind in the engine, a query whose every term is very common can rank only
the title and metadata units (``backends.top_units(heads_only=True)``) instead of
most of the corpus. Query terms are always matched in the ``terms`` column only. The
table is external-content over cases_casesearchunit as before (0002); triggers and
table are recreated and rebuilt. PostgreSQL filters on the kind column directly.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS cases_search_fts_au",
    "DROP TRIGGER IF EXISTS cases_search_fts_ad",
    "DROP TRIGGER IF EXISTS cases_search_fts_ai",
    "DROP TABLE IF EXISTS cases_search_fts",
    "CREATE VIRTUAL TABLE cases_search_fts USING fts5(terms, kind, "
    "content='cases_casesearchunit', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")",
    "CREATE TRIGGER cases_search_fts_ai AFTER INSERT ON cases_casesearchunit BEGIN "
    "INSERT INTO cases_search_fts(rowid, terms, kind) VALUES (new.id, new.terms, new.kind); END",
    "CREATE TRIGGER cases_search_fts_ad AFTER DELETE ON cases_casesearchunit BEGIN "
    "INSERT INTO cases_search_fts(cases_search_fts, rowid, terms, kind) "
    "VALUES ('delete', old.id, old.terms, old.kind); END",
    "CREATE TRIGGER cases_search_fts_au AFTER UPDATE ON cases_casesearchunit BEGIN "
    "INSERT INTO cases_search_fts(cases_search_fts, rowid, terms, kind) "
    "VALUES ('delete', old.id, old.terms, old.kind); "
    "INSERT INTO cases_search_fts(rowid, terms, kind) VALUES (new.id, new.terms, new.kind); END",
    "INSERT INTO cases_search_fts(cases_search_fts) VALUES ('rebuild')",
]


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from importlib import import_module

        previous = import_module("hagukumi.cases.migrations.0002_search_index")
        for sql in previous.SQLITE_BACKWARD + previous.SQLITE_FORWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_search_terms")]

    operations = [migrations.RunPython(_forward, _backward, elidable=False)]
