"""The public site: today's releases, the archive by day and month, release pages, wire text.

Each view reads the clock once (`timezone.now()`) and asks `pressroom.site.queries`, whose
queries all start from `Release.objects.public(now)`: a release is invisible on every page until
its issue instant, with no worker involved. Anything a URL names that does not exist or is not
yet public is a 404 in the site's style. Pages go to the response cache once rendered, for as
long as their generation lasts (`pressroom.publiccache`): a crowd costs one rendering per page.
"""

from __future__ import annotations

import datetime as dt
import sys

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from pressroom.media.links import public_photos, public_url
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.addresses import day_url, month_url
from pressroom.releases.labels import label
from pressroom.releases.languages import HTML_LANG, Language, from_url_slug
from pressroom.releases.models import Release
from pressroom.site import dates, queries
from pressroom.site.month_calendar import month_grid
from pressroom.site.page import page_context, release_alternates


def home(request):
    """The home page: today's press releases in English, with links to the other languages.
    (Cached through `today`.)"""
    return today(request, Language.EN)


@public_cache(cache_response=True)
def today(request, lang: Language):
    now = timezone.now()
    day = dates.hong_kong_today(now)
    context = _day_context(request, lang, day, now)
    context["heading"] = context["t"]["todays_releases"]
    context["empty_text"] = context["t"]["no_releases_today"]
    context["alternates"] = {
        language: reverse("site:today", kwargs={"lang": language}) for language in Language
    }
    return render(request, "site/day.html", context)


@public_cache(cache_response=True)
def day_index(request, lang: Language, year: str, month: str, day: str):
    now = timezone.now()
    selected = dates.parse_day(year, month, day, now)
    if selected is None:
        raise Http404("no such day in the archive")
    context = _day_context(request, lang, selected, now)
    context["heading"] = context["t"]["releases_of_day"].format(date=context["day_label"])
    context["empty_text"] = context["t"]["no_releases_day"]
    context["alternates"] = {language: day_url(language, selected) for language in Language}
    return render(request, "site/day.html", context)


def _day_context(request, language: Language, day: dt.date, now: dt.datetime) -> dict:
    first_day = day.replace(day=1)
    counts = queries.release_counts_by_day(first_day, language, now)
    return {
        **page_context(request, language),
        "day": day,
        "day_label": dates.long_date(day, language),
        "releases": queries.releases_on_day(day, language, now),
        "grid": month_grid(first_day, counts, dates.hong_kong_today(now), selected=day),
        **_month_links(language, first_day, now),
    }


@public_cache(cache_response=True)
def month_index(request, lang: Language, year: str, month: str):
    now = timezone.now()
    first_day = dates.parse_month(year, month, now)
    if first_day is None:
        raise Http404("no such month in the archive")
    counts = queries.release_counts_by_day(first_day, lang, now)
    context = {
        **page_context(request, lang),
        "grid": month_grid(first_day, counts, dates.hong_kong_today(now)),
        "alternates": {language: month_url(language, first_day) for language in Language},
        "month_heading": label(lang, "month_heading", month=dates.month_name(first_day, lang)),
        "month_summary": label(lang, "month_summary", month=dates.month_name(first_day, lang)),
        **_month_links(lang, first_day, now),
    }
    return render(request, "site/month.html", context)


def _month_links(language: Language, first_day: dt.date, now: dt.datetime) -> dict:
    earlier = dates.previous_month(first_day)
    later = dates.next_month(first_day)
    return {
        "month_label": dates.month_name(first_day, language),
        "month_link": month_url(language, first_day),
        "previous_month_link": month_url(language, earlier) if earlier else None,
        "next_month_link": (
            month_url(language, later) if later <= dates.hong_kong_today(now) else None
        ),
    }


def jump_to_day(request, lang: Language):
    """The date picker's form target: no JavaScript, just a redirect to the day's index."""
    chosen = dates.parse_iso_day(request.GET.get("date", ""), timezone.now())
    if chosen is None:
        raise Http404("no such day in the archive")
    return redirect(day_url(lang, chosen))


@public_cache(cache_response=True)
def release_page(request, lang: Language, year: str, month: str, day: str, reference: str):
    release, version = _public_release(lang, year, month, day, reference)
    canonical = release.get_absolute_url(lang)
    if request.path != canonical:
        return HttpResponsePermanentRedirect(canonical)
    context = {
        **page_context(request, lang),
        "release": release,
        "version": version,
        "alternates": release_alternates(release),
        "photos": _photos(release, lang),
        "ends_line": dates.ends_line(release.issue_date, lang),
        "issued_line": (
            dates.issued_line(release.issue_instant, lang) if release.issue_time_stated else ""
        ),
        "day_link": day_url(lang, release.issue_date),
        "wire_link": release.get_wire_url(lang),
        "department_name": release.department.name(lang) if release.department else "",
        "category_names": [category.name(lang) for category in release.categories.all()],
        "corrected_label": (
            dates.local_datetime(release.corrected_at, lang) if release.corrected_at else ""
        ),
        "withdrawn_label": (
            dates.local_datetime(release.withdrawn_at, lang) if release.withdrawn_at else ""
        ),
    }
    return render(request, "site/release.html", context)


@public_cache(cache_response=True)
def release_wire(request, lang: Language, year: str, month: str, day: str, reference: str):
    """The release as the plain-text wire carries it, at its own URL."""
    release, _ = _public_release(lang, year, month, day, reference)
    canonical = release.get_wire_url(lang)
    if request.path != canonical:
        return HttpResponsePermanentRedirect(canonical)
    # Imported here, not at the top: the wire writer lives with the releases and the importer.
    from pressroom.releases.wire_text import wire_text

    return HttpResponse(wire_text(release, lang), content_type="text/plain; charset=utf-8")


def _public_release(language: Language, year: str, month: str, day: str, reference: str):
    """The public release a URL names, or a 404; the URL's date only has to be a real day."""
    now = timezone.now()
    if dates.parse_day(year, month, day, now) is None:
        raise Http404("no such day in the archive")
    release = queries.find_release(reference, now)
    if release is None:
        raise Http404("no public release with this reference")
    version = release.version(language)
    if version is None:
        raise MissingLanguage(release)
    return release, version


class MissingLanguage(Http404):
    """A public release without the requested language: the 404 page lists the ones it has."""

    def __init__(self, release: Release):
        super().__init__("this release has no version in the requested language")
        self.release = release


def _photos(release: Release, language: str) -> list[dict]:
    """The photos on a public page (none once withdrawn: their files are no longer sent)."""
    photos = []
    for photo in public_photos(release):
        text = photo.text(language)
        photos.append(
            {
                "photo": photo,
                # The page-size copy on the page; the original behind "larger view".
                "display_url": public_url(photo, "page"),
                "larger_url": public_url(photo),
                "caption": text.caption if text else "",
                "alt_text": (text.alt_text or text.caption) if text else "",
            }
        )
    return photos


def not_found(request, exception=None):
    """The 404 page, in the language the URL asked for when it names one."""
    language = _language_from_path(request.path)
    context = page_context(request, language)
    if isinstance(exception, MissingLanguage):
        context["available"] = [
            (Language(code).label, HTML_LANG[code], exception.release.get_absolute_url(code))
            for code in exception.release.languages()
        ]
    return render(request, "site/404.html", context, status=404)


# Errors that mean the database did not answer (down, restarting, out of connections), not a
# fault in the request or the code: the reader is asked to come back, with a 503.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def server_error(request):
    """The 500 page: no database, no request context, so it renders even when those failed.

    When the database is what failed, a 503 with Retry-After instead ("briefly unavailable"):
    monitors and crawlers see an outage, not a fault, and API clients get JSON. Cached pages are
    still answered meanwhile (pressroom.publiccache.generation); this is for the rest.
    """
    unavailable = isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE)
    path = getattr(request, "path", "/")
    if unavailable and path.startswith("/api/"):
        detail = "the database is briefly unavailable: try again in a few seconds"
        response = JsonResponse({"detail": detail}, status=503)
    else:
        language = _language_from_path(path)
        template = loader.get_template("site/500.html")
        context = page_context(None, language)
        kind = "unavailable" if unavailable else "server_error"
        context["title"], context["text"] = (
            context["t"][f"{kind}_title"],
            context["t"][f"{kind}_text"],
        )
        response = HttpResponse(template.render(context), status=503 if unavailable else 500)
    if unavailable:
        # A 503 with Retry-After: pressroom.ops.middleware.WaitForDatabaseMiddleware may ask
        # again before sending it.
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _language_from_path(path: str) -> Language:
    first_segment = path.strip("/").split("/", 1)[0]
    return from_url_slug(first_segment) or Language.EN
