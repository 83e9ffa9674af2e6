"""What the public site reads from the database: every query starts from `public(now)`.

Keeping them here means one glance shows that no page can reach a release before its issue
instant, and list pages fetch what they show in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch
from django.db.models.functions import TruncDate

from pressroom.media.models import Photo
from pressroom.releases.models import HONG_KONG, Release, ReleaseVersion
from pressroom.site.dates import month_bounds


def releases_on_day(day: dt.date, language: str, now: dt.datetime) -> list[Release]:
    """The day's public releases that have a `language` version, newest first.

    Each release carries `shown_version`, its version in that language (body not loaded).
    """
    versions = ReleaseVersion.objects.filter(language=language).defer("body")
    return list(
        Release.objects.public(now)
        .issued_on(day)
        .filter(versions__language=language)
        .select_related("department")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="shown_versions"))
        .order_by("-issue_instant", "-reference")
    )


def release_counts_by_day(first_day: dt.date, language: str, now: dt.datetime) -> dict:
    """How many public releases in `language` each Hong Kong day of the month holds."""
    start, end = month_bounds(first_day)
    rows = (
        Release.objects.public(now)
        .filter(issue_instant__gte=start, issue_instant__lt=end, versions__language=language)
        .annotate(day=TruncDate("issue_instant", tzinfo=HONG_KONG))
        .order_by()
        .values("day")
        .annotate(count=Count("id", distinct=True))
    )
    return {row["day"]: row["count"] for row in rows}


def find_release(reference: str, now: dt.datetime) -> Release | None:
    """A public release by its reference or a language document's, with all a page shows."""
    photos = Photo.objects.prefetch_related("texts").order_by("position")
    public = (
        Release.objects.public(now)
        .select_related("department")
        .prefetch_related("versions", "categories", Prefetch("photos", queryset=photos))
    )
    # Addresses carry the release's own reference; a document's source reference (the other
    # language's, from the archive) is the rare case that redirects.
    return public.filter(reference=reference).first() or public.by_reference(reference).first()
