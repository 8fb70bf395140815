"""A real HTTP server on 127.0.0.1 that answers like Kolada's API v3, from recorded answers.

The answers are JSON files in ``kolada_answers/``, written in the exact shape of Kolada's
answers; ``{base}`` in a file (in a ``next_url``) becomes this server's address. A test says
which file answers which path, or that a path answers slowly, with an HTTP error or with bytes
of its own; every request the server got is kept, in order, with its User-Agent. A path
nobody recorded answers 404.
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from plans.models import County, Municipality
from plans.national import _read_csv

ANSWERS = Path(__file__).parent / "kolada_answers"


def load_counties_and_municipalities() -> None:
    """The 21 counties and 290 municipalities of ``fixtures/national``, in two queries (the
    national loader's update_or_create per row, with history, takes half a second a test)."""
    counties = {
        row["county_code"]: County(
            code=row["county_code"],
            letter_code=row["letter_code"],
            name=row["county_name"],
            region_name=row["region_name"],
        )
        for row in _read_csv("lan.csv")
    }
    County.objects.bulk_create(counties.values())
    Municipality.objects.bulk_create(
        Municipality(
            code=row["municipality_code"], name=row["municipality_name"], county=counties[row["county_code"]]
        )
        for row in _read_csv("kommuner.csv")
    )


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    path: str
    user_agent: str


class KoladaServer:
    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.requests: list[Request] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def answer(
        self, path: str, file: str | None = None, *, body: bytes | None = None, status: int = 200, delay=0.0
    ) -> None:
        """Answer GET ``path`` (with its query) with a recorded file, or with ``body``."""
        if file is not None:
            body = (ANSWERS / file).read_bytes().replace(b"{base}", self.url.encode())
        self.answers[path] = Answer(status=status, body=body or b"", delay=delay)

    @property
    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(Request(self.path, self.headers.get("User-Agent", "")))
                answer = server.answers.get(self.path, Answer(404, b'{"error": "not recorded"}'))
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the timeout tests)

            def log_message(self, format, *args) -> None:
                pass

        return Handler

    def __enter__(self) -> "KoladaServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextmanager
def running_kolada(settings) -> Iterator[KoladaServer]:
    """A Kolada of recorded answers; the app's client is pointed at it, with a short timeout.

    For a test module's fixture: ``with running_kolada(settings) as server: yield server``.
    """
    with KoladaServer() as server:
        settings.KOLADA_BASE_URL = server.url
        settings.KOLADA_TIMEOUT = 0.5
        yield server
