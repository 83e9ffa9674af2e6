"""Indexing a batch of new releases for search in a few queries instead of a few per version.

The search app indexes each saved version through its signal receivers; the importer's batches
insert rows with bulk_create, which sends no signal, so they index here with the search app's
own pieces (document keys, copied release fields, analysed text, filter tags, the backend's
`write_text`). Only for releases created in the same batch: they have no documents yet, so
nothing is deleted or moved (`pressroom.search.indexing.index_version` does that otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from pressroom.releases.models import ReleaseVersion
from pressroom.search.analysis import index_text
from pressroom.search.backends import get_backend
from pressroom.search.indexing import body_text, is_indexed_language, release_fields
from pressroom.search.keys import document_key, keys_of_second
from pressroom.search.models import SearchDocument

# Seconds per query when reading the keys already taken (an OR of id ranges).
_SECONDS_PER_QUERY = 200


def index_new_versions(versions: Sequence[ReleaseVersion], tags: dict[int, str]) -> None:
    """Index written versions of new releases; `tags` maps release id to its filter tags."""
    versions = [version for version in versions if is_indexed_language(version.language)]
    if not versions:
        return
    taken = _keys_taken({version.release.issue_instant for version in versions})
    documents = []
    for version in versions:
        release = version.release
        key = document_key(release.issue_instant, release.pk, version.language, taken=taken)
        taken.add(key)
        documents.append(
            SearchDocument(
                pk=key, release_id=release.pk, language=version.language, **release_fields(release)
            )
        )
    SearchDocument.objects.bulk_create(documents)
    backend = get_backend()
    for document, version in zip(documents, versions):
        backend.write_text(
            document.pk,
            index_text(version.title),
            index_text(body_text(version.body)),
            tags[version.release.pk],
        )


def _keys_taken(instants) -> set[int]:
    """Ids of documents already in the seconds of these instants (other releases')."""
    ranges = sorted({keys_of_second(instant) for instant in instants})
    table = SearchDocument._meta.db_table
    taken: set[int] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(ranges), _SECONDS_PER_QUERY):
            chunk = ranges[start : start + _SECONDS_PER_QUERY]
            # Plain SQL: the ORM takes longer to build 200 range lookups than the database
            # takes to answer them.
            condition = " OR ".join(["(id >= %s AND id < %s)"] * len(chunk))
            cursor.execute(
                f"SELECT id FROM {table} WHERE {condition}",
                [bound for pair in chunk for bound in pair],
            )
            taken.update(row[0] for row in cursor.fetchall())
    return taken
