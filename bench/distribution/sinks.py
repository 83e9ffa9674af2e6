"""Local sinks for the distribution benchmark, in a process of their own (so neither the worker
nor the bare loop shares a GIL with them): an HTTP server that answers 204 to every POST and
an aiosmtpd server that accepts every message. Both count arrivals and keep the first and last
arrival time (wall clock)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.count, self.first, self.last = 0, None, None

    def hit(self) -> None:
        now = time.time()
        with self.lock:
            self.count += 1
            self.first = self.first or now
            self.last = now

    def snapshot(self) -> dict:
        with self.lock:
            return {"count": self.count, "first": self.first, "last": self.last}


def _serve(http_port_out, smtp_port, commands, answers) -> None:
    http_stats, smtp_stats = Stats(), Stats()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            http_stats.hit()
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    class Mail:
        async def handle_DATA(self, server, session, envelope):
            smtp_stats.hit()
            return "250 OK"

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    controller = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    http_port_out.put(server.server_address[1])
    while True:
        command = commands.get()
        if command == "stats":
            answers.put({"http": http_stats.snapshot(), "smtp": smtp_stats.snapshot()})
        elif command == "reset":
            http_stats.reset()
            smtp_stats.reset()
            answers.put("ok")
        else:
            controller.stop()
            server.shutdown()
            answers.put("bye")
            return


class Sinks:
    def __init__(self, smtp_port: int) -> None:
        self.smtp_port = smtp_port
        self._commands, self._answers, ports = (multiprocessing.Queue() for _ in range(3))
        self.process = multiprocessing.Process(
            target=_serve, args=(ports, smtp_port, self._commands, self._answers), daemon=True
        )
        self.process.start()
        self.http_port = ports.get(timeout=30)

    def ask(self, command: str):
        self._commands.put(command)
        return self._answers.get(timeout=30)

    def stats(self) -> dict:
        return self.ask("stats")

    def reset(self) -> None:
        self.ask("reset")

    def stop(self) -> None:
        self.ask("stop")
        self.process.join(5)
