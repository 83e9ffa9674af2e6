"""The `pressroom` command as a person runs it: a real process, its output and exit code."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from pressroom.core.management.commands.serve import Command as ServeCommand
from tests.support.environment import free_port


def pressroom_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pressroom", *args]


@pytest.fixture
def cli_env(tmp_path):
    """An environment of its own: a fresh data folder and always SQLite.

    The server and commands here are separate processes; under the PostgreSQL pass they would
    otherwise all share DATABASE_URL's real database with every xdist worker at once.
    """
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment["PRESSROOM_DATA_DIR"] = str(tmp_path / "data")
    return environment


def run_pressroom(env, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        pressroom_command(*args), env=env, capture_output=True, text=True, timeout=timeout
    )


def test_help_names_the_everyday_commands_in_words(cli_env):
    result = run_pressroom(cli_env, "--help")
    assert result.returncode == 0, result.stderr
    for command in ("serve", "migrate", "createsuperuser", "loaddemo", "import", "export"):
        assert f"\n  {command}" in result.stdout
    assert "PRESSROOM_DATA_DIR" in result.stdout
    assert "docs/settings.md" in result.stdout


def test_serve_help_explains_the_address_and_workers():
    text = ServeCommand().create_parser("pressroom", "serve").format_help()
    assert "ADDR:PORT" in text
    assert "PRESSROOM_WEB_WORKERS" in text
    assert "granian" in text


def wait_for_page(url: str, process: subprocess.Popen, deadline: float) -> tuple[int, str]:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited early: {process.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url}")


def test_serve_answers_on_its_port_and_stops_cleanly_on_ctrl_c(cli_env):
    assert run_pressroom(cli_env, "migrate", "--verbosity", "0").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        pressroom_command("serve", f"127.0.0.1:{port}", "--workers", "1"),
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status, page = wait_for_page(f"http://127.0.0.1:{port}/", server, time.monotonic() + 30)
        assert status == 200
        assert "<html" in page
        server.send_signal(signal.SIGINT)
        stdout, stderr = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, stderr
    assert f"http://127.0.0.1:{port}/" in stdout
    assert "Traceback" not in stderr


def children_of(pid: int) -> set[int]:
    """Live processes whose parent is `pid` (from /proc: Linux)."""
    children = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    # "pid (name) state ppid ...": the name may hold spaces, so split after ")".
                    state, ppid = stat.read().rsplit(")", 1)[1].split()[:2]
            except OSError:
                continue
            if int(ppid) == pid and state != "Z":
                children.add(int(entry))
    return children


def is_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_serve_takes_its_workers_and_task_worker_with_it(cli_env):
    """`kill -9` of `pressroom serve` (the out-of-memory killer, a supervisor's last resort)
    gives its web workers and its task worker no chance to be told: they must notice
    themselves, or they keep the port and a new `pressroom serve` cannot start."""
    assert run_pressroom(cli_env, "migrate", "--verbosity", "0").returncode == 0
    port = free_port()
    server = subprocess.Popen(
        pressroom_command("serve", f"127.0.0.1:{port}", "--workers", "2"),
        env=cli_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: set[int] = set()
    try:
        wait_for_page(f"http://127.0.0.1:{port}/", server, time.monotonic() + 30)
        deadline = time.monotonic() + 30
        # Two web workers and the task worker (the database tasks backend is the default).
        while len(children) < 3 and time.monotonic() < deadline:
            children = children_of(server.pid)
            time.sleep(0.1)
        assert len(children) == 3, children
        server.kill()
        server.wait()
        # The port is free at once; a worker may finish a request in flight first.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not any(is_alive(child) for child in children) and port_is_free(port):
                break
            time.sleep(0.1)
        survivors = {child for child in children if is_alive(child)}
        assert not survivors, f"orphans of the killed server still run: {survivors}"
        assert port_is_free(port), f"port {port} is still taken after the server was killed"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for child in children:
            if is_alive(child):
                os.kill(child, signal.SIGKILL)


def test_serve_on_a_port_in_use_says_so_without_a_traceback(cli_env):
    with socket.socket() as occupant:
        occupant.bind(("127.0.0.1", 0))
        occupant.listen()
        port = occupant.getsockname()[1]
        result = run_pressroom(cli_env, "serve", f"127.0.0.1:{port}")
    assert result.returncode != 0
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "address, explanation",
    [
        ("nonsense", "expected PORT or ADDR:PORT"),
        ("127.0.0.1:http", "expected PORT or ADDR:PORT"),
        ("example.org:8000", "is not an IP address"),
        ("1.2.3.4:99999", "between 1 and 65535"),
    ],
)
def test_serve_with_a_bad_address_explains_the_expected_form(db, address, explanation):
    with pytest.raises(CommandError) as error:
        call_command("serve", address)
    assert repr(address) in str(error.value)
    assert explanation in str(error.value)


def test_every_command_in_the_overview_exists():
    """The overview is written by hand; a renamed or missing command must not linger in it."""
    import re

    from django.core.management import get_commands

    from pressroom.cli import OVERVIEW

    named = re.findall(r"^  ([a-z][a-z-]*)\b", OVERVIEW, flags=re.MULTILINE)
    assert len(named) > 15
    missing = sorted(set(named) - set(get_commands()))
    assert not missing, f"the overview names commands that do not exist: {missing}"
