"""What a person asks for: the query text, filters, order and page, and how the text is read.

Query text is never passed to a database's query syntax. It is read into plain words, Han runs
and quoted phrases (everything else, such as `*`, `^`, `:`, `(`, `NEAR`'s meaning, is dropped or
treated as an ordinary word), and each backend writes those as quoted tokens of its own syntax.
So unbalanced quotes, operators or a megabyte of input can never make a search fail.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from pressroom.releases.languages import Language
from pressroom.search.analysis import Clause, clause_for_phrase, clauses_for_word, segments

# Longer input is cut: nobody types more, and it bounds the work a query can cause.
MAX_QUERY_CHARS = 300
MAX_CLAUSES = 16
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Quotation marks people type or paste, all read as the ASCII double quote.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u300c": '"', "\u300d": '"', "\uff02": '"'})
_PHRASE = re.compile(r'"([^"]*)"')


class Order(str, enum.Enum):
    RELEVANCE = "relevance"  # best match first, newer first among equals
    NEWEST = "newest"


class LanguageFilter(str, enum.Enum):
    """Which written versions to search: Chinese covers zh-Hant and its derived zh-Hans."""

    ANY = ""
    ENGLISH = "en"
    CHINESE = "zh"


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    # The language results are shown in: Chinese hits come as zh-Hans on a zh-Hans page.
    display_language: str = Language.EN
    language: LanguageFilter = LanguageFilter.ANY
    # Hong Kong calendar days, both ends included.
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    department: str = ""  # Department.code
    category: str = ""  # Category.slug
    order: Order = Order.RELEVANCE
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # The instant visibility is judged at; None means now.
    now: dt.datetime | None = None

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.limit

    @property
    def limit(self) -> int:
        return min(max(self.page_size, 1), MAX_PAGE_SIZE)


@dataclass(frozen=True)
class ParsedText:
    """The query text as clauses that must all match, and the raw pieces for highlighting."""

    clauses: tuple[Clause, ...] = ()
    # Words and Han runs as typed (folded later), for marking matches in snippets.
    highlight_words: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not self.clauses


def parse_text(text: str) -> ParsedText:
    """Read query text into clauses: quoted phrases and single words, all required."""
    text = (text or "")[:MAX_QUERY_CHARS].translate(_QUOTES)
    clauses: list[Clause] = []
    words: list[str] = []
    for phrase in _PHRASE.findall(text):
        clause = clause_for_phrase(phrase)
        if clause:
            clauses.append(clause)
            words.extend(segments(phrase))
    # What is left outside balanced quotes, with a stray quote simply ignored.
    remainder = _PHRASE.sub(" ", text).replace('"', " ")
    for segment in segments(remainder):
        clause = clauses_for_word(segment)
        if clause not in clauses:
            clauses.append(clause)
            words.append(segment)
    return ParsedText(tuple(clauses[:MAX_CLAUSES]), tuple(words))
