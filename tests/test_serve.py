"""`twinstars serve`: the server stack's own limits, seen from a socket."""

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser import LiveServer
from tests.conftest import Databases


@pytest.fixture(scope="module")
def server(
    databases: Databases, templates: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    url = databases.new(templates["seeded"])
    log: Path = tmp_path_factory.mktemp("serve") / "uvicorn.log"
    live = LiveServer(url, log, RATE_LIMIT_WRITES="3/minute")
    yield live
    live.stop()
    databases.drop(url)


def _send_huge_header(port: int, megabytes: int) -> bytes:
    """Send a request whose one header is `megabytes` long; what the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        try:
            for _ in range(megabytes):
                sock.sendall(b"a" * 1024 * 1024)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the end: what we want
        try:
            return sock.recv(200)
        except ConnectionResetError:
            return b""


def test_a_huge_header_is_refused_and_others_are_served(server: LiveServer) -> None:
    answer = _send_huge_header(server.port, 150)
    assert answer == b"" or answer.split(b"\r\n")[0] in (
        b"HTTP/1.1 400 Bad Request",
        b"HTTP/1.1 431 Request Header Fields Too Large",
    )
    assert httpx.get(f"http://127.0.0.1:{server.port}/healthz", timeout=5).status_code == 200


def test_a_forwarded_for_header_does_not_reset_the_limits(server: LiveServer) -> None:
    """No proxy is trusted by default: every request counts against the socket's address,
    whatever X-Forwarded-For claims."""
    codes = [
        httpx.delete(
            f"http://127.0.0.1:{server.port}/v1/spots/cf_museum",
            headers={"X-Forwarded-For": f"10.0.0.{i}"},
            timeout=5,
        ).status_code
        for i in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]
