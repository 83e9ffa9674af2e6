"""Calling the WSGI application the way a server does, for tests of the local response cache."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

import pressroom.wsgi


@dataclass
class Answer:
    status: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class WsgiServer:
    """A handler of its own, made as pressroom.wsgi makes it, called with plain WSGI environs.
    `django_requests` counts the requests that went through Django (its request_started
    signal), not those answered before it.

    Like Django's test client, it takes close_old_connections off request_started and
    request_finished meanwhile: it would close the test's own connection (in a transaction,
    autocommit is off)."""

    def __init__(self):
        application = pressroom.wsgi.application
        self.handler = type(application)(answered=application.answered)
        self.django_requests = 0

    def _count(self, **kwargs) -> None:
        self.django_requests += 1

    def __enter__(self) -> WsgiServer:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        request_started.connect(self._count)
        return self

    def __exit__(self, *exc) -> None:
        request_started.disconnect(self._count)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    def get(self, path: str, **environ_overrides) -> Answer:
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if "?" in path:
            environ["PATH_INFO"], environ["QUERY_STRING"] = path.split("?", 1)
        environ.update(environ_overrides)
        started: list = []

        def start_response(status, headers, exc_info=None):
            started.append((status, headers))

        chunks = self.handler(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status, headers = started[0]
        named = {}
        for name, value in headers:
            assert name not in named, f"{name} sent twice"
            named[name] = value
        return Answer(status, named, body)
