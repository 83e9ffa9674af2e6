"""Fictional sample releases for site tests, written through the same services as the importer."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image

from pressroom.media.uploads import clean_upload, store_photo
from pressroom.releases.models import HONG_KONG, Category, Department, Release, ReleaseState
from pressroom.releases.services import write_captions, write_version
from pressroom.wire.model import Block, BlockKind

_serials = itertools.count(1)

SAMPLE_BODY_EN = (
    Block(BlockKind.PARAGRAPH, text="The Sample Department today announced a sample programme."),
    Block(BlockKind.LINES, lines=("Attention duty announcers:", "Please broadcast the sample.")),
    Block(BlockKind.LIST, lines=("- First sample item", "- Second sample item")),
)
SAMPLE_BODY_ZH = (Block(BlockKind.PARAGRAPH, text="樣本部門今日公布一項樣本計劃。"),)


def hong_kong(year, month, day, hour=16, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=HONG_KONG)


def sample_department() -> Department:
    department, _ = Department.objects.get_or_create(
        code="sample", defaults={"name_en": "Sample Department", "name_zh_hant": "樣本部門"}
    )
    return department


def make_release(
    issued: dt.datetime,
    *,
    reference: str | None = None,
    title: str = "Sample: exhibition opens",
    title_zh: str | None = "樣本：展覽開幕",
    body=SAMPLE_BODY_EN,
    body_zh=SAMPLE_BODY_ZH,
    state: str = ReleaseState.PUBLISHED,
    english: bool = True,
    source_reference_en: str = "",
    source_reference_zh: str = "",
    **fields,
) -> Release:
    """A release with an English and a Traditional Chinese version (zh-Hans follows)."""
    reference = reference or f"P{issued:%Y%m%d}{next(_serials):05d}"
    fields.setdefault("department", sample_department())
    release = Release.objects.create(
        reference=reference, issue_instant=issued, state=state, **fields
    )
    if english:
        write_version(release, "en", title=title, body=body, source_reference=source_reference_en)
    if title_zh is not None:
        write_version(
            release, "zh-Hant", title=title_zh, body=body_zh, source_reference=source_reference_zh
        )
    return release


# A day with a release due at 16:00:00 (see `morning_and_four_pm`).
FOUR_PM = hong_kong(2023, 11, 3, 16, 0, 0)


def morning_and_four_pm(time_machine, *, clock_at: dt.datetime) -> tuple[Release, Release]:
    """A morning release, and one scheduled for FOUR_PM an hour before it is due; the clock
    is then stopped at `clock_at` (kept pages need their last save two seconds old)."""
    time_machine.move_to(hong_kong(2023, 11, 3, 15, 0, 0), tick=False)
    morning = make_release(hong_kong(2023, 11, 3, 9, 0), title="Sample: this morning")
    due = make_release(FOUR_PM, title="Sample: at four", state=ReleaseState.SCHEDULED)
    time_machine.move_to(clock_at, tick=False)
    return morning, due


def add_category(release: Release, slug="sample-topic", name_en="Sample topic", name_zh="樣本類別"):
    category, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name_en": name_en, "name_zh_hant": name_zh}
    )
    release.categories.add(category)
    return category


def add_photos(release: Release, captions_en, captions_zh=(), with_images: int = 0):
    """Captions for photos 1..n; the first `with_images` photos get a small PNG."""
    write_captions(release, "en", captions_en)
    if captions_zh:
        write_captions(release, "zh-Hant", captions_zh)
    for position in range(1, with_images + 1):
        upload = ContentFile(_png_bytes(), name=f"{position}.png")
        store_photo(release, position, clean_upload(upload))


def _png_bytes(width=480, height=320) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 96, 140)).save(buffer, format="PNG")
    return buffer.getvalue()
