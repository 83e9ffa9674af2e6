"""A backup record, checked field by field before anything of it is stored.

A JSON lines backup is trusted no more than a browser: every field of a record is checked as
strictly as the desk checks what people type. Types are exact (no 1 for true, no "5" for 5);
texts follow `pressroom.releases.limits` (single lines, lengths, counts); department codes and
category slugs the models' slug rules; references the archive's shapes; dates lie within
1900-2200 and carry their UTC offset; integers stay within their ranges; body blocks have the
shape of `pressroom.wire.model.Block` and no other key (the body is stored as the backup has
it); an image is an existing file of the media folder, named by its path inside it.

A refusal names the field as a path into the record ("photos[0].image", "versions.en.title")
and what is wrong with it. pydantic does the walking, in compiled code.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from django.core.exceptions import SuspiciousFileOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from pressroom.media.models import Photo
from pressroom.releases import limits
from pressroom.releases.languages import WRITTEN_LANGUAGES
from pressroom.releases.models import (
    Category,
    Department,
    ReleaseKind,
    ReleaseOrigin,
    ReleaseState,
)
from pressroom.wire.model import BlockKind

EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
# The largest side an image format we keep can have (JPEG's).
MAX_IMAGE_SIDE = 65_535
# P, the date it was prepared and a serial: 4 digits in the archive before 2012, 5 since and
# on the desk (a page without a reference gets a 5-digit one, whatever its year).
_REFERENCE = re.compile(r"P(\d{4})(\d{2})(\d{2})\d{4,5}")
# Hex digests of imported content ("s2hk:" marks text derived from a Simplified page).
_DIGEST = re.compile(r"[0-9A-Za-z:]{0,64}")


class RecordProblem(ValueError):
    """A backup line that cannot be restored, with the field at fault."""


# Checks of single fields -----------------------------------------------------------------------


def _single_line(max_chars: int) -> AfterValidator:
    return AfterValidator(lambda value: limits.single_line("", value, max_chars))


def _multi_line(max_chars: int) -> AfterValidator:
    return AfterValidator(lambda value: limits.multi_line("", value, max_chars))


def _as_the_model_says(model, field_name: str) -> AfterValidator:
    """The model field's own validators (a SlugField's rules and length), as forms run them."""

    def check(value: str) -> str:
        if not value:
            raise ValueError("must not be empty")
        try:
            model._meta.get_field(field_name).run_validators(value)
        except DjangoValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        return value

    return AfterValidator(check)


def _reference(value: str) -> str:
    match = _REFERENCE.fullmatch(value)
    if match is None:
        raise ValueError(
            f"{value!r:.40} is not a reference (P, a date and a 4- or 5-digit serial, "
            "e.g. P2023110300392)"
        )
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"{value!r} does not hold a real date") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(f"{value!r} is not dated within {EARLIEST_YEAR}-{LATEST_YEAR}")
    return value


def _reference_or_empty(value: str) -> str:
    return _reference(value) if value else value


def _digest(value: str) -> str:
    if not _DIGEST.fullmatch(value):
        raise ValueError(f"{value!r:.80} is not a content digest")
    return value


def _instant(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO 8601 date and time, got {value!r:.40}")
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r:.40} is not an ISO 8601 date and time") from None
    if instant.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    if not EARLIEST_YEAR <= instant.year <= LATEST_YEAR:
        raise ValueError(f"{value!r} is not within {EARLIEST_YEAR}-{LATEST_YEAR}")
    return instant


def _media_file(name: str) -> str:
    """A photo's file: "" (awaiting its image) or the path of an existing file inside the media
    folder, as the photo field's storage names it (relative, forward slashes, no "..")."""
    if not name:
        return name
    field = Photo._meta.get_field("image")
    limits.single_line("", name, field.max_length)
    outside = ValueError(f"{name!r} is not a file of the media folder")
    if "\\" in name or name.startswith("/") or ".." in PurePosixPath(name).parts:
        raise outside
    storage = field.storage
    try:
        root = Path(storage.path("")).resolve()
        path = Path(storage.path(name)).resolve()
    except (SuspiciousFileOperation, ValueError):
        raise outside from None
    # resolve(): a symbolic link inside the folder must not lead out of it either.
    if not path.is_relative_to(root) or not path.is_file():
        raise outside
    return name


def _at_most(max_items: int, what: str) -> BeforeValidator:
    """Counted before the items are checked one by one (and not checked at all if too many)."""

    def check(items: object) -> object:
        if isinstance(items, list):
            limits.at_most("", items, max_items, what)
        return items

    return BeforeValidator(check)


def _body(blocks: list[BlockRecord]) -> list[BlockRecord]:
    limits.body("", blocks)
    return blocks


Written = Literal[tuple(language.value for language in WRITTEN_LANGUAGES)]
Kind = Literal[tuple(ReleaseKind.values)]
State = Literal[tuple(ReleaseState.values)]
Origin = Literal[tuple(ReleaseOrigin.values)]
BlockKindName = Literal[tuple(kind.value for kind in BlockKind)]
Instant = Annotated[dt.datetime | None, BeforeValidator(_instant)]
Name = Annotated[str, _single_line(limits.NAME_MAX_CHARS)]
Side = Annotated[int, Field(ge=1, le=MAX_IMAGE_SIDE)]


# The record's shape ----------------------------------------------------------------------------


class _Checked(BaseModel):
    # Exact JSON types; unknown keys are left alone (never stored), except in body blocks.
    model_config = ConfigDict(strict=True, frozen=True)


class DepartmentRecord(_Checked):
    code: Annotated[str, _as_the_model_says(Department, "code")]
    name_en: Name
    name_zh_hant: Name


class CategoryRecord(_Checked):
    slug: Annotated[str, _as_the_model_says(Category, "slug")]
    name_en: Name
    name_zh_hant: Name


class BlockRecord(_Checked):
    # Stored as the backup has it: nothing but a block's own keys, each of its own type.
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")

    kind: BlockKindName
    text: str = ""
    lines: list[str] = []
    rows: list[list[str]] = []
    ordered: bool = False


class VersionRecord(_Checked):
    title: Annotated[str, _single_line(limits.TITLE_MAX_CHARS)]
    body: Annotated[
        list[BlockRecord], AfterValidator(_body), _at_most(limits.BODY_MAX_BLOCKS, "blocks")
    ]
    source_reference: Annotated[str, AfterValidator(_reference_or_empty)]
    source_digest: Annotated[str, AfterValidator(_digest)]


class PhotoTextRecord(_Checked):
    caption: Annotated[str, _multi_line(limits.CAPTION_MAX_CHARS)]
    alt_text: Annotated[str, _single_line(limits.ALT_TEXT_MAX_CHARS)]


class PhotoRecord(_Checked):
    position: Annotated[int, Field(ge=1, le=limits.PHOTOS_MAX)]
    image: Annotated[str, AfterValidator(_media_file)]
    width: Side | None
    height: Side | None
    texts: dict[Written, PhotoTextRecord]


class ReleaseRecord(_Checked):
    reference: Annotated[str, AfterValidator(_reference)]
    kind: Kind
    state: State
    # Missing in backups made before releases knew their origin: see `origin_of`.
    origin: Origin | None = None
    issue_instant: Instant
    issue_time_stated: bool
    department: DepartmentRecord | None
    categories: list[CategoryRecord]
    correction_note: Annotated[str, _multi_line(limits.NOTE_MAX_CHARS)]
    corrected_at: Instant
    withdrawal_reason: Annotated[str, _multi_line(limits.NOTE_MAX_CHARS)]
    withdrawn_at: Instant
    versions: dict[Written, VersionRecord]
    photos: Annotated[list[PhotoRecord], _at_most(limits.PHOTOS_MAX, "photos")]

    def origin_of(self) -> str:
        """The record's origin; for an older backup's, the importer's mark (as migration
        releases 0004 read it): imported versions carry the digest of what was read."""
        if self.origin is not None:
            return self.origin
        digests = (version.source_digest for version in self.versions.values())
        return ReleaseOrigin.IMPORT if any(digests) else ReleaseOrigin.DESK


def checked(data: object) -> ReleaseRecord:
    """The record, every field checked; RecordProblem naming the first field at fault."""
    try:
        record = ReleaseRecord.model_validate(data)
    except ValidationError as error:
        raise RecordProblem(_describe(error)) from None
    first_at: dict[int, int] = {}
    for index, photo in enumerate(record.photos):
        earlier = first_at.setdefault(photo.position, index)
        if earlier != index:
            raise RecordProblem(
                f"photos[{index}].position: {photo.position} is photos[{earlier}]'s position too"
            )
    return record


def _describe(error: ValidationError) -> str:
    """'<path>: <what is wrong>' for the first error pydantic found."""
    first = error.errors(include_url=False)[0]
    location = first["loc"]
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, limits.TextRefused):
        reason = cause.reason
    elif isinstance(cause, Exception):
        reason = str(cause)
    elif location and location[-1] == "[key]":
        written = " and ".join(language.value for language in WRITTEN_LANGUAGES)
        reason = f"only {written} are written (zh-Hans is derived from zh-Hant)"
    elif first["type"] in ("model_type", "model_attributes_type", "dict_type"):
        reason = f"expected an object, got {first['input']!r:.60}"
    elif first["type"] == "missing":
        reason = "missing"
    elif first["type"] == "extra_forbidden":
        reason = "not a field of a body block"
    else:
        reason = f"{first['msg']}, got {first['input']!r:.60}"
    return f"{_path(location) or 'record'}: {reason}"


def _path(location: tuple) -> str:
    path = ""
    for part in location:
        if part == "[key]":
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path
