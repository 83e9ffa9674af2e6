"""How text becomes tokens: no database, so these say exactly what the index and queries hold."""

import pytest

from pressroom.search.analysis import bigrams, index_text, texts_holding
from pressroom.search.backends.postgres import tsquery_text
from pressroom.search.backends.sqlite_fts5 import fts5_expression
from pressroom.search.query import MAX_CLAUSES, parse_text


def test_chinese_runs_become_bigrams_with_their_closing_character():
    assert bigrams("香港政府") == ["香港", "港政", "政府"]
    assert index_text("香港政府。") == "香港 港政 政府 府"


def test_traditional_and_simplified_fold_to_the_same_tokens():
    assert index_text("樣本計劃") == index_text("样本计划")


def test_english_text_is_left_to_the_database_tokenizer():
    text = "Sample: exhibitions open (today)."
    assert index_text(text) == text


def test_mixed_text_keeps_words_between_chinese_runs():
    assert index_text("2023年展覽") == "2023 年展 展览 览"


def test_a_chinese_word_is_a_phrase_of_bigrams_and_one_character_a_prefix():
    parsed = parse_text("宣布 港")
    assert fts5_expression(parsed.clauses) == '{title body} : ("宣布" AND "港" *)'
    assert tsquery_text(parsed.clauses) == "('宣布') & ('港':*)"
    assert fts5_expression(parse_text("香港政府").clauses) == '{title body} : ("香港 港政 政府")'
    # Filter tags are required in their own column only.
    assert fts5_expression(parse_text("港").clauses, ("d3", "c7")) == (
        '{title body} : ("港" *) AND tags : "d3" AND tags : "c7"'
    )


def test_quoted_phrases_become_one_clause():
    parsed = parse_text('"sample exhibition" opens')
    assert fts5_expression(parsed.clauses) == '{title body} : ("sample exhibition" AND "opens")'
    # PostgreSQL's lexemes are the index's terms, stemmed here (backends.tsvector).
    assert tsquery_text(parsed.clauses) == "('sampl' <-> 'exhibit') & ('open')"


def test_query_syntax_characters_never_reach_the_database():
    parsed = parse_text("title:x* ^y NEAR(a b) \"unbalanced OR -z \\ 'q'")
    expression = fts5_expression(parsed.clauses)
    # Every token is a quoted string: no column filter, prefix, caret, NEAR group or OR.
    assert expression == (
        '{title body} : ("title" AND "x" AND "y" AND "NEAR" AND "a" AND "b" AND "unbalanced" '
        'AND "OR" AND "z" AND "q")'
    )
    assert "\\" not in tsquery_text(parsed.clauses)


def test_huge_input_is_cut():
    parsed = parse_text("word " * 100_000)
    assert len(parsed.clauses) == 1
    assert len(parse_text(" ".join(f"w{n}" for n in range(1000))).clauses) == MAX_CLAUSES


def test_empty_and_punctuation_only_queries_have_no_clauses():
    assert parse_text("").is_empty
    assert parse_text('"" *** ^^^ ：。').is_empty


def test_titles_holding_the_query_are_read_as_the_index_reads_them():
    def holds(query: str, title: str) -> list[bool]:
        texts = ["Other notice", index_text(title), "樣本"]
        return [texts_holding(clause, texts) == {1} for clause in parse_text(query).clauses]

    assert holds("exhibitions Opening", "Sample: Exhibition opens today") == [True, True]
    assert holds("exhibit", "Sample: exhibitor") == [False]
    assert holds('"ferry pier"', "Sample: ferry pier") == [True]
    assert holds('"ferry pier"', "Sample: pier, ferry") == [False]
    assert holds("渡轮 港", "樣本：渡輪碼頭港口") == [True, True]
    assert holds("碼頭", "樣本：渡輪") == [False]
    assert holds("頭", "樣本：渡輪碼頭") == [True]
    assert holds("港口", "港口") == [True]  # at the very start and end of a text
    assert holds("sample", "samples") == [True]


# Word forms Porter changes at the end in every way it does (plurals, -ies/-y, -ed/-ing with a
# doubled or restored letter, -ational, -ization, -fulness, -ability...), in any case.
WORD_FORMS = (
    "Happy HAPPIER happiest happiness unhappy happi sky skies dying tied agreed feed hopping "
    "hoped sized sizing troubled relational relate generalization general conflated "
    "abilities ability able hopefulness hopeful valency valence cats caresses ponies ties "
    "Sample's 2026 H2O naïve café Straße STRASSE harbour harbours harboured 港口harbour"
)


def test_words_starting_like_a_stem_are_every_word_with_that_stem():
    """Only words beginning like a stem are stemmed (`words_starting_like`): that must find
    every word whose Porter stem it is, as stemming each word would."""
    from pressroom.search.analysis import WORD, stem, words_starting_like

    for query_word in set(WORD_FORMS.split()) | {"happily", "generous", "relating"}:
        stems = {stem(query_word)}
        every = [m.span() for m in WORD.finditer(WORD_FORMS) if stem(m.group()) in stems]
        found = [
            m.span() for m in words_starting_like(WORD_FORMS, stems) if stem(m.group()) in stems
        ]
        assert found == every, query_word


def test_a_word_is_found_at_its_start_only():
    from pressroom.search.analysis import words_starting_like

    found = [m.group() for m in words_starting_like("unhappy Happy happiness 港happy", {"happi"})]
    assert found == ["Happy", "happiness", "happy"]


@pytest.mark.parametrize(
    "text",
    [
        "Sample: co-operation at www.sample.gov.hk, 2026-12-04; 3.5% (snake_case) it's",
        "Government\u2019s\xa0plan \u201cquoted\u201d caf\u00e9 na\u00efve \u00bd \u2460 x\u00b2",
        "樣本 部門 今日 宣布 sample2026 \u3000全形\uff21\uff22",
        "",
        " \t\n\x1f_\x00 ",
    ],
)
def test_index_tokens_are_runs_of_letters_and_digits(text):
    from pressroom.search.analysis import _INDEX_TOKEN, _index_tokens

    assert _index_tokens(text) == _INDEX_TOKEN.findall(text)
