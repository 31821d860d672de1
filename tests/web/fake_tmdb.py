"""A fake TMDB on 127.0.0.1: answers /movie/{id} (also in zh-CN) and /search/movie like the real
v3 API, and can be made slow or broken. Records what it was asked."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# tmdb id: (English title, poster path) of the movies it knows by id (artifacts.CATALOGUE's ids).
MOVIES: dict[int, tuple[str, str | None]] = {
    862: ("Toy Story", "/toy-story.jpg"),
    949: ("Heat", "/heat.jpg"),
    11: ("Star Wars", "/star-wars.jpg"),
    603: ("The Matrix", "/the-matrix.jpg"),
    8844: ("Jumanji", "/jumanji.jpg"),
    10997: ("Farewell My Concubine", "/farewell.jpg"),
    129: ("Spirited Away", "/spirited-away.jpg"),
    1: ("No Poster", None),
}
# tmdb id: (original language, original title) of the films not first made in English.
ORIGINALS: dict[int, tuple[str, str]] = {
    10997: ("zh", "霸王别姬"),
    129: ("ja", "千と千尋の神隠し"),
}
# tmdb id: (zh-CN title, overview); the others have no Chinese translation, so in zh-CN TMDB
# answers with the original title and an empty overview.
CHINESE: dict[int, tuple[str, str]] = {
    10997: ("霸王别姬", "两个京剧演员半个世纪的悲欢。"),
    862: ("玩具总动员", "胡迪是安迪最喜欢的玩具。"),
    949: ("盗火线", "职业大盗与洛杉矶警探的对决。"),
    11: ("星球大战", "卢克·天行者加入反抗军。"),
    603: ("黑客帝国", "尼奥发现世界是一个模拟。"),
}


class FakeTmdb:
    def __init__(self, *, delay: float = 0.0, status: int = 200, chinese_status: int = 200) -> None:
        self.delay = delay
        self.status = status
        self.chinese_status = chinese_status
        """The status of zh-CN requests alone: a TMDB that fails only the second request."""
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
            return self.movie(int(path.rsplit("/", 1)[-1]), query.get("language", "en-US"))
        if path == "/3/search/movie":
            slug = query.get("query", "").lower().replace(" ", "-")
            return 200, {"results": [{"id": 5, "poster_path": f"/search-{slug}.jpg"}]}
        return 404, {}

    def movie(self, tmdb_id: int, language: str) -> tuple[int, dict]:
        if tmdb_id not in MOVIES:
            return 404, {"status_message": "not found"}
        title, poster = MOVIES[tmdb_id]
        original_language, original_title = ORIGINALS.get(tmdb_id, ("en", title))
        movie = {
            "id": tmdb_id,
            "original_language": original_language,
            "original_title": original_title,
        }
        if language != "zh-CN":
            return 200, {**movie, "title": title, "poster_path": poster, "overview": "English"}
        if self.chinese_status != 200:
            return self.chinese_status, {"status_message": "failure on purpose"}
        chinese_title, overview = CHINESE.get(tmdb_id, (original_title, ""))
        return 200, {**movie, "title": chinese_title, "poster_path": poster, "overview": overview}

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
