"""One language version of a release as a feed entry: a pure formatter, no look-ups.

Pass releases with `versions`, `categories`, `photos__texts` prefetched and `department`
selected. Decisions every feed format shares:

- The entry id is a tag URI (RFC 4151) made of the site's host, the date in the reference and
  the reference and language: `tag:press.example.test,2023-11-03:P2023110300543/en`. It never
  changes when a release is corrected or withdrawn, so readers update the entry they hold
  instead of showing a second one.
- Published is the issue instant and updated the latest of the correction and withdrawal
  instants, both in Hong Kong time (each generator writes them in its format's RFC form).
- A withdrawn release stays in its feeds, marked: its title starts with the language's
  "Withdrawn" mark, the reason leads the content and it carries the category `withdrawn`.
  A corrected one carries the category `corrected` and the note leads the content.
- Photos with an image file are enclosures, captions as their titles.
- An item is bounded whatever its release holds: the body up to `FEED_BODY_MAX_CHARS`
  characters then a link to the release page, the first `FEED_PHOTOS_MAX` photos, captions
  cut at `FEED_CAPTION_MAX_CHARS`. A release may hold a 300,000-character body and 100 photos
  with 2,000-character captions (`pressroom.releases.limits`); fifty of those whole made a
  feed of tens of megabytes that every reader fetches on every poll. Nearly every release
  fits whole; its page always has everything.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.html import escape, linebreaks

from pressroom.media.links import public_photos, public_url
from pressroom.releases.html import body_html
from pressroom.releases.labels import label
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseState
from pressroom.wire.model import Block, BlockKind

_REFERENCE_DATE = re.compile(r"^[A-Za-z](\d{4})(\d{2})(\d{2})")
# What one feed item carries at most (see the module docstring).
FEED_BODY_MAX_CHARS = 10_000
FEED_PHOTOS_MAX = 10
FEED_CAPTION_MAX_CHARS = 300


@dataclass(frozen=True)
class Photo:
    url: str
    mime_type: str
    size_in_bytes: int
    caption: str
    alt_text: str
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class FeedEntry:
    release: Release
    language: str
    id: str
    url: str
    title: str
    content_html: str
    published: dt.datetime
    updated: dt.datetime
    state: str
    department_name: str
    tags: list[str] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)

    @property
    def language_tag(self) -> str:
        return HTML_LANG[Language(self.language)]

    @property
    def is_withdrawn(self) -> bool:
        return self.state == ReleaseState.WITHDRAWN


def absolute(base_url: str, path: str) -> str:
    return path if path.startswith(("http://", "https://")) else base_url.rstrip("/") + path


def entry_id(release: Release, language: str, base_url: str) -> str:
    """The tag URI of one language version (see the module docstring)."""
    host = urlsplit(base_url).hostname or "localhost"
    match = _REFERENCE_DATE.match(release.reference)
    if match:
        minted = "-".join(match.groups())
    else:
        minted = f"{release.issue_date:%Y-%m-%d}"
    return f"tag:{host},{minted}:{release.reference}/{language}"


def release_entry(release: Release, language: str, base_url: str) -> FeedEntry:
    version = release.version(language)
    if version is None:
        raise LookupError(f"release {release.reference} has no {language} version")
    published = release.issue_instant.astimezone(HONG_KONG)
    changes = [instant for instant in (release.corrected_at, release.withdrawn_at) if instant]
    updated = max([published, *changes]).astimezone(HONG_KONG)
    withdrawn = release.state == ReleaseState.WITHDRAWN
    title = version.title
    if withdrawn:
        title = f"[{label(language, 'withdrawn_mark')}] {title}"
    tags = [category.name(language) for category in release.categories.all()]
    url = absolute(base_url, release.get_absolute_url(language))
    if withdrawn:
        tags.append("withdrawn")
    elif release.corrected_at or release.state == ReleaseState.CORRECTED:
        tags.append("corrected")
    return FeedEntry(
        release=release,
        language=language,
        id=entry_id(release, language, base_url),
        url=url,
        title=title,
        content_html=_notices(release, language) + _body(version.body, url, language),
        published=published,
        updated=updated,
        state=public_state(release),
        department_name=release.department.name(language) if release.department else "",
        tags=tags,
        photos=_photos(release, language, base_url),
    )


def _body(body: list[dict], url: str, language: str) -> str:
    """The body's HTML up to FEED_BODY_MAX_CHARS characters of text: whole blocks while they
    fit, the start of a paragraph that does not, then a link to the release page."""
    kept, room = [], FEED_BODY_MAX_CHARS
    for block in map(Block.from_dict, body):
        size = len(block.text) + sum(map(len, block.lines))
        if size > room:
            if block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING) and room > 0:
                kept.append(Block(block.kind, text=_cut(block.text, room)))
            break
        kept.append(block)
        room -= size
    else:
        return str(body_html(kept))
    link = f'<p><a href="{escape(url)}">{escape(label(language, "continued"))}</a></p>'
    return str(body_html(kept)) + link


def _cut(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def public_state(release: Release) -> str:
    """The state readers see: a scheduled release whose instant has come is published."""
    if release.state == ReleaseState.SCHEDULED:
        return ReleaseState.PUBLISHED.value
    return release.state


def _notices(release: Release, language: str) -> str:
    """The withdrawal and the correction, ahead of the body, as the release page shows them."""
    parts = []
    if release.state == ReleaseState.WITHDRAWN:
        reason = release.withdrawal_reason
        text = label(language, "withdrawn")
        if reason:
            text += " " + label(language, "reason") + label(language, "colon") + reason
        parts.append(f'<p class="withdrawn"><strong>{escape(text)}</strong></p>')
    if release.correction_note:
        heading = escape(label(language, "correction"))
        parts.append(
            f'<div class="correction"><p><strong>{heading}</strong></p>'
            f"{linebreaks(release.correction_note, autoescape=True)}</div>"
        )
    return "".join(parts)


def _photos(release: Release, language: str, base_url: str) -> list[Photo]:
    photos = []
    for photo in public_photos(release):
        if not photo.image:
            continue
        if len(photos) == FEED_PHOTOS_MAX:
            break
        text = photo.text(language)
        photos.append(
            Photo(
                url=absolute(base_url, public_url(photo)),
                mime_type=mimetypes.guess_type(photo.image.name)[0] or "image/jpeg",
                size_in_bytes=_file_size(photo),
                caption=_cut(text.caption, FEED_CAPTION_MAX_CHARS) if text else "",
                alt_text=_cut(text.alt_text or text.caption, FEED_CAPTION_MAX_CHARS)
                if text
                else "",
                width=photo.width,
                height=photo.height,
            )
        )
    return photos


def _file_size(photo) -> int:
    """The enclosure length; 0 (allowed by RSS when unknown) if the file cannot be read."""
    try:
        return photo.image.size
    except OSError:
        return 0
