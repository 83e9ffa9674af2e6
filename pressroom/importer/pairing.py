"""Finding the release a wire document belongs to: its own, or its other-language partner.

The archive stores the English and Chinese versions of one release as separate documents with
adjacent references issued at the same minute (English P2023110300392, Chinese P2023110300391).
Nothing else in the files links them, so that is the rule: a document joins the release of an
adjacent reference when that release lacks this document's language, was issued at the same
stated minute and is of the same kind, and is the archive's (an import never changes a release
the desk owns). Otherwise it becomes a release of its own.

When both neighbours qualify, the direction the archive uses (Chinese = English - 1) wins. A
document is never re-paired later: the first import decides, in whichever order files come.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pressroom.releases.languages import Language
from pressroom.releases.models import Release

_REFERENCE = re.compile(r"^P(?P<day>\d{8})(?P<serial>\d{4,5})$")


def adjacent_references(reference: str, language: str) -> list[str]:
    """The references a partner document may carry, most likely first."""
    match = _REFERENCE.match(reference)
    if not match:
        return []
    serial, width = int(match.group("serial")), len(match.group("serial"))
    day = match.group("day")
    # The archive numbers the Chinese document one below the English one.
    steps = (1, -1) if language != Language.EN else (-1, 1)
    return [f"P{day}{serial + step:0{width}d}" for step in steps if 0 < serial + step < 10**width]


@dataclass(frozen=True)
class Placement:
    """Where a document goes: an existing release (its own or a partner's), or a new one."""

    release: Release | None
    is_own: bool = False


def _carries(release: Release, reference: str) -> bool:
    if release.reference == reference:
        return True
    return any(version.source_reference == reference for version in release.versions.all())


def _accepts_partner(
    release: Release,
    language: str,
    issue_instant: dt.datetime,
    time_stated: bool,
    kind: str,
) -> bool:
    # A release the desk owns takes no document: an import never changes it.
    return release.is_archive_release and partner_accepts(
        set(release.languages()),
        (release.issue_instant, release.issue_time_stated, release.kind),
        language,
        (issue_instant, time_stated, kind),
    )


def partner_accepts(
    languages: set[str],
    release_issue: tuple[dt.datetime | None, bool, str],
    language: str,
    document_issue: tuple[dt.datetime, bool, str],
) -> bool:
    """The pairing rule on plain values: a release holding `languages`, issued as
    `release_issue` (instant, time stated, kind), takes a `language` document issued as
    `document_issue`. The importer's batches ask it of releases not yet saved."""
    instant, time_stated, kind = document_issue
    release_instant, release_time_stated, release_kind = release_issue
    return (
        language not in languages
        and bool(languages)
        and time_stated
        and release_time_stated
        and release_instant == instant
        and release_kind == kind
    )


def place_document(
    reference: str,
    language: str,
    issue_instant: dt.datetime,
    time_stated: bool,
    kind: str,
) -> Placement:
    """The release a document with this reference belongs to, in one query plus prefetch."""
    neighbours = adjacent_references(reference, language)
    wanted = [reference, *neighbours]
    candidates = list(Release.objects.by_references(wanted).order_by().prefetch_related("versions"))
    for release in candidates:
        if _carries(release, reference):
            return Placement(release, is_own=True)
    for neighbour in neighbours:
        for release in candidates:
            if _carries(release, neighbour) and _accepts_partner(
                release, language, issue_instant, time_stated, kind
            ):
                return Placement(release)
    return Placement(None)
