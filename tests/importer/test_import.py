"""`pressroom import`: files and folders of wire text in, one result per file out."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil

import pytest
from PIL import Image

from pressroom.media.models import Photo
from pressroom.releases.models import (
    Category,
    Department,
    Release,
    ReleaseState,
    ReleaseVersion,
)
from tests.support.importer import CHINESE, ENGLISH, FIXTURES, run_command, run_import

pytestmark = pytest.mark.django_db


def test_a_folder_is_read_recursively_and_other_files_are_left_alone():
    run = run_import(FIXTURES / "tree")
    names = sorted(os.path.basename(record["file"]) for record in run.records)
    assert names == [
        "P2024031500420.txt",
        "P2024031800105.txt",
        "sample-without-reference.txt",
    ]
    assert run.statuses == ["imported"] * 3
    assert run.error is None


def test_importing_the_same_files_again_changes_nothing():
    run_import(FIXTURES / "tree", FIXTURES / "pair")
    versions_before = list(ReleaseVersion.objects.values_list("pk", "updated_at"))

    again = run_import(FIXTURES / "tree", FIXTURES / "pair")

    assert again.statuses == ["unchanged"] * 5
    assert Release.objects.count() == 4  # the pair is one release
    assert list(ReleaseVersion.objects.values_list("pk", "updated_at")) == versions_before


def test_changed_content_of_a_known_reference_is_updated(sample_dir):
    page = sample_dir / "tree" / "2024" / "03" / "15" / "P2024031500420.txt"
    run_import(page)
    page.write_text(
        page.read_text().replace("Sample tender notice", "Sample tender notice (revised)")
    )

    run = run_import(page)

    assert run.statuses == ["updated"]
    release = Release.objects.get(reference="P2024031500420")
    assert release.version("en").title == "Sample: Sample tender notice (revised)"
    assert Release.objects.count() == 1


def test_changed_text_counts_as_a_save_of_its_release(sample_dir, time_machine):
    """What a public page shows has changed: caches and sitemaps learn it from the release's
    updated_at (the publication epoch is the newest save), as for a correction on the desk.
    Neither the text nor a caption moved it when nothing else about the release changed."""
    page = sample_dir / "popups" / "P2024031900318.txt"
    popup = sample_dir / "popups" / "P2024031900318_photo_1.txt"
    time_machine.move_to(dt.datetime(2024, 3, 20, 9, 0, tzinfo=dt.UTC), tick=False)
    run_import(page, popup)
    saved = Release.objects.get().updated_at

    time_machine.move_to(dt.datetime(2024, 3, 20, 9, 5, tzinfo=dt.UTC), tick=False)
    page.write_text(page.read_text().replace("Sample: ", "Sample (revised): ", 1))
    assert run_import(page).statuses == ["updated"]
    assert Release.objects.get().updated_at == dt.datetime(2024, 3, 20, 9, 5, tzinfo=dt.UTC)

    time_machine.move_to(dt.datetime(2024, 3, 20, 9, 10, tzinfo=dt.UTC), tick=False)
    popup.write_text(popup.read_text().replace("kites", "kites and balloons", 1))
    assert run_import(popup).statuses == ["updated"]
    assert Release.objects.get().updated_at == dt.datetime(2024, 3, 20, 9, 10, tzinfo=dt.UTC)
    assert saved < Release.objects.get().updated_at


@pytest.mark.parametrize("first, second", [(ENGLISH, CHINESE), (CHINESE, ENGLISH)])
def test_english_and_chinese_documents_become_one_release_in_either_order(first, second):
    run_import(first)
    run = run_import(second)

    assert run.statuses == ["imported"]
    release = Release.objects.get()
    first_reference, second_reference = first.stem, second.stem
    assert release.reference == first_reference
    assert release.languages() == ["en", "zh-Hant", "zh-Hans"]
    second_language = "en" if second is ENGLISH else "zh-Hant"
    assert release.version(second_language).source_reference == second_reference
    assert Release.objects.by_reference(first_reference).get() == release
    assert Release.objects.by_reference(second_reference).get() == release
    assert run.records[0]["reference"] == first_reference


def test_documents_issued_at_different_minutes_stay_separate(sample_dir):
    chinese = sample_dir / "pair" / CHINESE.name
    chinese.write_text(chinese.read_text().replace("16時30分", "16時31分"))

    run_import(sample_dir / "pair")

    assert Release.objects.count() == 2


def test_a_release_without_a_reference_gets_a_new_one_and_is_recognised_again():
    page = FIXTURES / "tree" / "2024" / "03" / "18" / "sample-without-reference.txt"
    first = run_import(page)
    assert first.records[0]["reference"] == "P2024031800001"

    again = run_import(page)

    assert again.statuses == ["unchanged"]
    assert Release.objects.count() == 1


def test_imported_releases_are_published_at_the_closing_blocks_instant():
    run_import(ENGLISH)
    release = Release.objects.get()
    assert release.state == ReleaseState.PUBLISHED
    assert release.issue_instant == dt.datetime(2024, 3, 15, 8, 30, tzinfo=dt.UTC)
    assert release.issue_time_stated


def test_a_future_issue_instant_is_kept_and_shows_at_that_instant(sample_dir):
    page = sample_dir / "tree" / "2024" / "03" / "15" / "P2024031500420.txt"
    page.write_text(page.read_text().replace("Friday, March 15, 2024", "Monday, March 15, 2100"))
    run_import(page)
    release = Release.objects.get()
    instant = release.issue_instant
    assert instant == dt.datetime(2100, 3, 15, 9, 5, tzinfo=dt.UTC)
    assert not Release.objects.public(instant - dt.timedelta(seconds=1)).exists()
    assert Release.objects.public(instant).get() == release


def test_a_malformed_file_is_reported_with_its_line_and_the_others_go_on():
    run = run_import(FIXTURES / "malformed", FIXTURES / "tree")

    failed = run.by_file("P2024031500499.txt")
    assert failed["status"] == "failed"
    assert failed["error"].startswith("line 5: ")
    assert "Marchember" in failed["error"]
    assert run.statuses.count("imported") == 3
    assert run.error is not None and run.error.returncode == 1
    assert not Release.objects.by_reference("P2024031500499").exists()
    assert "3 imported, 0 updated, 0 unchanged, 1 failed" in run.stderr


def test_people_see_failures_and_a_summary_without_json():
    run = run_command("import", FIXTURES / "malformed")
    assert "P2024031500499.txt: failed: line 5:" in run.stderr
    assert "0 imported, 0 updated, 0 unchanged, 1 failed" in run.stderr
    assert run.stdout == ""


def test_a_big5_file_is_read():
    run_import(FIXTURES / "big5")
    release = Release.objects.get(reference="P2024031600208")
    assert release.version("zh-Hant").title == "樣本：樣本署公布公園開放時間"
    assert release.version("zh-Hans").title == "样本：样本署公布公园开放时间"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"  \r\n\n", "the file is empty"),
        (b"\x00\x01\x02binary\x00junk", "binary data"),
    ],
)
def test_unreadable_files_fail_with_a_clear_message(tmp_path, content, message):
    page = tmp_path / "P2024031500777.txt"
    page.write_bytes(content)
    run = run_import(page)
    assert run.statuses == ["failed"]
    assert message in run.records[0]["error"]


def test_a_missing_path_fails_without_stopping_the_others(tmp_path):
    run = run_import(tmp_path / "nowhere.txt", ENGLISH)
    assert run.by_file("nowhere.txt")["error"] == "no such file"
    assert run.by_file(ENGLISH.name)["status"] == "imported"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_fails(tmp_path):
    page = tmp_path / ENGLISH.name
    shutil.copy(ENGLISH, page)
    page.chmod(0)
    run = run_import(page)
    assert "permission denied" in run.records[0]["error"]


def test_a_simplified_mirror_never_replaces_the_real_traditional_page(tmp_path):
    run_import(CHINESE)
    before = Release.objects.get().version("zh-Hant").title
    page = tmp_path / CHINESE.name
    text = CHINESE.read_text(encoding="utf-8")
    page.write_text(
        text.replace("香港時間", "香港时间").replace("樣本署", "样本署"), encoding="utf-8"
    )
    run = run_import(page)
    assert run.statuses == ["unchanged"]
    assert Release.objects.get().version("zh-Hant").title == before


def test_captions_without_image_files_wait_for_their_images():
    run_import(ENGLISH)
    photos = list(Release.objects.get().photos.order_by("position"))
    assert [photo.position for photo in photos] == [1, 2]
    assert all(photo.awaiting_image for photo in photos)
    assert photos[1].text("en").caption.startswith("Sample: visitors read on the lawn")


def _write_image(path, colour="red"):
    Image.new("RGB", (8, 6), colour).save(path)


def test_image_files_beside_the_text_become_its_photos(sample_dir):
    folder = sample_dir / "pair"
    _write_image(folder / "P2024031500412_1.png")
    _write_image(folder / "P2024031500412_photo_2.jpg", "blue")

    run_import(folder / ENGLISH.name)

    photos = list(Release.objects.get().photos.order_by("position"))
    assert [(photo.width, photo.height) for photo in photos] == [(8, 6), (8, 6)]
    assert photos[0].image.name.endswith(".png")
    assert photos[1].image.name.endswith(".jpg")
    assert os.path.exists(photos[1].image.path)
    # Random names: nothing in them says which release or photo they belong to.
    assert not any("P2024031500412" in photo.image.name for photo in photos)
    assert all(
        re.fullmatch(r"photos/[0-9a-f]{2}/[0-9a-f]{32}\.(png|jpg)", photo.image.name)
        for photo in photos
    )


def test_imported_images_get_renditions_and_lose_their_metadata(sample_dir):
    image = Image.new("RGB", (1600, 1000), "red")
    exif = Image.Exif()
    exif[0x010F] = "Sample Camera Maker"
    image.save(sample_dir / "pair" / "P2024031500412_1.jpg", exif=exif)

    run_import(sample_dir / "pair" / ENGLISH.name)

    photo = Release.objects.get().photos.get(position=1)
    with Image.open(photo.image.path) as stored:
        assert not stored.getexif()
    page_copy = photo.image.path.rsplit(".", 1)[0] + ".page.webp"
    with Image.open(page_copy) as rendition:
        assert rendition.size == (1200, 750)


def test_an_unusable_image_leaves_the_photo_awaiting_and_says_why(sample_dir):
    Image.new("RGB", (8, 6), "red").save(sample_dir / "pair" / "P2024031500412_1.gif")

    run = run_import(sample_dir / "pair" / ENGLISH.name)

    assert run.statuses == ["imported"]
    assert any("GIF" in warning for warning in run.records[0]["warnings"])
    assert Release.objects.get().photos.get(position=1).awaiting_image


def test_a_changed_image_file_updates_the_release(sample_dir):
    image = sample_dir / "pair" / "P2024031500412_1.png"
    _write_image(image)
    run_import(sample_dir / "pair" / ENGLISH.name)
    _write_image(image, "green")

    run = run_import(sample_dir / "pair" / ENGLISH.name)

    assert run.statuses == ["updated"]
    assert Photo.objects.count() == 2


def test_photo_popups_attach_captions_by_reference_and_number():
    popups = FIXTURES / "popups"
    # Given pop-ups first on purpose: the release page is still read before them.
    run = run_import(
        popups / "P2024031900318_photo_2.txt",
        popups / "P2024031900318_photo_1.txt",
        popups / "P2024031900318.txt",
    )
    assert run.statuses == ["imported"] * 3
    release = Release.objects.get()
    assert release.version("en").captions() == [
        "Sample: kites above the sample park today (March 19).",
        "Sample: a child flies a kite (front row, 2nd from left).",
    ]
    assert run_import(popups).statuses == ["unchanged"] * 3


def test_a_photo_popup_without_its_release_fails():
    run = run_import(FIXTURES / "popups" / "P2024031900318_photo_1.txt")
    assert run.statuses == ["failed"]
    assert "no release P2024031900318" in run.records[0]["error"]
    assert not Photo.objects.exists()


def test_department_and_category_options_assign_imported_releases():
    department = Department.objects.create(
        code="SAMPLE", name_en="Sample Department", name_zh_hant="樣本署"
    )
    category = Category.objects.create(slug="sample", name_en="Sample", name_zh_hant="樣本")

    run_import(ENGLISH, "--department", "SAMPLE", "--category", "sample")

    release = Release.objects.get()
    assert release.department == department
    assert list(release.categories.all()) == [category]


def test_assigning_a_department_to_unchanged_content_is_an_update():
    run_import(ENGLISH)
    Department.objects.create(code="SAMPLE", name_en="Sample Department", name_zh_hant="樣本署")
    run = run_import(ENGLISH, "--department", "SAMPLE")
    assert run.statuses == ["updated"]
    assert run_import(ENGLISH, "--department", "SAMPLE").statuses == ["unchanged"]


def test_an_unknown_department_stops_before_anything_is_read():
    run = run_import(ENGLISH, "--department", "NOPE")
    assert "--department NOPE: no such department" in str(run.error)
    assert not Release.objects.exists()


def test_a_dry_run_reports_but_stores_nothing():
    run = run_import("--dry-run", FIXTURES / "pair", FIXTURES / "tree")
    assert run.statuses == ["imported"] * 5
    assert "Dry run" in run.stderr
    assert not Release.objects.exists()


def test_json_records_give_the_public_address_of_each_release():
    run = run_import(CHINESE)
    record = run.records[0]
    release = Release.objects.get()
    assert record == {
        "file": str(CHINESE),
        "status": "imported",
        "reference": "P2024031500411",
        "language": "zh-Hant",
        "url": release.get_absolute_url("zh-Hant"),
        "error": None,
    }
    assert record["url"] == "/zh-hant/2024/03/15/P2024031500411/"


def test_a_simplified_only_page_is_kept_as_traditional_rather_than_lost(tmp_path):
    source = FIXTURES.parent.parent / "wire" / "fixtures" / "zh_hans_mirror_simplified_markers.txt"
    copy = tmp_path / "P2022122800310.txt"
    shutil.copy(source, copy)
    run = run_import(copy)
    assert run.statuses == ["imported"]
    assert run.records[0]["language"] == "zh-Hant"
    assert any("Simplified" in warning for warning in run.records[0]["warnings"])
    release = Release.objects.get(reference="P2022122800310")
    assert release.languages() == ["zh-Hant", "zh-Hans"]
    # The derived Simplified text gives back what the mirror held.
    traditional = release.version("zh-Hant").title
    assert traditional != release.version("zh-Hans").title
