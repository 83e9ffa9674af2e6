"""Riding out a database that goes away for a while (a restart, a dropped connection).

The worker's threads (dispatcher.py, runner.py), its batches (tasks.py) and its start-up
(`pressroom worker`) share one rule: close the broken connection, pause 0.1 s doubling to 2 s,
log once when the database goes and once when it is back, and try again.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import DatabaseError, InterfaceError, connection

logger = logging.getLogger("pressroom.distribution")


class DatabaseOutage:
    """Pauses between rounds while the database cannot be reached: 0.1 s doubling to 2 s, one
    log line when it starts and one when it ends, and a fresh connection for each try."""

    FIRST_PAUSE = 0.1
    LONGEST_PAUSE = 2.0

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.started: float | None = None
        self.pause = self.FIRST_PAUSE

    def wait(self, error: Exception) -> None:
        if self.started is None:
            self.started = time.monotonic()
            logger.warning("database unavailable (%s); trying again", str(error).strip() or error)
        # The broken connection is of no use to the next try; Django opens a new one.
        try:
            connection.close()
        except (DatabaseError, InterfaceError):
            pass
        self.stop.wait(self.pause)
        self.pause = min(self.pause * 2, self.LONGEST_PAUSE)

    def over(self) -> None:
        if self.started is not None:
            logger.warning("database back after %.1f s", time.monotonic() - self.started)
            self.started = None
            self.pause = self.FIRST_PAUSE
