"""GET /api/v1/search: the search page's search as JSON, hits as ninjs summaries.

The same `pressroom.search.search` the page calls, with the same filters, so both always agree;
visibility is judged at the instant of the request (a release is found the second it is public,
never before) and the response is cached by `public_cache`, whose lifetimes end at the next
issue instant.

Each hit is a partial ninjs 2.2 object (`representationtype` "partial"): the page's address
as `uri`, the title as the main headline, the title with matches in `<mark>` as a second
headline (role "highlighted", `text/html`), and the snippet as a description (role "snippet",
`text/html`; the text is escaped, only `<mark>` is markup). `ninjs` links the full document.
"""

from __future__ import annotations

import math
from typing import Literal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from pressroom.api.operations import get_and_head
from pressroom.api.schemas import NO_NUL, SLUG, Error, IsoDate, LanguageCode
from pressroom.publiccache.decorators import public_cache
from pressroom.releases.languages import HTML_LANG, Language
from pressroom.releases.models import HONG_KONG
from pressroom.search import LanguageFilter, Order, SearchQuery, search
from pressroom.search.forms import MAX_PAGE
from pressroom.search.query import MAX_PAGE_SIZE, MAX_QUERY_CHARS
from pressroom.search.results import SearchHit, SearchResults

router = Router(tags=["search"])


class NinjsText(Schema):
    role: str
    contenttype: str = "text/plain"
    value: str


class NinjsAltId(Schema):
    role: str
    value: str


class SearchItem(Schema):
    """One hit: a partial ninjs 2.2 object with the highlighted title and snippet."""

    uri: str = Field(description="The release page in the language shown.")
    type: Literal["text"] = "text"
    representationtype: Literal["partial"] = "partial"
    language: str = Field(description="BCP 47: en, zh-Hant-HK or zh-Hans.")
    firstcreated: str = Field(description="Issue instant, Hong Kong time with its offset.")
    pubstatus: Literal["usable", "canceled"] = Field(description="canceled: withdrawn.")
    headlines: list[NinjsText] = Field(description="main (plain) and highlighted (HTML).")
    descriptions: list[NinjsText] = Field(description="The snippet (HTML, matches in <mark>).")
    altids: list[NinjsAltId]
    reference: str
    status: Literal["published", "corrected", "withdrawn"]
    department: str = Field(description="Department name in the language shown, or empty.")
    score: float = Field(description="Relevance (higher is better); 0 without query words.")
    ninjs: str = Field(description="The full ninjs document of this language version.")


class Facet(Schema):
    key: str = Field(description="The filter value: a department code, or a year.")
    label: str
    count: int


class Facets(Schema):
    department: list[Facet]
    year: list[Facet]


class SearchResponse(Schema):
    total: int = Field(description="Matches counted (at most the search window).")
    total_is_lower_bound: bool = Field(
        description="More releases match than `total`: pages and facets cover the newest "
        "`total` matches, ranked as asked (by relevance: words in the title first). Narrow the "
        "search (words, dates, filters) to count every match and reach older ones."
    )
    page: int
    page_size: int
    pages: int
    next_page: str | None = Field(description="Address of the next page, or null.")
    items: list[SearchItem]
    facets: Facets


@get_and_head(
    router,
    "",
    response={200: SearchResponse, 422: Error},
    summary="Search public releases in English and Chinese",
    operation_id="search_releases",
    url_name="search",
)
@decorate_view(public_cache)
def search_releases(
    request,
    q: str = Query(
        "",
        max_length=MAX_QUERY_CHARS,
        pattern=NO_NUL,
        description='Words, Chinese (Traditional or Simplified) or "a phrase in quotes". '
        "Empty: every public release that passes the filters, newest first.",
    ),
    language: Literal["en", "zh"] | None = Query(
        None, description="Only English or only Chinese versions."
    ),
    date_from: IsoDate | None = Query(
        None, alias="from", description="First day (HKT), inclusive."
    ),
    date_to: IsoDate | None = Query(None, alias="to", description="Last day (HKT), inclusive."),
    department: str | None = Query(None, pattern=SLUG, description="Department code."),
    category: str | None = Query(None, pattern=SLUG, description="Category slug."),
    order: Literal["relevance", "newest"] = Query(
        "relevance", description="Best match (newer first among equals) or newest first."
    ),
    lang: LanguageCode = Query(
        "en", description="Language to show hits in: Chinese hits as zh-Hant or zh-Hans."
    ),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),
):
    query = SearchQuery(
        text=q,
        display_language=lang,
        language=LanguageFilter(language or ""),
        date_from=date_from,
        date_to=date_to,
        department=department or "",
        category=category or "",
        order=Order(order),
        page=page,
        page_size=page_size,
        now=timezone.now(),
    )
    results = search(query)
    return _response(request, results)


def _response(request, results: SearchResults) -> dict:
    query = results.query
    pages = max(1, math.ceil(results.total / query.limit))
    next_page = None
    if query.page < pages:
        params = request.GET.copy()
        params["page"] = str(query.page + 1)
        next_page = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {
        "total": results.total,
        "total_is_lower_bound": results.capped,
        "page": query.page,
        "page_size": query.limit,
        "pages": pages,
        "next_page": next_page,
        "items": [_item(hit) for hit in results.hits],
        "facets": {
            "department": [vars(facet) for facet in results.departments],
            "year": [vars(facet) for facet in results.years],
        },
    }


def _item(hit: SearchHit) -> dict:
    base = settings.PRESSROOM_BASE_URL.rstrip("/")
    ninjs = base + reverse("api:release", kwargs={"reference": hit.reference})
    return {
        "uri": base + hit.url,
        "language": HTML_LANG[Language(hit.language)],
        "firstcreated": hit.issue_instant.astimezone(HONG_KONG).isoformat(),
        "pubstatus": "canceled" if hit.is_withdrawn else "usable",
        "headlines": [
            {"role": "main", "value": hit.title},
            {"role": "highlighted", "contenttype": "text/html", "value": str(hit.title_html)},
        ],
        "descriptions": [
            {"role": "snippet", "contenttype": "text/html", "value": str(hit.snippet_html)}
        ],
        "altids": [{"role": "reference", "value": hit.reference}],
        "reference": hit.reference,
        "status": hit.state if hit.state in ("corrected", "withdrawn") else "published",
        "department": hit.department,
        "score": hit.score,
        "ninjs": f"{ninjs}?lang={hit.language}",
    }
