"""One release in one language as an IPTC ninjs 2.2 document: a pure formatter, no look-ups.

Pass a release with `versions`, `categories`, `photos__texts` prefetched and `department`
selected; the formatter reads nothing else.

Mapping, and where it departs from (or goes beyond) the standard:
- `uri` is the absolute address of the release page in that language: each language version is
  its own news object. ninjs 2.x has no `guid`; the release reference (and the archive's
  reference of this language's document, when it differs) go in `altids` with roles
  `reference` and `source-reference`.
- `version` counts published versions: "1", or "2" once corrected (the workflow's revisions
  will refine this). `firstcreated` is the issue instant, `versioncreated` the correction
  instant when there is one; all times are Hong Kong time with their offset.
- `bodies` holds two: `text/html` (the site's markup for the body) and `text/plain` (the wire
  body: paragraphs separated by empty lines), each with character and word counts.
- Photos are `associations` named `photo-<n>` of type `picture`, whose `uri` is the release
  page's address with `#photo-<n>`; captions and alt texts are `descriptions` with roles
  `caption` and `alt`; the image file is the `original` rendition (absent while a photo awaits
  its image file), at the public media route, which sends it from the issue instant on. A
  withdrawn release lists no photos: their files are no longer sent.
- The other language versions are `associations` named `translation-<lang>` (type `text`,
  `representationtype` "partial": uri, language and headline only). ninjs 2.2 has no `links`
  property, so associations are the only place the schema allows for them.
- Categories are `subjects` (name in this language, `literal` the category slug, `rel`
  "category"); the issuing department is an `infosources` entry (role "originator").
- A withdrawn release has `pubstatus` "canceled" with the reason in `ednote`; a correction note
  also goes in `ednote`.
"""

from __future__ import annotations

import datetime as dt
import html

from django.utils.html import strip_tags

from pressroom.media.links import public_photos, public_url
from pressroom.releases.html import body_html
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import HONG_KONG, Release, ReleaseState
from pressroom.wire.model import Block
from pressroom.wire.plain_text import plain_text

NINJS_VERSION = "2.2"
NINJS_SCHEMA = "https://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
_IMAGE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}


def release_to_ninjs(release: Release, language: str, base_url: str) -> dict:
    """The ninjs document of one language version; `base_url` is the site's address."""
    base_url = base_url.rstrip("/")
    version = release.version(language)
    if version is None:
        raise LookupError(f"release {release.reference} has no {language} version")
    uri = base_url + release.get_absolute_url(language)
    blocks = version.blocks
    document: dict = {
        "uri": uri,
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "profile": "pressroom-release",
        "version": "2" if release.corrected_at else "1",
        "firstcreated": _timestamp(release.issue_instant),
        "versioncreated": _timestamp(release.corrected_at or release.issue_instant),
        "pubstatus": _pubstatus(release),
        "language": HTML_LANG[Language(language)],
        "headlines": [{"value": version.title}],
        "bodies": _bodies(blocks),
        "altids": _altids(release, version),
        "associations": _photos(release, language, uri, base_url)
        + _translations(release, language, base_url),
        "subjects": [
            {"name": category.name(language), "literal": category.slug, "rel": "category"}
            for category in release.categories.all()
        ],
    }
    if release.department:
        document["infosources"] = [
            {
                "name": release.department.name(language),
                "literal": release.department.code,
                "role": "originator",
            }
        ]
    ednote = _ednote(release)
    if ednote:
        document["ednote"] = ednote
    return {key: value for key, value in document.items() if value not in ([], None)}


def _timestamp(instant: dt.datetime | None) -> str | None:
    return instant.astimezone(HONG_KONG).isoformat() if instant else None


def _pubstatus(release: Release) -> str:
    return "canceled" if release.state == ReleaseState.WITHDRAWN else "usable"


def _ednote(release: Release) -> str:
    notes = []
    if release.state == ReleaseState.WITHDRAWN and release.withdrawal_reason:
        notes.append(f"Withdrawn: {release.withdrawal_reason}")
    if release.correction_note:
        notes.append(f"Corrected: {release.correction_note}")
    return "\n".join(notes)


def _counted(value: str, contenttype: str) -> dict:
    text = html.unescape(strip_tags(value)) if contenttype == "text/html" else value
    return {
        "contenttype": contenttype,
        "value": value,
        "charcount": len(text),
        "wordcount": len(text.split()),
    }


def _bodies(blocks: list[Block]) -> list[dict]:
    if not blocks:
        return []
    return [
        _counted(str(body_html(blocks)), "text/html"),
        _counted(plain_text(blocks), "text/plain"),
    ]


def _altids(release: Release, version) -> list[dict]:
    altids = [{"role": "reference", "value": release.reference}]
    if version.source_reference and version.source_reference != release.reference:
        altids.append({"role": "source-reference", "value": version.source_reference})
    return altids


def _photos(release: Release, language: str, uri: str, base_url: str) -> list[dict]:
    associations = []
    for photo in public_photos(release):
        text = photo.text(language)
        association: dict = {
            "name": f"photo-{photo.position}",
            "uri": f"{uri}#photo-{photo.position}",
            "type": "picture",
        }
        descriptions = []
        if text and text.caption:
            descriptions.append({"role": "caption", "value": text.caption})
        if text and text.alt_text:
            descriptions.append({"role": "alt", "value": text.alt_text})
        if descriptions:
            association["descriptions"] = descriptions
        if photo.image:
            association["renditions"] = [_rendition(photo, base_url)]
        associations.append(association)
    return associations


def _rendition(photo, base_url: str) -> dict:
    href = public_url(photo)
    if not href.startswith(("http://", "https://")):
        href = base_url + href
    extension = photo.image.name.rsplit(".", 1)[-1].lower()
    rendition = {"name": "original", "href": href}
    if extension in _IMAGE_TYPES:
        rendition["contenttype"] = _IMAGE_TYPES[extension]
    if photo.width and photo.height:
        rendition["width"] = photo.width
        rendition["height"] = photo.height
    return rendition


def _translations(release: Release, language: str, base_url: str) -> list[dict]:
    associations = []
    for other in release.languages():
        if other == language:
            continue
        version = release.version(other)
        associations.append(
            {
                "name": f"translation-{other}",
                "uri": base_url + release.get_absolute_url(other),
                "type": "text",
                "representationtype": "partial",
                "language": HTML_LANG[Language(other)],
                "headlines": [{"value": version.title}],
            }
        )
    return associations
