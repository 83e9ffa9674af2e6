"""Receivers that keep the index in step with every write, whoever makes it.

Text is indexed as the write path announces it (`pressroom.releases.signals.content_written`),
one write at a time or a bulk load alike: saving a ReleaseVersion row by itself indexes nothing
(docs/decisions/0007-one-write-path.md). Releases' own changes (state, instant, department,
categories) and deletions follow Django's model signals. All run inside the writer's
transaction, so a rolled-back import leaves no search text behind and a committed one is
searchable at once. Raw saves (fixtures being loaded) are skipped: related rows may not exist
yet; `pressroom search-rebuild` covers them.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from pressroom.releases.models import Release, ReleaseVersion
from pressroom.releases.signals import content_written
from pressroom.search import indexing


def text_written(sender, written, **kwargs) -> None:
    indexing.index_written(written)


def version_deleted(sender, instance: ReleaseVersion, **kwargs) -> None:
    if indexing.is_indexed_language(instance.language):
        indexing.remove_version(instance.release_id, instance.language)


def release_saved(sender, instance: Release, created: bool, raw: bool = False, **kwargs) -> None:
    # A new release has no versions yet; a changed one passes its state and instant on.
    if not raw and not created:
        indexing.refresh_release(instance)


def categories_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Categories are filter tags in the index: a release's documents are written again."""
    if reverse and action == "pre_clear":
        # A category losing all its releases: which ones is no longer known after the clear.
        instance._search_releases_cleared = list(instance.releases.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        releases = [instance]
    else:
        release_ids = pk_set or getattr(instance, "_search_releases_cleared", [])
        releases = list(Release.objects.filter(pk__in=release_ids))
    for release in releases:
        indexing.index_release(release)


def connect() -> None:
    uid = "pressroom.search"
    content_written.connect(text_written, dispatch_uid=f"{uid}.text_written")
    post_delete.connect(
        version_deleted, sender=ReleaseVersion, dispatch_uid=f"{uid}.version_deleted"
    )
    post_save.connect(release_saved, sender=Release, dispatch_uid=f"{uid}.release_saved")
    m2m_changed.connect(
        categories_changed,
        sender=Release.categories.through,
        dispatch_uid=f"{uid}.categories_changed",
    )
