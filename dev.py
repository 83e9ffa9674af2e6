#!/usr/bin/env python3
"""The two commands a newcomer needs: `python3 dev.py serve` and `python3 dev.py test`.

Standard library only, because it runs before anything is installed. Both commands make the
virtual environment `.venv` in the checkout when it is missing and (re)install Pressroom into
it when pyproject.toml has changed, then:

  serve [ADDR:PORT] [options]   migrate, load the sample releases, run the site
                                (default http://127.0.0.1:8000/)
  test [pytest options]         the whole test suite on SQLite, then again on PostgreSQL
  lint                          ruff (the lint rules and the format) and import-linter (the
                                layers), as configured in pyproject.toml
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / "bin"
INSTALL_STAMP = VENV / ".pressroom-install-stamp"
DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() == "true"
# pytest's closing line: "==== 12 passed, 1 skipped in 3.45s ====" (no "=" with -q).
SUMMARY_LINE = re.compile(
    r"^=*\s*(\d+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)"
    r"|no tests ran)\b.* in [\d.]+s\b.*$"
)
NO_TESTS_COLLECTED = 5
# Two pytest-xdist workers: measured 17s against 26s in one process on a two-core machine, and
# the browser tests' live_server works per worker. `-n 0` runs in one process (e.g. for --pdb).
DEFAULT_PYTEST_WORKERS = ["-n", "2"]


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def run(command: list[str], **kwargs) -> None:
    """Run a set-up step; stop with its exit code when it fails."""
    completed = subprocess.run(command, cwd=ROOT, **kwargs)
    if completed.returncode != 0:
        say(f"failed ({completed.returncode}): {' '.join(command)}")
        sys.exit(completed.returncode)


def install_fingerprint() -> str:
    """What the installed environment depends on: the project's metadata and the Python."""
    digest = hashlib.sha256(sys.version.encode())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create .venv and install `-e .[test]`, skipping the install when nothing changed."""
    if not (VENV_BIN / "python").exists():
        say(f"creating the virtual environment {VENV}")
        completed = subprocess.run([sys.executable, "-m", "venv", str(VENV)], cwd=ROOT)
        if completed.returncode != 0:
            say("could not create .venv; on Debian or Ubuntu install python3-venv first")
            sys.exit(1)
    fingerprint = install_fingerprint()
    if INSTALL_STAMP.exists() and INSTALL_STAMP.read_text().strip() == fingerprint:
        return
    say("installing Pressroom and its test tools into .venv (first run or pyproject.toml changed)")
    pip = [str(VENV_BIN / "python"), "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "install", "--quiet", "--editable", ".[test]"])
    INSTALL_STAMP.write_text(fingerprint + "\n")


def pressroom(*args: str) -> list[str]:
    return [str(VENV_BIN / "pressroom"), *args]


# The embedded demo's settings, unless set in the environment. It is a one-person office: one
# person may write, approve and publish (the four-eyes rule is off); and its newsrooms are
# receivers on this machine, whose addresses production refuses (docs/settings.md).
DEMO_SETTINGS = {"PRESSROOM_FOUR_EYES": "false", "PRESSROOM_WEBHOOK_ALLOW_PRIVATE": "true"}


def serve(args: list[str]) -> None:
    ensure_environment()
    for name, value in DEMO_SETTINGS.items():
        os.environ.setdefault(name, value)  # what the user set wins
    run(pressroom("migrate", "--verbosity", "0"))
    run(pressroom("loaddemo"))
    if not args or args[0].startswith("-"):
        args = ["127.0.0.1:8000", *args]
    command = pressroom("serve", *args)
    # Replace this process so Ctrl-C and signals go straight to the server.
    os.execv(command[0], command)


def postgres_reachable(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 3):
            return True
    except OSError:
        return False


def pytest_pass(name: str, extra_env: dict[str, str], args: list[str]) -> tuple[int, str]:
    """One run of the suite in its own data folder; returns the exit code and summary line."""
    say(f"test pass on {name}")
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(extra_env)
    summary = ""
    with tempfile.TemporaryDirectory(prefix=f"pressroom-test-{name.lower()}-") as data_dir:
        environment["PRESSROOM_DATA_DIR"] = data_dir
        command = [str(VENV_BIN / "python"), "-m", "pytest", *args]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if SUMMARY_LINE.match(line.strip()):
                summary = line.strip().strip("=").strip()
        returncode = process.wait()
    return returncode, summary


def describe(returncode: int) -> str:
    if returncode == 0:
        return "ok"
    if returncode == NO_TESTS_COLLECTED:
        return "FAILED: no tests were collected"
    return f"FAILED (pytest exit code {returncode})"


def with_default_workers(args: list[str]) -> list[str]:
    own_choice = ("-n", "--numprocesses", "--pdb", "--trace")
    chooses_own = any(arg.startswith(own_choice) for arg in args)
    return args if chooses_own else [*DEFAULT_PYTEST_WORKERS, *args]


def test(args: list[str]) -> None:
    ensure_environment()
    args = with_default_workers(args)
    passes: list[tuple[str, int, str]] = []
    started = time.monotonic()

    code, summary = pytest_pass("SQLite", {}, args)
    passes.append(("SQLite", code, summary))

    postgres_url = os.environ.get("PRESSROOM_TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)
    if postgres_reachable(postgres_url):
        code, summary = pytest_pass("PostgreSQL", {"DATABASE_URL": postgres_url}, args)
        passes.append(("PostgreSQL", code, summary))
    elif IN_CI:
        passes.append(("PostgreSQL", 1, f"not reachable at {postgres_url}"))
    else:
        say(
            f"PostgreSQL is not reachable at {postgres_url}: skipping the PostgreSQL pass "
            "(set PRESSROOM_TEST_DATABASE_URL to point elsewhere)"
        )

    print()
    for name, code, summary in passes:
        say(f"{name:<10} {describe(code)}  {summary}")
    say(f"total {time.monotonic() - started:.0f}s")
    failed = [code for _, code, _ in passes if code != 0]
    sys.exit(failed[0] if failed else 0)


LINTED = ["pressroom", "tests", "bench", "dev.py"]


def lint(args: list[str]) -> None:
    """ruff check and ruff format --check over the tree, then the import contracts
    (lint-imports: imports run down the layers, no cycles). .ci/run runs it before the tests."""
    ensure_environment()
    ruff = str(VENV_BIN / "ruff")
    checked = subprocess.run([ruff, "check", *args, *LINTED], cwd=ROOT).returncode
    formatted = subprocess.run([ruff, "format", "--check", *LINTED], cwd=ROOT).returncode
    layered = subprocess.run(
        [str(VENV_BIN / "lint-imports"), "--no-cache", "--no-logo"], cwd=ROOT
    ).returncode
    if checked or formatted:
        say(
            "ruff found problems: `.venv/bin/ruff check --fix` and `.venv/bin/ruff format` mend most"
        )
    if layered:
        say("an import runs up the layers or closes a cycle: see docs/architecture.md (Layers)")
    if checked or formatted or layered:
        sys.exit(1)
    say("lint ok")


COMMANDS = {"serve": serve, "test": test, "lint": lint}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__.strip().split("\n\n", 1)[1])
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in {"-h", "--help"} else 2)
    if sys.version_info < (3, 11):  # noqa: UP036 (an older Python is told so, not a traceback)
        say(f"Pressroom needs Python 3.11 or newer; this is {sys.version.split()[0]}")
        sys.exit(1)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
