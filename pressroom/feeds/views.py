"""The feed views: which releases a feed holds (its scope) and in which format it is written.

One `ReleaseFeed` per format serves every scope: all releases in one language, one
department's or one category's releases in one language, or every language version of all
releases. Items always come from `Release.objects.public(now)`, so nothing appears early.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure

from pressroom.feeds.entries import FeedEntry, absolute, release_entry
from pressroom.feeds.generators import AtomFeed, JsonFeed, RssFeed
from pressroom.media.models import Photo
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.labels import label
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import Category, Department, Release

FEED_SIZE = 50
FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
MIME_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@dataclass(frozen=True)
class FeedScope:
    """What one feed request covers; `language` None means every language version."""

    fmt: str
    language: Language | None = None
    department: Department | None = None
    category: Category | None = None

    @property
    def label_language(self) -> Language:
        return self.language or Language.EN

    def title(self) -> str:
        language = self.label_language
        site = label(language, "site_name")
        if self.department:
            return f"{site}: {self.department.name(language)}"
        if self.category:
            return f"{site}: {self.category.name(language)}"
        return f"{site}: {label(language, 'site_tagline')}"

    def path(self) -> str:
        return feed_url(self.fmt, self.language, self.department, self.category)

    def releases(self, now: dt.datetime):
        queryset = Release.objects.public(now)
        if self.language:
            queryset = queryset.filter(versions__language=self.language)
        if self.department:
            queryset = queryset.filter(department=self.department)
        if self.category:
            queryset = queryset.filter(categories=self.category)
        photos = Photo.objects.prefetch_related("texts").order_by("position")
        return (
            queryset.select_related("department")
            .prefetch_related("versions", "categories", Prefetch("photos", queryset=photos))
            .order_by("-issue_instant", "-reference")
            .distinct()[:FEED_SIZE]
        )


def feed_url(fmt: str, language=None, department=None, category=None) -> str:
    if language is None:
        return reverse("feeds:all", kwargs={"fmt": fmt})
    if department is not None:
        return reverse(
            "feeds:department", kwargs={"lang": language, "code": department.code, "fmt": fmt}
        )
    if category is not None:
        return reverse(
            "feeds:category", kwargs={"lang": language, "slug": category.slug, "fmt": fmt}
        )
    return reverse("feeds:language", kwargs={"lang": language, "fmt": fmt})


class ReleaseFeed(Feed):
    """Django's syndication view; the scope object carries the request's clock and entries."""

    def __init__(self, feed_type):
        super().__init__()
        self.feed_type = feed_type

    def get_object(self, request, scope: FeedScope):
        base_url = settings.PRESSROOM_BASE_URL
        now = timezone.now()
        entries = []
        for release in scope.releases(now):
            languages = [scope.language] if scope.language else release.languages()
            entries.extend(release_entry(release, language, base_url) for language in languages)
        return scope, entries

    def title(self, obj):
        return obj[0].title()

    def link(self, obj):
        scope = obj[0]
        language = scope.label_language
        return absolute(
            settings.PRESSROOM_BASE_URL, reverse("site:today", kwargs={"lang": language})
        )

    def feed_url(self, obj):
        return absolute(settings.PRESSROOM_BASE_URL, obj[0].path())

    def description(self, obj):
        scope = obj[0]
        return f"{scope.title()} ({label(scope.label_language, 'times_note')})"

    def author_name(self, obj):
        return label(obj[0].label_language, "site_name")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Only a one-language feed declares a language; the all-languages one leaves it out.
        # (Django reads `language` as a plain attribute, so it is set here per request.)
        language = obj[0].language
        feed.feed["language"] = HTML_LANG[language] if language else None
        return feed

    def items(self, obj):
        return obj[1]

    def item_title(self, entry: FeedEntry):
        return entry.title

    def item_description(self, entry: FeedEntry):
        return entry.content_html

    def item_link(self, entry: FeedEntry):
        return entry.url

    def item_guid(self, entry: FeedEntry):
        return entry.id

    def item_guid_is_permalink(self, entry: FeedEntry):
        return False

    def item_pubdate(self, entry: FeedEntry):
        return entry.published

    def item_updateddate(self, entry: FeedEntry):
        return entry.updated

    def item_author_name(self, entry: FeedEntry):
        return entry.department_name or None

    def item_categories(self, entry: FeedEntry):
        return entry.tags

    def item_enclosures(self, entry: FeedEntry):
        return [
            Enclosure(photo.url, str(photo.size_in_bytes), photo.mime_type)
            for photo in entry.photos
        ]

    def item_extra_kwargs(self, entry: FeedEntry):
        return {"entry": entry}


_FEEDS = {fmt: ReleaseFeed(generator) for fmt, generator in FORMATS.items()}


@public_cache
def all_languages_feed(request, fmt: str):
    return _FEEDS[fmt](request, scope=FeedScope(fmt))


@public_cache
def language_feed(request, lang: Language, fmt: str):
    return _FEEDS[fmt](request, scope=FeedScope(fmt, language=lang))


@public_cache
def department_feed(request, lang: Language, code: str, fmt: str):
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise Http404(f"no department with the code {code!r}")
    return _FEEDS[fmt](request, scope=FeedScope(fmt, language=lang, department=department))


@public_cache
def category_feed(request, lang: Language, slug: str, fmt: str):
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise Http404(f"no category with the slug {slug!r}")
    return _FEEDS[fmt](request, scope=FeedScope(fmt, language=lang, category=category))
