"""What a person writes on the desk, as one value: titles, bodies and captions per language.

`write_content` stores it through `pressroom.releases.services` (the one writing path), so the
Simplified Chinese version and captions are derived exactly as for imported releases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressroom.releases import limits, services
from pressroom.releases.languages import WRITTEN_LANGUAGES, Language
from pressroom.releases.models import Release
from pressroom.wire.body_text import parse_body, render_body
from pressroom.wire.model import ParseError
from pressroom.workflow.errors import InvalidMove


@dataclass
class PhotoText:
    caption: str = ""
    alt_text: str = ""


@dataclass
class LanguageContent:
    title: str = ""
    body: str = ""  # the body as edited: wire-format text (see pressroom.wire.body_text)
    photos: dict[int, PhotoText] = field(default_factory=dict)  # by photo position

    @property
    def is_empty(self) -> bool:
        return not self.title.strip() and not self.body.strip()


@dataclass
class ReleaseContent:
    languages: dict[str, LanguageContent] = field(default_factory=dict)

    @classmethod
    def of(cls, release: Release) -> ReleaseContent:
        """The release's current content, as the compose form starts from."""
        release = Release.objects.prefetch_related("versions", "photos__texts").get(pk=release.pk)
        content = cls()
        for language in WRITTEN_LANGUAGES:
            version = release.version(language)
            photos = {}
            for photo in release.photos.all():
                text = photo.text(language)
                photos[photo.position] = PhotoText(
                    text.caption if text else "", text.alt_text if text else ""
                )
            content.languages[language.value] = LanguageContent(
                title=version.title if version else "",
                body=render_body(version.blocks, language) if version else "",
                photos=photos,
            )
        return content

    def has_a_title(self) -> bool:
        return any(text.title.strip() for text in self.languages.values())


def check_content(content: ReleaseContent) -> dict[str, list]:
    """Check every text against its limit and parse every body, before anything is written.

    A text past its limit, or holding characters its field does not take, raises TextRefused
    naming the field as the API does ("en.title", "zh-Hant.captions.3.alt_text"); a body that
    cannot be read raises InvalidMove naming its line.
    """
    blocks = {}
    for language, text in content.languages.items():
        if language not in {lang.value for lang in WRITTEN_LANGUAGES}:
            raise InvalidMove(f"{language} is derived from Traditional Chinese and not written")
        limits.single_line(f"{language}.title", text.title, limits.TITLE_MAX_CHARS)
        body = limits.multi_line(f"{language}.body", text.body, limits.BODY_MAX_CHARS)
        limits.photos(f"{language}.captions", max(text.photos, default=0))
        for position, photo in text.photos.items():
            where = f"{language}.captions.{position}"
            limits.multi_line(f"{where}.caption", photo.caption, limits.CAPTION_MAX_CHARS)
            limits.single_line(f"{where}.alt_text", photo.alt_text, limits.ALT_TEXT_MAX_CHARS)
        if body.strip() and not text.title.strip():
            raise InvalidMove(f"the {Language(language).label} version has a body but no title")
        try:
            blocks[language] = parse_body(body, language)
        except ParseError as error:
            line = f" line {error.line}:" if error.line else ""
            raise InvalidMove(
                f"the {Language(language).label} body cannot be read:{line} {error.reason}"
            ) from None
        limits.body(f"{language}.body", blocks[language])
    return blocks


def write_content(release: Release, content: ReleaseContent) -> None:
    """Store titles, bodies and captions (call inside the action's transaction). An emptied
    language goes (and its derived Simplified twin with Traditional Chinese)."""
    blocks = check_content(content)
    for language, text in content.languages.items():
        if text.is_empty:
            services.remove_version(release, language)
        photos = {
            position: (photo.caption.strip(), photo.alt_text.strip())
            for position, photo in text.photos.items()
        }
        title = None if text.is_empty else text.title.strip()
        services.write_text(
            release, services.LanguageText(language, title, blocks[language], photos)
        )
