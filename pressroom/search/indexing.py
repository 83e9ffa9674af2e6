"""Keeping the index in step with the archive: one document per written language version.

Called by the signal receivers (so the importer, the admin, the demo loader and every service
index as they write, inside their own transaction) and by `pressroom search-rebuild`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseVersion
from pressroom.search.analysis import index_text
from pressroom.search.backends import get_backend
from pressroom.search.models import SearchDocument

REBUILD_BATCH = 500


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


def release_fields(release: Release) -> dict:
    """What a document copies from its release for filtering, sorting and facets."""
    instant = release.issue_instant
    return {
        "reference": release.reference,
        "state": release.state,
        "issue_instant": instant,
        "issue_year": timezone.localtime(instant, HONG_KONG).year if instant else None,
        "department_id": release.department_id,
    }


def index_version(version: ReleaseVersion) -> None:
    """Write (or rewrite, after a correction) one language version's document and text."""
    if not is_indexed_language(version.language):
        return
    document, _ = SearchDocument.objects.update_or_create(
        release_id=version.release_id,
        language=version.language,
        defaults=release_fields(version.release),
    )
    get_backend().write_text(
        document.pk, index_text(version.title), index_text(body_text(version.body))
    )


def refresh_release(release: Release) -> None:
    """Copy a saved release's state, instant and department to its documents."""
    SearchDocument.objects.filter(release_id=release.pk).update(**release_fields(release))


def remove_version(release_id: int, language: str) -> None:
    # The text goes with the row (a trigger on SQLite, the same row on PostgreSQL).
    SearchDocument.objects.filter(release_id=release_id, language=language).delete()


def index_release(release: Release) -> None:
    """Index every written version of a release, e.g. after changing it with `.update()`."""
    for version in release.versions.filter(language__in=list(WRITTEN_LANGUAGES)):
        version.release = release
        index_version(version)


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
                index_version(version)
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
            .order_by("pk")[:REBUILD_BATCH]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].pk
