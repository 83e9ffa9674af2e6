"""Where the tests run: CI or not, the repository and the shared archive, loopback ports, and
the test database as another process (a worker, `pressroom serve`) reaches it."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("PRESSROOM_SHARED_DIR", REPO_ROOT.parent / "shared"))
SEED_FILE = SHARED_DIR / "seeds" / "000_794770668342d17e.txt"
IN_CI = os.environ.get("CI", "").lower() == "true"
# The public address the feeds and API tests run under (PRESSROOM_BASE_URL).
BASE_URL = "https://press.example.test"


def skip_or_fail(reason: str) -> None:
    """Something a test needs is missing here: skip locally, fail under CI=true."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def require_shared_file(path: Path) -> Path:
    """The real archive files live outside the project: skip without them, but fail in CI."""
    if not path.exists():
        skip_or_fail(
            f"{path} is missing (the real release lives in ../shared, not in this project)"
        )
    return path


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The database of this test, as a DATABASE_URL for another process."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"
