"""Waiting for something to happen in another thread or process.

A test waits for an event (a row, an arrival, a page, a line in a log) and never asserts how
long it took: the bound only stops a hang, so it is generous. Speed is measured in bench/.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float, every: float = 0.05) -> T:
    """Ask `condition()` every `every` seconds until it gives something true, and return that;
    after `timeout` seconds return its last answer (false) for the test to assert on."""
    deadline = time.monotonic() + timeout
    while not (answer := condition()) and time.monotonic() < deadline:
        time.sleep(every)
    return answer
