"""Local sinks for the distribution benchmark, each in a process of its own (so neither the
worker, nor the bare loop, nor the other sink shares a GIL with them): an HTTP server that
answers 204 to every POST and an aiosmtpd server that accepts every message. Both count arrivals and keep the first and last
arrival time (wall clock)."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time

from aiosmtpd.controller import Controller


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.count, self.first, self.last, self.sessions = 0, None, None, 0
        self.keys: set = set()  # idempotency keys seen: arrivals minus these are repeats

    def hit(self, key=None) -> None:
        now = time.time()
        with self.lock:
            self.count += 1
            if key is not None:
                self.keys.add(key)
            self.first = self.first or now
            self.last = now

    def snapshot(self) -> dict:
        with self.lock:
            return {"count": self.count, "first": self.first, "last": self.last,
                    "distinct": len(self.keys), "sessions": self.sessions}  # fmt: skip

    def session(self) -> None:
        with self.lock:
            self.sessions += 1


NO_CONTENT = b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n"


async def _answer_posts(reader, writer, stats: Stats) -> None:
    """A minimal HTTP/1.1 keep-alive server on asyncio: one thread for every connection, so
    many concurrent connections do not fight over the GIL as a thread per connection does
    (http.server with 16 connections answered a fraction of what it answers with one)."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length, key = 0, None
            for line in head.split(b"\r\n"):
                name = line[:15].lower()
                if name == b"content-length:":
                    length = int(line[15:])
                elif name.startswith(b"webhook-id:"):
                    key = line[11:].strip()
            if length:
                await reader.readexactly(length)
            stats.hit(key)
            writer.write(NO_CONTENT)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve(kind, port_out, smtp_port, commands, answers) -> None:
    stats = Stats()

    class Mail:
        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            session.host_name = hostname
            stats.session()  # one EHLO per SMTP session
            return responses

        async def handle_DATA(self, server, session, envelope):
            stats.hit()
            return "250 OK"

    if kind == "http":
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(
            asyncio.start_server(
                lambda r, w: _answer_posts(r, w, stats), "127.0.0.1", 0, backlog=1024
            )
        )
        threading.Thread(target=loop.run_forever, daemon=True).start()
        port_out.put(server.sockets[0].getsockname()[1])

        def stop():
            loop.call_soon_threadsafe(server.close)
    else:
        controller = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
        controller.start()
        port_out.put(smtp_port)
        stop = controller.stop
    while True:
        command = commands.get()
        if command == "stats":
            answers.put(stats.snapshot())
        elif command == "reset":
            stats.reset()
            answers.put("ok")
        else:
            stop()
            answers.put("bye")
            return


class Sink:
    def __init__(self, kind: str, smtp_port: int) -> None:
        self._commands, self._answers, ports = (multiprocessing.Queue() for _ in range(3))
        self.process = multiprocessing.Process(
            target=_serve, args=(kind, ports, smtp_port, self._commands, self._answers), daemon=True
        )
        self.process.start()
        self.port = ports.get(timeout=30)

    def ask(self, command: str):
        self._commands.put(command)
        return self._answers.get(timeout=30)


class Sinks:
    def __init__(self, smtp_port: int) -> None:
        self._sinks = {"http": Sink("http", smtp_port), "smtp": Sink("smtp", smtp_port)}
        self.http_port = self._sinks["http"].port
        self.smtp_port = smtp_port

    def stats(self) -> dict:
        return {kind: sink.ask("stats") for kind, sink in self._sinks.items()}

    def reset(self) -> None:
        for sink in self._sinks.values():
            sink.ask("reset")

    def stop(self) -> None:
        for sink in self._sinks.values():
            sink.ask("stop")
            sink.process.join(5)
