"""One derivation of Simplified Chinese: one function, called from one place in the write path,
whichever door the Traditional text comes in by (docs/decisions/0007-one-write-path.md)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

import pressroom
from pressroom.api.tokens import issue_token
from pressroom.importer.backup import backup_lines, backup_queryset
from pressroom.importer.documents import parse_wire
from pressroom.importer.services import Importer
from pressroom.media.models import Photo, PhotoText
from pressroom.releases.chinese import to_simplified
from pressroom.releases.models import Release, ReleaseState
from pressroom.wire.body_text import render_body
from tests.support.importer import CHINESE, run_import

PACKAGE = Path(pressroom.__file__).parent
# Where Simplified is made for display and never stored: department and category names, the
# site's and e-mails' labels, the desk's live preview, search's folding of the two scripts.
DISPLAY = {
    "releases/models.py",
    "releases/labels.py",
    "distribution/formatters/email.py",
    "desk/compose.py",
    "search/analysis.py",
}


def _modules() -> dict[str, ast.Module]:
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _calls(tree: ast.Module, name: str) -> int:
    """Calls of a function named `name` (`name(...)` or `anything.name(...)`)."""
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == name)
            or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
        )
    )


def test_only_the_chinese_module_converts_between_the_scripts():
    # The wire package (below releases) only asks OpenCC which script a page is written in.
    using_opencc = {
        name
        for name, tree in _modules().items()
        if any(module.split(".")[0] == "opencc" for module in _imports(tree))
    }
    assert using_opencc == {"releases/chinese.py", "wire/language.py"}


def test_stored_simplified_text_is_derived_in_one_place_of_the_write_path():
    callers = {
        name: count
        for name, tree in _modules().items()
        if (count := _calls(tree, "derive_simplified"))
    }
    assert callers == {"releases/services.py": 1}


def test_elsewhere_simplified_is_only_made_for_display():
    """A module that converts text to Simplified and is not listed in DISPLAY is a second
    derivation: stored text goes through `services.prepare_text`."""
    callers = {name for name, tree in _modules().items() if _calls(tree, "to_simplified")}
    assert callers - {"releases/chinese.py"} == DISPLAY


# Every door gives the same Simplified text -----------------------------------------------------

TRADITIONAL = parse_wire(CHINESE.read_bytes(), str(CHINESE))
# The fixture's body is paragraphs: each one's text, converted.
SIMPLIFIED_BODY = json.dumps(
    [{"kind": "paragraph", "text": to_simplified(block.text)} for block in TRADITIONAL.body],
    ensure_ascii=False,
    sort_keys=True,
)
CAPTIONS = [
    "样本：样本事务主任艾女士今日（三月十五日）在开幕典礼上致辞。",
    "样本：市民在阅读花园草坪上阅读。",
]


def _simplified(release: Release) -> tuple:
    version = release.versions.get(language="zh-Hans")
    texts = PhotoText.objects.filter(photo__release=release, language="zh-Hans")
    captions = sorted(texts.values_list("photo__position", "caption", "alt_text"))
    return version.title, json.dumps(version.body, ensure_ascii=False, sort_keys=True), captions


def _desk(client, people, sample_department, **_) -> Release:
    client.force_login(people["writer"])
    response = client.post("/desk/new/", {
        "department": sample_department.pk, "base_revision": "0",
        "intent": "save", "title_en": "", "body_en": "", "title_zh": TRADITIONAL.title,
        "body_zh": render_body(TRADITIONAL.body, "zh-Hant"),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return Release.objects.get()


def _api(client, people, **_) -> Release:
    captions = [{"caption": caption, "alt_text": caption} for caption in TRADITIONAL.captions]
    response = client.post(
        "/api/v1/releases",
        {
            "department": "sample",
            "zh-Hant": {
                "title": TRADITIONAL.title,
                "body": render_body(TRADITIONAL.body, "zh-Hant"),
                "captions": captions,
            },
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(people['writer'])[1]}"},
    )
    assert response.status_code == 201, response.content
    return Release.objects.get()


def _admin(client, superuser, **_) -> Release:
    client.force_login(superuser)
    response = client.post("/admin/releases/release/add/", {
        "reference": CHINESE.stem, "kind": "release", "issue_instant_0": "2024-03-15",
        "issue_instant_1": "16:30:00", "issue_time_stated": "on",
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "0",
        "versions-0-language": "zh-Hant", "versions-0-title": TRADITIONAL.title,
        "versions-0-body_text": render_body(TRADITIONAL.body, "zh-Hant"),
        "versions-2-TOTAL_FORMS": "0", "versions-2-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    release = Release.objects.get()
    # Captions are edited in the admin once a release is published (never on the desk's way).
    Release.objects.filter(pk=release.pk).update(state=ReleaseState.PUBLISHED)
    for position, caption in enumerate(TRADITIONAL.captions, start=1):
        photo = Photo.objects.create(release=release, position=position)
        response = client.post(f"/admin/media/photo/{photo.pk}/change/", {
            "release": release.pk, "position": position,
            "texts-TOTAL_FORMS": "1", "texts-INITIAL_FORMS": "0",
            "texts-0-language": "zh-Hant", "texts-0-caption": caption,
            "texts-0-alt_text": caption,
        })  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:3000]
    return release


def _import_in_bulk(tmp_path, **_) -> Release:
    assert run_import(CHINESE).statuses == ["imported"]
    return Release.objects.get()


def _import_one_by_one(**_) -> Release:
    (result,) = Importer(use_bulk=False).import_file(CHINESE)
    assert result.status.value == "imported"
    return Release.objects.get()


def _restore(tmp_path, **_) -> Release:
    Importer(use_bulk=False).import_file(CHINESE)
    backup = tmp_path / "backup.jsonl"
    backup.write_text("\n".join(backup_lines(backup_queryset())) + "\n", encoding="utf-8")
    Release.objects.all().delete()
    assert run_import(backup).statuses == ["imported"]
    return Release.objects.get()


DOORS = {
    "desk": _desk,
    "api": _api,
    "admin": _admin,
    "import in bulk": _import_in_bulk,
    "import one by one": _import_one_by_one,
    "restore": _restore,
}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("archivist", "a@example.invalid", "x-pass-1")


@pytest.mark.django_db
@pytest.mark.parametrize("door", sorted(DOORS))
def test_every_door_stores_the_same_simplified_text(
    door, client, people, sample_department, superuser, tmp_path
):
    release = DOORS[door](
        client=client,
        people=people,
        sample_department=sample_department,
        superuser=superuser,
        tmp_path=tmp_path,
    )
    title, body, captions = _simplified(release)

    assert title == "样本：样本署开放海滨阅读花园（附图）"
    assert body == SIMPLIFIED_BODY
    assert "样本署今日（三月十五日）在海滨开放阅读花园" in body
    if door != "desk":  # the desk captions photos once they are uploaded
        assert captions == [(1, CAPTIONS[0], CAPTIONS[0]), (2, CAPTIONS[1], CAPTIONS[1])]
