"""Keeping the index in step with the archive: one document per written language version.

Called by the signal receivers: `index_written` for every text the write path stores (one at a
time or in bulk, whoever writes), inside the writer's transaction; and by
`pressroom search-rebuild`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from pressroom.releases.bulk import insert_rows
from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseVersion
from pressroom.search.analysis import index_text
from pressroom.search.backends import get_backend
from pressroom.search.keys import (
    document_key,
    filter_tags,
    keys_of_second,
    second_of,
    second_of_key,
)
from pressroom.search.models import SearchDocument

REBUILD_BATCH = 500
# Seconds per query when reading the documents already in many seconds (an OR of id ranges).
SECONDS_PER_QUERY = 200


def is_indexed_language(language: str) -> bool:
    """en and zh-Hant; zh-Hans is derived from zh-Hant and folds to the same text."""
    return language in WRITTEN_LANGUAGES


def body_text(body: list[dict]) -> str:
    """The words of a stored body, one block per line; rules carry none."""
    parts: list[str] = []
    for block in body:
        if block.get("kind") == "rule":
            continue
        if block.get("text"):
            parts.append(block["text"])
        if block.get("rows"):
            parts.extend(" ".join(row) for row in block["rows"])
        elif block.get("lines"):
            parts.extend(block["lines"])
    return "\n".join(parts)


# What a document copies from its release for filtering, sorting and facets.
DOCUMENT_FIELDS = ("reference", "state", "issue_instant", "issue_year", "department")


def _release_values(release: Release) -> tuple:
    """The DOCUMENT_FIELDS values of a release, in that order."""
    instant = release.issue_instant
    year = timezone.localtime(instant, HONG_KONG).year if instant else None
    return (release.reference, release.state, instant, year, release.department_id)


def analysed_text(title: str, body: list[dict]) -> tuple[str, str]:
    """A version's title and stored body as the backend's text columns take them."""
    return index_text(title), index_text(body_text(body))


def release_fields(release: Release) -> dict:
    """What a document copies from its release, as keyword arguments of SearchDocument."""
    names = [name if name != "department" else "department_id" for name in DOCUMENT_FIELDS]
    return dict(zip(names, _release_values(release)))


def _release_tags(release: Release) -> str:
    category_ids = release.categories.values_list("pk", flat=True) if release.pk else []
    return filter_tags(release.department_id, category_ids)


@dataclass(frozen=True)
class AnalysedText:
    """A version's title and body as the backend's text columns take them (`analysed_text`),
    and what the backend worked out ahead from them (`analyse_ahead`), if anything: the import
    makes it in its parse workers and hands it to the write path, which passes it on here."""

    title: str
    body: str
    ahead: object = None


def index_written(written: Sequence) -> None:
    """Index the versions the write path stored (`pressroom.releases.services.Written`): new
    ones together, in a few queries whatever their number; changed ones rewritten."""
    written = [version for version in written if is_indexed_language(version.language)]
    new = [version for version in written if version.created]
    if new:
        texts = []
        for version in new:
            analysed = version.search_text
            if not isinstance(analysed, AnalysedText):
                analysed = AnalysedText(*analysed_text(version.title, version.body))
            texts.append(NewText(version.release, version.language, analysed))
        index_new_versions(texts, _tags_of([version.release for version in new]))
    for version in written:
        if not version.created:
            index_version(version)


def _tags_of(releases: Sequence[Release]) -> dict[int, str]:
    """Each release's filter tags, by id, in one query."""
    categories: dict[int, list[int]] = defaultdict(list)
    links = Release.categories.through.objects.filter(
        release_id__in={release.pk for release in releases}
    ).values_list("release_id", "category_id")
    for release_id, category_id in links:
        categories[release_id].append(category_id)
    return {
        release.pk: filter_tags(release.department_id, categories[release.pk])
        for release in releases
    }


def index_version(version: ReleaseVersion, tags: str | None = None) -> None:
    """Write (or rewrite, after a correction) one language version's document and text
    (`version`: a ReleaseVersion, or the write path's `Written`)."""
    if not is_indexed_language(version.language):
        return
    release = version.release
    key = _key_for(release, version.language)
    # An earlier document under another key (the issue instant moved) goes, text and all.
    SearchDocument.objects.filter(release_id=release.pk, language=version.language).exclude(
        pk=key
    ).delete()
    SearchDocument(
        pk=key, release_id=release.pk, language=version.language, **release_fields(release)
    ).save()
    get_backend().write_text(
        key,
        *analysed_text(version.title, version.body),
        _release_tags(release) if tags is None else tags,
    )


def _key_for(release: Release, language: str) -> int:
    """The document's current id if it is still in the right second, else a free one."""
    return _documents_in_seconds([release.issue_instant]).key_for(release, language)


@dataclass(frozen=True)
class NewText:
    """A version new to the archive (no document yet), its text analysed."""

    release: Release
    language: str
    analysed: AnalysedText


def index_new_versions(texts: Sequence[NewText], tags: dict[int, str]) -> None:
    """Index versions new to the archive, in a few queries whatever their number.

    `tags` maps each release id to its filter tags. Only for versions that have no document
    yet: nothing is deleted or moved, as `index_version` does for a version indexed before.
    """
    texts = [text for text in texts if is_indexed_language(text.language)]
    if not texts:
        return
    seconds = _documents_in_seconds(text.release.issue_instant for text in texts)
    keys = []
    for text in texts:
        release = text.release
        key = seconds.key_for(release, text.language)
        if seconds.holds(key):
            raise ValueError(
                f"release {release.pk} ({text.language}) is indexed already: "
                "index_new_versions is for new releases, index_version rewrites"
            )
        seconds.take(key, release.pk, text.language)
        keys.append(key)
    columns = ["id", "release", "language", *DOCUMENT_FIELDS]
    rows = [
        (key, text.release.pk, text.language, *_release_values(text.release))
        for key, text in zip(keys, texts)
    ]
    backend = get_backend()
    if backend.analysed_column and all(text.analysed.ahead is not None for text in texts):
        # Each row written once, with its text already analysed: nothing rewritten after.
        rows = [(*row, text.analysed.ahead) for row, text in zip(rows, texts)]
        insert_rows(SearchDocument, columns, rows, raw_columns=[backend.analysed_column])
        return
    insert_rows(SearchDocument, columns, rows)
    backend.write_texts(
        (key, text.analysed.title, text.analysed.body, tags[text.release.pk])
        for key, text in zip(keys, texts)
    )


@dataclass
class _DocumentsInSeconds:
    """Which documents hold the ids of some seconds: where the key-slot rule is applied."""

    holders: dict[tuple[int, str], int] = field(default_factory=dict)
    taken: set[int] = field(default_factory=set)

    def key_for(self, release: Release, language: str) -> int:
        """The id the document holds in its second, else the first free slot there."""
        held = self.holders.get((release.pk, language))
        if held is not None and second_of_key(held) == second_of(release.issue_instant):
            return held
        return document_key(release.issue_instant, release.pk, language, taken=self.taken)

    def holds(self, key: int) -> bool:
        return key in self.taken

    def take(self, key: int, release_id: int, language: str) -> None:
        self.holders[(release_id, language)] = key
        self.taken.add(key)


def _documents_in_seconds(instants: Iterable) -> _DocumentsInSeconds:
    """The documents already in the seconds of these issue instants."""
    ranges = sorted({keys_of_second(instant) for instant in instants})
    table = SearchDocument._meta.db_table
    found = _DocumentsInSeconds()
    with connection.cursor() as cursor:
        for start in range(0, len(ranges), SECONDS_PER_QUERY):
            chunk = ranges[start : start + SECONDS_PER_QUERY]
            # Plain SQL: the ORM takes longer to build 200 range lookups than the database
            # takes to answer them. A join with the list of ranges, not an OR of them, which
            # PostgreSQL answers by scanning the whole table.
            seconds = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint))"] * len(chunk))
            cursor.execute(
                f"WITH seconds (first_key, end_key) AS (VALUES {seconds}) "
                f"SELECT d.id, d.release_id, d.language FROM seconds JOIN {table} d "
                "ON d.id >= seconds.first_key AND d.id < seconds.end_key",
                [bound for pair in chunk for bound in pair],
            )
            for key, release_id, language in cursor.fetchall():
                found.take(key, release_id, language)
    return found


def refresh_release(release: Release) -> None:
    """Bring a saved release's documents in step: copy its state, or index it again.

    A changed issue instant changes the documents' ids and a changed department their filter
    tags, so those index the release again; anything else is a copy of a few fields.
    """
    documents = list(
        SearchDocument.objects.filter(release_id=release.pk).values_list(
            "pk", "language", "department_id"
        )
    )
    moved = any(
        second_of_key(pk) != second_of(release.issue_instant)
        or department_id != release.department_id
        for pk, language, department_id in documents
    )
    if moved:
        index_release(release)
    else:
        SearchDocument.objects.filter(release_id=release.pk).update(**release_fields(release))


def remove_version(release_id: int, language: str) -> None:
    # The text goes with the row (a trigger on SQLite, the same row on PostgreSQL).
    SearchDocument.objects.filter(release_id=release_id, language=language).delete()


def index_release(release: Release) -> None:
    """Index every written version of a release, e.g. after changing it with `.update()`."""
    tags = _release_tags(release)
    for version in release.versions.filter(language__in=list(WRITTEN_LANGUAGES)):
        version.release = release
        index_version(version, tags)


def rebuild(on_progress: Callable[[int], None] | None = None) -> int:
    """Index the whole archive again from scratch, in one transaction; returns documents written.

    Readers keep seeing the old index until the new one is committed.
    """
    on_progress = on_progress or (lambda done: None)
    backend = get_backend()
    written = 0
    with transaction.atomic():
        backend.clear_text()
        SearchDocument.objects.all().delete()
        for batch in _version_batches():
            for version in batch:
                release = version.release
                categories = [category.pk for category in release.categories.all()]
                index_version(version, filter_tags(release.department_id, categories))
                written += 1
            on_progress(len(batch))
    return written


def versions_to_index():
    return ReleaseVersion.objects.filter(language__in=[Language.EN, Language.ZH_HANT])


def _version_batches() -> Iterable[list[ReleaseVersion]]:
    last_id = 0
    while True:
        batch = list(
            versions_to_index()
            .filter(pk__gt=last_id)
            .select_related("release")
            .prefetch_related("release__categories")
            .order_by("pk")[:REBUILD_BATCH]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].pk
