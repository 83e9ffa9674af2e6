"""A document's tsvector made here, in Python, from the terms queries are made of.

PostgreSQL's own text search parser reads text its own way: "www.info.gov.hk" is one host
token, "2026-12-04" is '2026' '-12' '-04', "e-mail" is three tokens. Queries here are split
into runs of letters and digits (`pressroom.search.analysis`), as FTS5 splits text, so with
vectors made by `to_tsvector` a search for "gov" or "12" missed releases holding them. Made
from `analysis.index_terms` instead, the vector holds exactly what a query can ask for, on
PostgreSQL as on SQLite (Porter stems, no stop words dropped), and queries are cast to
tsquery as they are, without PostgreSQL's dictionaries. It is also cheaper: `to_tsvector` was
the largest single cost of an import in database time; this takes about half that in the
process parsing the file, with no round trip.

The two forms PostgreSQL reads: `binary`, its send/receive form, which the importer's COPY
takes as it is (`pressroom.utils.binary_copy.Binary`), and `text`, the literal a query casts.
Both keep to `to_tsvector`'s limits, so any text gives a vector PostgreSQL accepts.
"""

from __future__ import annotations

import struct
from collections import defaultdict

from pressroom.search.analysis import index_terms

# A position is 14 bits, its weight the top two (A = 3 is the title's, B = 2 the body's).
MAX_POSITION = (1 << 14) - 1  # later words are all recorded at this one, as to_tsvector does
WEIGHT_A, WEIGHT_B = 3 << 14, 2 << 14
POSITIONS_KEPT = 256  # per lexeme, the first ones (PostgreSQL's MAXNUMPOS)
LONGEST_LEXEME = 2047  # bytes; longer words are not indexed (PostgreSQL's MAXSTRLEN)
LEXEMES_BYTES = (1 << 20) - 1  # all lexemes of one vector together (PostgreSQL's MAXSTRPOS)

_COUNT = struct.Struct(">i")
_WEIGHT_LETTERS = {WEIGHT_A: "A", WEIGHT_B: "B"}


def positions(title: str, body: str) -> dict[bytes, list[int]]:
    """Each lexeme (UTF-8) with its weighted positions, ascending: the title's words first
    (weight A), then the body's (weight B), numbered on from the title's last, as
    `setweight(title) || setweight(body)` numbers them.

    Nearly every release has far fewer words than positions run to and no word near the
    length limits: for those the positions are simply the words' places, gathered by a
    defaultdict (about two thirds of the time of checking each word against the limits as it
    comes). Any other text takes the word-by-word way, which applies every limit."""
    title_terms = index_terms(title)
    body_terms = index_terms(body)
    if len(title_terms) + len(body_terms) >= MAX_POSITION:
        return _positions_with_limits(title_terms, body_terms)
    found: defaultdict[str, list[int]] = defaultdict(list)
    for position, term in enumerate(title_terms, 1):
        found[term].append(WEIGHT_A | position)
    for position, term in enumerate(body_terms, len(title_terms) + 1):
        found[term].append(WEIGHT_B | position)
    encoded = {term.encode(): at[:POSITIONS_KEPT] for term, at in found.items()}
    if sum(map(len, encoded)) > LEXEMES_BYTES or max(map(len, encoded), default=0) > LONGEST_LEXEME:
        return _positions_with_limits(title_terms, body_terms)
    return encoded


def _positions_with_limits(title_terms: list[str], body_terms: list[str]) -> dict[bytes, list[int]]:
    """positions, word by word: past MAX_POSITION words share the last position (recorded
    once per lexeme), and a lexeme too long, or past the vector's room, is left out."""
    found: dict[str, list[int]] = {}
    position = 0
    lexemes_bytes = 0
    for weight, terms in ((WEIGHT_A, title_terms), (WEIGHT_B, body_terms)):
        for term in terms:
            if position < MAX_POSITION:
                position += 1
            at = found.get(term)
            if at is None:
                lexeme = term.encode()
                if len(lexeme) > LONGEST_LEXEME or lexemes_bytes + len(lexeme) > LEXEMES_BYTES:
                    continue
                lexemes_bytes += len(lexeme)
                found[term] = [weight | position]
            elif len(at) < POSITIONS_KEPT and at[-1] & MAX_POSITION < position:
                at.append(weight | position)
    return {term.encode(): at for term, at in found.items()}


def binary(title: str, body: str) -> bytes:
    """The vector in PostgreSQL's binary form: the count of lexemes, then each lexeme in
    byte order, NUL-terminated, with its count of positions and the positions (16 bits
    each, big-endian)."""
    found = positions(title, body)
    parts = [_COUNT.pack(len(found))]
    for lexeme in sorted(found):
        at = found[lexeme]
        parts.append(lexeme + b"\0" + struct.pack(f">{len(at) + 1}H", len(at), *at))
    return b"".join(parts)


def text(title: str, body: str) -> str:
    """The vector as a tsvector literal: 'lexeme':1A,5B ... (quotes and backslashes escaped)."""
    found = positions(title, body)
    return " ".join(
        "'" + lexeme.decode().replace("\\", "\\\\").replace("'", "''") + "':"
        + ",".join(f"{at & MAX_POSITION}{_WEIGHT_LETTERS[at & ~MAX_POSITION]}" for at in found[lexeme])
        for lexeme in sorted(found)
    )  # fmt: skip
