"""Fictional departments, people and releases, made through the code the desk, the CLI and the
importer use.

Two ways to a release: `draft` goes through the workflow (a draft by a person, ready to be
moved on), `make_release` writes a release in a given state straight through the release
services, as the importer does (the site, feed, API and search tests start from it).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image

from pressroom.media.uploads import clean_upload, store_photo
from pressroom.releases.models import Category, Department, Release, ReleaseState
from pressroom.releases.services import write_captions, write_version
from pressroom.wire.model import Block, BlockKind
from pressroom.workflow.actions import create_release
from pressroom.workflow.content import LanguageContent, PhotoText, ReleaseContent
from pressroom.workflow.people import add_department, add_user
from pressroom.workflow.roles import Role
from tests.support.clock import hong_kong

# People: the desk's own accounts, made as `pressroom adduser` makes them.

PASSWORD = "Sample-desk-pass-2024"


def department(code="sample", name_en="Sample Department", name_zh="樣本部門") -> Department:
    return add_department(code, name_en, name_zh)[0]


def person(username: str, role: Role, dept: Department | None):
    return add_user(username, role, dept, PASSWORD)


# Drafts through the workflow.


def content(title="Sample: harbour festival opens", body="The Sample Department opened a festival.",
            title_zh="樣本：海港節開幕", body_zh="樣本部門今日為海港節揭幕。", captions=None) -> ReleaseContent:  # fmt: skip
    photos_en = {i: PhotoText(c[0], c[0]) for i, c in enumerate(captions or [], start=1)}
    photos_zh = {i: PhotoText(c[1], c[1]) for i, c in enumerate(captions or [], start=1)}
    return ReleaseContent(languages={
        "en": LanguageContent(title, body, photos_en),
        "zh-Hant": LanguageContent(title_zh, body_zh, photos_zh),
    })  # fmt: skip


def draft(author, dept: Department, **kwargs):
    return create_release(author, dept, content(**kwargs))


# Releases written straight through the release services.

_serials = itertools.count(1)

SAMPLE_BODY_EN = (
    Block(BlockKind.PARAGRAPH, text="The Sample Department today announced a sample programme."),
    Block(BlockKind.LINES, lines=("Attention duty announcers:", "Please broadcast the sample.")),
    Block(BlockKind.LIST, lines=("- First sample item", "- Second sample item")),
)
SAMPLE_BODY_ZH = (Block(BlockKind.PARAGRAPH, text="樣本部門今日公布一項樣本計劃。"),)


def body(text: str) -> tuple[Block, ...]:
    """A release body of one paragraph."""
    return (Block(BlockKind.PARAGRAPH, text=text),)


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
    if "department" not in fields:
        fields["department"] = Department.objects.get_or_create(
            code="sample", defaults={"name_en": "Sample Department", "name_zh_hant": "樣本部門"}
        )[0]
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
    is then stopped at `clock_at` (the local response cache keeps only pages whose last save
    is two seconds old)."""
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
        upload = ContentFile(png_bytes(), name=f"{position}.png")
        store_photo(release, position, clean_upload(upload))


def png_bytes(width=480, height=320) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 96, 140)).save(buffer, format="PNG")
    return buffer.getvalue()
