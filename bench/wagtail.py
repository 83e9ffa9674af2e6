"""The stock Wagtail peer (bench/wagtail_site), built and served for one bench run.

Its virtual environment is bench/.venv-wagtail (git-ignored), made from
bench/wagtail_site/requirements.txt on the first run and whenever that file changes. The site
gets a PostgreSQL database of its own, loads Pressroom's export of the same releases, and runs
under gunicorn with as many sync workers as Pressroom has web workers; everything started here
is stopped here, by PID, and the database dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.stack import POSTGRES_SERVER, fetch, free_port

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "bench" / "wagtail_site"
VENV = ROOT / "bench" / ".venv-wagtail"
REQUIREMENTS = SITE / "requirements.txt"


def ensure_environment() -> Path:
    """bench/.venv-wagtail with exactly the pinned packages; returns its python."""
    python = VENV / "bin" / "python"
    stamp = VENV / "requirements.sha256"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    base = Path(getattr(sys, "_base_executable", sys.executable))
    subprocess.run([str(base), "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)],
                   check=True, capture_output=True, timeout=900)  # fmt: skip
    stamp.write_text(wanted)
    return python


def _admin_sql(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(statement)


class WagtailSite:
    """`with WagtailSite(work, export, workers=2) as site:` then site.url(path)."""

    def __init__(
        self, work: Path, export: Path, workers: int = 2, postgres_server: str = POSTGRES_SERVER
    ):
        self.work = Path(work)
        # The same PostgreSQL server as Pressroom's in the same run.
        self.postgres_server = postgres_server
        self.export = export
        self.workers = workers
        self.database = f"pressroom_wagtail_{secrets.token_hex(4)}"
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.python: Path | None = None

    @property
    def env(self) -> dict[str, str]:
        keep = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PRESSROOM_", "DATABASE_URL", "PYTHON"))
        }
        return {**keep, "DATABASE_URL": f"{self.postgres_server}/{self.database}",
                "WAGTAIL_BENCH_DATA": str(self.work / "data"), "DJANGO_SETTINGS_MODULE": "comparison.settings"}  # fmt: skip

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def manage(self, *args: str, timeout: float = 1800) -> str:
        completed = subprocess.run([str(self.python), "manage.py", *args], cwd=SITE, env=self.env,
                                   capture_output=True, text=True, timeout=timeout)  # fmt: skip
        if completed.returncode != 0:
            raise RuntimeError(f"wagtail manage.py {args[0]} failed: {completed.stderr[-800:]}")
        return completed.stdout

    def __enter__(self) -> WagtailSite:
        self.python = ensure_environment()
        self.work.mkdir(parents=True, exist_ok=True)
        _admin_sql(self.postgres_server, f'CREATE DATABASE "{self.database}"')
        try:
            self.manage("migrate", "--verbosity", "0")
            self.loaded = self.manage("load_releases", str(self.export)).strip()
            log = open(self.work / "gunicorn.log", "ab")
            self.process = subprocess.Popen(
                [str(VENV / "bin" / "gunicorn"), "--workers", str(self.workers), "--bind",
                 f"127.0.0.1:{self.port}", "--control-socket", str(self.work / "gunicorn.ctl"), "comparison.wsgi"],
                cwd=SITE, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
            self._wait()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.work / 'gunicorn.log'}")
            with contextlib.suppress(OSError):
                if fetch(self.url("/"), timeout=5).status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError("the Wagtail site did not answer in time")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(Exception):
            _admin_sql(
                self.postgres_server, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'
            )
