"""Fixtures of the distribution tests: receivers on loopback allowed, the in-memory channel,
tasks run at once. The helpers they share with other tests are in tests/support/distribution.py."""

from __future__ import annotations

import pytest

from pressroom.distribution.channels import locmem
from tests.support.distribution import LOCMEM


@pytest.fixture(autouse=True)
def _receivers_on_loopback(settings):
    """These tests' newsrooms are receivers on 127.0.0.1, which production refuses
    (tests/security/test_webhooks.py tests the refusal)."""
    settings.PRESSROOM_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def in_memory_channels(settings):
    settings.PRESSROOM_DISTRIBUTION_CHANNELS = {"email": LOCMEM, "webhook": LOCMEM}
    locmem.sent.clear()
    yield locmem.sent
    locmem.sent.clear()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
