"""Schema pieces the search migrations share (migrations import them: keep them stable).

On SQLite a trigger removes a document's FTS5 text with its row, however the row is deleted (a
release's cascade included). Any migration that makes Django rebuild `search_document` there
(altering or adding a NOT NULL field) drops the trigger, and runs `recreate_delete_trigger`
after the rebuild, forwards and backwards.
"""

SQLITE_DELETE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS search_document_deleted AFTER DELETE ON search_document "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END"
)


def recreate_delete_trigger(apps, schema_editor):
    """A RunPython step: the delete trigger again, on SQLite (nothing elsewhere)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DELETE_TRIGGER)
