"""A seeded synthetic archive: half English, half Chinese releases of realistic length.

Text is drawn from `words.py` with a Zipf-like frequency curve; lengths follow a log-normal
curve (English bodies around 300 words, Chinese around 550 characters, a long tail of long
releases). The same seed always gives the same archive.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from bench.search import words

FIRST_DAY = dt.datetime(1998, 1, 1, tzinfo=dt.UTC)
SPAN_SECONDS = int((dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - FIRST_DAY).total_seconds())


@dataclass(frozen=True)
class SyntheticRelease:
    number: int
    language: str  # en or zh-Hant
    title: str
    body: list[str]  # paragraphs
    issue_instant: dt.datetime
    department: int  # index into words.DEPARTMENTS
    category: int  # index into words.CATEGORIES


NAME_COUNT = 50_000
# Releases per seeded stream (and per batch the loader writes).
CHUNK = 5_000


def synthetic_names(seed: int) -> tuple[list[str], list[str]]:
    """NAME_COUNT English names ("Kwai Lok Shan") and Chinese names ("葵樂山"), seeded."""
    rnd = random.Random(seed + 1)
    english, chinese = set(), set()
    while len(english) < NAME_COUNT:
        parts = rnd.sample(words.NAME_SYLLABLES, rnd.choice((2, 2, 3)))
        english.add(" ".join(part.capitalize() for part in parts))
    while len(chinese) < NAME_COUNT:
        chinese.add("".join(rnd.sample(words.NAME_CHARACTERS, rnd.choice((2, 3, 3, 4)))))
    return sorted(english), sorted(chinese)


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


class Generator:
    def __init__(self, seed: int = 20231103):
        self.seed = seed
        self.random = random.Random(seed)
        self.english = words.ENGLISH_FUNCTION + words.ENGLISH_CONTENT
        self.english_cum = _zipf_weights(len(self.english), 0.9)
        self.chinese = words.CHINESE_FUNCTION + words.CHINESE_WORDS
        self.chinese_cum = _zipf_weights(len(self.chinese), 0.8)
        self.names_en, self.names_zh = synthetic_names(seed)
        self.names_cum = _zipf_weights(NAME_COUNT, 0.7)

    def releases(self, count: int, first: int = 0) -> Iterator[SyntheticRelease]:
        """Releases number `first` to `first + count - 1`.

        Each run of CHUNK numbers has its own seeded random stream, so a chunk comes out the
        same whichever process makes it and in whatever order (the loader makes them in
        parallel); `first` is therefore a multiple of CHUNK.
        """
        if first % CHUNK:
            raise ValueError(f"first must be a multiple of {CHUNK}")
        for number in range(first, first + count):
            if number % CHUNK == 0:
                self.random = random.Random(f"{self.seed}/{number // CHUNK}")
            language = "en" if number % 2 == 0 else "zh-Hant"
            yield self.release(number, language)

    def release(self, number: int, language: str) -> SyntheticRelease:
        rnd = self.random
        names = self.names_en if language == "en" else self.names_zh
        self.topics = rnd.choices(names, cum_weights=self.names_cum, k=3)
        if language == "en":
            title = self.topics[0] + " " + self._english_sentence(rnd.randint(4, 10)).rstrip(".")
            body = self._paragraphs(self._english_sentence, self._length(300), 18)
        else:
            title = self.topics[0] + self._chinese_clause(rnd.randint(3, 7))
            body = self._paragraphs(self._chinese_sentence, self._length(550) // 2, 30)
        return SyntheticRelease(
            number=number,
            language=language,
            title=title,
            body=body,
            issue_instant=FIRST_DAY + dt.timedelta(seconds=rnd.randrange(SPAN_SECONDS)),
            department=min(int(rnd.expovariate(1 / 8)), len(words.DEPARTMENTS) - 1),
            category=rnd.randrange(len(words.CATEGORIES)),
        )

    def _length(self, median: int) -> int:
        return max(20, int(median * math.exp(self.random.gauss(0, 0.6))))

    def _paragraphs(self, sentence, units: int, per_sentence: int) -> list[str]:
        """About `units` words (English) or words of 2 characters (Chinese), in paragraphs."""
        rnd = self.random
        paragraphs, current, made = [], [], 0
        while made < units:
            length = rnd.randint(per_sentence // 2, per_sentence * 3 // 2)
            current.append(sentence(length))
            made += length
            if len(current) >= rnd.randint(2, 5):
                paragraphs.append(current)
                current = []
        if current:
            paragraphs.append(current)
        joiner = " " if sentence == self._english_sentence else ""
        return [joiner.join(paragraph) for paragraph in paragraphs]

    def _english_sentence(self, length: int) -> str:
        rnd = self.random
        chosen = rnd.choices(self.english, cum_weights=self.english_cum, k=length)
        if rnd.random() < 0.4:
            chosen.insert(rnd.randrange(len(chosen)), rnd.choice(words.ENGLISH_PHRASES))
        if rnd.random() < 0.3:
            chosen.insert(rnd.randrange(len(chosen)), str(rnd.randint(2, 2000)))
        if rnd.random() < 0.5:
            chosen.insert(rnd.randrange(len(chosen)), rnd.choice(self.topics))
        text = " ".join(chosen)
        return text[0].upper() + text[1:] + "."

    def _chinese_clause(self, length: int) -> str:
        return "".join(self.random.choices(self.chinese, cum_weights=self.chinese_cum, k=length))

    def _chinese_sentence(self, length: int) -> str:
        rnd = self.random
        clauses = []
        while length > 0:
            size = min(length, rnd.randint(3, 8))
            clauses.append(self._chinese_clause(size))
            length -= size
        if rnd.random() < 0.3:
            clauses.append(f"{rnd.randint(2, 2000)}宗")
        if rnd.random() < 0.5:
            clauses.insert(rnd.randrange(len(clauses)), rnd.choice(self.topics))
        return "，".join(clauses) + "。"
