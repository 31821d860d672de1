"""The web site under load: gunicorn on this machine, 20 concurrent clients on 127.0.0.1.

    python benchmarks/web_load.py [--model DIR] [--workers 2] [--seconds 20] [--database-url URL]

Serves a model (by default a synthetic one of ML-1M's shape: 6,040 users, 3,706 movies, 1M
ratings, 200-d vectors, as the seed preset makes) with production settings, then measures:

1. saturation: `wrk` with 20 connections as fast as the server answers (closed loop), for the
   movie page and for the API's recommendations of a dataset user;
2. paced: 20 client threads, each sending at a steady rate (open loop), so latency is the
   service time at a stated load rather than queueing behind 19 other clients;
3. writes: 20 signed-in clients setting ratings at once, then counting the rows.

The site's database is SQLite (WAL) in a temporary folder, or an empty database named by
`--database-url` (default `$DATABASE_URL`), e.g. PostgreSQL: the README shows one on a throwaway
cluster. Every client talks to 127.0.0.1 only, and every phase is bounded in time and count.
Figures go to benchmarks/results/web-load.md. Targets (issue 6): movie page p99 <= 50 ms, API
recommendation p99 <= 10 ms, zero errors, no lost writes.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from movierec.artifacts import write_artifact
from movierec.cli.publish import check_model, find_artifact, repoint
from movierec.data.codes import ML1M_GENRES

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "web-load.md"
CLIENTS = 20
WRITERS = 20
WRITES_PER_CLIENT = 50


# --- the model -----------------------------------------------------------------------------


def synthetic_model(folder: Path, *, users: int, movies: int, ratings: int, width: int) -> Path:
    """A consistent artifact of the given shape with planted genre tastes."""
    rng = np.random.default_rng(0)
    genre_count = len(ML1M_GENRES)
    movie_genres = [
        sorted(rng.choice(genre_count, size=rng.integers(1, 4), replace=False).tolist())
        for _ in range(movies)
    ]
    directions = rng.normal(0, 1, (genre_count, width)).astype(np.float32)
    movie_vectors = np.stack([directions[g].mean(axis=0) for g in movie_genres])
    movie_vectors += rng.normal(0, 0.5, (movies, width)).astype(np.float32)
    movie_vectors /= np.sqrt(width)
    user_vectors = rng.normal(0, 1, (users, width)).astype(np.float32) / np.sqrt(width)
    popularity = rng.zipf(1.3, movies).astype(np.float64)
    popularity /= popularity.sum()
    per_user = np.clip(rng.poisson(ratings / users, users), 20, movies)
    indptr = np.concatenate([[0], np.cumsum(per_user)]).astype(np.int64)
    seen_movies = np.concatenate(
        [np.sort(rng.choice(movies, k, replace=False, p=popularity)) for k in per_user]
    ).astype(np.int32)
    owners = np.repeat(np.arange(users), np.diff(indptr))
    raw = np.einsum("ij,ij->i", user_vectors[owners], movie_vectors[seen_movies]) * 4 + 3.6
    seen_ratings = np.clip(np.round(raw + rng.normal(0, 0.8, len(raw))), 1, 5).astype(np.float32)
    records = [
        {
            "movie_id": movie + 1,
            "title": f"Synthetic Picture {movie + 1} ({1930 + movie % 70})",
            "year": 1930 + movie % 70,
            "genres": [ML1M_GENRES[g] for g in movie_genres[movie]],
            "imdb_id": None,
            "tmdb_id": None,
        }
        for movie in range(movies)
    ]
    arrays = {
        "user_ids": np.arange(1, users + 1, dtype=np.int64),
        "movie_ids": np.arange(1, movies + 1, dtype=np.int64),
        "user_vectors": user_vectors,
        "movie_vectors": movie_vectors.astype(np.float32),
        "user_bias": rng.normal(0, 0.2, users).astype(np.float32),
        "movie_bias": rng.normal(0, 0.2, movies).astype(np.float32),
        "seen_indptr": indptr,
        "seen_movies": seen_movies,
        "seen_ratings": seen_ratings,
    }
    documents = {
        "config": {"preset": "benchmark-synthetic", "embedding_dim": width},
        "scoring": {"global_bias": 3.6, "rating_scale": [1.0, 5.0, 1.0]},
        "vocab": {"genres": ["<PAD>", *ML1M_GENRES], "title_seed": ["<PAD>"], "title_words": []},
        "movies": records,
    }
    return write_artifact(folder, arrays=arrays, documents=documents)


# --- the site --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_environment(home: Path, database_url: str) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    # Without a URL the settings fall back to SQLite in MOVIEREC_HOME, the temporary folder.
    database = {"DATABASE_URL": database_url} if database_url else {}
    return {
        **inherited,
        **database,
        "DJANGO_SETTINGS_MODULE": "movierec_site.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on 127.0.0.1 stands for the hop behind a TLS-terminating proxy.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "MOVIEREC_HOME": str(home),
        "PYTHONPATH": str(ROOT / "src"),
    }


_ACCOUNTS = """
import django, json, sys
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
keys = []
for index in range(int(sys.argv[1])):
    user = get_user_model().objects.create_user(f"load{index}", password=None)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(json.dumps(keys))
"""

_COUNT = """
import django, json
django.setup()
from movierec_site.ratings.models import Rating
print(json.dumps({f"{u}:{m}": s for u, m, s in
                  Rating.objects.values_list("user__username", "movie_id", "stars")}))
"""


_SERVICE_TIME = """
import django, json, time
django.setup()
from django.test import Client
client = Client()
paths = {
    "movie page": [f"/movies/{movie}/" for movie in range(1, 301)],
    "API: recommendations for a dataset user": [
        f"/api/users/{user}/recommendations?n=10" for user in range(1, 301)
    ],
}
best = {}
for name, urls in paths.items():
    for url in urls:
        client.get(url)
    passes = []
    for _ in range(3):
        started = time.perf_counter()
        for url in urls:
            assert client.get(url).status_code == 200
        passes.append((time.perf_counter() - started) / len(urls) * 1000)
    best[name] = min(passes)
print(json.dumps(best))
"""


def django_child(code: str, env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "movierec_site.wsgi:application",
        "--preload",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _ = get(port, "/readyz")
            if status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not become ready; see {log}")


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- load ------------------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def wrk(port: int, name: str, paths: list[str], seconds: int) -> Figures:
    """Closed loop: 20 connections, each sending its next request when the last one returns."""
    quoted = ", ".join(f'"{path}"' for path in paths)
    script = (
        f"math.randomseed(7)\nlocal paths = {{{quoted}}}\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as stream:
        stream.write(script)
    try:
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CLIENTS}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "--latency",
                "-s",
                stream.name,
                f"http://127.0.0.1:{port}",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        )
    finally:
        os.unlink(stream.name)
    out = result.stdout
    latency = {
        percent: _milliseconds(value)
        for percent, value in re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.MULTILINE)
    }
    total = int(re.search(r"(\d+) requests in", out)[1])
    errors = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(value) for value in m.groups())
    return Figures(
        name,
        total,
        errors,
        float(seconds),
        latency["50"],
        latency["90"],
        latency["99"],
        notes=["wrk, 20 connections, closed loop"],
    )


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def paced(
    port: int,
    name: str,
    paths: list[str],
    rate_per_client: float,
    seconds: float,
    headers: dict[str, str] | None = None,
) -> Figures:
    """Open loop: 20 threads, each sending at a steady rate on a kept-alive connection."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.monotonic() + 0.2

    def client(number: int) -> None:
        chooser = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        interval = 1.0 / rate_per_client
        # Staggered starts, so the 20 clients do not fire in lockstep.
        due = start + interval * number / CLIENTS
        mine: list[float] = []
        failures = 0
        while due < start + seconds:
            time.sleep(max(0.0, due - time.monotonic()))
            sent = time.perf_counter()
            try:
                connection.request("GET", chooser.choice(paths), headers=headers or {})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                failures += 1
                connection.close()
            mine.append((time.perf_counter() - sent) * 1000)
            due += interval
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failures

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = np.sort(np.array(latencies))
    return Figures(
        name,
        len(ordered),
        errors[0],
        seconds,
        *(float(np.percentile(ordered, q)) for q in (50, 90, 99)),
        max_ms=float(ordered[-1]),
        notes=[f"20 clients x {rate_per_client:g} req/s = {CLIENTS * rate_per_client:g} req/s"],
    )


def concurrent_writes(port: int, sessions: list[str], movies: int) -> tuple[int, int, dict]:
    """Every client sets WRITES_PER_CLIENT ratings at once; returns (sent, errors, expected)."""
    csrf = secrets.token_hex(16)
    expected: dict[str, float] = {}
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(sessions))

    def writer(index: int, session: str) -> None:
        chooser = random.Random(index)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/json",
        }
        mine: dict[str, float] = {}
        failures = 0
        barrier.wait()
        for _ in range(WRITES_PER_CLIENT):
            # Some movies are rated twice by the same client: the last value must win.
            movie = chooser.randint(1, min(movies, 40))
            stars = float(chooser.randint(1, 5))
            try:
                connection.request(
                    "PUT",
                    f"/api/me/ratings/{movie}",
                    body=json.dumps({"stars": stars}),
                    headers=headers,
                )
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures += 1
                else:
                    mine[f"load{index}:{movie}"] = stars
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                failures += 1
                connection.close()
        with lock:
            expected.update(mine)
            errors[0] += failures

    threads = [threading.Thread(target=writer, args=pair) for pair in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(sessions) * WRITES_PER_CLIENT, errors[0], expected


# --- report ----------------------------------------------------------------------------------


def table(rows: list[Figures]) -> str:
    lines = [
        "| what | load | requests | req/s | errors | p50 ms | p90 ms | p99 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        worst = f"{row.max_ms:.1f}" if row.max_ms is not None else "-"
        lines.append(
            f"| {row.name} | {'; '.join(row.notes)} | {row.requests} | {row.rate:.0f} | "
            f"{row.errors} | {row.p50_ms:.1f} | {row.p90_ms:.1f} | {row.p99_ms:.1f} | {worst} |"
        )
    return "\n".join(lines)


TARGETS = {"movie page": 50.0, "API: recommendations for a dataset user": 10.0}


def verdicts(rows: list[Figures], lost: int) -> str:
    """Each row against its p99 target (issue 6), and the writes against "nothing lost"."""
    lines = []
    for row in rows:
        target = TARGETS[row.name]
        met = row.p99_ms <= target and row.errors == 0
        lines.append(
            f"- {row.name}, {row.notes[0]}: p99 {row.p99_ms:.1f} ms against {target:g} ms, "
            f"{row.errors} errors: {'met' if met else 'NOT met'}"
        )
    lines.append(f"- concurrent writes: {lost} lost: {'met' if lost == 0 else 'NOT met'}")
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    if Path("/proc/cpuinfo").is_file():
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found[1].strip() if found else cpu
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="serve this artifact instead of a synthetic one")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--seconds", type=int, default=20, help="length of each measured phase")
    parser.add_argument(
        "--rate", type=float, default=10.0, help="requests per second of each paced client"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary site folder")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="an empty database for the site, e.g. postgresql://... (default $DATABASE_URL; "
        "without one, SQLite in the temporary site folder)",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    home = Path(tempfile.mkdtemp(prefix="movierec-load-"))
    try:
        run(options, home)
    finally:
        if not options.keep:
            shutil.rmtree(home, ignore_errors=True)


def run(options: argparse.Namespace, home: Path) -> None:
    started = time.perf_counter()
    model = options.model or synthetic_model(
        home / "runs" / "synthetic", users=6040, movies=3706, ratings=1_000_209, width=200
    )
    print(f"model ready in {time.perf_counter() - started:.1f} s: {model}", flush=True)
    env = site_environment(home, options.database_url)
    repoint(home / "models" / "current", check_model(find_artifact(model)).path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    sessions = json.loads(django_child(_ACCOUNTS, env, str(WRITERS)))
    # Service time: one process, one request at a time, caches warm; no HTTP, no queueing.
    service = json.loads(django_child(_SERVICE_TIME, {**env, "ALLOWED_HOSTS": "testserver"}))
    load_before = os.getloadavg()

    port = free_port()
    server = start_gunicorn(env, port, options.workers, home / "gunicorn.log")
    try:
        _, body = get(port, "/api/movies?limit=100")
        movie_ids = [movie["movie_id"] for movie in json.loads(body)]
        all_movies = list(range(1, 3707)) if options.model is None else movie_ids
        movie_pages = [f"/movies/{movie}/" for movie in all_movies]
        recommendation_urls = [f"/api/users/{user}/recommendations?n=10" for user in range(1, 6041)]
        seconds = options.seconds
        print("warming up", flush=True)
        wrk(port, "warm-up", movie_pages, 5)
        rows = [
            wrk(port, "movie page", movie_pages, seconds),
            wrk(port, "API: recommendations for a dataset user", recommendation_urls, seconds),
            paced(port, "movie page", movie_pages, options.rate, seconds),
            paced(
                port,
                "API: recommendations for a dataset user",
                recommendation_urls,
                options.rate,
                seconds,
            ),
        ]
        for row in rows:
            print(
                f"{row.name} ({row.notes[0]}): {row.rate:.0f} req/s, p99 {row.p99_ms:.1f} ms, "
                f"errors {row.errors}",
                flush=True,
            )
        sent, write_errors, expected = concurrent_writes(port, sessions, len(all_movies))
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = json.loads(django_child(_COUNT, env))
    lost = {key for key in expected if stored.get(key) != expected[key]}
    print(
        f"writes: {sent} sent, {write_errors} errors, {len(expected)} distinct ratings "
        f"expected, {len(stored)} stored, {len(lost)} lost or wrong",
        flush=True,
    )
    loads = (load_before, os.getloadavg())
    write_report(options, rows, service, loads, sent, write_errors, expected, stored, lost)


def write_report(options, rows, service, loads, sent, write_errors, expected, stored, lost) -> None:
    model = (
        str(options.model)
        if options.model
        else ("synthetic, ML-1M's shape: 6,040 users, 3,706 movies, ~1M ratings, 200-d vectors")
    )
    text = f"""# Web load

`python benchmarks/web_load.py --workers {options.workers} --seconds {options.seconds} \
--rate {options.rate:g}` on {machine()}; the load clients run on the same two cores.

- Server: gunicorn {_version("gunicorn")}, {options.workers} sync workers, `--preload`,
  production settings (DEBUG off, {database_name(options.database_url)}),
  Django {_version("django")}.
- Model: {model}.
- Movie page: a random one of all movies each request (HTML: details, 8 similar, 8 also-liked).
- API: `GET /api/users/{{random user}}/recommendations?n=10` (JSON, computed per request).

{table(rows)}

Service time (one request at a time in one process, through Django's full stack without HTTP,
caches warm, best of three passes over 300 different URLs):
{chr(10).join(f"- {name}: {ms:.2f} ms" for name, ms in service.items())}

Machine load (1-minute load average) before / after the HTTP phases: {loads[0][0]:.1f} /
{loads[1][0]:.1f}; anything above ~0.5 is other work sharing the two cores with the server and
the load clients.

Concurrent rating writes: {WRITERS} signed-in clients each sent {WRITES_PER_CLIENT} `PUT
/api/me/ratings/{{movie}}` at once ({sent} requests, {write_errors} errors); {len(expected)}
distinct (user, movie) ratings were expected with their last value, {len(stored)} rows are
stored, {len(lost)} lost or wrong.

Against the targets:
{verdicts(rows, len(lost))}

Reading the figures: in the closed loop, 20 clients each wait only for their own previous
answer, so every request queues behind the others and latency is about 20 / throughput: the
figure measures the machine's capacity. The paced rows send a steady, stated load and show what
one request costs at that load.
"""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(f"written to {RESULTS}")


def database_name(url: str) -> str:
    """The database in words, never the URL itself: it may hold a password."""
    if not url:
        return "SQLite in WAL mode"
    scheme = urlsplit(url).scheme
    return "PostgreSQL" if scheme.startswith("postgres") else scheme


def _version(distribution: str) -> str:
    from importlib.metadata import version

    return version(distribution)


if __name__ == "__main__":
    main()
