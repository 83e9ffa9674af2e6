"""How the worker learns at once that there is new work, without a minute-long sweep.

The worker sleeps until the next due delivery or until it is woken, whichever is first:

* PostgreSQL: `NOTIFY pressroom_distribution` inside the move's transaction (PostgreSQL delivers
  it at commit, never for a rollback); the worker LISTENs on its own connection.
* Redis (tasks backend `rq`, any database): a message on the `pressroom:distribution` channel
  after commit; the worker subscribes.
* SQLite alone: no cross-process signal, so every `SQLITE_POLL_SECONDS` the worker reads
  `PRAGMA data_version` (it changes when any other connection commits) and only then runs its
  indexed queries (earliest pending delivery, events to fan out). Measured with 100,000 pending
  deliveries (bench/distribution/README.md): the pragma costs about 50 microseconds, while the
  dispatcher's queries through the ORM cost about 2.4 ms, so an idle worker runs them once a
  second (housekeeping) instead of ten times.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger("pressroom.distribution")

CHANNEL = "pressroom_distribution"
REDIS_CHANNEL = "pressroom:distribution"
SQLITE_POLL_SECONDS = 0.1
# The longest the worker sleeps even when woken by a signal: heartbeats and recovery run then.
MAX_SLEEP_SECONDS = 1.0


def _redis_client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL or "redis://127.0.0.1:6379/0")


def notify_worker() -> None:
    """Tell the worker(s) that the outbox changed. Inside a transaction: takes effect at commit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")
    elif settings.PRESSROOM_TASKS_BACKEND == "rq":
        transaction.on_commit(_publish_to_redis)


def _publish_to_redis() -> None:
    try:
        _redis_client().publish(REDIS_CHANNEL, "1")
    except Exception:  # the worker's poll still finds the work
        logger.warning("could not publish the wake-up signal to Redis", exc_info=True)


class WakeSource:
    """Block until woken or until `timeout` seconds pass."""

    longest_wait = MAX_SLEEP_SECONDS

    def wait(self, timeout: float) -> None:
        time.sleep(max(0.0, min(timeout, self.longest_wait)))

    def close(self) -> None:
        pass


class Polling(WakeSource):
    """SQLite: every SQLITE_POLL_SECONDS read `PRAGMA data_version`, which changes when another
    connection commits; only then (or at the timeout) does the dispatcher run its queries."""

    def __init__(self) -> None:
        self._version = self._data_version()

    @staticmethod
    def _data_version() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA data_version")
            return cursor.fetchone()[0]

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + max(0.0, min(timeout, self.longest_wait))
        while (remaining := deadline - time.monotonic()) > 0:
            time.sleep(min(SQLITE_POLL_SECONDS, remaining))
            version = self._data_version()
            if version != self._version:
                self._version = version
                return


class PostgresListen(WakeSource):
    """LISTEN on a connection of its own. When the server restarts, that connection dies: the
    wait then sleeps its timeout (the dispatcher's own queries find due work meanwhile) and
    the next wait listens on a new connection."""

    def __init__(self) -> None:
        self._params = connection.get_connection_params()
        self._connection = None
        self._listen()

    def _listen(self) -> None:
        import psycopg

        self._connection = psycopg.connect(autocommit=True, **self._params)
        self._connection.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> None:
        import psycopg

        timeout = max(0.0, min(timeout, self.longest_wait))
        started = time.monotonic()
        try:
            if self._connection is None or self._connection.closed:
                self._listen()
            for _ in self._connection.notifies(timeout=timeout, stop_after=1):
                break
            # Drain the rest: one wake-up covers every notification that arrived meanwhile.
            for _ in self._connection.notifies(timeout=0, stop_after=1000):
                pass
        except psycopg.Error:
            self.close()
            # A notification may have been missed: wake no later than a short poll would.
            time.sleep(max(0.0, min(timeout, 0.5) - (time.monotonic() - started)))

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # already broken; nothing to release
                pass
            self._connection = None


class RedisSubscribe(WakeSource):
    def __init__(self) -> None:
        self._pubsub = _redis_client().pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(REDIS_CHANNEL)

    def wait(self, timeout: float) -> None:
        from redis.exceptions import RedisError

        timeout = max(0.0, min(timeout, self.longest_wait))
        deadline = time.monotonic() + timeout
        try:
            message = self._pubsub.get_message(timeout=timeout)
            while message is None and time.monotonic() < deadline:
                message = self._pubsub.get_message(timeout=deadline - time.monotonic())
            while self._pubsub.get_message(timeout=0) is not None:
                pass
        except RedisError:
            # Redis restarting: sleep a short poll's worth; redis-py subscribes again on the
            # next call once the server is back.
            time.sleep(max(0.0, min(deadline, time.monotonic() + 0.5) - time.monotonic()))

    def close(self) -> None:
        self._pubsub.close()


def wake_source() -> WakeSource:
    """The best signal this deployment has (see the module docstring)."""
    if connection.vendor == "postgresql":
        return PostgresListen()
    if settings.PRESSROOM_TASKS_BACKEND == "rq":
        return RedisSubscribe()
    return Polling()


class LocalBell:
    """Wakes the worker's own sending threads when the dispatcher has queued a batch."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._rings = 0

    def ring(self) -> None:
        with self._condition:
            self._rings += 1
            self._condition.notify_all()

    def wait(self, timeout: float) -> None:
        with self._condition:
            seen = self._rings
            self._condition.wait_for(lambda: self._rings != seen, timeout=timeout)
