"""Fixtures of the hostile-input tests; each says what it is for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Listener:
    """A local web server that records every request: proof that a reader fetched
    nothing (or something) from the addresses a hostile file points at."""

    url: str
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def listener() -> Iterator[Listener]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<!ENTITY leaked 'fetched from the network'>")

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(url=f"http://127.0.0.1:{server.server_port}", requests=seen)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sparse_gigabyte(tmp_path):
    """A file that claims 1 GB on disk but takes no space: a sparse file."""
    path = tmp_path / "gigabyte.pdf"
    with path.open("wb") as fh:
        fh.truncate(1024**3)
    return path
