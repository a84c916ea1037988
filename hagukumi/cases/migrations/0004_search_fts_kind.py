"""The engines can find title and metadata units alone (``top_units(tier="heads")``).

SQLite: the FTS5 table also indexes each unit's kind (title / meta / body).

With the kind in the engine, a query whose every term is very common can rank only
the title and metadata units (``backends.top_units(heads_only=True)``) instead of
most of the corpus. Query terms are always matched in the ``terms`` column only. The
table is external-content over cases_casesearchunit as before (0002); triggers and
table are recreated and rebuilt (a later migration that rebuilds
cases_casesearchunit on SQLite must re-run SQLITE_FORWARD of this file, not of
0002). PostgreSQL: a partial GIN index over the title and metadata units, which the
planner uses for queries with the same kind predicate.
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

POSTGRES_FORWARD = [
    "CREATE INDEX cases_searchunit_heads_gin ON cases_casesearchunit "
    "USING gin (search_vector) WHERE kind IN ('title', 'meta')",
]


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from importlib import import_module

        previous = import_module("hagukumi.cases.migrations.0002_search_index")
        for sql in previous.SQLITE_BACKWARD + previous.SQLITE_FORWARD:
            schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cases_searchunit_heads_gin")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_search_terms")]

    operations = [migrations.RunPython(_forward, _backward, elidable=False)]
