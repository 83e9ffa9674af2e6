"""Behaviour of `pressroom.search.search`, the same cases on whichever database runs the suite.

The suite runs once on SQLite (FTS5 backend) and once with DATABASE_URL pointing at PostgreSQL
(tsvector backend); nothing here names a backend, so both must behave alike.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pressroom.releases.models import Release, ReleaseState
from pressroom.releases.services import write_version
from pressroom.search import LanguageFilter, Order, SearchQuery, search
from pressroom.search.backends import backend_path
from pressroom.search.models import SearchDocument
from tests.support.clock import NOW, hong_kong
from tests.support.factories import add_category, body, make_release

pytestmark = pytest.mark.django_db

EARLIER = NOW - dt.timedelta(hours=2)


def found(text: str, **options) -> list[str]:
    """References of the hits, in order (one per language version found)."""
    results = search(SearchQuery(text=text, page_size=100, **options))
    return [hit.reference for hit in results.hits]


def test_backend_follows_the_database(settings):
    from django.db import connection

    expected = {"sqlite": "SqliteFts5Backend", "postgresql": "PostgresBackend"}[connection.vendor]
    assert backend_path().endswith(expected)


def test_english_is_stemmed(clock):
    release = make_release(EARLIER, title="Sample: exhibition opens", body=body("A show."))
    make_release(EARLIER, title="Sample: unrelated notice", body=body("Nothing here."))
    assert found("exhibitions", language=LanguageFilter.ENGLISH) == [release.reference]
    assert found("Exhibiting opened", language=LanguageFilter.ENGLISH) == [release.reference]


def test_words_inside_addresses_dates_and_hyphenated_words_are_found(clock):
    """The index reads text as queries do, in runs of letters and digits, on both databases
    (PostgreSQL's own parser keeps "www.sample.gov.hk" as one host token and reads
    "2026-12-04" as '2026' '-12' '-04')."""
    release = make_release(
        EARLIER,
        title="Sample: co-operation notice",
        body=body("Details at www.sample.gov.hk or press@sample.gov.hk from 2026-12-04. "
                  "Pressroom's tests, a 3.5% rise."),
    )  # fmt: skip
    make_release(EARLIER, title="Sample: unrelated notice", body=body("Nothing here."))
    for query in ("gov", "sample.gov.hk", "press", "12", "operation", "co-operation", "3.5",
                  '"gov hk"', "tests", "s", "Pressroom's"):  # fmt: skip
        assert found(query) == [release.reference], query


def test_a_two_character_chinese_word_is_found_inside_a_sentence(clock):
    release = make_release(
        EARLIER, title_zh="樣本：公告", body_zh=body("樣本部門今日宣布新的康樂措施。")
    )
    make_release(EARLIER, title_zh="樣本：另一公告", body_zh=body("樣本部門今日公布天氣資料。"))
    assert found("宣布") == [release.reference]
    assert found("康樂措施") == [release.reference]
    # Characters that are in the sentence but not next to each other are not a match.
    assert found("宣措") == []


def test_a_single_chinese_character_is_found_even_at_the_end_of_a_run(clock):
    release = make_release(EARLIER, title_zh="樣本：公告", body_zh=body("展覽在香港。"))
    assert found("港") == [release.reference]
    assert found("覽") == [release.reference]


def test_traditional_and_simplified_queries_find_each_other(clock):
    release = make_release(
        EARLIER, title_zh="樣本：藝術展覽開幕", body_zh=body("樣本部門舉辦藝術展覽。")
    )
    assert found("藝術展覽") == [release.reference]
    assert found("艺术展览") == [release.reference]
    simplified = search(SearchQuery(text="藝術展覽", display_language="zh-Hans"))
    traditional = search(SearchQuery(text="艺术展览", display_language="zh-Hant"))
    assert simplified.hits[0].language == "zh-Hans"
    assert simplified.hits[0].title == "样本：艺术展览开幕"
    assert "<mark>艺术展览</mark>" in simplified.hits[0].title_html
    assert traditional.hits[0].language == "zh-Hant"
    assert "<mark>藝術展覽</mark>" in traditional.hits[0].title_html


def test_phrase_queries_need_the_words_together_and_in_order(clock):
    together = make_release(EARLIER, title="Sample: harbour festival", body=body("Fireworks."))
    apart = make_release(EARLIER, title="Sample: festival by the harbour", body=body("Boats."))
    assert set(found("harbour festival")) == {together.reference, apart.reference}
    assert found('"harbour festival"') == [together.reference]
    chinese = make_release(
        EARLIER, english=False, title_zh="樣本：海港節日", body_zh=body("煙花。")
    )
    assert found('"海港節日"') == [chinese.reference]
    assert found('"節日海港"') == []


def test_never_found_before_the_issue_instant_to_the_second(clock):
    release = make_release(NOW + dt.timedelta(seconds=1), title="Sample: embargoed budget")
    assert found("budget") == []
    clock.move_to(NOW + dt.timedelta(seconds=1), tick=False)
    assert found("budget") == [release.reference]


@pytest.mark.parametrize("state", list(ReleaseState))
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_visibility_is_the_public_rule(clock, state, offset):
    """Search shows exactly what Release.objects.public(now) shows, for every state."""
    release = make_release(
        NOW + dt.timedelta(seconds=offset), title="Sample: visibility", title_zh=None, state=state
    )
    public = Release.objects.public(NOW).filter(pk=release.pk).exists()
    assert found("visibility") == ([release.reference] if public else [])


def test_publishing_a_draft_makes_it_searchable_at_once(clock):
    release = make_release(EARLIER, title="Sample: draft notice", state=ReleaseState.DRAFT)
    assert found("draft") == []
    release.state = ReleaseState.PUBLISHED
    release.save()
    assert found("draft", language=LanguageFilter.ENGLISH) == [release.reference]


def test_a_correction_replaces_the_old_text(clock):
    release = make_release(
        EARLIER, title="Sample: ferry timetable", body=body("Ferries sail hourly.")
    )
    write_version(release, "en", title="Sample: ferry timetable", body=body("Ferries sail daily."))
    assert found("hourly") == []
    assert found("daily") == [release.reference]
    write_version(release, "zh-Hant", title="樣本：渡輪時間表", body=body("渡輪每日開出。"))
    assert found("每日") == [release.reference]
    assert SearchDocument.objects.filter(release=release).count() == 2


def test_deleting_a_release_removes_it(clock):
    release = make_release(EARLIER, title="Sample: short lived")
    release.delete()
    assert found("lived") == []
    assert not SearchDocument.objects.exists()


def test_withdrawn_releases_are_found_and_marked(clock):
    make_release(EARLIER, title="Sample: withdrawn notice", state=ReleaseState.WITHDRAWN)
    hits = search(SearchQuery(text="withdrawn")).hits
    assert [hit.is_withdrawn for hit in hits] == [True]


def test_filters_by_language_date_department_and_category(clock):
    from pressroom.releases.models import Department

    other = Department.objects.create(code="other", name_en="Other Sample", name_zh_hant="其他")
    old = make_release(hong_kong(2021, 5, 1), title="Sample: typhoon shelter")
    new = make_release(hong_kong(2023, 5, 1), title="Sample: typhoon signal", department=other)
    add_category(new, slug="weather")
    assert set(found("typhoon")) == {old.reference, new.reference}
    assert found("typhoon", date_from=dt.date(2022, 1, 1)) == [new.reference]
    assert found("typhoon", date_to=dt.date(2021, 5, 1)) == [old.reference]
    assert found("typhoon", date_to=dt.date(2021, 4, 30)) == []
    assert found("typhoon", department="other") == [new.reference]
    assert found("typhoon", category="weather") == [new.reference]
    assert found("typhoon", category="no-such-category") == []
    assert found("樣本", language=LanguageFilter.CHINESE) == [new.reference, old.reference]


def test_facet_counts_for_department_and_year(clock):
    from pressroom.releases.models import Department

    other = Department.objects.create(code="other", name_en="Other Sample", name_zh_hant="其他")
    make_release(hong_kong(2021, 5, 1), title="Sample: budget one", title_zh=None)
    make_release(hong_kong(2022, 5, 1), title="Sample: budget two", title_zh=None)
    make_release(
        hong_kong(2022, 6, 1), title="Sample: budget three", title_zh=None, department=other
    )
    results = search(SearchQuery(text="budget"))
    assert results.total == 3
    assert [(f.key, f.label, f.count) for f in results.departments] == [
        ("sample", "Sample Department", 2),
        ("other", "Other Sample", 1),
    ]
    assert [(f.key, f.count) for f in results.years] == [("2022", 2), ("2021", 1)]


def test_equal_relevance_puts_newer_first_and_newest_order_ignores_relevance(clock):
    older = make_release(hong_kong(2023, 1, 1), title="Sample: lantern", title_zh=None)
    newer = make_release(hong_kong(2023, 2, 1), title="Sample: lantern", title_zh=None)
    best = make_release(
        hong_kong(2022, 1, 1), title="Sample: lantern lantern lantern", title_zh=None
    )
    assert found("lantern") == [best.reference, newer.reference, older.reference]
    assert found("lantern", order=Order.NEWEST) == [
        newer.reference,
        older.reference,
        best.reference,
    ]


def test_titles_and_snippets_are_escaped_around_the_marks(clock):
    make_release(
        EARLIER,
        title="Sample: <script>alert(1)</script> exhibition",
        body=body("The <b>exhibition</b> & more."),
        title_zh=None,
    )
    hit = search(SearchQuery(text="exhibitions")).hits[0]
    assert hit.title_html == (
        "Sample: &lt;script&gt;alert(1)&lt;/script&gt; <mark>exhibition</mark>"
    )
    assert hit.snippet_html == "The &lt;b&gt;<mark>exhibition</mark>&lt;/b&gt; &amp; more."


def test_pages_of_results(clock):
    for day in range(1, 26):
        make_release(hong_kong(2023, 1, day), title="Sample: harbour", title_zh=None)
    first = search(SearchQuery(text="harbour", page_size=10))
    third = search(SearchQuery(text="harbour", page_size=10, page=3))
    assert (first.total, len(first.hits), first.page_count, first.has_next) == (25, 10, 3, True)
    assert (len(third.hits), third.has_next, third.has_previous) == (5, False, True)
    assert search(SearchQuery(text="harbour", page_size=10, page=9)).hits == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"unbalanced',
        "***",
        "a* OR b^ NOT c:",
        "NEAR(a b, 3)",
        "title:x",
        "(((",
        "' ; DROP TABLE search_document; --",
        "\\",
        "「」“”",
        "x" * 100_000,
        "港" * 5_000,
        "\x00\x01",
    ],
)
def test_malformed_queries_never_fail(clock, text):
    make_release(EARLIER)
    search(SearchQuery(text=text))


def test_rebuild_restores_the_index(clock):
    from django.core.management import call_command

    release = make_release(EARLIER, title="Sample: rebuilt")
    SearchDocument.objects.all().delete()
    assert found("rebuilt") == []
    call_command("search-rebuild")
    assert found("rebuilt") == [release.reference]


def test_filter_tags_in_the_index_are_not_searchable_text(clock):
    release = make_release(EARLIER, title="Sample: tagged", title_zh=None)
    add_category(release, slug="weather")
    assert found("d1") == found("c0") == found(f"c{release.categories.get().pk}") == []


def test_changes_to_instant_department_and_categories_reach_the_index(clock):
    from pressroom.releases.models import Department

    other = Department.objects.create(code="other", name_en="Other Sample", name_zh_hant="其他")
    release = make_release(hong_kong(2021, 5, 1), title="Sample: moving notice", title_zh=None)
    release.issue_instant = hong_kong(2023, 5, 1)
    release.department = other
    release.save()
    add_category(release, slug="weather")
    assert found(
        "moving", date_from=dt.date(2023, 1, 1), department="other", category="weather"
    ) == [release.reference]
    assert found("moving", date_to=dt.date(2022, 12, 31)) == []
    release.categories.clear()
    assert found("moving", category="weather") == []
    assert SearchDocument.objects.filter(release=release).count() == 1


def test_words_in_the_title_rank_first_then_finer_relevance_then_newer(clock):
    both = make_release(hong_kong(2019, 1, 1), title="Sample: ferry pier", title_zh=None)
    one = make_release(
        hong_kong(2021, 1, 1), title="Sample: ferry", body=body("Works on the pier."), title_zh=None
    )
    body_only = make_release(
        hong_kong(2023, 1, 1), title="Sample: notice", body=body("Ferry and pier."), title_zh=None
    )
    assert found("ferry pier") == [both.reference, one.reference, body_only.reference]
    assert found('"ferry pier"') == [both.reference]
    in_title = make_release(
        hong_kong(2018, 1, 1), title_zh="樣本：渡輪碼頭", body_zh=body("公告。")
    )
    in_body = make_release(hong_kong(2022, 1, 1), title_zh="樣本：公告", body_zh=body("渡輪碼頭。"))
    chinese = [in_title.reference, in_body.reference]
    assert found("渡轮", language=LanguageFilter.CHINESE) == chinese
    # A lone Chinese character (a prefix) counts in the title too.
    assert found("輪", language=LanguageFilter.CHINESE) == chinese


def test_a_search_matching_more_than_the_window_ranks_the_window(clock, settings):
    settings.PRESSROOM_SEARCH = {"OPTIONS": {"window": 3}}

    def notice(day):
        return make_release(day, title="Sample: notice", body=body("The harbour."), title_zh=None)

    older = make_release(hong_kong(2020, 1, 1), title="Sample: harbour", title_zh=None)
    first = notice(hong_kong(2023, 1, 1))
    titled = make_release(hong_kong(2023, 1, 2), title="Sample: harbour", title_zh=None)
    last = notice(hong_kong(2023, 1, 3))
    newest_first = search(SearchQuery(text="harbour", order=Order.NEWEST))
    assert (newest_first.total, newest_first.capped) == (3, True)
    assert [hit.reference for hit in newest_first.hits] == [
        last.reference,
        titled.reference,
        first.reference,
    ]
    # By relevance: the same newest three, the one with the word in its title first (the
    # older title match is outside the window).
    results = search(SearchQuery(text="harbour"))
    assert (results.total, results.capped) == (3, True)
    assert [hit.reference for hit in results.hits] == [
        titled.reference,
        last.reference,
        first.reference,
    ]
    assert older.reference not in {hit.reference for hit in results.hits}
    assert [(facet.key, facet.count) for facet in results.years] == [("2023", 3)]
    # Narrowed to a window that holds every match, every match is counted.
    narrower = search(SearchQuery(text="harbour", date_to=dt.date(2023, 1, 2)))
    assert (narrower.total, narrower.capped) == (3, False)
    assert [hit.reference for hit in narrower.hits][:2] == [titled.reference, older.reference]


def test_dates_at_the_ends_of_the_calendar_are_no_error(clock):
    release = make_release(EARLIER, title="Sample: calendar", title_zh=None)
    assert found("calendar", date_from=dt.date.min, date_to=dt.date.max) == [release.reference]


def test_a_snippet_of_a_long_body_shows_its_first_match_wherever_it_is():
    """A body at its limit is read a piece at a time for its first match, and only the window
    shown is marked: the same snippet as reading it whole, words cut at a piece's edge included."""
    from pressroom.search.snippets import SCAN_CHARS, snippet

    filler = "Sample filler words about nothing in particular. " * (3 * SCAN_CHARS // 50)
    for cut in range(0, 12, 3):  # the query word across a piece's edge, at several places
        before = filler[: SCAN_CHARS - cut]
        text = f"{before} The harbour ferry resumed. 渡輪服務恢復。 More text after."
        shown = snippet(text, ("ferry",))
        assert "<mark>ferry</mark>" in shown and shown.startswith("…")
        assert "<mark>渡輪</mark>" in snippet(text, ("渡輪",))
    assert "<mark>" not in snippet(filler, ("ferry",))
    assert snippet(filler, ("ferry",)).startswith("Sample filler")
    # A word whose tail is a query word is not a match because a piece starts inside it.
    tail = ("x" * (SCAN_CHARS - 3)) + "ferryboat and more " * 10
    assert "<mark>" not in snippet(tail, ("boat",))
