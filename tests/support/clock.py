"""Time under the test's control.

Wall-clock time (`timezone.now()`, `time.time()`) is moved with time-machine: the `clock`
fixture (tests/support/fixtures.py) stops it at NOW. time-machine leaves `time.monotonic()` and
`time.sleep()` alone, so code that measures waits and leases with them, or sleeps until an
instant, gets a `ManualClock` in its module: it moves only when the test moves it or the code
sleeps, so no test waits for real seconds or depends on how busy the machine is.
"""

from __future__ import annotations

import datetime as dt
import time
from types import ModuleType

from pressroom.releases.models import HONG_KONG


def hong_kong(year, month, day, hour=16, minute=0, second=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=HONG_KONG)


# The afternoon of Friday, November 3, 2023 in Hong Kong: "now" in the tests that stop the clock.
NOW = hong_kong(2023, 11, 3, 18, 0)


class ManualClock:
    """Stands in for the `time` module inside a module under test: `monotonic()` reads this
    clock, and it moves only when the test calls `advance()` or the code calls `sleep()`, which
    returns at once (the seconds asked for are noted in `slept`). Given time-machine's
    traveller (`wall=time_machine`), both move the wall clock by as much: code that sleeps
    until an instant of `timezone.now()` then wakes at that instant, exactly. Everything else
    is the real `time` module's."""

    def __init__(self, wall=None, start: float = 1000.0) -> None:
        self.wall = wall
        self.now = start
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
        if self.wall is not None:
            self.wall.shift(seconds)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)

    def __getattr__(self, name: str):
        return getattr(time, name)

    def install(self, monkeypatch, *modules: ModuleType) -> ManualClock:
        """Put this clock in place of `time` in each module (which must `import time`)."""
        for module in modules:
            assert getattr(module, "time", None) is time, (
                f"{module.__name__} does not `import time`: the test's clock cannot reach it"
            )
            monkeypatch.setattr(module, "time", self)
        return self
