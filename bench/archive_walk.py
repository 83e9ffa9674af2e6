"""A walk across the whole public archive, for the web workers' peak memory at two archive sizes.

A load on two pages (bench/suite.py's `pages`) says what a worker holds under a crowd, not
whether it holds more as the archive grows. This walk asks for what grows with the archive:
release pages and their wire versions spread evenly from the oldest to the newest, the day
and month indexes they sit in, searches whose matches double with the archive, every feed,
the sitemaps and the API's list paged through by its cursor. The walk has the same number of
requests at each size, so a worker that keeps nothing in proportion to the archive ends it
with the same peak (VmHWM) at 50,000 releases as at 100,000.
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.wire_files import WORDS

FEEDS = [
    f"/{prefix}feeds/releases.{kind}"
    for prefix in ("", "en/", "zh-hant/")
    for kind in ("rss", "atom", "json")
]


@dataclass(frozen=True)
class WalkResult:
    requests: int
    failures: dict[int, int]  # status -> how many (0: no answer)

    @property
    def note(self) -> str:
        failed = ", ".join(
            f"{count} x {status or 'no answer'}" for status, count in sorted(self.failures.items())
        )
        return f"{self.requests:,} requests" + (
            f", failed: {failed}" if failed else ", all answered 200"
        )


def evenly(items: list, count: int) -> list:
    """`count` items spread from the first to the last (all of them when there are fewer)."""
    if len(items) <= count:
        return list(items)
    step = (len(items) - 1) / (count - 1)
    return [items[round(number * step)] for number in range(count)]


def release_address(reference: str, lang: str = "en") -> str:
    """/en/yyyy/mm/dd/P.../ for a bench reference (P + the issue day + a serial)."""
    day = reference[1:9]
    return f"/{lang}/{day[:4]}/{day[4:6]}/{day[6:8]}/{reference}/"


def addresses(references: list[str], releases: int, days: int = 100, months: int = 6) -> list[str]:
    """The walk's addresses (without the API's cursor pages, which depend on the answers):
    `releases` release pages, a quarter of them also as wire text, and `days` day and `months`
    month indexes, each spread evenly over the archive (fewer only if the archive has fewer)."""
    chosen = evenly(sorted(references), releases)
    pages = [release_address(reference) for reference in chosen]
    wires = [release_address(reference).rstrip("/") + ".txt" for reference in chosen[::4]]
    all_days = sorted(
        {release_address(reference).rsplit("/", 2)[0] + "/" for reference in references}
    )
    all_months = sorted({day.rstrip("/").rsplit("/", 1)[0] + "/" for day in all_days})
    days, months = evenly(all_days, days), evenly(all_months, months)
    searches = [f"/en/search/?{urllib.parse.urlencode({'q': word, 'page': page})}"
                for word in WORDS for page in (1, 5)]  # fmt: skip
    return pages + wires + days + months + searches + FEEDS + ["/sitemap.xml"]


def walk(get: Callable[[str], tuple[int, bytes]], references: list[str], releases: int,
         api_pages: int = 20, threads: int = 1) -> WalkResult:  # fmt: skip
    """Ask for every address of the walk through `get` (address -> status, body), `threads` at
    a time, then the sitemap sections the index names, then the API's release list page after
    page. One at a time by default: a peak then measures what one request and what a worker
    keeps cost, not which heavy requests happened to run side by side."""
    failures: dict[int, int] = {}
    asked = 0

    def ask(address: str) -> bytes:
        nonlocal asked
        status, body = get(address)
        asked += 1
        if status != 200:
            failures[status] = failures.get(status, 0) + 1
        return body

    with contextlib.ExitStack() as stack:
        each = stack.enter_context(ThreadPoolExecutor(threads)).map if threads > 1 else map
        answers = dict(zip(wanted := addresses(references, releases), each(ask, wanted)))
        sections = re.findall(
            rb"<loc>[^<]*?(/sitemap-[^<]+?)</loc>", answers.get("/sitemap.xml", b"")
        )
        list(each(ask, sorted({section.decode() for section in sections})))
    cursor = None
    for _ in range(api_pages):
        query = urllib.parse.urlencode({"limit": 100, **({"cursor": cursor} if cursor else {})})
        body = ask(f"/api/v1/releases?{query}")
        try:
            cursor = json.loads(body).get("next_cursor")
        except ValueError:
            break
        if not cursor:
            break
    return WalkResult(asked, failures)
