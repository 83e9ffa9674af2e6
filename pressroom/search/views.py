"""The search page: a GET form, results with highlighted snippets, facets and pages, no script.

It asks `pressroom.search.search`, which judges visibility at the instant read here, so a
release appears in results the second it is public, like every other public page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from pressroom.publiccache.decorators import public_cache
from pressroom.releases.languages import Language
from pressroom.releases.models import Category, Department
from pressroom.search import search
from pressroom.search.forms import SearchForm
from pressroom.search.labels import search_labels
from pressroom.search.query import LanguageFilter, Order
from pressroom.site.page import page_context

FILTER_FIELDS = ("language", "date_from", "date_to", "department", "category")


def search_redirect(request):
    """/search/?q=... is the English search page, query kept."""
    target = reverse("search:search", kwargs={"lang": Language.EN})
    query_string = request.GET.urlencode()
    return redirect(f"{target}?{query_string}" if query_string else target)


# Safe for pages keyed by their query string: the ETag is a digest of the bytes sent (so each
# search has its own), the page varies on nothing but the URL and the public archive, and its
# lifetime ends at the next issue instant, when a result may appear.
@public_cache
def search_page(request, lang: Language):
    form = SearchForm(request.GET)
    # The clock is read once, here, as every public page does.
    query = replace(form.search_query(lang), now=timezone.now())
    params = _params(query)
    has_input = bool(query.text.strip()) or any(params.get(name) for name in FILTER_FIELDS)
    results = search(query) if has_input else None
    context = {
        **page_context(request, lang),
        "s": search_labels(lang),
        "form": form,
        "query": query,
        "results": results,
        "has_input": has_input,
        "bad_dates": form.has_bad_dates,
        "has_filters": any(params.get(name) for name in FILTER_FIELDS),
        "departments": [(d.code, d.name(lang)) for d in Department.objects.all()],
        "categories": [(c.slug, c.name(lang)) for c in Category.objects.all()],
        "language_choices": _language_choices(lang),
        "alternates": _alternates(params),
        "clear_filters_link": _link(params, **{name: None for name in FILTER_FIELDS}),
    }
    if results is not None:
        context.update(_result_links(results, params))
    return render(request, "search/search.html", context)


def _language_choices(lang: Language) -> list[tuple[str, str]]:
    labels = search_labels(lang)
    return [
        (LanguageFilter.ANY.value, labels["any_language"]),
        (LanguageFilter.ENGLISH.value, labels["english"]),
        (LanguageFilter.CHINESE.value, labels["chinese"]),
    ]


def _params(query) -> dict:
    """The search as query-string values, cleaned (the text already cut to its maximum)."""
    values = {
        "q": query.text,
        "language": query.language.value,
        "date_from": query.date_from.isoformat() if query.date_from else "",
        "date_to": query.date_to.isoformat() if query.date_to else "",
        "department": query.department,
        "category": query.category,
        "order": query.order.value if query.order != Order.RELEVANCE else "",
    }
    return {key: value for key, value in values.items() if value}


def _alternates(params: dict) -> dict:
    """The same search in each language, for the language switch."""
    suffix = _link(params) if params else ""
    return {
        language: reverse("search:search", kwargs={"lang": language}) + suffix
        for language in Language
    }


def _link(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


def _capped_note(results, labels: dict, count: str) -> str:
    """What a search matching more than the window shows: the best or the newest of them."""
    if not results.capped:
        return ""
    newest = results.query.order == Order.NEWEST or results.parsed.is_empty
    return labels["results_more_newest_note" if newest else "results_more_note"].format(count=count)


def _result_links(results, params: dict) -> dict:
    page = results.page
    labels = search_labels(results.query.display_language)
    count = f"{results.total:,}"
    if results.capped:
        heading = labels["results_more"].format(count=count)
    elif results.total == 1:
        heading = labels["results_one"]
    else:
        heading = labels["results_many"].format(count=count)
    return {
        "results_heading": heading,
        "results_note": _capped_note(results, labels, count),
        "page_label": labels["page_of"].format(page=page, pages=results.page_count),
        "previous_link": _link(params, page=page - 1) if results.has_previous else None,
        "next_link": _link(params, page=page + 1) if results.has_next else None,
        "department_facets": [
            (facet, _link(params, department=facet.key), facet.key == params.get("department"))
            for facet in results.departments
        ],
        "year_facets": [
            (facet, _link(params, **_year_range(int(facet.key))), _is_year(params, facet.key))
            for facet in results.years
        ],
    }


def _year_range(year: int) -> dict:
    return {
        "date_from": dt.date(year, 1, 1).isoformat(),
        "date_to": dt.date(year, 12, 31).isoformat(),
    }


def _is_year(params: dict, year: str) -> bool:
    return params.get("date_from") == f"{year}-01-01" and params.get("date_to") == f"{year}-12-31"
