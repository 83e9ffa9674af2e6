"""Snapshots of a release's content and the differences between any two of them.

A snapshot holds what a reader sees, per written language: the title, the body as the wire
text people edit, and the photos' captions and alt texts. Simplified Chinese is derived from
the Traditional, so it is not stored twice.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils import timezone

from pressroom.releases.languages import WRITTEN_LANGUAGES
from pressroom.releases.models import HONG_KONG, Release
from pressroom.wire.body_text import render_body
from pressroom.workflow.models import Revision


def snapshot(release: Release) -> dict:
    release = Release.objects.prefetch_related("versions", "photos__texts").get(pk=release.pk)
    languages = {}
    for language in WRITTEN_LANGUAGES:
        version = release.version(language)
        photos = []
        for photo in release.photos.all():
            text = photo.text(language)
            photos.append(
                {
                    "position": photo.position,
                    "image": photo.image.name if photo.image else "",
                    "caption": text.caption if text else "",
                    "alt_text": text.alt_text if text else "",
                }
            )
        languages[language.value] = {
            "title": version.title if version else "",
            "body": render_body(version.blocks, language) if version else "",
            "photos": photos,
        }
    return {
        "languages": languages,
        # Hong Kong time, as people on the desk read it.
        "issue_instant": (
            timezone.localtime(release.issue_instant, HONG_KONG).isoformat()
            if release.issue_instant
            else ""
        ),
        "department": release.department.code if release.department else "",
        "correction_note": release.correction_note,
    }


def latest_number(release: Release) -> int:
    """The release's latest revision number: 0 for one never saved on the desk."""
    latest = Revision.objects.filter(release_id=release.pk).order_by("-number").first()
    return latest.number if latest else 0


def record(release: Release, user, summary: str, author_name: str = "") -> Revision:
    """A new revision with the release's content as it is now (call inside the transaction).
    `author_name` names an author that is not a person (without `user`), e.g. the import."""
    signed_in = user is not None and user.is_authenticated
    return Revision.objects.create(
        release=release,
        number=latest_number(release) + 1,
        author=user if signed_in else None,
        author_name=user.get_username() if signed_in else author_name,
        summary=summary[:300],
        snapshot=snapshot(release),
    )


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: tuple[str, ...]  # unified diff lines ("+", "-", " ", "@@")

    @property
    def changed(self) -> bool:
        return bool(self.lines)


def _fields(snap: dict) -> dict[str, str]:
    fields = {}
    for language, content in snap.get("languages", {}).items():
        fields[f"Title ({language})"] = content.get("title", "")
        fields[f"Body ({language})"] = content.get("body", "")
        captions = [
            f"Photo {photo['position']}: {photo['caption']}"
            + (f"\n  alt: {photo['alt_text']}" if photo["alt_text"] else "")
            + (f"\n  file: {photo['image']}" if photo["image"] else "")
            for photo in content.get("photos", [])
        ]
        fields[f"Captions ({language})"] = "\n".join(captions)
    fields["Issue instant"] = snap.get("issue_instant", "")
    fields["Correction note"] = snap.get("correction_note", "")
    return fields


def diff(older: Revision, newer: Revision) -> list[FieldDiff]:
    """Line differences of each field between two revisions (unchanged fields included, empty)."""
    before, after = _fields(older.snapshot), _fields(newer.snapshot)
    result = []
    for label in dict.fromkeys([*before, *after]):
        lines = difflib.unified_diff(
            before.get(label, "").splitlines(),
            after.get(label, "").splitlines(),
            fromfile=f"revision {older.number}",
            tofile=f"revision {newer.number}",
            lineterm="",
            n=2,
        )
        # Drop the ---/+++ header lines: the page already says which revisions these are.
        body = tuple(line for line in lines if not line.startswith(("---", "+++")))
        result.append(FieldDiff(label, body))
    return result
