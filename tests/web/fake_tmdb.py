"""A fake TMDB on 127.0.0.1: answers /movie/{id} and /search/movie like the real v3 API, and can
be made slow or broken. Records what it was asked."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeTmdb:
    def __init__(self, *, delay: float = 0.0, status: int = 200) -> None:
        self.delay = delay
        self.status = status
        self.requests: list[tuple[str, dict[str, str], dict[str, str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                fake.requests.append((url.path, query, dict(self.headers)))
                time.sleep(fake.delay)
                status, body = fake.answer(url.path, query)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, as it should

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/3"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict]:
        if self.status != 200:
            return self.status, {"status_message": "failure on purpose"}
        if path.startswith("/3/movie/"):
            tmdb_id = path.rsplit("/", 1)[-1]
            if tmdb_id == "862":
                return 200, {"id": 862, "poster_path": "/toy-story.jpg"}
            if tmdb_id == "1":
                return 200, {"id": 1, "poster_path": None}
            return 404, {"status_message": "not found"}
        if path == "/3/search/movie":
            slug = query.get("query", "").lower().replace(" ", "-")
            return 200, {"results": [{"id": 5, "poster_path": f"/search-{slug}.jpg"}]}
        return 404, {}

    def __enter__(self) -> "FakeTmdb":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """An address where nothing listens: a TMDB that is down."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}/3"
