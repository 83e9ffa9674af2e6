"""A stored release as the wire format carries it: the one bridge from the database to wire text.

`pressroom export --format wire` and the public site's `.txt` pages both come through here, so
a release reads the same wherever it is fetched as text.
"""

from __future__ import annotations

from pressroom import wire
from pressroom.releases.models import Release, ReleaseKind
from pressroom.wire.model import ClosingStyle, PageKind, ParsedRelease
from pressroom.wire.model import Language as WireLanguage


class MissingLanguageError(LookupError):
    """The release has no version in the language asked for."""


def to_parsed(release: Release, language: str) -> ParsedRelease:
    """The release's version in `language` as a ParsedRelease (prefetch versions and
    photos__texts when converting many releases)."""
    version = release.version(language)
    if version is None:
        available = ", ".join(release.languages()) or "none"
        raise MissingLanguageError(
            f"release {release.reference} has no {language} version (it has: {available})"
        )
    local_instant = release.local_issue_instant
    if local_instant is None:
        raise ValueError(f"release {release.reference} has no issue instant yet")
    weather = release.kind == ReleaseKind.WEATHER_BULLETIN
    return ParsedRelease(
        language=WireLanguage(version.language),
        title=version.title,
        body=tuple(version.blocks),
        issue_date=local_instant.date(),
        issue_time=local_instant.time().replace(second=0, microsecond=0)
        if release.issue_time_stated
        else None,
        captions=_captions(version),
        reference=version.source_reference or release.reference,
        kind=PageKind.WEATHER if weather else PageKind.RELEASE,
        closing_style=ClosingStyle.DISPATCHED if weather else ClosingStyle.ENDS,
    )


def _captions(version) -> tuple[str, ...]:
    """Captions in photo order; photos without a caption in this language at the end are
    left out (one in the middle keeps its place as an empty caption)."""
    captions = list(version.captions())
    while captions and not captions[-1]:
        captions.pop()
    return tuple(captions)


def wire_text(release: Release, language: str) -> str:
    """The canonical wire text of one language version of a release."""
    return wire.render(to_parsed(release, language))
