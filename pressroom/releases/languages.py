"""The three language versions of a release and how each is named in URLs and documents."""

from __future__ import annotations

from django.db import models


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANT = "zh-Hant", "繁體中文"
    ZH_HANS = "zh-Hans", "简体中文"


# People write these; zh-Hans is derived from zh-Hant and never typed.
WRITTEN_LANGUAGES = (Language.EN, Language.ZH_HANT)

_SLUGS = {Language.EN: "en", Language.ZH_HANT: "zh-hant", Language.ZH_HANS: "zh-hans"}
_BY_SLUG = {slug: language for language, slug in _SLUGS.items()}
# BCP 47 tags for lang= and hreflang= attributes.
HTML_LANG = {Language.EN: "en", Language.ZH_HANT: "zh-Hant-HK", Language.ZH_HANS: "zh-Hans"}


def url_slug(language: str) -> str:
    """The lower-case form of a language in URLs: en, zh-hant, zh-hans."""
    return _SLUGS[Language(language)]


def from_url_slug(slug: str) -> Language | None:
    return _BY_SLUG.get(slug)


def from_user_input(value: str) -> Language | None:
    """Accept en, zh-Hant, zh-hant, zh_Hant, zh-HK... as typed on a command line."""
    folded = value.strip().lower().replace("_", "-")
    aliases = {"zh-hk": "zh-hant", "zh-tw": "zh-hant", "zh-cn": "zh-hans", "zh": "zh-hant"}
    return _BY_SLUG.get(aliases.get(folded, folded))


class LanguageConverter:
    """A language in a URL path (its slug), for the URL patterns of every per-language page."""

    regex = "en|zh-hant|zh-hans"

    def to_python(self, value: str):
        language = from_url_slug(value)
        if language is None:
            raise ValueError(value)
        return language

    def to_url(self, value: str) -> str:
        # Accepts a language ("zh-Hant") or a slug already made from one ("zh-hant").
        text = str(value)
        return text if from_url_slug(text) else url_slug(text)
