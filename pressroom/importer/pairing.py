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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pressroom.releases.languages import Language
from pressroom.releases.models import Release, ReleaseVersion, is_archive_release

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


@dataclass
class Candidate:
    """A release as placing a document sees it: stored, or waiting in a bulk writer to be."""

    reference: str
    issue: tuple[dt.datetime | None, bool, str]  # (instant, time stated, kind)
    state: str
    pk: int | None = None
    archive: bool = True  # is_archive_release: False for one the desk owns
    digests: dict[str, str] = field(default_factory=dict)  # language -> source_digest
    carries: set[str] = field(default_factory=set)  # its versions' source references
    release: Release | None = None  # the model, while it waits in a writer

    @property
    def languages(self) -> set[str]:
        return set(self.digests)

    @property
    def references(self) -> set[str]:
        return self.carries | {self.reference}


def place(
    reference: str,
    language: str,
    issue: tuple[dt.datetime, bool, str],
    known: Mapping[str, Candidate],
) -> tuple[Candidate | None, bool]:
    """Where a document goes, from `known` (the releases carrying its reference and its
    neighbours', by every reference they carry): (its own release, True), (the partner it
    joins, False), or (None, False) for a release of its own."""
    own = known.get(reference)
    if own is not None:
        return own, True
    for neighbour in adjacent_references(reference, language):
        candidate = known.get(neighbour)
        # A release the desk owns takes no document: an import never changes it.
        if (
            candidate is not None
            and candidate.archive
            and partner_accepts(candidate.languages, candidate.issue, language, issue)
        ):
            return candidate, False
    return None, False


def look_up(wanted: Iterable[str]) -> dict[str, Candidate]:
    """The stored releases carrying any of `wanted`, by every reference they carry, in a few
    indexed queries of plain rows. (`Release.objects.by_references` would do, but the models'
    default orderings would join and sort for nothing.) A reference two releases carry is the
    older one's, as the first release made with it."""
    wanted = sorted(set(wanted))
    if not wanted:
        return {}
    versions = ReleaseVersion.objects.order_by()
    ids = set(Release.objects.filter(reference__in=wanted).order_by().values_list("pk", flat=True))
    ids.update(versions.filter(source_reference__in=wanted).values_list("release_id", flat=True))
    rows = (
        Release.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list(
            "pk", "reference", "issue_instant", "issue_time_stated", "kind", "origin", "state"
        )
    )
    releases = {
        pk: Candidate(
            reference,
            (instant, time_stated, kind),
            state,
            pk,
            archive=is_archive_release(origin, state),
        )  # fmt: skip
        for pk, reference, instant, time_stated, kind, origin, state in rows
    }
    for release_id, language, source_reference, source_digest in versions.filter(
        release_id__in=ids
    ).values_list("release_id", "language", "source_reference", "source_digest"):
        candidate = releases[release_id]
        candidate.digests[language] = source_digest
        if source_reference:
            candidate.carries.add(source_reference)
    by_reference: dict[str, Candidate] = {}
    for candidate in releases.values():  # oldest first
        for carried in candidate.references:
            by_reference.setdefault(carried, candidate)
    return by_reference


def partner_accepts(
    languages: set[str],
    release_issue: tuple[dt.datetime | None, bool, str],
    language: str,
    document_issue: tuple[dt.datetime, bool, str],
) -> bool:
    """The pairing rule on plain values: a release holding `languages`, issued as
    `release_issue` (instant, time stated, kind), takes a `language` document issued as
    `document_issue`."""
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
