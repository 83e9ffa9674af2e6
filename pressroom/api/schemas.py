"""What the API reads and writes, as typed schemas (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from ninja import Path as PathParam
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

from pressroom.releases import limits
from pressroom.releases.limits import TextRefused


def _iso_date_text(value):
    """Only YYYY-MM-DD, as the OpenAPI document says (pydantic alone would take 0 as 1970)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


def _iso_instant_text(value):
    """Only ISO 8601 text (pydantic alone would take a number as seconds since 1970)."""
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        raise ValueError("expected an ISO 8601 instant, e.g. 2024-03-15T16:00:00+08:00")
    return value


def _in_span(value):
    """Dates the archive can hold; year 1 or 9999 would overflow when converted to UTC (a 500)."""
    if not limits.in_span(value):
        raise ValueError(f"must be {limits.SPAN_TEXT}")
    return value


# No NUL characters in any text (PostgreSQL cannot store them: a 422, not a 500).
NO_NUL = r"^[^\x00]*$"


def _limited(check, max_chars: int):
    """A pydantic validator running one of `pressroom.releases.limits`' checks, so a refusal
    reads the same as on the desk (pydantic adds the field's place: "en.title")."""

    def validate(value: str) -> str:
        try:
            check("", value, max_chars)
        except TextRefused as refused:
            raise ValueError(refused.reason) from None
        return value

    return AfterValidator(validate)


def SingleLine(max_chars: int, **field):  # noqa: N802 (a type, as Annotated reads)
    """One line: no line breaks, no control characters."""
    return Annotated[
        str, Field(max_length=max_chars, **field), _limited(limits.single_line, max_chars)
    ]


def MultiLine(max_chars: int, **field):  # noqa: N802
    """Line breaks and tabs, but no other control characters."""
    return Annotated[
        str, Field(max_length=max_chars, **field), _limited(limits.multi_line, max_chars)
    ]


SLUG = r"^[-A-Za-z0-9_]{1,64}$"
REFERENCE = r"^[A-Za-z0-9]{1,32}$"

CURSOR = r"^[A-Za-z0-9_-]{1,400}$"
ReferenceParam = Annotated[
    str, PathParam(pattern=REFERENCE, description="A release reference, e.g. P2024031500411.")
]

IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text), AfterValidator(_in_span)]
IsoInstant = Annotated[dt.datetime, BeforeValidator(_iso_instant_text), AfterValidator(_in_span)]

LanguageCode = Literal["en", "zh-Hant", "zh-Hans"]
WrittenLanguage = Literal["en", "zh-Hant"]
PublicStatus = Literal["published", "corrected", "withdrawn"]


class Error(Schema):
    detail: str = Field(description="What went wrong, in words.")
    errors: list[dict] | None = Field(None, description="Each invalid field, for 422s.")


class DepartmentOut(Schema):
    code: str
    name_en: str
    name_zh_hant: str


class CategoryOut(Schema):
    slug: str
    name_en: str
    name_zh_hant: str


class ReleaseSummary(Schema):
    reference: str
    kind: str
    status: PublicStatus
    issue_instant: dt.datetime = Field(description="Hong Kong time, with its offset.")
    modified: dt.datetime = Field(description="The latest of issue, correction, withdrawal.")
    department: DepartmentOut | None
    categories: list[CategoryOut]
    languages: list[LanguageCode]
    titles: dict[str, str] = Field(description="Title per language code.")
    urls: dict[str, str] = Field(description="Public page per language code.")
    ninjs: str = Field(description="This release as ninjs (add ?lang=).")


class ReleaseList(Schema):
    total: int = Field(description="Releases matching the filters (all pages).")
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end."
    )
    items: list[ReleaseSummary]


class NinjsHeadline(BaseModel):
    value: str


class NinjsDocument(BaseModel):
    """An IPTC ninjs 2.2 document (only its main properties are listed here; the full schema
    is https://www.iptc.org/std/ninjs/ninjs-schema_2.2.json)."""

    model_config = ConfigDict(extra="allow")

    uri: str
    type: str
    version: str
    firstcreated: str
    versioncreated: str
    pubstatus: str
    language: str
    headlines: list[NinjsHeadline]


ChangeKind = Literal["published", "corrected", "withdrawn"]


class ChangeEvent(Schema):
    event: ChangeKind
    at: dt.datetime = Field(description="When readers could first see this change (HKT).")
    reference: str
    titles: dict[str, str]
    ninjs: str
    cursor: str = Field(description="Resume right after this event with ?cursor=.")


class ChangeList(Schema):
    events: list[ChangeEvent]
    next_cursor: str = Field(description="Resume here next time (also when no events came).")
    has_more: bool


class CaptionIn(Schema):
    caption: MultiLine(limits.CAPTION_MAX_CHARS)
    alt_text: SingleLine(limits.ALT_TEXT_MAX_CHARS) = ""


BODY_HELP = ("The body as wire text: paragraphs separated by empty lines "
             f"(at most {limits.BODY_MAX_BLOCKS:,} blocks).")  # fmt: skip
CAPTIONS_HELP = f"Captions of photos 1..n (at most {limits.PHOTOS_MAX})."


class VersionIn(Schema):
    title: SingleLine(limits.TITLE_MAX_CHARS, min_length=1)
    body: MultiLine(limits.BODY_MAX_CHARS, description=BODY_HELP) = ""
    captions: list[CaptionIn] | None = Field(
        None, max_length=limits.PHOTOS_MAX, description=CAPTIONS_HELP
    )


class DraftIn(Schema):
    department: str = Field(pattern=SLUG, description="Department code, e.g. 'sample'.")
    kind: Literal["release", "weather"] = "release"
    en: VersionIn | None = None
    zh_hant: VersionIn | None = Field(None, alias="zh-Hant")


class VersionPatch(Schema):
    title: SingleLine(
        limits.TITLE_MAX_CHARS, description="Empty title and body remove the language."
    ) = ""
    body: MultiLine(limits.BODY_MAX_CHARS, description=BODY_HELP) = ""
    captions: list[CaptionIn] | None = Field(
        None, max_length=limits.PHOTOS_MAX, description=CAPTIONS_HELP
    )


class DraftPatch(Schema):
    revision: int | None = Field(
        None, ge=0, description="The revision you edited; a newer one on the server gives 409."
    )
    summary: SingleLine(limits.SUMMARY_MAX_CHARS) = ""
    en: VersionPatch | None = None
    zh_hant: VersionPatch | None = Field(None, alias="zh-Hant")


class DeskRelease(Schema):
    reference: str
    state: str
    issue_instant: dt.datetime | None
    department: str | None
    languages: list[LanguageCode]
    titles: dict[str, str]
    revision: int


class CommentIn(Schema):
    comment: MultiLine(
        limits.NOTE_MAX_CHARS, min_length=1, description="What the writer should change."
    )


class ScheduleIn(Schema):
    issue_instant: IsoInstant = Field(
        description="ISO 8601 with offset, e.g. 2024-03-15T16:00:00+08:00."
    )


class CorrectIn(Schema):
    note: MultiLine(
        limits.NOTE_MAX_CHARS, min_length=1, description="The correction note readers see."
    )
    en: VersionPatch | None = None
    zh_hant: VersionPatch | None = Field(None, alias="zh-Hant")


class WithdrawIn(Schema):
    reason: MultiLine(limits.NOTE_MAX_CHARS, min_length=1, description="The reason readers see.")
