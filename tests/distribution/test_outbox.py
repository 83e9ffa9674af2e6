"""The outbox: rows written with the move, nothing out before the instant, embargoes, retries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction

from pressroom.distribution import subscriptions
from pressroom.distribution.endpoints import register
from pressroom.distribution.models import (
    Delivery,
    DeliveryStatus,
    DistributionEvent,
    Embargo,
    EventKind,
)
from pressroom.distribution.sending import retry_dead
from pressroom.releases.models import Release, ReleaseState
from pressroom.workflow.actions import CorrectRelease, UnscheduleRelease, WithdrawRelease
from tests.support.distribution import drain, schedule, soon
from tests.support.factories import department

pytestmark = pytest.mark.django_db


def subscriber(email, **kwargs):
    return subscriptions.subscribe(subscriptions.SubscriptionRequest(email=email, **kwargs))


def test_scheduling_writes_the_outbox_in_the_same_transaction(editor, sample_department):
    with transaction.atomic():
        release = schedule(editor, sample_department, soon())
        assert DistributionEvent.objects.filter(release=release, kind=EventKind.ISSUED).exists()
        transaction.set_rollback(True)
    assert not DistributionEvent.objects.exists()


def test_nothing_goes_out_before_the_issue_instant(editor, sample_department, in_memory_channels):
    register("http://127.0.0.1:9/hook")
    subscriber("reader@example.test")
    instant = soon(3600)
    release = schedule(editor, sample_department, instant)

    drain(instant - dt.timedelta(seconds=1))
    assert in_memory_channels == []
    # Fanned out ahead of time: the instant itself only has to send.
    assert (
        Delivery.objects.filter(event__release=release, status=DeliveryStatus.PENDING).count() == 2
    )

    drain(instant)
    assert sorted((sent.channel, sent.recipient) for sent in in_memory_channels) == [
        ("email", "reader@example.test"),
        ("webhook", "http://127.0.0.1:9/hook"),
    ]
    drain(instant + dt.timedelta(minutes=5))
    assert len(in_memory_channels) == 2  # and never twice


def test_a_recipient_who_joins_before_the_instant_still_gets_it(
    editor, sample_department, in_memory_channels
):
    instant = soon(3600)
    schedule(editor, sample_department, instant)
    drain(instant - dt.timedelta(minutes=30))  # fanned out to nobody
    subscriber("late@example.test")
    drain(instant)
    assert [sent.recipient for sent in in_memory_channels] == ["late@example.test"]


def test_subscribers_get_only_their_departments_and_categories(
    editor, sample_department, in_memory_channels
):
    other = department("other", "Other Sample Bureau", "其他樣本局")
    subscriber("all@example.test")
    subscriber("mine@example.test", departments=("sample",))
    subscriber("other@example.test", departments=("other",))
    subscriber("digest@example.test", frequency="daily")
    instant = soon(60)
    schedule(editor, sample_department, instant)
    schedule(editor, other, instant)
    drain(instant)
    received = sorted(sent.recipient for sent in in_memory_channels)
    assert received == [
        "all@example.test",
        "all@example.test",
        "mine@example.test",
        "other@example.test",
    ]


def test_unscheduling_cancels_what_has_not_gone_out(editor, sample_department, in_memory_channels):
    register("http://127.0.0.1:9/hook")
    instant = soon(3600)
    release = schedule(editor, sample_department, instant)
    drain(instant - dt.timedelta(minutes=1))
    UnscheduleRelease(release, editor).execute()
    drain(instant + dt.timedelta(minutes=1))
    assert in_memory_channels == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.CANCELLED}


def test_embargoed_copy_goes_early_to_accredited_newsrooms_only(
    editor, sample_department, in_memory_channels
):
    accredited = register("http://127.0.0.1:9/accredited", accepts_embargo=True)
    register("http://127.0.0.1:9/ordinary")
    subscriber("reader@example.test")
    instant = soon(3600)
    release = schedule(editor, sample_department, instant)
    Embargo.objects.create(release=release, allowed_by=editor)
    # Allowing the embargo on the desk adds the early copy; scheduling again after it does too.
    release = UnscheduleRelease(release, editor).execute()
    from pressroom.workflow.actions import ScheduleRelease

    ScheduleRelease(release, editor, issue_instant=instant).execute()

    drain()  # now, an hour before the instant
    assert [(sent.recipient, sent.event_kind) for sent in in_memory_channels] == [
        (accredited.url, EventKind.EMBARGOED)
    ]
    document = json.loads(in_memory_channels[0].body)
    assert dt.datetime.fromisoformat(document["embargoed"]) == instant
    assert document["headlines"][0]["value"].startswith("Sample:")

    drain(instant)
    later = sorted(sent.recipient for sent in in_memory_channels[1:])
    assert later == ["http://127.0.0.1:9/ordinary", "reader@example.test"]  # no second copy


def test_pulling_back_an_embargoed_release_recalls_the_copies(
    editor, sample_department, in_memory_channels
):
    accredited = register("http://127.0.0.1:9/accredited", accepts_embargo=True)
    instant = soon(3600)
    release = schedule(editor, sample_department, instant)
    Embargo.objects.create(release=release, allowed_by=editor)
    release = UnscheduleRelease(release, editor).execute()
    from pressroom.workflow.actions import ScheduleRelease

    release = ScheduleRelease(release, editor, issue_instant=instant).execute()
    drain()
    UnscheduleRelease(release, editor).execute()
    drain()
    assert [(sent.recipient, sent.event_kind) for sent in in_memory_channels] == [
        (accredited.url, EventKind.EMBARGOED),
        (accredited.url, EventKind.RECALLED),
    ]
    assert json.loads(in_memory_channels[1].body)["pubstatus"] == "canceled"


def test_corrections_and_withdrawals_go_to_newsrooms_and_mail_readers(
    editor, sample_department, in_memory_channels
):
    register("http://127.0.0.1:9/hook")
    subscriber("reader@example.test")
    subscriber("digest-reader@example.test", frequency="daily")
    instant = soon(1)
    release = schedule(editor, sample_department, instant)
    later = instant + dt.timedelta(minutes=1)
    drain(later)
    import time_machine

    with time_machine.travel(later, tick=False):
        release = CorrectRelease(release, editor, note="Sample: the date was wrong").execute()
        WithdrawRelease(release, editor, reason="Sample: issued in error").execute()
    drain(later + dt.timedelta(seconds=1))
    drain(later + dt.timedelta(minutes=5))

    def sent():  # the daily digest goes out too when 18:00 Hong Kong time falls in the test
        digests = (EventKind.DAILY_DIGEST, EventKind.WEEKLY_DIGEST)
        return [sent for sent in in_memory_channels if sent.event_kind not in digests]

    assert [(one.channel, one.event_kind) for one in sent()] == [
        ("webhook", EventKind.ISSUED),
        ("email", EventKind.ISSUED),
        ("webhook", EventKind.CORRECTED),
        ("webhook", EventKind.WITHDRAWN),
        ("email", EventKind.CORRECTED),
        ("email", EventKind.WITHDRAWN),
    ]  # fmt: skip (each once)
    # The digest reader got no mail of the release, so no notice either.
    assert {one.recipient for one in sent() if one.channel == "email"} == {"reader@example.test"}
    assert json.loads(sent()[3].body)["pubstatus"] == "canceled"
    assert sent()[4].body.subject.startswith("Correction: ")
    assert sent()[5].body.subject.startswith("Withdrawn: ")


def test_no_notice_for_a_release_a_reader_never_got(editor, sample_department, in_memory_channels):
    instant = soon(1)
    release = schedule(editor, sample_department, instant)
    later = instant + dt.timedelta(minutes=1)
    drain(later)
    subscriber("newcomer@example.test")  # joined after the release went out
    import time_machine

    with time_machine.travel(later, tick=False):
        CorrectRelease(release, editor, note="Sample: the date was wrong").execute()
    drain(later + dt.timedelta(seconds=1))
    assert in_memory_channels == []


def test_imported_archive_releases_are_never_distributed(sample_department, in_memory_channels):
    register("http://127.0.0.1:9/hook")
    Release.objects.create(
        reference="P2020010100001", state=ReleaseState.PUBLISHED, department=sample_department,
        issue_instant=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    drain()
    assert in_memory_channels == [] and not Delivery.objects.exists()


def test_failures_back_off_then_become_dead_letters_and_can_be_retried(
    settings, editor, sample_department, in_memory_channels
):
    settings.PRESSROOM_DELIVERY_RETRY = {"BASE_SECONDS": 10, "CAP_SECONDS": 25, "MAX_ATTEMPTS": 4}
    register("http://fail.invalid/hook")
    instant = soon(1)
    schedule(editor, sample_department, instant)
    clock = instant
    waits = []
    for _ in range(4):
        drain(clock)
        delivery = Delivery.objects.get()
        waits.append(round((delivery.due_at - clock).total_seconds()))
        clock = max(clock, delivery.due_at)
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 4
    assert waits[:3] == [10, 20, 25]  # doubling, capped
    assert "refused" in delivery.last_error

    key = delivery.key
    assert retry_dead([delivery.pk], now=clock) == 1
    settings.PRESSROOM_DISTRIBUTION_CHANNELS = {
        "email": {"BACKEND": "pressroom.distribution.channels.locmem.LocmemChannel"},
        "webhook": {"BACKEND": "pressroom.distribution.channels.locmem.LocmemChannel",
                    "FAIL_MARKER": "nothing-fails"},
    }  # fmt: skip
    drain(clock)
    assert [sent.key for sent in in_memory_channels] == [key]  # the same idempotency key
    assert Delivery.objects.get().status == DeliveryStatus.SENT
