"""People and releases for workflow tests, made through the same code the CLI and desk use."""

from __future__ import annotations

from pressroom.releases.models import Department
from pressroom.workflow.actions import create_release
from pressroom.workflow.content import LanguageContent, PhotoText, ReleaseContent
from pressroom.workflow.people import add_department, add_user
from pressroom.workflow.roles import Role

PASSWORD = "Sample-desk-pass-2024"


def department(code="sample", name_en="Sample Department", name_zh="樣本部門") -> Department:
    return add_department(code, name_en, name_zh)[0]


def person(username: str, role: Role, dept: Department | None):
    return add_user(username, role, dept, PASSWORD)


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
