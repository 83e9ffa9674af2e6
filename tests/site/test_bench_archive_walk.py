"""bench/archive_walk.py asks only for addresses the site answers: a walk that met 404s would
measure the memory of "not found" pages, not of the archive."""

from __future__ import annotations

import pytest

from bench.archive_walk import addresses, evenly, walk
from bench.wire_files import WORDS
from tests.support.clock import hong_kong
from tests.support.factories import make_release

pytestmark = pytest.mark.django_db


def test_evenly_spreads_from_first_to_last():
    assert evenly(list(range(10)), 4) == [0, 3, 6, 9]
    assert evenly([1, 2], 5) == [1, 2]


def test_the_same_number_of_addresses_at_both_sizes():
    """Half an archive and all of it (over more days and months) give walks of one length."""
    half = [f"P202{year}{month:02d}{day:02d}{serial:05d}" for year in (4,) for month in range(1, 13)
            for day in range(1, 29) for serial in range(2)]  # fmt: skip
    whole = half + [reference.replace("P2024", "P2025") for reference in half]
    assert len(addresses(half, 200)) == len(addresses(whole, 200))


def test_every_address_of_the_walk_is_answered(client, time_machine):
    time_machine.move_to(hong_kong(2024, 3, 20, 18, 0), tick=False)
    references = []
    for day in range(1, 16):
        for hour in (10, 15):
            issued = hong_kong(2024, 3, day, hour, 0)
            references.append(
                make_release(issued, reference=f"P202403{day:02d}{hour:05d}").reference
            )
    result = walk(lambda address: ((answer := client.get(address)).status_code, answer.content),
                  references, releases=12, api_pages=3)  # fmt: skip
    assert result.failures == {}, result.note
    # 12 pages, 3 wire texts, all 15 days, 1 month, two pages of a search for each word, 9 feeds,
    # the sitemap index and its 3 sections, and 1 API page (30 releases fit in its first 100).
    assert result.requests == 12 + 3 + 15 + 1 + 2 * len(WORDS) + 9 + 1 + 3 + 1
