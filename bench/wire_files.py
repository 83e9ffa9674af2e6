"""A seeded generator of fictional sample releases in the wire format, one file each.

    python -m bench.wire_files --count 100000 --out /tmp/wire

The same seed gives the same files. The first `today` files are issued today (Hong Kong) at
times already past, so a day index holds them; the rest spread over earlier days. Text comes
from the search benchmark's vocabulary generator (synthetic words, marked as samples).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from pressroom.wire.model import Block, BlockKind, Language, ParsedRelease
from pressroom.wire.render import render

HONG_KONG = dt.timezone(dt.timedelta(hours=8))
WORDS = (
    "sample department announced programme district harbour transport review public "
    "health schools water supply weather warning typhoon signal exhibition museum "
    "library housing estate market survey licence tender contract road works "
    "community centre volunteers visitors festival season results figures"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def sample_release(rng: random.Random, day: dt.date, time: dt.time, serial: int) -> ParsedRelease:
    paragraphs = tuple(
        Block(
            BlockKind.PARAGRAPH,
            text=" ".join(_sentence(rng, rng.randint(8, 24)) for _ in range(rng.randint(2, 5))),
        )  # fmt: skip
        for _ in range(rng.randint(3, 9))
    )
    title = f"Sample: {_sentence(rng, rng.randint(4, 9))[:-1]} ({serial})"
    return ParsedRelease(
        language=Language.EN, title=title, body=paragraphs, issue_date=day, issue_time=time,
        reference=f"P{day:%Y%m%d}{serial % 100000:05d}",
    )  # fmt: skip


def generate(out: Path, count: int, *, today_count: int = 100, seed: int = 20231103,
             now: dt.datetime | None = None) -> list[Path]:  # fmt: skip
    rng = random.Random(seed)
    now = (now or dt.datetime.now(HONG_KONG)).astimezone(HONG_KONG)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    # Past days hold 150 to 260 releases each, as real ones vary: a day rarely ends where an
    # import batch does (a fixed 200 a day once lined up with the importer's batches of 200
    # and hid how it stored the pages after a batch's edge).
    day_number, serial, left_in_day = 0, 10000, 0
    for number in range(count):
        if number >= today_count and left_in_day == 0:
            day_number, serial, left_in_day = day_number + 1, 10000, rng.randint(150, 260)
        if number < today_count:
            # Spread over the part of today already past (at least a minute ago).
            minutes_past = max(1, (now.hour * 60 + now.minute) - 1)
            minute = rng.randrange(0, minutes_past)
            day, time = now.date(), dt.time(minute // 60, minute % 60)
            serial = 90000 + number
        else:
            day = now.date() - dt.timedelta(days=day_number)
            time = dt.time(rng.randint(7, 22), rng.randint(0, 59))
            left_in_day -= 1
            serial += 1
        parsed = sample_release(rng, day, time, serial)
        path = out / f"{parsed.reference}.txt"
        path.write_text(render(parsed), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--today", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20231103)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    paths = generate(args.out, args.count, today_count=args.today, seed=args.seed)
    print(f"{len(paths)} files in {args.out}")


if __name__ == "__main__":
    main()
