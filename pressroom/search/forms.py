"""The search form: query string in, a `SearchQuery` out. Bad values are dropped, never fatal."""

from __future__ import annotations

from django import forms

from pressroom.search.query import MAX_QUERY_CHARS, LanguageFilter, Order, SearchQuery

# Deep pages cost the database more and nobody reads them.
MAX_PAGE = 500


class SearchForm(forms.Form):
    q = forms.CharField(required=False, strip=True)
    language = forms.ChoiceField(
        required=False, choices=[(choice.value, choice.name) for choice in LanguageFilter]
    )
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    department = forms.SlugField(required=False)
    category = forms.SlugField(required=False)
    order = forms.ChoiceField(
        required=False, choices=[(choice.value, choice.name) for choice in Order]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def search_query(self, display_language: str) -> SearchQuery:
        """The valid fields as a query; an invalid field counts as not given."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value}
        return SearchQuery(
            text=data.get("q", "")[:MAX_QUERY_CHARS],
            display_language=display_language,
            language=LanguageFilter(data.get("language", "")),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            department=data.get("department", ""),
            category=data.get("category", ""),
            order=Order(data.get("order") or Order.RELEVANCE),
            page=data.get("page", 1),
        )

    @property
    def has_bad_dates(self) -> bool:
        return bool(self.errors.get("date_from") or self.errors.get("date_to"))
