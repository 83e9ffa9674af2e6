"""`pressroom loaddemo`: samples in both languages, dated from now, loaded once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from pressroom.core.demo.loader import issue_instants
from pressroom.core.demo.samples import LATER_TODAY, SAMPLES
from pressroom.core.models import DemoRelease
from pressroom.releases.models import HONG_KONG, Release, ReleaseState
from pressroom.workflow.models import AuditEntry

# Mid-afternoon, Hong Kong time: some of today's samples are issued, two are still to come.
AFTERNOON = dt.datetime(2024, 3, 8, 15, 30, tzinfo=HONG_KONG)


def load(*args) -> str:
    output = io.StringIO()
    call_command("loaddemo", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def demo(db, time_machine):
    time_machine.move_to(AFTERNOON, tick=False)
    load()
    return Release.objects.prefetch_related("versions", "photos")


def test_every_sample_is_marked_as_a_sample_in_each_language(demo):
    for release in demo:
        for version in release.versions.all():
            assert version.title.startswith(("Sample: ", "示例：", "示例："))


def test_samples_cover_five_days_including_today_in_hong_kong(demo):
    days = {release.issue_date for release in demo}
    assert days == {AFTERNOON.date() - dt.timedelta(days=back) for back in range(5)}
    assert len(demo) == len(SAMPLES) >= 25


def test_todays_page_has_public_samples_and_the_scheduled_ones_wait(demo):
    today = Release.objects.issued_on(AFTERNOON.date())
    assert today.public(AFTERNOON).count() >= 3
    waiting = today.filter(state=ReleaseState.SCHEDULED)
    assert waiting.count() == 2
    assert not waiting.public(AFTERNOON).exists()


def test_pairs_in_english_and_chinese_and_one_release_only_in_chinese(demo):
    languages = [tuple(release.languages()) for release in demo]
    chinese_only = [langs for langs in languages if "en" not in langs]
    assert chinese_only == [("zh-Hant", "zh-Hans")]
    assert languages.count(("en", "zh-Hant", "zh-Hans")) == len(SAMPLES) - 1


def test_photos_are_real_jpegs_with_captions_in_every_language(demo):
    photos = [photo for release in demo for photo in release.photos.all()]
    assert len(photos) >= 8
    for photo in photos:
        assert photo.release.reference not in photo.image.name  # a random name
        with photo.image.open("rb") as stored:
            picture = Image.open(stored)
            assert (picture.format, picture.size) == ("JPEG", (1200, 800))
        for language in photo.release.languages():
            assert photo.text(language).caption


def test_lists_tables_a_correction_and_a_withdrawal_are_shown(demo):
    kinds = {block["kind"] for release in demo for v in release.versions.all() for block in v.body}
    assert {"paragraph", "list", "table", "lines"} <= kinds
    corrected = demo.get(state=ReleaseState.CORRECTED)
    assert corrected.correction_note and corrected.corrected_at <= AFTERNOON
    withdrawn = demo.get(state=ReleaseState.WITHDRAWN)
    assert withdrawn.withdrawal_reason and withdrawn.withdrawn_at <= AFTERNOON
    # Made through the workflow, so the audit log tells the story as for a real release.
    moves = AuditEntry.objects.filter(release__in=[corrected, withdrawn]).values_list(
        "release_reference", "action", "to_state"
    )
    assert set(moves) == {
        (corrected.reference, "correct", "corrected"),
        (withdrawn.reference, "withdraw", "withdrawn"),
    }


def test_loading_again_changes_nothing(demo):
    before = list(demo.values_list("reference", "issue_instant", "updated_at"))
    output = load()
    assert "already loaded" in output
    assert list(Release.objects.values_list("reference", "issue_instant", "updated_at")) == before


def test_refresh_replaces_the_samples_dated_from_the_new_day(demo, time_machine):
    two_days_later = AFTERNOON + dt.timedelta(days=2)
    time_machine.move_to(two_days_later, tick=False)
    assert "--refresh" in load()
    load("--refresh")
    assert Release.objects.count() == DemoRelease.objects.count() == len(SAMPLES)
    assert Release.objects.issued_on(two_days_later.date()).public(two_days_later).exists()


def test_remove_deletes_only_the_samples(demo, settings):
    editors_release = Release.objects.create(reference="P2024030800999", state=ReleaseState.DRAFT)
    load("--remove")
    assert list(Release.objects.all()) == [editors_release]
    # The photos' files go with them, renditions included.
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    "clock",
    [(0, 0, 30), (0, 3, 0), (9, 0, 0), (23, 58, 40)],
    ids=["just-after-midnight", "early-morning", "morning", "just-before-midnight"],
)
def test_todays_samples_are_public_and_scheduled_ones_are_not_at_any_hour(clock):
    hour, minute, second = clock
    now = dt.datetime(2024, 3, 8, hour, minute, second, tzinfo=HONG_KONG)
    instants = issue_instants(SAMPLES, now)
    for sample in SAMPLES:
        instant = instants[sample.key]
        if sample.time == LATER_TODAY:
            assert instant > now
        else:
            assert instant <= now
            local_day = timezone.localtime(instant, HONG_KONG).date()
            assert local_day == now.date() - dt.timedelta(days=sample.days_ago)


def test_remove_copes_with_photo_files_already_gone(demo, settings):
    import shutil

    shutil.rmtree(settings.MEDIA_ROOT)
    load("--remove")
    assert not Release.objects.exists()
