"""Kept only for the public-cache tests, which another change moves (tests/publiccache): the
factories are in tests/support/factories.py. Delete this file once those tests import from
there."""

from tests.support.clock import hong_kong  # noqa: F401
from tests.support.factories import FOUR_PM, make_release, morning_and_four_pm  # noqa: F401
