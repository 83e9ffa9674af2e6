"""Write the sample releases into the database, once.

Each sample is keyed by a `DemoRelease` marker: loading again skips samples already there, so
`python3 dev.py serve` can load the demo on every start. Releases go through
`pressroom.releases.services`, the path every writer takes, so zh-Hans versions and captions
are derived exactly as for real releases.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from pressroom.core.demo.pictures import draw_photo
from pressroom.core.demo.samples import LATER_TODAY, OFFICES, SAMPLES, TOPICS, Sample
from pressroom.core.models import DemoRelease
from pressroom.media.models import Photo
from pressroom.media.renditions import delete_with_renditions
from pressroom.media.uploads import clean_upload, store_photo
from pressroom.releases.languages import Language
from pressroom.releases.models import (
    HONG_KONG,
    Category,
    Department,
    Release,
    ReleaseState,
    allocate_reference,
)
from pressroom.releases.services import write_captions, write_version
from pressroom.workflow.actions import CorrectRelease, WithdrawRelease
from pressroom.workflow.people import add_user
from pressroom.workflow.roles import Role

_STATES = {
    "published": ReleaseState.PUBLISHED,
    "scheduled": ReleaseState.SCHEDULED,
    # Issued first, then corrected or withdrawn through the workflow (see _write_sample).
    "corrected": ReleaseState.PUBLISHED,
    "withdrawn": ReleaseState.PUBLISHED,
}

SAMPLE_EDITOR = "sample-duty-editor"


@dataclass
class DemoLoadResult:
    created: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    # The Hong Kong date the samples already there were dated from, when not today.
    stale_since: dt.date | None = None


def _floor_minute(instant: dt.datetime) -> dt.datetime:
    return instant.replace(second=0, microsecond=0)


def issue_instants(samples: tuple[Sample, ...], now: dt.datetime) -> dict[str, dt.datetime]:
    """When each sample is issued, counted back from `now` in Hong Kong time.

    Today's published samples must already be public however early the demo loads, so their
    times are squeezed into the part of the day that has passed; samples scheduled for later
    today land between now and midnight, so they are not public yet.
    """
    local_now = timezone.localtime(now, HONG_KONG)
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = (local_now - midnight).total_seconds()

    def nominal_seconds(sample: Sample) -> int:
        hours, minutes = sample.time.split(":")
        return int(hours) * 3600 + int(minutes) * 60

    todays = [s for s in samples if s.days_ago == 0 and s.time != LATER_TODAY]
    latest = max((nominal_seconds(s) for s in todays), default=0)
    squeeze = min(1.0, max(0.0, elapsed - 60) / (latest + 60)) if todays else 1.0

    later = [s for s in samples if s.time == LATER_TODAY]
    remaining = (midnight + dt.timedelta(days=1) - local_now).total_seconds()

    instants = {}
    for sample in samples:
        if sample.time == LATER_TODAY:
            share = (later.index(sample) + 1) / (len(later) + 1)
            # Near midnight "later today" may spill into tomorrow by a minute or two: still not
            # public when loaded, which is what the sample is there to show.
            delay = max(remaining * share, 120 * (later.index(sample) + 1))
            instants[sample.key] = _floor_minute(local_now + dt.timedelta(seconds=delay))
        elif sample.days_ago == 0:
            offset = dt.timedelta(seconds=nominal_seconds(sample) * squeeze)
            instants[sample.key] = _floor_minute(midnight + offset)
        else:
            day = midnight - dt.timedelta(days=sample.days_ago)
            instants[sample.key] = day + dt.timedelta(seconds=nominal_seconds(sample))
    return instants


def _offices() -> dict[str, Department]:
    departments = {}
    for office in OFFICES:
        departments[office.code], _ = Department.objects.get_or_create(
            code=office.code,
            defaults={"name_en": office.name_en, "name_zh_hant": office.name_zh_hant},
        )
    return departments


def _topics() -> dict[str, Category]:
    categories = {}
    for topic in TOPICS:
        categories[topic.slug], _ = Category.objects.get_or_create(
            slug=topic.slug, defaults={"name_en": topic.name_en, "name_zh_hant": topic.name_zh_hant}
        )
    return categories


def _sample_duty_editor():
    """The account the samples' corrections are made under; its password is random and never
    shown, so nobody can log in with it."""
    User = get_user_model()
    existing = User.objects.filter(username=SAMPLE_EDITOR).first()
    if existing:
        return existing
    return add_user(SAMPLE_EDITOR, Role.EDITOR, None, secrets.token_urlsafe(32))


def _photo_seed(key: str, position: int) -> int:
    return zlib.crc32(f"{key}/{position}".encode())


def _write_sample(sample: Sample, instant: dt.datetime, now: dt.datetime, departments, categories):
    issue_day = timezone.localtime(instant, HONG_KONG).date()
    release = Release.objects.create(
        reference=allocate_reference(issue_day),
        state=_STATES[sample.state],
        issue_instant=instant,
        department=departments[sample.office],
    )
    release.categories.set([categories[slug] for slug in sample.topics])
    if sample.en:
        write_version(release, Language.EN, title=sample.en.title, body=sample.en.body)
    write_version(release, Language.ZH_HANT, title=sample.zh.title, body=sample.zh.body)
    if sample.pictures:
        if sample.en:
            write_captions(release, Language.EN, [p.caption_en for p in sample.pictures])
        write_captions(release, Language.ZH_HANT, [p.caption_zh for p in sample.pictures])
        for position, picture in enumerate(sample.pictures, start=1):
            jpeg = draw_photo(picture.scene, _photo_seed(sample.key, position))
            store_photo(
                release, position, clean_upload(ContentFile(jpeg, name=f"{position:02d}.jpg"))
            )
    # Corrections and withdrawals go through the workflow like any other, so the samples carry
    # the audit entries and revisions a real one would.
    if sample.state == "corrected":
        CorrectRelease(release, _sample_duty_editor(), note=sample.note).execute()
    elif sample.state == "withdrawn":
        WithdrawRelease(release, _sample_duty_editor(), reason=sample.note).execute()
    DemoRelease.objects.create(key=sample.key, release=release)


def load_demo(now: dt.datetime | None = None) -> DemoLoadResult:
    """Write every sample not yet in the database; samples already there are left alone."""
    now = timezone.now() if now is None else now
    result = DemoLoadResult()
    loaded = {marker.key: marker for marker in DemoRelease.objects.all()}
    instants = issue_instants(SAMPLES, now)
    departments = _offices()
    categories = _topics()
    for sample in SAMPLES:
        if sample.key in loaded:
            result.already_there.append(sample.key)
            continue
        with transaction.atomic():
            _write_sample(sample, instants[sample.key], now, departments, categories)
        result.created.append(sample.key)
    if loaded:
        first = min(marker.loaded_at for marker in loaded.values())
        first_day = timezone.localtime(first, HONG_KONG).date()
        if first_day != timezone.localtime(now, HONG_KONG).date():
            result.stale_since = first_day
    return result


def remove_demo() -> int:
    """Delete the sample releases, then their photo files; nothing else is touched.

    Rows go first, in one transaction, and files after: a failure leaves no release pointing
    at a missing file, and a file already gone (a cleared media folder) is no error.
    """
    with transaction.atomic():
        release_ids = list(DemoRelease.objects.values_list("release_id", flat=True))
        image_names = list(
            Photo.objects.filter(release_id__in=release_ids)
            .exclude(image="")
            .values_list("image", flat=True)
        )
        Release.objects.filter(id__in=release_ids).delete()
    storage = Photo._meta.get_field("image").storage
    for name in image_names:
        delete_with_renditions(storage, name)
    return len(release_ids)
