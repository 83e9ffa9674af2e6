"""Webhook POSTs reuse connections, and survive a newsroom server closing a kept-alive one."""

from __future__ import annotations

import socketserver
import threading

import pytest

from pressroom.distribution.channels import webhook


class OneRequestPerConnection(socketserver.StreamRequestHandler):
    """Answers one POST with HTTP/1.1 keep-alive semantics, then closes the connection anyway,
    as a server does when its idle timeout fires between two webhooks."""

    def handle(self):
        length = 0
        while (line := self.rfile.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        self.server.bodies.append(self.rfile.read(length))
        self.wfile.write(
            f"HTTP/1.1 {self.server.status} Sample\r\ncontent-length: 0\r\n\r\n".encode()
        )


@pytest.fixture
def closing_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), OneRequestPerConnection)
    server.daemon_threads = True
    server.bodies, server.status = [], 204
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_closed_keep_alive_connection_is_replaced_without_losing_or_doubling(closing_server):
    url = f"http://127.0.0.1:{closing_server.server_address[1]}/newsroom?source=sample"
    statuses = [
        webhook.post(url, f'{{"n":{n}}}'.encode(), {"webhook-id": f"msg_{n}"}) for n in range(3)
    ]
    assert statuses == [204, 204, 204]
    assert closing_server.bodies == [b'{"n":0}', b'{"n":1}', b'{"n":2}']


def test_the_status_comes_back_for_the_channel_to_judge(closing_server):
    closing_server.status = 410
    url = f"http://127.0.0.1:{closing_server.server_address[1]}/gone"
    assert webhook.post(url, b"{}", {}) == 410


def test_no_server_is_an_error_not_a_status():
    with socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler) as probe:
        port = probe.server_address[1]
    with pytest.raises(OSError):
        webhook.post(f"http://127.0.0.1:{port}/", b"{}", {})
