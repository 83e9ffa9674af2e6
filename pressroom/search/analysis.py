"""How text becomes search tokens, the same way at index time and at query time.

English (and any run of letters or digits) is stemmed with Porter: by FTS5's `porter unicode61`
tokenizer, and here for PostgreSQL, whose vectors are made of `index_terms`. Chinese is prepared
here, because neither database can segment it: a run of Chinese characters becomes overlapping
character bigrams, as Lucene's CJK analyzer does ("政府新聞" -> "政府 府新 新聞"), so any word of
two or more characters is a phrase of adjacent bigrams and no word segmenter is needed.

Two details make the bigram index complete:
- Traditional and Simplified are folded to one form (Simplified, with the same OpenCC
  conversion that derives zh-Hans pages) at index and query time, so either form finds both.
- Each run also ends with its last character as a token of its own. A one-character query is a
  prefix query ("港" matches every token starting with 港), and without that closing token a
  character that ends a run ("香港。") would start no token at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import add

from pressroom.releases.chinese import to_simplified

# CJK Unified Ideographs with extension A, compatibility ideographs, and the supplementary
# planes where HKSCS characters live.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RUN = re.compile(f"[{_HAN}]+")
# A word of letters or digits in any script except Han (underscore is punctuation here).
WORD = re.compile(f"(?:(?![{_HAN}])[^\\W_])+")
_HAS_HAN = re.compile(f"[{_HAN}]")
# Han runs and words, in order of appearance.
_SEGMENT = re.compile(f"[{_HAN}]+|(?:(?![{_HAN}])[^\\W_])+")


def has_han(text: str) -> bool:
    # isascii: one pass in C, far quicker than the search on English text.
    return not text.isascii() and _HAS_HAN.search(text) is not None


def fold_chinese(text: str) -> str:
    """Traditional and Simplified Chinese to one form (Simplified); other text unchanged."""
    if not has_han(text):
        return text
    return to_simplified(text)


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a Han run: "香港政府" -> ["香港", "港政", "政府"]."""
    return list(map(add, run[:-1], run[1:]))


def run_tokens(run: str) -> list[str]:
    """A Han run as indexed: its bigrams, then its last character on its own."""
    return [*bigrams(run), run[-1]]


def index_text(text: str) -> str:
    """Text as it goes into the full-text index: Han runs folded and split into bigrams.

    Text without Han characters is returned as it is, so English keeps its punctuation for the
    database's own tokenizer.
    """
    if not has_han(text):
        return text
    folded = fold_chinese(text)
    parts: list[str] = []
    for segment in _SEGMENT.findall(folded):
        if HAN_RUN.fullmatch(segment):
            parts.extend(run_tokens(segment))
        else:
            parts.append(segment)
    return " ".join(parts)


@dataclass(frozen=True)
class Token:
    """One token of a query: a word, a Han bigram, or a lone Han character (a prefix)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Clause:
    """Tokens that must appear next to each other, in order (one token: anywhere)."""

    tokens: tuple[Token, ...]

    @property
    def is_prefix(self) -> bool:
        """Ends in a prefix (a lone Han character): matched by scanning every token it starts,
        which is too slow to repeat for ranking (see `backends.base`)."""
        return self.tokens[-1].prefix


def clauses_for_word(segment: str) -> Clause:
    """An unquoted query word. A Han run is a phrase of its bigrams; one character, a prefix."""
    if not HAN_RUN.fullmatch(segment):
        return Clause((Token(segment),))
    folded = fold_chinese(segment)
    if len(folded) == 1:
        return Clause((Token(folded, prefix=True),))
    return Clause(tuple(Token(pair) for pair in bigrams(folded)))


def clause_for_phrase(text: str) -> Clause | None:
    """A quoted phrase: its segments' tokens in a row, as the index holds them.

    A Han run followed by more of the phrase ended there in the document too, so its closing
    character is part of the phrase; the phrase's last run may continue in the document, so it
    contributes bigrams only (or a prefix when it is a single character).
    """
    segments = _SEGMENT.findall(fold_chinese(text))
    tokens: list[Token] = []
    for position, segment in enumerate(segments):
        is_last = position == len(segments) - 1
        if not HAN_RUN.fullmatch(segment):
            tokens.append(Token(segment))
        elif not is_last:
            tokens.extend(Token(token) for token in run_tokens(segment))
        elif len(segment) == 1:
            tokens.append(Token(segment, prefix=True))
        else:
            tokens.extend(Token(pair) for pair in bigrams(segment))
    return Clause(tuple(tokens)) if tokens else None


def segments(text: str) -> list[str]:
    """Han runs and words of `text`, in order, everything else dropped."""
    return _SEGMENT.findall(text)


@lru_cache(maxsize=1)
def _porter():
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


def stem(word: str) -> str:
    """The Porter stem FTS5 and PostgreSQL also use, for highlighting what the index matched."""
    return _stem(word.lower())


@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    return _porter().stemWord(word)


def stem_start(term: str) -> str:
    """What every word stemming to `term` begins with: the stem less its last letter (which
    Porter may have changed: "happy" -> "happi"), or a short stem whole."""
    return term[:-1] if len(term) > 2 else term


@lru_cache(maxsize=1024)
def _words_starting(starts: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(start) for start in sorted(starts, key=len, reverse=True))
    return re.compile(f"(?:{alternatives})(?:(?![{_HAN}])[^\\W_])*", re.IGNORECASE)


def words_starting_like(text: str, terms) -> Iterator[re.Match]:
    """The words of `text` (as WORD reads them) that begin like one of the stems `terms`
    (`stem_start`, any case): the only words that can stem to one of them. A literal start lets
    the regular expression engine skip through the text in C, so only these few words are
    stemmed, instead of every word of a release."""
    starts = {stem_start(term) for term in terms if not has_han(term)}  # no word holds Han
    if not starts:
        return
    for match in _words_starting(tuple(sorted(starts))).finditer(text):
        before = match.start() - 1
        if before < 0 or not WORD.match(text, before):  # not inside a word
            yield match


# Tokens as FTS5's unicode61 tokenizer reads analysed text: runs of letters and digits.
_INDEX_TOKEN = re.compile(r"[^\W_]+")


class _Terms(dict):
    """Lower-case token -> its term, filled as tokens are met: a release's few hundred words
    are mostly words met before, so stemming (pure Python) runs once per new word. Emptied
    when it holds _TERMS_KEPT, so memory stays bounded however large an archive."""

    def __missing__(self, token: str) -> str:
        # Porter stems "s" (as in "Pressroom's") to nothing: a term is never empty.
        term = token if has_han(token) else _porter().stemWord(token) or token
        if len(self) >= _TERMS_KEPT:
            self.clear()
        self[token] = term
        return term


_TERMS_KEPT = 200_000
_TERMS = _Terms()


def index_terms(text: str) -> list[str]:
    """The terms of analysed text (as `index_text` makes it), in order, as an index compares
    them: runs of letters and digits (as FTS5's unicode61 tokenizer reads them), lower case,
    a Han token as it is and anything else stemmed (Porter). PostgreSQL's vectors are made of
    these (`backends.tsvector`), so its index reads text exactly as queries do."""
    return list(map(_TERMS.__getitem__, _index_tokens(text.lower())))


# UTF-8 bytes with ASCII punctuation and spaces as spaces, everything else as it is.
_ASCII_NON_ALNUM_AS_SPACE = bytes(
    byte if byte >= 0x80 or chr(byte).isalnum() else 0x20 for byte in range(256)
)


def _index_tokens(text: str) -> list[str]:
    """`_INDEX_TOKEN.findall(text)`, five times quicker on mostly ASCII text: the bytes'
    ASCII punctuation becomes spaces in one C pass, `split` cuts at those and at Unicode
    spaces, and only a token holding other punctuation (say a curly apostrophe) goes to the
    regular expression. (A token that `isalnum` is one run as `_INDEX_TOKEN` reads them:
    Python's word characters are those that `isalnum`, and the underscore.)"""
    tokens = text.encode().translate(_ASCII_NON_ALNUM_AS_SPACE).decode().split()
    if text.isascii():
        return tokens
    return [
        piece
        for token in tokens
        for piece in ((token,) if token.isalnum() else _INDEX_TOKEN.findall(token))
    ]


def _term(token: str) -> str:
    """A token as the index compares it: a Han token as it is, anything else stemmed."""
    return _TERMS[token.lower()]


def term(token: Token) -> str:
    """A query token as the index compares it (see `index_terms`)."""
    return _term(token.text)


def texts_holding(clause: Clause, texts: list[str]) -> set[int]:
    """Which of `texts` (analysed text, as `index_text` makes it, e.g. stored titles) hold the
    clause: its tokens in a row, English compared by stem, a prefix by its start.

    Used to rank matches whose title holds the query's words; it reads text the way the index
    does closely enough for ranking (the index itself decides what matches). The texts are
    searched as one string, so the work in Python is per occurrence, not per text: Han tokens
    are separated by spaces in analysed text, so a Han clause is a substring; for other text,
    words starting like the first term (`words_starting_like`) are found, and only those are
    stemmed.
    """
    terms = [_term(token.text) for token in clause.tokens]
    prefix = clause.is_prefix
    joined = _SEPARATOR + _SEPARATOR.join(texts).lower() + _SEPARATOR
    starts = list(accumulate([len(_SEPARATOR)] + [len(text) + len(_SEPARATOR) for text in texts]))
    if all(has_han(term) for term in terms):
        needle = " " + " ".join(terms) + ("" if prefix else " ")
        found = re.finditer(re.escape(needle), joined)
    else:
        found = (
            match
            for match in words_starting_like(joined, terms[:1])
            if _same(_stem(match.group()), terms[0], prefix and len(terms) == 1)
        )
    holding = set()
    for match in found:
        # + 1: past a Han needle's leading space, still inside a word found.
        position = bisect_right(starts, match.start() + 1) - 1
        if position in holding or not 0 <= position < len(texts):
            continue
        if len(terms) == 1 or _holds_in_row(terms, prefix, texts[position].lower()):
            holding.add(position)
    return holding


# Between texts searched as one string: no token crosses it, and every text is surrounded
# by spaces for the Han substring test.
_SEPARATOR = " \n "


def _same(term: str, wanted: str, prefix: bool) -> bool:
    return term.startswith(wanted) if prefix else term == wanted


def _holds_in_row(terms: list[str], prefix: bool, text: str) -> bool:
    tokens = [_term(token) for token in _INDEX_TOKEN.findall(text)]
    last = len(terms) - 1
    return any(
        all(tokens[first + i] == terms[i] for i in range(last))
        and _same(tokens[first + last], terms[last], prefix)
        for first in range(len(tokens) - last)
    )
