"""Full-text search over a person's threads (conversations/search.py), with each database's own engine.

SQLite: an FTS5 table of the messages' text, kept in step by triggers (an external-content table: the text
is not stored twice). PostgreSQL needs nothing here: its full-text functions run on the column (a person's
threads are few; an index would only pay across everyone's). Any other database: a plain `icontains`.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS conversations_message_fts USING fts5("
    "content, content='conversations_message', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS conversations_message_fts_insert AFTER INSERT ON conversations_message BEGIN "
    "INSERT INTO conversations_message_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER IF NOT EXISTS conversations_message_fts_delete AFTER DELETE ON conversations_message BEGIN "
    "INSERT INTO conversations_message_fts(conversations_message_fts, rowid, content) "
    "VALUES ('delete', old.id, old.content); END",
    "CREATE TRIGGER IF NOT EXISTS conversations_message_fts_update AFTER UPDATE OF content ON conversations_message "
    "BEGIN INSERT INTO conversations_message_fts(conversations_message_fts, rowid, content) "
    "VALUES ('delete', old.id, old.content); "
    "INSERT INTO conversations_message_fts(rowid, content) VALUES (new.id, new.content); END",
    "INSERT INTO conversations_message_fts(conversations_message_fts) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS conversations_message_fts_insert",
    "DROP TRIGGER IF EXISTS conversations_message_fts_delete",
    "DROP TRIGGER IF EXISTS conversations_message_fts_update",
    "DROP TABLE IF EXISTS conversations_message_fts",
]


def run(statements: dict[str, list[str]]):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("conversations", "0004_message_lease")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE}),
            run({"sqlite": SQLITE_UNDO}),
        ),
    ]
