"""One row per written language version of a release: what search filters, sorts and facets on.

The id is not a counter: it sorts in issue order (`pressroom.search.keys`), so the index can
hand out the newest matches first. The text itself lives in the backend's own structure (an FTS5 table whose rowid is this row's
id, or a tsvector column added to this table on PostgreSQL; see the migration). The release's
state, issue instant, department and year are copied here so a search never joins the archive
tables per match; `pressroom.search.signals` keeps the copies in step on every save.
"""

from __future__ import annotations

from django.db import models

from pressroom.releases.models import Department, Release


class DocumentKeyField(models.BigIntegerField):
    """A 64-bit key that is the row's own address on SQLite.

    SQLite stores a table in the order of its rowid, and a primary key column is that rowid
    only when it is declared `integer` (SQLite's integers are 64-bit): Django's `bigint`
    makes a hidden rowid and a separate unique index, so every look-up by id read two
    B-trees, and rows next in issue order were not next on disk. Other databases get bigint.
    """

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class SearchDocument(models.Model):
    # pressroom.search.keys.document_key(issue_instant, release_id, language)
    id = DocumentKeyField(primary_key=True)
    # No index of its own: search_one_per_language (release, language) serves it.
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+", db_index=False)
    # en or zh-Hant: zh-Hans is derived from zh-Hant and folds to the same text.
    language = models.CharField(max_length=8)
    reference = models.CharField(max_length=20)
    state = models.CharField(max_length=16)
    issue_instant = models.DateTimeField(null=True)
    # The Hong Kong calendar year of the issue instant, for the year facet.
    issue_year = models.SmallIntegerField(null=True)
    department = models.ForeignKey(
        Department, null=True, on_delete=models.SET_NULL, db_constraint=False, related_name="+"
    )
    # The title as analysed for the index, kept beside the row by a backend that tests window
    # titles outside its index (SQLite: the page a search already read for the row holds it,
    # where FTS5's own copy is a page of its own per document). Empty on PostgreSQL, whose
    # vector weights the title.
    title = models.TextField(blank=True, default="", db_default="")

    class Meta:
        db_table = "search_document"
        constraints = [
            models.UniqueConstraint(fields=["release", "language"], name="search_one_per_language")
        ]
        indexes = [models.Index(fields=["issue_instant"], name="search_document_instant")]

    def __str__(self) -> str:
        return f"{self.reference} [{self.language}]"
