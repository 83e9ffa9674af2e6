"""What a search returns: hits with highlighted text, totals, pages and facet counts.

Plain dataclasses, so the search page and the JSON API (which renders hits as ninjs summaries)
read the same thing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString

from pressroom.releases.models import HONG_KONG
from pressroom.search.query import ParsedText, SearchQuery


@dataclass(frozen=True)
class SearchHit:
    release_id: int
    reference: str
    language: str  # the version shown: en, zh-Hant or zh-Hans
    title: str
    title_html: SafeString  # escaped, matches in <mark>
    snippet_html: SafeString  # escaped, matches in <mark>
    issue_instant: dt.datetime
    state: str
    department: str  # the department's name in the shown language, or ""
    url: str
    score: float

    @property
    def issue_date(self) -> dt.date:
        """The issue day in Hong Kong."""
        return timezone.localtime(self.issue_instant, HONG_KONG).date()

    @property
    def is_withdrawn(self) -> bool:
        return self.state == "withdrawn"

    @property
    def is_corrected(self) -> bool:
        return self.state == "corrected"


@dataclass(frozen=True)
class FacetValue:
    key: str  # the filter value: a department code or a year
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    parsed: ParsedText
    total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    departments: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    # More than `total` releases match: the total, facets and pages cover the newest `total`
    # matches (the best of which come first); "more than" is what the page says.
    capped: bool = False

    @property
    def page(self) -> int:
        return max(self.query.page, 1)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.query.limit))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count
