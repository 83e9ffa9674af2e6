"""`search(query) -> SearchResults`: the one entry point the search page and the API call."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from pressroom.releases.languages import Language
from pressroom.releases.models import HONG_KONG, Category, Department, ReleaseVersion
from pressroom.search.backends import get_backend
from pressroom.search.backends.base import Filters, Match
from pressroom.search.indexing import body_text
from pressroom.search.query import LanguageFilter, SearchQuery, parse_text
from pressroom.search.results import FacetValue, SearchHit, SearchResults
from pressroom.search.snippets import highlight, snippet

# A filter naming something that does not exist matches nothing, rather than being ignored.
_NOTHING = -1
_FIRST_DAY = dt.date(1900, 1, 2)
_LAST_DAY = dt.date(9998, 12, 30)


def search(query: SearchQuery) -> SearchResults:
    parsed = parse_text(query.text)
    filters = _filters(query)
    found = get_backend().search(parsed.clauses, filters, query.order, query.limit, query.offset)
    display = _display_language(query.display_language)
    return SearchResults(
        query=query,
        parsed=parsed,
        total=found.total,
        hits=_hits(found.matches, parsed.highlight_words, display),
        departments=_department_facets(found.facet_rows, display),
        years=_year_facets(found.facet_rows),
        capped=found.capped,
    )


def _display_language(language: str) -> Language:
    try:
        return Language(language)
    except ValueError:
        return Language.EN


def _filters(query: SearchQuery) -> Filters:
    language = {LanguageFilter.ENGLISH: Language.EN, LanguageFilter.CHINESE: Language.ZH_HANT}
    return Filters(
        now=query.now or timezone.now(),
        language=language.get(LanguageFilter(query.language)),
        # A limit beyond any issue instant is no limit (and the calendar's ends cannot be
        # converted to UTC or have a next day).
        start=_start_of(query.date_from)
        if query.date_from and query.date_from > _FIRST_DAY
        else None,
        end=_start_of(query.date_to + dt.timedelta(days=1))
        if query.date_to and query.date_to < _LAST_DAY
        else None,
        department_id=_id_of(Department, code=query.department) if query.department else None,
        category_id=_id_of(Category, slug=query.category) if query.category else None,
    )


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=HONG_KONG)


def _id_of(model, **lookup) -> int:
    found = model.objects.filter(**lookup).values_list("pk", flat=True).first()
    return _NOTHING if found is None else found


def _shown_language(document_language: str, display: Language) -> str:
    """Chinese documents are shown in the page's Chinese form; English ones in English."""
    if document_language == Language.EN:
        return Language.EN.value
    return (Language.ZH_HANS if display == Language.ZH_HANS else Language.ZH_HANT).value


def _hits(matches: list[Match], words: tuple[str, ...], display: Language) -> list[SearchHit]:
    wanted = {(match.release_id, _shown_language(match.language, display)) for match in matches}
    versions = {
        (version.release_id, version.language): version
        for version in ReleaseVersion.objects.filter(
            release_id__in={release_id for release_id, _ in wanted},
            language__in={language for _, language in wanted},
        ).select_related("release", "release__department")
    }
    hits = []
    for match in matches:
        language = _shown_language(match.language, display)
        version = versions.get((match.release_id, language))
        if version is None:  # written after the search read the index; gone by the next one
            continue
        release = version.release
        hits.append(
            SearchHit(
                release_id=release.pk,
                reference=release.reference,
                language=language,
                title=version.title,
                title_html=highlight(version.title, words),
                snippet_html=snippet(body_text(version.body), words),
                issue_instant=release.issue_instant,
                state=release.state,
                department=release.department.name(language) if release.department else "",
                url=release.get_absolute_url(language),
                score=float(match.score or 0),
            )
        )
    return hits


def _department_facets(rows, display: Language) -> list[FacetValue]:
    counts: Counter = Counter()
    for department_id, _, count in rows:
        if department_id is not None:
            counts[department_id] += count
    departments = Department.objects.in_bulk(list(counts))
    values = [
        FacetValue(department.code, department.name(display), counts[pk])
        for pk, department in departments.items()
    ]
    return sorted(values, key=lambda value: (-value.count, value.label))


def _year_facets(rows) -> list[FacetValue]:
    counts: Counter = Counter()
    for _, year, count in rows:
        if year is not None:
            counts[year] += count
    return [FacetValue(str(year), str(year), counts[year]) for year in sorted(counts, reverse=True)]
