"""What every page needs: its language, its labels, and the links of its frame."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from pressroom.releases.addresses import month_url
from pressroom.releases.labels import labels_for
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import Release
from pressroom.site.dates import hong_kong_today


def page_context(request, language: Language) -> dict:
    """Context shared by all site templates; `request` may be None (the 500 page)."""
    return {
        "language": language,
        "html_lang": HTML_LANG[language],
        "t": labels_for(language),
        "home_link": reverse("site:today", kwargs={"lang": language}),
        "jump_link": reverse("site:jump", kwargs={"lang": language}),
        "archive_link": month_url(language, hong_kong_today(timezone.now()).replace(day=1)),
    }


def release_alternates(release: Release) -> dict:
    """The release's page in each language it has, for the switch and hreflang links."""
    return {Language(code): release.get_absolute_url(code) for code in release.languages()}
