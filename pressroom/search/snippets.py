"""Highlighted titles and snippets: the matched words marked, everything else escaped.

Highlighting is done here rather than by the database, because the index holds Chinese as
bigrams (useless to show) and because one implementation gives both backends the same output.
A word is marked when its Porter stem equals a query word's stem (what the index matched); a
Chinese query word is marked wherever it occurs, Traditional or Simplified.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pressroom.search.analysis import HAN_RUN, fold_chinese, stem, words_starting_like

ELLIPSIS = "…"
# A snippet looks for its first match this many characters at a time, so a long body (up to
# pressroom.releases.limits.BODY_MAX_CHARS) costs a search page no more than it must: most
# matches are near the start, and only the window shown is marked.
SCAN_CHARS = 20_000
# Around a piece of text: enough for any word or Chinese query cut at the piece's edge.
MARGIN = 64


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """The whole text, escaped, with matches in <mark>."""
    return _render(text, match_spans(text, words), 0, len(text))


def snippet(text: str, words: tuple[str, ...], width: int = 220) -> SafeString:
    """About `width` characters around the first match (or the start), escaped and marked."""
    text = " ".join(text.split())
    if len(text) <= width:
        return _render(text, match_spans(text, words), 0, len(text))
    first = _first_match(text, words)
    start = max(0, (first or 0) - width // 4)
    # Start at a word boundary, not in the middle of an English word.
    if start and text[start - 1].isalnum() and text[start].isascii():
        space = text.find(" ", start, first if first is not None else len(text))
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text) and text[end - 1].isascii():
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return _render(text, _spans_in(text, words, start, end), start, end)


def _piece_start(text: str, position: int) -> int:
    """`position` moved back to the start of the word it falls in (a piece never starts
    inside an English word, where a word's tail could pass for a query word)."""
    if position <= 0:
        return 0
    space = text.rfind(" ", max(0, position - MARGIN), position)
    return space + 1 if space != -1 else position


def _spans_in(text: str, words: tuple[str, ...], start: int, end: int) -> list[tuple[int, int]]:
    """The matches of text[start:end], as positions in `text`."""
    offset = _piece_start(text, start - MARGIN)
    piece = text[offset : end + MARGIN]
    return [(a + offset, b + offset) for a, b in match_spans(piece, words)]


def _first_match(text: str, words: tuple[str, ...]) -> int | None:
    """Where the first match starts, looking SCAN_CHARS at a time; None without one."""
    for position in range(0, len(text), SCAN_CHARS):
        spans = _spans_in(text, words, position, position + SCAN_CHARS)
        if spans:
            return spans[0][0]
    return None


def match_spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every match, sorted and merged."""
    stems = {stem(word) for word in words if not HAN_RUN.fullmatch(word)}
    han_words = {fold_chinese(word) for word in words if HAN_RUN.fullmatch(word)}
    spans: list[tuple[int, int]] = []
    for found in words_starting_like(text, stems):
        if _stem(found.group()) in stems:
            spans.append(found.span())
    if han_words:
        folded = _fold_aligned(text)
        for word in han_words:
            position = folded.find(word)
            while position != -1:
                spans.append((position, position + len(word)))
                position = folded.find(word, position + len(word))
    return _merge(sorted(spans))


@lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return stem(word)


def _fold_aligned(text: str) -> str:
    """The folded text, character for character aligned with `text`."""
    folded = fold_chinese(text)
    if len(folded) == len(text):
        return folded
    # A phrase conversion changed the length: fold character by character instead.
    return "".join(
        converted if len(converted := fold_chinese(char)) == 1 else char for char in text
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> SafeString:
    parts = [ELLIPSIS] if start > 0 else []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return mark_safe("".join(parts))
