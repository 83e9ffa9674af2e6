"""The ninjs formatter: one release in one language, valid against the IPTC ninjs 2.2 schema."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from pressroom.api.ninjs import release_to_ninjs
from pressroom.releases import services
from pressroom.releases.models import Category, Department, Release, ReleaseState
from pressroom.wire.model import Block, BlockKind

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "ninjs-schema_2.2.json").read_text())
BASE_URL = "https://press.example.test"


def _validate(document: dict) -> None:
    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def _sample_release() -> Release:
    """A paired sample release with a department, a category and two photos, one drawn."""
    department = Department.objects.create(
        code="SAMPLE", name_en="Sample Department", name_zh_hant="樣本署"
    )
    category = Category.objects.create(slug="parks", name_en="Parks", name_zh_hant="公園")
    release = Release.objects.create(
        reference="P2024031500411",
        state=ReleaseState.PUBLISHED,
        issue_instant=dt.datetime(2024, 3, 15, 8, 30, tzinfo=dt.UTC),
        department=department,
    )
    release.categories.add(category)
    services.write_version(
        release,
        "en",
        title="Sample: Sample Department opens a <reading> garden",
        body=[
            Block(BlockKind.PARAGRAPH, text="The garden opened today & stays open late."),
            Block(BlockKind.LIST, lines=("- Benches", "- Lawn"), ordered=False),
        ],
        source_reference="P2024031500412",
    )
    services.write_version(
        release,
        "zh-Hant",
        title="樣本：樣本署開放閱讀花園",
        body=[Block(BlockKind.PARAGRAPH, text="花園今日開放。")],
    )
    services.write_captions(release, "en", ["Sample: the garden.", "Sample: the lawn."])
    photo = release.photos.get(position=1)
    photo.image.name = "photos/3f/3f0c5e1d9a7b4c2e8f6a1b0d9c8e7f6a.jpg"
    photo.width, photo.height = 1200, 800
    photo.save()
    return (
        Release.objects.select_related("department")
        .prefetch_related("versions", "categories", "photos__texts")
        .get(pk=release.pk)
    )


def test_a_release_is_valid_ninjs_in_every_language():
    release = _sample_release()
    for language in ("en", "zh-Hant", "zh-Hans"):
        _validate(release_to_ninjs(release, language, BASE_URL))


def test_the_schema_check_can_fail():
    document = release_to_ninjs(_sample_release(), "en", BASE_URL)
    document["guid"] = "not a ninjs 2.2 property"
    with pytest.raises(AssertionError):
        _validate(document)


def test_the_english_document_carries_the_release():
    document = release_to_ninjs(_sample_release(), "en", BASE_URL)

    assert document["uri"] == f"{BASE_URL}/en/2024/03/15/P2024031500411/"
    assert document["language"] == "en"
    assert document["headlines"] == [
        {"value": "Sample: Sample Department opens a <reading> garden"}
    ]
    assert document["firstcreated"] == "2024-03-15T16:30:00+08:00"
    assert document["versioncreated"] == "2024-03-15T16:30:00+08:00"
    assert document["pubstatus"] == "usable"
    html, text = document["bodies"]
    assert html["contenttype"] == "text/html"
    assert html["value"] == (
        "<p>The garden opened today &amp; stays open late.</p>\n<ul><li>Benches</li><li>Lawn</li></ul>"
    )
    assert text == {
        "contenttype": "text/plain",
        "value": "The garden opened today & stays open late.\n\n- Benches\n- Lawn",
        "charcount": 60,
        "wordcount": 12,
    }
    assert document["altids"] == [
        {"role": "reference", "value": "P2024031500411"},
        {"role": "source-reference", "value": "P2024031500412"},
    ]
    assert document["subjects"] == [{"name": "Parks", "literal": "parks", "rel": "category"}]
    assert document["infosources"][0]["name"] == "Sample Department"


def test_photos_and_other_languages_are_associations():
    document = release_to_ninjs(_sample_release(), "en", BASE_URL)
    by_name = {association["name"]: association for association in document["associations"]}

    assert by_name["photo-1"]["type"] == "picture"
    assert by_name["photo-1"]["descriptions"][0] == {
        "role": "caption",
        "value": "Sample: the garden.",
    }
    assert by_name["photo-1"]["renditions"] == [
        {
            "name": "original",
            "href": f"{BASE_URL}/media/photos/3f/3f0c5e1d9a7b4c2e8f6a1b0d9c8e7f6a.jpg",
            "contenttype": "image/jpeg",
            "width": 1200,
            "height": 800,
        }
    ]
    assert "renditions" not in by_name["photo-2"]  # still awaiting its image file
    assert by_name["translation-zh-Hant"]["uri"] == f"{BASE_URL}/zh-hant/2024/03/15/P2024031500411/"
    assert by_name["translation-zh-Hant"]["headlines"] == [{"value": "樣本：樣本署開放閱讀花園"}]
    assert by_name["translation-zh-Hans"]["language"] == "zh-Hans"
    assert "translation-en" not in by_name


def test_the_chinese_document_uses_chinese_names():
    document = release_to_ninjs(_sample_release(), "zh-Hant", BASE_URL)
    assert document["language"] == "zh-Hant-HK"
    assert document["subjects"][0]["name"] == "公園"
    assert document["altids"] == [{"role": "reference", "value": "P2024031500411"}]


def test_a_withdrawn_release_is_canceled_with_its_reason():
    release = _sample_release()
    release.state = ReleaseState.WITHDRAWN
    release.withdrawal_reason = "Sample: issued in error."
    document = release_to_ninjs(release, "en", BASE_URL)
    assert document["pubstatus"] == "canceled"
    assert document["ednote"] == "Withdrawn: Sample: issued in error."
    _validate(document)


def test_a_corrected_release_is_version_two():
    release = _sample_release()
    release.corrected_at = dt.datetime(2024, 3, 16, 2, 0, tzinfo=dt.UTC)
    release.correction_note = "Sample: the opening hours were corrected."
    document = release_to_ninjs(release, "en", BASE_URL)
    assert document["version"] == "2"
    assert document["versioncreated"] == "2024-03-16T10:00:00+08:00"
    assert document["ednote"] == "Corrected: Sample: the opening hours were corrected."
