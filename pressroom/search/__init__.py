"""Full-text search of the archive in English and Chinese.

`search(SearchQuery(...)) -> SearchResults` is the one entry point (the search page and the JSON
API both call it); backends live in `pressroom.search.backends`, chosen by PRESSROOM_SEARCH.
"""

from __future__ import annotations

from pressroom.search.query import LanguageFilter, Order, SearchQuery

__all__ = ["LanguageFilter", "Order", "SearchQuery", "search"]


def search(query: SearchQuery):
    """Run a search; returns `pressroom.search.results.SearchResults`."""
    # Imported on call: this package is imported while Django is still loading the apps.
    from pressroom.search.service import search as run

    return run(query)
