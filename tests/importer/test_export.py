"""`pressroom export`: a release as wire text, and the archive as a JSON lines backup."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from pressroom.media.models import Photo
from pressroom.releases import services
from pressroom.releases.models import (
    Category,
    Department,
    Release,
    ReleaseState,
    ReleaseVersion,
)
from pressroom.wire.model import Block, BlockKind
from tests.support.importer import CHINESE, ENGLISH, FIXTURES, run_command, run_import

pytestmark = pytest.mark.django_db


def _from_title(text: str) -> list[str]:
    """The lines of a release from its title on (the title is the line over the rule)."""
    lines = [line.rstrip() for line in text.splitlines()]
    title = next(index for index, line in enumerate(lines) if lines[index + 1].startswith("*"))
    return lines[title:]


def test_the_real_seed_release_comes_back_as_it_was_issued(seed_path):
    imported = run_import(seed_path)
    reference = imported.records[0]["reference"]

    exported = run_command("export", reference, "--lang", "en", "--format", "wire")

    source = _from_title(seed_path.read_text(encoding="utf-8"))
    del source[1]  # the rule: the source's is shorter than its title; ours is as long
    end = source.index("NNNN")
    photo_heading = source.index("Photo")
    # After NNNN the source has page furniture ("Today's Press Releases") before the captions.
    expected = source[: end + 1] + source[photo_heading - 1 :]
    actual = _from_title(exported.stdout)
    assert actual[1] == "*" * len(actual[0])
    del actual[1]
    assert actual == expected


def test_each_language_exports_with_its_own_closing_block():
    run_import(FIXTURES / "pair")
    english = run_command("export", "P2024031500412", "--lang", "en").stdout
    chinese = run_command("export", "P2024031500411", "--lang", "zh-Hant").stdout
    simplified = run_command("export", "P2024031500411", "--lang", "zh-hans").stdout

    source = _from_title(ENGLISH.read_text(encoding="utf-8"))
    assert _from_title(english) == [line for line in source if line != "Today's Press Releases"]
    assert "香港時間16時30分" in chinese and "樣本署" in chinese
    assert "香港时间16时30分" in simplified and "样本署" in simplified


def test_an_unknown_reference_is_a_clear_error():
    run = run_command("export", "P2099010100001")
    assert str(run.error) == "no release with reference P2099010100001"
    assert run.error.returncode == 1


def test_a_missing_language_is_a_clear_error():
    run_import(FIXTURES / "tree" / "2024" / "03" / "15")
    run = run_command("export", "P2024031500420", "--lang", "zh-Hant")
    assert "has no zh-Hant version (it has: en)" in str(run.error)
    bad = run_command("export", "P2024031500420", "--lang", "fr")
    assert "--lang fr" in str(bad.error)


def test_export_all_needs_the_jsonl_format():
    run = run_command("export", "--all", "--format", "wire")
    assert "--format jsonl" in str(run.error)


def _build_archive() -> None:
    """Releases showing every part a backup must carry."""
    run_import(FIXTURES / "pair", FIXTURES / "tree", FIXTURES / "popups")
    department = Department.objects.create(
        code="SAMPLE", name_en="Sample Department", name_zh_hant="樣本署"
    )
    culture = Category.objects.create(slug="culture", name_en="Culture", name_zh_hant="文化")
    parks = Category.objects.create(slug="parks", name_en="Parks", name_zh_hant="公園")
    paired = Release.objects.get(reference="P2024031500411")
    paired.department = department
    paired.state = ReleaseState.CORRECTED
    paired.correction_note = "Sample: the opening hours were corrected."
    paired.corrected_at = dt.datetime(2024, 3, 15, 10, 0, tzinfo=dt.UTC)
    paired.save()
    paired.categories.set([parks, culture])
    photo = paired.photos.get(position=1)
    photo.image.name = "photos/3f/3f0c5e1d9a7b4c2e8f6a1b0d9c8e7f6a.jpg"
    # A restore points photos at their files again: the media folder is restored first.
    image = Path(settings.MEDIA_ROOT) / photo.image.name
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"sample image bytes")
    photo.width, photo.height = 1200, 800
    photo.save()
    services.write_caption(paired, "en", 3, "Sample: a third photo.", alt_text="")
    withdrawn = Release.objects.get(reference="P2024031500420")
    withdrawn.state = ReleaseState.WITHDRAWN
    withdrawn.withdrawal_reason = "Sample: issued in error."
    withdrawn.withdrawn_at = dt.datetime(2024, 3, 16, 1, 0, tzinfo=dt.UTC)
    withdrawn.save()
    draft = Release.objects.create(reference="P2024040100001", issue_time_stated=False)
    services.write_version(
        draft,
        "zh-Hant",
        title="樣本：草稿",
        body=[
            Block(BlockKind.LIST, lines=("1. 第一項", "2. 第二項"), ordered=True),
            Block(BlockKind.TABLE, lines=("日期 : 四月一日",), rows=(("日期", "四月一日"),)),
            Block(BlockKind.RULE, text="-" * 57),
        ],
    )


# flush (TRUNCATE on PostgreSQL) cannot run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_archive_exactly(tmp_path):
    _build_archive()
    backup = tmp_path / "backup.jsonl"
    run_command("export", "--all", "--format", "jsonl", "--output", backup)
    first = backup.read_text(encoding="utf-8")

    call_command("flush", interactive=False, verbosity=0)
    assert not Release.objects.exists()
    restored = run_import(backup)

    assert restored.statuses == ["imported"] * 6
    again = run_command("export", "--all", "--format", "jsonl")
    assert again.stdout == first
    assert ReleaseVersion.objects.filter(language="zh-Hans").count() == 2
    assert Photo.objects.get(release__reference="P2024031500411", position=1).image.name == (
        "photos/3f/3f0c5e1d9a7b4c2e8f6a1b0d9c8e7f6a.jpg"
    )
    assert run_import(backup).statuses == ["unchanged"] * 6


def test_a_backup_line_reads_as_the_documented_shape():
    _build_archive()
    lines = run_command("export", "P2024031500412", "--format", "jsonl").stdout.splitlines()
    assert json.loads(lines[0]) == {"pressroom_backup": 1}
    record = json.loads(lines[1])
    assert record["reference"] == "P2024031500411"
    assert set(record["versions"]) == {"en", "zh-Hant"}
    assert record["versions"]["en"]["source_reference"] == "P2024031500412"
    assert record["department"] == {
        "code": "SAMPLE",
        "name_en": "Sample Department",
        "name_zh_hant": "樣本署",
    }
    assert [category["slug"] for category in record["categories"]] == ["culture", "parks"]
    assert record["photos"][2] == {
        "position": 3,
        "image": "",
        "width": None,
        "height": None,
        "texts": {"en": {"caption": "Sample: a third photo.", "alt_text": ""}},
    }


def test_a_backup_is_recognised_by_its_content_whatever_its_name(tmp_path):
    run_import(ENGLISH)
    backup = tmp_path / "archive.txt"
    run_command("export", "--all", "--format", "jsonl", "--output", backup)
    Release.objects.all().delete()
    assert run_import(backup).statuses == ["imported"]


def test_a_bad_backup_line_fails_alone_and_stores_nothing_of_itself(tmp_path):
    run_import(ENGLISH, CHINESE, FIXTURES / "big5")
    backup = tmp_path / "backup.jsonl"
    run_command("export", "--all", "--format", "jsonl", "--output", backup)
    header, *records = backup.read_text(encoding="utf-8").splitlines()
    broken = json.loads(records[0])
    broken["versions"]["en"]["body"] = [{"kind": "sonnet", "text": "?"}]
    Release.objects.all().delete()
    backup.write_text("\n".join([header, json.dumps(broken), "{not json", records[1]]) + "\n")

    run = run_import(backup)

    assert run.statuses == ["failed", "failed", "imported"]
    assert run.records[0]["line"] == 2
    assert run.records[0]["error"].startswith("versions.en.body[0].kind: ")
    assert run.records[1]["error"].startswith("not JSON")
    # The release line that failed left nothing behind, not even the release row.
    assert list(Release.objects.values_list("reference", flat=True)) == ["P2024031600208"]


def test_the_archive_export_reads_each_release_as_the_single_export_does():
    """`export --all` reads plain rows in chunks; `export REF` reads models: the same lines."""
    _build_archive()
    archive = run_command("export", "--all", "--format", "jsonl").stdout.splitlines()

    singles = [
        run_command("export", reference, "--format", "jsonl").stdout.splitlines()[1]
        for reference in Release.objects.order_by("reference").values_list("reference", flat=True)
    ]

    assert archive[1:] == singles
    assert len(singles) == 6
