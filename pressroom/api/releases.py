"""Reading releases: the list with filters and cursor, one release as ninjs, its wire text.

Every query starts from `Release.objects.public(now)`: a release not yet due does not exist
here, to the second (404, exactly like an unknown reference). Every read is cached by
`pressroom.publiccache.decorators.public_cache`, whose lifetimes end at the next issue instant.

The `/releases` router also carries the desk's write operations (`pressroom.api.drafting`),
since both share paths; this module only reads.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.decorators import decorate_view

from pressroom.api import cursors
from pressroom.api.ninjs import release_to_ninjs
from pressroom.api.operations import get_and_head
from pressroom.api.schemas import (
    CURSOR,
    SLUG,
    Error,
    IsoDate,
    LanguageCode,
    NinjsDocument,
    ReferenceParam,
    ReleaseList,
)
from pressroom.media.models import Photo
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.models import HONG_KONG, Release, ReleaseState, ReleaseVersion
from pressroom.releases.wire_text import wire_text

router = Router(tags=["releases"])

MAX_PAGE = 100


def public_status(release: Release) -> str:
    if release.state in (ReleaseState.CORRECTED, ReleaseState.WITHDRAWN):
        return release.state
    return ReleaseState.PUBLISHED.value


def ninjs_path(reference: str) -> str:
    return reverse("api:release", kwargs={"reference": reference})


def summary(release: Release) -> dict:
    base = settings.PRESSROOM_BASE_URL.rstrip("/")
    versions = {version.language: version for version in release.versions.all()}
    languages = release.languages()
    changes = [release.issue_instant, release.corrected_at, release.withdrawn_at]
    department = release.department
    return {
        "reference": release.reference,
        "kind": release.kind,
        "status": public_status(release),
        "issue_instant": release.local_issue_instant,
        "modified": max(c for c in changes if c).astimezone(HONG_KONG),
        "department": department,
        "categories": list(release.categories.all()),
        "languages": languages,
        "titles": {language: versions[language].title for language in languages},
        "urls": {language: base + release.get_absolute_url(language) for language in languages},
        "ninjs": base + ninjs_path(release.reference),
    }


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=HONG_KONG)


@get_and_head(
    router,
    "",
    response={200: ReleaseList, 422: Error},
    summary="List public releases, newest first",
    operation_id="list_releases",
)
@decorate_view(public_cache)
def list_releases(
    request,
    language: LanguageCode | None = Query(
        None, description="Only releases with this language version."
    ),
    department: str | None = Query(None, pattern=SLUG, description="Department code."),
    category: str | None = Query(None, pattern=SLUG, description="Category slug."),
    date_from: IsoDate | None = Query(
        None, alias="from", description="First day (HKT), inclusive."
    ),
    date_to: IsoDate | None = Query(None, alias="to", description="Last day (HKT), inclusive."),
    cursor: str | None = Query(
        None, pattern=CURSOR, description="next_cursor of the previous page."
    ),
    limit: int = Query(20, ge=1, le=MAX_PAGE),
):
    releases = Release.objects.public(timezone.now())
    if language:
        releases = releases.filter(versions__language=language)
    if department:
        releases = releases.filter(department__code=department)
    if category:
        releases = releases.filter(categories__slug=category)
    if date_from:
        releases = releases.filter(issue_instant__gte=_day_start(date_from))
    if date_to:
        releases = releases.filter(issue_instant__lt=_day_start(date_to + dt.timedelta(days=1)))
    total = releases.count()
    if cursor:
        instant, reference = cursors.decode(cursor, (dt.datetime, str))
        releases = releases.filter(
            Q(issue_instant__lt=instant) | Q(issue_instant=instant, reference__lt=reference)
        )
    versions = ReleaseVersion.objects.defer("body")
    page = list(
        releases.select_related("department")
        .prefetch_related(Prefetch("versions", queryset=versions), "categories")
        .order_by("-issue_instant", "-reference")[: limit + 1]
    )
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        next_cursor = cursors.encode(last.issue_instant, last.reference)
    return {"total": total, "next_cursor": next_cursor, "items": [summary(r) for r in page]}


def find_public_release(reference: str) -> Release:
    photos = Photo.objects.prefetch_related("texts").order_by("position")
    release = (
        Release.objects.public(timezone.now())
        .by_reference(reference)
        .select_related("department")
        .prefetch_related("versions", "categories", Prefetch("photos", queryset=photos))
        .first()
    )
    if release is None:
        raise Http404(f"no public release with the reference {reference!r}")
    return release


def chosen_language(release: Release, lang: str | None) -> str:
    if lang is None:
        return release.default_language()
    if release.version(lang) is None:
        available = ", ".join(release.languages())
        raise Http404(f"release {release.reference} has no {lang} version (it has: {available})")
    return lang


@get_and_head(
    router,
    "/{reference}",
    response={200: NinjsDocument, 404: Error, 422: Error},
    summary="One release as IPTC ninjs 2.2",
    operation_id="get_release",
    url_name="release",
)
@decorate_view(public_cache)
def get_release(request, reference: ReferenceParam, lang: LanguageCode | None = None):
    release = find_public_release(reference)
    language = chosen_language(release, lang)
    return release_to_ninjs(release, language, settings.PRESSROOM_BASE_URL)


@get_and_head(
    router,
    "/{reference}/wire",
    response={404: Error, 422: Error},
    summary="One release as wire text (text/plain)",
    operation_id="get_release_wire",
    openapi_extra={
        "responses": {
            200: {
                "description": "The wire text",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    },
)
@decorate_view(public_cache)
def get_release_wire(request, reference: ReferenceParam, lang: LanguageCode | None = None):
    release = find_public_release(reference)
    language = chosen_language(release, lang)
    return HttpResponse(wire_text(release, language), content_type="text/plain; charset=utf-8")
