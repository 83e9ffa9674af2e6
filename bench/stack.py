"""The production stack on loopback, for the stack test and the benchmarks.

PostgreSQL (a database of its own on the machine's server, or with `private_postgres` a
cluster of its own that it may restart: initdb in a temporary folder, its own port), Redis
(cache and task queue),
`pressroom serve` with several granian workers, `pressroom worker` processes (when the command
exists) and nginx with the configuration `pressroom nginxconf --standalone` renders. Every port
is a free one on 127.0.0.1; every process is started here and stopped here, by PID.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PRESSROOM = str(VENV_BIN / "pressroom")
POSTGRES_SERVER = os.environ.get("PRESSROOM_STACK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_SERVER = os.environ.get("PRESSROOM_STACK_REDIS", "redis://127.0.0.1:6379")


class StackError(RuntimeError):
    """A part of the stack did not start; the message names it and where its log is."""


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl (PRESSROOM_STACK_PG_BIN, else Debian's newest)."""
    if os.environ.get("PRESSROOM_STACK_PG_BIN"):
        return Path(os.environ["PRESSROOM_STACK_PG_BIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PrivateCluster:
    """A PostgreSQL cluster of the stack's own, so that it can be restarted (bench/faults.py)
    without touching the machine's server that other people use.

    initdb refuses to run as root: as root, the cluster belongs to the `postgres` system user.
    Trust authentication, listening on 127.0.0.1 only, on a free port; stopped and removed on
    the way out.
    """

    def __init__(self):
        self.bin = postgres_bin()
        if self.bin is None:
            raise StackError("a private PostgreSQL cluster needs initdb and pg_ctl "
                             "(apt-get install postgresql, or set PRESSROOM_STACK_PG_BIN)")  # fmt: skip
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="pressroom-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.user = None
        if os.geteuid() == 0:
            import pwd

            self.user = "postgres"
            owner = pwd.getpwnam(self.user)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.started = False

    @property
    def server(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        completed = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                                   user=self.user, cwd=self.folder)  # fmt: skip
        if completed.returncode != 0:
            raise StackError(f"{Path(args[0]).name} failed ({completed.returncode}):\n"
                             f"{completed.stdout[-1000:]}{completed.stderr[-2000:]}")  # fmt: skip

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync")  # fmt: skip
        self._pg_ctl("start")
        self.started = True

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run(str(self.bin / "pg_ctl"), action, "-D", str(self.data), "-l", str(self.log),
                  "-w", "-t", "60", "-o", options, *extra)  # fmt: skip

    def restart(self) -> float:
        """Stop (fast: sessions are ended) and start again; returns the seconds it took."""
        started = time.monotonic()
        self._pg_ctl("restart", "-m", "fast")
        return time.monotonic() - started

    def pause(self) -> None:
        """Stop the server (fast: sessions are ended) and keep its data, until `resume`."""
        self._pg_ctl("stop", "-m", "fast")

    def resume(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(Exception):
                self._pg_ctl("stop", "-m", "fast")
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    """Direct child processes (granian's workers under its main process), from /proc."""
    found = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(child) for child in text)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False  # a zombie: exited, not yet reaped
    return True


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def fetch(url: str, timeout: float = 10, headers: dict | None = None) -> Fetched:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Fetched(response.status, {k.lower(): v for k, v in response.headers.items()},
                           response.read())  # fmt: skip
    except urllib.error.HTTPError as error:
        return Fetched(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@dataclass
class StackOptions:
    web_workers: int = 2
    task_workers: int = 2
    redis_db: int = 11
    demo: bool = True
    nginx_workers: str = "auto"
    access_log: bool = True
    # A PostgreSQL cluster of its own (PrivateCluster) instead of a database on the machine's.
    private_postgres: bool = False
    extra_env: dict = field(default_factory=dict)


class Stack:
    """Start with `with Stack(folder, options) as stack:`; everything stops on the way out."""

    def __init__(self, folder: Path, options: StackOptions | None = None):
        self.folder = Path(folder)
        self.options = options or StackOptions()
        self.database_name = f"pressroom_stack_{secrets.token_hex(4)}"
        self.app_port = free_port()
        self.nginx_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_pending: str | None = None
        self.data_dir = self.folder / "data"
        self.nginx_prefix = self.folder / "nginx"
        self.logs = self.folder / "logs"
        self.cluster: PrivateCluster | None = None

    # -- addresses ---------------------------------------------------------------------------
    @property
    def postgres_server(self) -> str:
        return self.cluster.server if self.cluster else POSTGRES_SERVER

    @property
    def database_url(self) -> str:
        return f"{self.postgres_server}/{self.database_name}"

    @property
    def redis_url(self) -> str:
        return f"{REDIS_SERVER}/{self.options.redis_db}"

    def app_url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.app_port}{path}"

    def nginx_url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.nginx_port}{path}"

    @property
    def env(self) -> dict[str, str]:
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PRESSROOM_", "DATABASE_URL", "REDIS_URL", "PROMETHEUS_"))
        }
        environment.update(
            PRESSROOM_DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            PRESSROOM_SECRET_KEY="stack-" + "x" * 50,
            PRESSROOM_DEBUG="false",
            PRESSROOM_ALLOWED_HOSTS="127.0.0.1,localhost",
            PRESSROOM_BASE_URL=self.nginx_url("").rstrip("/"),
            PRESSROOM_MEDIA_SENDER="nginx",
            PRESSROOM_EXPECT_WORKER="true" if self.has_worker_command() else "false",
            # nginx on loopback forwards for its clients (docs/deployment.md).
            PRESSROOM_TRUSTED_PROXIES="127.0.0.1",
            # Its newsrooms (the tests' and the bench's receivers) are on 127.0.0.1.
            PRESSROOM_WEBHOOK_ALLOW_PRIVATE="true",
            PYTHONPATH=str(ROOT),
        )
        environment.update(self.options.extra_env)
        return environment

    # -- commands ----------------------------------------------------------------------------
    def pressroom(self, *args: str, timeout: float = 300) -> str:
        completed = subprocess.run(
            [PRESSROOM, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        if completed.returncode != 0:
            raise StackError(f"pressroom {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout

    def python(self, *args: str, timeout: float = 120) -> str:
        completed = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout,
        )  # fmt: skip
        if completed.returncode != 0:
            raise StackError(f"python {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout

    _worker_command: bool | None = None

    def has_worker_command(self) -> bool:
        if Stack._worker_command is None:
            completed = subprocess.run(
                [PRESSROOM, "help", "worker"], cwd=ROOT, capture_output=True, text=True,
                env={**os.environ, "PRESSROOM_DATA_DIR": str(self.folder / "probe")},
            )  # fmt: skip
            Stack._worker_command = completed.returncode == 0
        return Stack._worker_command

    def worker_logs(self) -> str:
        return "".join(
            log.read_text(errors="replace") for log in sorted(self.logs.glob("worker-*.log"))
        )

    # -- start and stop ----------------------------------------------------------------------
    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        if self.options.private_postgres:
            self.cluster = PrivateCluster()
            self.cluster.start()
        self._create_database()
        self._flush_redis()
        self.pressroom("migrate", "--verbosity", "0")
        self.pressroom("collectstatic", "--noinput", "--verbosity", "0")
        if self.options.demo:
            self.pressroom("loaddemo")
        self.start_web()
        self.start_task_workers()
        self.start_nginx()

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self._spawn("web", [PRESSROOM, "serve", f"127.0.0.1:{self.app_port}",
                            "--workers", str(self.options.web_workers)])  # fmt: skip
        self.wait_for(self.app_url("/healthz"), "web", statuses=(200, 503))

    def start_task_workers(self) -> None:
        if not self.has_worker_command():
            self.worker_pending = (
                "`pressroom worker` does not exist yet (distribution has not landed): "
                "the stack runs without task workers"
            )
            return
        for number in range(1, self.options.task_workers + 1):
            self._spawn(f"worker-{number}", [PRESSROOM, "worker"])

    def nginx_config(self, extra_servers: tuple[str, ...] = ()) -> str:
        args = [
            "nginxconf", "--standalone", str(self.nginx_prefix),
            "--listen", f"127.0.0.1:{self.nginx_port}",
            "--upstream", f"127.0.0.1:{self.app_port}",
            "--cache-dir", str(self.nginx_prefix / "cache"),
        ]  # fmt: skip
        if not self.options.access_log:
            args += ["--access-log", "off"]
        return self.pressroom(*args)

    def start_nginx(self, extra_servers: tuple[str, ...] = ()) -> None:
        binary = nginx_binary()
        if binary is None:
            raise StackError("nginx is not installed (apt-get install nginx)")
        self.nginx_prefix.mkdir(parents=True, exist_ok=True)
        text = self.nginx_config()
        if extra_servers:
            # A standalone file ends with the http block's closing brace: add servers inside it.
            head, _, tail = text.rstrip().rpartition("}")
            text = head + "\n".join(extra_servers) + "\n}\n"
        config = self.nginx_prefix / "nginx.conf"
        config.write_text(text)
        check = subprocess.run([binary, "-t", "-q", "-p", str(self.nginx_prefix), "-c", str(config),
                                "-e", str(self.nginx_prefix / "error.log")],
                               capture_output=True, text=True)  # fmt: skip
        if check.returncode != 0:
            raise StackError(f"nginx -t refused {config}:\n{check.stderr}")
        self._spawn("nginx", [binary, "-p", str(self.nginx_prefix), "-c", str(config),
                              "-e", str(self.nginx_prefix / "error.log")])  # fmt: skip
        self.wait_for(self.nginx_url("/healthz"), "nginx", statuses=(200, 503))

    def wait_for(self, url: str, name: str, statuses=(200,), seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise StackError(
                    f"{name} exited ({process.returncode}); see {self.logs / (name + '.log')}"
                )
            with contextlib.suppress(OSError):
                if fetch(url, timeout=2).status in statuses:
                    return
            time.sleep(0.1)
        raise StackError(f"{name} did not answer {url} within {seconds:.0f}s; see {self.logs}")

    def web_workers(self) -> list[int]:
        """PIDs of the web server's worker processes (granian's, under its main process)."""
        return children_of(self.processes["web"].pid)

    def kill_web_worker(self, seconds: float = 10) -> float | None:
        """SIGKILL one web worker (as the kernel's out-of-memory killer would); the seconds
        until granian had started another, or None if it had not within `seconds`."""
        before = self.web_workers()
        if not before:
            raise StackError("the web server has no worker processes to kill")
        os.kill(before[0], signal.SIGKILL)
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if set(self.web_workers()) - set(before):
                return time.monotonic() - started
            time.sleep(0.02)
        return None

    def stop_process(self, name: str, grace: float = 10) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        children = children_of(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM if name != "web" else signal.SIGINT)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for child in children:
            if alive(child):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)

    def stop(self) -> None:
        for name in ["nginx", *[n for n in self.processes if n.startswith("worker")], "web"]:
            self.stop_process(name)
        for name in list(self.processes):
            self.stop_process(name)
        self._drop_database()
        if self.cluster is not None:
            self.cluster.stop()

    # -- services ----------------------------------------------------------------------------
    def _admin_sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.postgres_server}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def _create_database(self) -> None:
        self._admin_sql(f'CREATE DATABASE "{self.database_name}"')

    def _drop_database(self) -> None:
        with contextlib.suppress(Exception):
            self._admin_sql(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')

    def _flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()


def services_missing() -> list[str]:
    """What the stack needs and this machine lacks (empty when it can run)."""
    missing = []
    if nginx_binary() is None:
        missing.append("nginx (apt-get install nginx)")
    postgres = urllib.parse.urlsplit(POSTGRES_SERVER)
    if not reachable(postgres.hostname or "127.0.0.1", postgres.port or 5432):
        missing.append(f"PostgreSQL at {POSTGRES_SERVER}")
    redis = urllib.parse.urlsplit(REDIS_SERVER)
    if not reachable(redis.hostname or "127.0.0.1", redis.port or 6379):
        missing.append(f"Redis at {REDIS_SERVER}")
    return missing
