import datetime as dt

import pytest
from django.utils import timezone

from pressroom.media.models import Photo
from pressroom.releases.models import (
    HONG_KONG,
    Release,
    ReleaseState,
    ReleaseVersion,
    allocate_reference,
)
from pressroom.releases.services import write_caption, write_version
from pressroom.wire.model import Block, BlockKind

pytestmark = pytest.mark.django_db


def make_release(reference="P2024010200001", instant=None, state=ReleaseState.PUBLISHED):
    instant = instant or dt.datetime(2024, 1, 2, 16, 0, tzinfo=HONG_KONG)
    return Release.objects.create(reference=reference, issue_instant=instant, state=state)


def test_simplified_chinese_is_derived_from_traditional_when_written():
    release = make_release()
    write_version(
        release,
        "zh-Hant",
        title="樣本：發展局舉辦展覽",
        body=[Block(BlockKind.PARAGRAPH, text="香港時間下午四時，展覽開幕。")],
    )
    simplified = release.versions.get(language="zh-Hans")
    assert simplified.title == "样本：发展局举办展览"
    assert simplified.body == [{"kind": "paragraph", "text": "香港时间下午四时，展览开幕。"}]


def test_simplified_caption_follows_traditional_caption():
    release = make_release()
    write_caption(release, "zh-Hant", 1, "圖示展覽", alt_text="展覽")
    photo = Photo.objects.get(release=release, position=1)
    assert photo.texts.get(language="zh-Hans").caption == "图示展览"
    assert photo.texts.get(language="zh-Hans").alt_text == "展览"


def test_public_is_decided_by_the_clock_to_the_second():
    instant = dt.datetime(2024, 1, 2, 16, 0, 0, tzinfo=HONG_KONG)
    release = make_release(instant=instant, state=ReleaseState.SCHEDULED)
    assert not Release.objects.public(instant - dt.timedelta(seconds=1)).exists()
    assert Release.objects.public(instant).get() == release
    make_release("P2024010200002", instant=instant, state=ReleaseState.DRAFT)
    assert Release.objects.public(instant + dt.timedelta(days=1)).count() == 1


def test_issued_on_uses_hong_kong_days():
    late_evening = dt.datetime(2024, 1, 2, 23, 30, tzinfo=HONG_KONG)  # 15:30 UTC same day
    early_morning = dt.datetime(2024, 1, 3, 0, 30, tzinfo=HONG_KONG)  # 16:30 UTC on the 2nd
    first = make_release("P2024010200001", instant=late_evening)
    make_release("P2024010200002", instant=early_morning)
    assert list(Release.objects.issued_on(dt.date(2024, 1, 2))) == [first]


def test_allocated_references_are_sequential_and_skip_imported_ones():
    day = dt.date(2024, 1, 2)
    make_release("P2024010200002")
    assert allocate_reference(day) == "P2024010200001"
    assert allocate_reference(day) == "P2024010200003"


def test_url_carries_hong_kong_date_and_reference():
    release = make_release(instant=dt.datetime(2024, 1, 2, 0, 30, tzinfo=HONG_KONG))
    ReleaseVersion.objects.create(release=release, language="en", title="Sample")
    assert release.get_absolute_url("en") == "/en/2024/01/02/P2024010200001/"
    assert timezone.is_aware(release.issue_instant)


@pytest.mark.django_db(transaction=True)
def test_migration_0004_marks_the_releases_an_import_stored_as_imported():
    """The importer always stored a digest of what it read; the desk never did."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("releases", "0003_fewer_indexes")])
        old = (
            MigrationExecutor(connection)
            .loader.project_state([("releases", "0003_fewer_indexes")])
            .apps
        )
        OldRelease = old.get_model("releases", "Release")
        OldVersion = old.get_model("releases", "ReleaseVersion")
        imported = OldRelease.objects.create(reference="P2024010200001", state="published")
        OldVersion.objects.create(
            release=imported, language="en", title="Sample", source_digest="ab"
        )
        written = OldRelease.objects.create(reference="P2024010200002", state="published")
        OldVersion.objects.create(release=written, language="en", title="Sample")
        OldRelease.objects.create(reference="P2024010200003", state="draft")

        executor = MigrationExecutor(connection)
        executor.migrate([("releases", "0004_release_origin")])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    origins = dict(Release.objects.values_list("reference", "origin"))
    assert origins == {
        "P2024010200001": "import", "P2024010200002": "desk", "P2024010200003": "desk"
    }  # fmt: skip
    assert Release.objects.get(reference="P2024010200001").is_archive_release
