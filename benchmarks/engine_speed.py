"""Engine speed on synthetic artifacts of release sizes, and the also_liked audience comparison.

    python benchmarks/engine_speed.py [--sizes ml-1m ml-32m] [--calls 500] [--write]

Artifacts of ML-1M size (6,040 users, 3,706 movies, D=200, ~165 ratings a user) and ML-32M
size (200k users, 87k movies, D=200, ~160 ratings a user) are built from random vectors. Every
request kind is timed per call (median and p99 of `--calls` calls after a warm-up); ML-1M also
gets artifact load time, batch top-10 for all users and the serving process's RSS (a fresh
process). `--quality` adds the also_liked audience comparison on planted data. `--write` puts
the tables into benchmarks/results/engine-speed.md between its "measured" markers.

Targets (issue 5): for_user / similar / also_liked p99 <= 1 ms (ML-1M) and <= 10 ms (ML-32M);
load <= 0.5 s and batch <= 5 s and RSS <= 150 MB (ML-1M); search < 10 ms typical on 87k titles.

A serving worker runs one BLAS thread (OPENBLAS_NUM_THREADS=1, set here unless already set):
a request's matrix-vector product is too small to gain from threads, and on a busy machine a
threaded one waits for a descheduled helper thread. Set it to 2 to measure the threaded case.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from movierec.artifacts import write_artifact
from movierec.engine import Recommender, write_top_n_csv

SIZES = {
    "ml-1m": {"users": 6_040, "movies": 3_706, "per_user": 165, "demographics": True},
    "ml-32m": {"users": 200_000, "movies": 87_000, "per_user": 160, "demographics": False},
}
DIM = 200
GENRES = [
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]
RESULTS = Path(__file__).parent / "results" / "engine-speed.md"
START, END = "<!-- measured:start -->", "<!-- measured:end -->"


def synthetic_titles(count: int, rng: np.random.Generator) -> list[str]:
    """Title-like strings: made-up words, some English ones, a moved article, a year."""
    syllables = [
        "ka",
        "lo",
        "mi",
        "ra",
        "ten",
        "do",
        "vi",
        "shan",
        "ber",
        "ti",
        "no",
        "gar",
        "el",
        "qu",
        "sto",
        "ry",
        "ma",
        "trix",
        "ph",
        "on",
        "ze",
        "wu",
        "li",
        "ant",
    ]
    made_up = {"".join(rng.choice(syllables, rng.integers(2, 5))) for _ in range(40_000)}
    common = [
        "love",
        "night",
        "story",
        "man",
        "city",
        "dead",
        "girl",
        "war",
        "star",
        "last",
        "day",
        "house",
        "blood",
        "king",
        "dark",
        "life",
        "world",
        "time",
        "return",
        "II",
    ]
    vocabulary = np.array(sorted(made_up) + common * 200)
    titles = []
    for _ in range(count):
        words = " ".join(w.capitalize() for w in rng.choice(vocabulary, rng.integers(1, 6)))
        if rng.random() < 0.25:
            words = f"{words}, The"
        titles.append(f"{words} ({rng.integers(1920, 2024)})")
    return titles


def build_artifact(
    destination: Path, users: int, movies: int, per_user: int, demographics: bool, seed: int = 0
) -> Path:
    """A random artifact with the engine's arrays and documents at the given size."""
    rng = np.random.default_rng(seed)
    # tanh of a Gaussian, like the towers' output layer; scaled so u.m stays in rating range.
    user_vectors = np.tanh(rng.standard_normal((users, DIM), dtype=np.float32)) * 0.15
    movie_vectors = np.tanh(rng.standard_normal((movies, DIM), dtype=np.float32)) * 0.15
    counts = np.maximum(rng.geometric(1 / per_user, users), 20)
    indptr = np.zeros(users + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    # Zipf-like popularity: a few movies are rated by many, most by few.
    weights = 1.0 / np.arange(1, movies + 1) ** 0.9
    seen_movies = rng.choice(movies, size=int(indptr[-1]), p=weights / weights.sum())
    arrays = {
        "user_ids": np.arange(1, users + 1, dtype=np.int64),
        "movie_ids": np.arange(1, movies + 1, dtype=np.int64) * 2,
        "user_vectors": user_vectors,
        "movie_vectors": movie_vectors,
        "user_bias": rng.normal(0, 0.3, users).astype(np.float32),
        "movie_bias": rng.normal(0, 0.3, movies).astype(np.float32),
        "seen_indptr": indptr,
        "seen_movies": rng.permutation(seen_movies).astype(np.int32),
        "seen_ratings": rng.integers(1, 6, int(indptr[-1])).astype(np.float32),
    }
    if demographics:
        arrays["demographic_vectors"] = (
            np.tanh(rng.standard_normal((2, 7, 21, DIM), dtype=np.float32)) * 0.15
        )
        arrays["user_demographics"] = np.stack(
            [rng.integers(0, 2, users), rng.integers(0, 7, users), rng.integers(0, 21, users)],
            axis=1,
        ).astype(np.int16)
    # The new-user head, as the default preset trains one: new users' lists go through it.
    liked = np.bincount(arrays["seen_movies"][arrays["seen_ratings"] >= 4], minlength=movies)
    arrays |= {
        "new_user_implicit": rng.normal(0, 0.05, (DIM, DIM)).astype(np.float32),
        "new_user_explicit": rng.normal(0, 0.05, (DIM, DIM)).astype(np.float32),
        "new_user_prior": np.log1p(liked).astype(np.float32),
    }
    if demographics:
        arrays |= {f"new_user_{part}": rng.normal(0, 0.05, (rows, DIM)).astype(np.float32)
                   for part, rows in (("gender", 2), ("age", 7), ("occupation", 21))}
    titles = synthetic_titles(movies, rng)
    documents = {
        "config": {"preset": "benchmark"},
        "scoring": {"global_bias": 3.58, "rating_scale": [1.0, 5.0, 1.0],
                    "new_users": {"shrink": 1.7, "rating_offset": 3.5}},
        "vocab": {"genres": ["<PAD>", *GENRES]},
        "movies": [
            {
                "movie_id": int(arrays["movie_ids"][i]),
                "title": titles[i],
                "year": int(titles[i][-5:-1]),
                "genres": list(rng.choice(GENRES, rng.integers(1, 4), replace=False)),
                "imdb_id": None,
                "tmdb_id": None,
            }
            for i in range(movies)
        ],
    }
    return write_artifact(destination, arrays=arrays, documents=documents)


def timed(call: Callable[[int], object], calls: int) -> tuple[float, float, float]:
    """(median, p99, p99 CPU) milliseconds of `call(i)` for i in range(calls), after a warm-up.

    The CPU time of this thread leaves out waiting for the processor: on a shared machine
    the wall-clock p99 is mostly other processes' time slices.
    """
    for i in range(20):
        call(i)
    times, cpu = [], []
    for i in range(calls):
        start, start_cpu = time.perf_counter(), time.thread_time()
        call(i)
        times.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
    return (
        statistics.median(times) * 1e3,
        float(np.percentile(times, 99)) * 1e3,
        float(np.percentile(cpu, 99)) * 1e3,
    )


def search_queries(engine: Recommender, count: int, rng: np.random.Generator) -> list[str]:
    """Queries people type: a whole title, a word and a half, a typo, a lower-cased title."""
    titles = [movie.title for movie in engine.most_rated(engine.catalogue_size)]
    queries = []
    for i in range(count):
        words = titles[int(rng.integers(len(titles)))].lower().split()
        kind = i % 4
        if kind == 1 and len(words[-1]) > 4:
            words[-1] = words[-1][: len(words[-1]) // 2 + 1]
        elif kind == 2 and len(words[0]) > 4:
            words[0] = words[0][:1] + words[0][2] + words[0][1] + words[0][3:]
        elif kind == 3:
            words = words[:2]
        queries.append(" ".join(words))
    return queries


def speed(name: str, calls: int, workdir: Path) -> list[tuple[str, str, str]]:
    """Rows (measure, median, p99) for one size."""
    shape = SIZES[name]
    started = time.perf_counter()
    path = build_artifact(
        workdir / name, shape["users"], shape["movies"], shape["per_user"], shape["demographics"]
    )
    print(f"{name}: built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    loads = []
    for _ in range(3 if name == "ml-1m" else 1):
        start = time.perf_counter()
        engine = Recommender.from_artifact(path)
        loads.append(time.perf_counter() - start)
    rows = [
        ("artifact load (read, verify, precompute)", f"{statistics.median(loads):.2f} s", "", "")
    ]
    start = time.perf_counter()
    engine.warm()
    rows.append(
        (
            "warm() (title index, fold-in, by-movie index)",
            f"{time.perf_counter() - start:.2f} s",
            "",
            "",
        )
    )
    rng = np.random.default_rng(1)
    user_ids = engine.dataset_users()[0]
    movie_ids = np.array([movie.movie_id for movie in engine.most_rated(engine.catalogue_size)])
    users = user_ids[rng.integers(0, len(user_ids), calls + 20)]
    movies = movie_ids[rng.integers(0, len(movie_ids), calls + 20)]
    new_ratings = [
        dict(zip(rng.choice(movies, 5).tolist(), rng.integers(1, 6, 5).tolist(), strict=True))
        for _ in range(calls + 20)
    ]
    demographic = {"gender": "F", "age": 25, "occupation": 12} if shape["demographics"] else {}
    queries = search_queries(engine, calls + 20, rng)
    requests: dict[str, Callable[[int], object]] = {
        "for_user (n=10)": lambda i: engine.for_user(int(users[i])),
        "similar_movies (n=10)": lambda i: engine.similar_movies(int(movies[i])),
        "also_liked, model audience (n=10)": lambda i: engine.also_liked(int(movies[i])),
        "also_liked, raters audience (n=10)": lambda i: engine.also_liked(
            int(movies[i]), audience="raters"
        ),
        "for_new_user, 5 ratings (+ demographics on 1M)": lambda i: engine.for_new_user(
            new_ratings[i], **demographic
        ),
        "for_new_user, nothing (popularity)": lambda i: engine.for_new_user(),
        "for_user, sample_from=50 seed=i": lambda i: engine.for_user(
            int(users[i]), sample_from=50, seed=i
        ),
        "search (n=10)": lambda i: engine.search(queries[i]),
    }
    for label, call in requests.items():
        median, p99, p99_cpu = timed(call, calls)
        rows.append((label, f"{median:.3f} ms", f"{p99:.3f} ms", f"{p99_cpu:.3f} ms"))
    if name == "ml-1m":
        start = time.perf_counter()
        written = write_top_n_csv(engine, workdir / "top10.csv", 10)
        seconds = time.perf_counter() - start
        rows.append(
            (f"batch top-10, all users ({written:,} rows to CSV)", f"{seconds:.2f} s", "", "")
        )
        rows.append(
            (
                "serving process RSS after load, warm() and one of each request",
                f"{serving_rss(path):.0f} MB",
                "",
                "",
            )
        )
    return rows


_RSS_CHILD = """
import sys
from movierec.engine import Recommender
from movierec.cli import recommend
engine = Recommender.from_artifact(sys.argv[1]).warm()
user, movie = int(engine.dataset_users()[0][0]), engine.most_rated(1)[0].movie_id
engine.for_user(user); engine.similar_movies(movie); engine.also_liked(movie)
engine.also_liked(movie, audience="raters"); engine.for_new_user({movie: 5}, age=25)
engine.search("the kalo")
print([line for line in open("/proc/self/status") if line.startswith("VmRSS")][0].split()[1])
"""


def serving_rss(path: Path) -> float:
    """Resident memory (MB) of a fresh process that loaded `path` and served each request."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(path)], check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip()) / 1024


def planted_world(seed: int = 0) -> dict[str, np.ndarray]:
    """A world whose "viewers also liked" answer is known, and what a trained model sees of it.

    3,000 users, 1,500 movies in 10 genres; each user loves one genre and likes a second one
    half as much; movies have a quality. Users rate ~50 movies each, chosen by a Zipf-like
    popularity, as clipped noisy truth: the head is rated by hundreds, the tail by a few.
    """
    rng = np.random.default_rng(seed)
    users, movies, genres, dim = 3_000, 1_500, 10, 16
    centres = np.linalg.qr(rng.normal(size=(dim, genres)))[0].T * 1.5
    movie_genre = rng.integers(0, genres, movies)
    movie_true = centres[movie_genre] + rng.normal(0, 0.3, (movies, dim))
    quality = rng.normal(0, 0.4, movies)
    first, second = rng.integers(0, genres, users), rng.integers(0, genres, users)
    user_true = (centres[first] + 0.5 * centres[second]) / 1.5 + rng.normal(0, 0.3, (users, dim))
    weights = 1.0 / np.arange(1, movies + 1) ** 0.8
    popularity_order = rng.permutation(movies)
    per_user = 50
    seen_users = np.repeat(np.arange(users), per_user)
    seen_movies = popularity_order[rng.choice(movies, users * per_user, p=weights / weights.sum())]
    truth = np.einsum("ij,ij->i", user_true[seen_users], movie_true[seen_movies])
    stars = np.clip(
        np.rint(3.2 + truth + quality[seen_movies] + rng.normal(0, 0.7, len(truth))), 1, 5
    )
    return {
        "user_true": user_true,
        "movie_true": movie_true,
        "quality": quality,
        "seen_users": seen_users,
        "seen_movies": seen_movies,
        "stars": stars,
        "movie_genre": movie_genre,
    }


def fit_model(world: dict[str, np.ndarray], dim: int = 16, sweeps: int = 12) -> tuple:
    """Matrix factorisation with biases by alternating least squares: the "trained model"."""
    users, movies = world["user_true"].shape[0], world["movie_true"].shape[0]
    u_idx, m_idx, stars = world["seen_users"], world["seen_movies"], world["stars"]
    mean = stars.mean()
    rng = np.random.default_rng(1)
    p = np.hstack([rng.normal(0, 0.1, (users, dim)), np.ones((users, 1)), np.zeros((users, 1))])
    q = np.hstack([rng.normal(0, 0.1, (movies, dim)), np.zeros((movies, 1)), np.ones((movies, 1))])
    # Column dim is the user's bias (times a fixed 1 on the movie side) and vice versa.
    for _ in range(sweeps):
        p = _als_side(u_idx, m_idx, stars - mean, q, users, dim, fixed=dim + 1)
        q = _als_side(m_idx, u_idx, stars - mean, p, movies, dim, fixed=dim)
    return p, q, mean


def _als_side(
    rows: np.ndarray,
    cols: np.ndarray,
    target: np.ndarray,
    other: np.ndarray,
    count: int,
    dim: int,
    fixed: int,
    ridge: float = 3.0,
) -> np.ndarray:
    free = [c for c in range(dim + 2) if c != fixed]
    solved = np.zeros((count, dim + 2))
    solved[:, fixed] = 1.0
    order = np.argsort(rows, kind="stable")
    bounds = np.searchsorted(rows[order], np.arange(count + 1))
    for row in range(count):
        picked = order[bounds[row] : bounds[row + 1]]
        features = other[cols[picked]]
        residual = target[picked] - features[:, fixed]
        x = features[:, free]
        solved[row, free] = np.linalg.solve(x.T @ x + ridge * np.eye(len(free)), x.T @ residual)
    return solved


def quality_comparison(workdir: Path) -> list[tuple[str, str, str, str, str]]:
    """Precision@10 of each audience against the true "viewers also liked", by movie popularity."""
    world = planted_world()
    p, q, mean = fit_model(world)
    users, movies = p.shape[0], q.shape[0]
    order = np.lexsort((world["seen_movies"], world["seen_users"]))
    indptr = np.searchsorted(world["seen_users"][order], np.arange(users + 1))
    dim = p.shape[1] - 2
    arrays = {
        "user_ids": np.arange(users, dtype=np.int64),
        "movie_ids": np.arange(movies, dtype=np.int64),
        "user_vectors": p[:, :dim].astype(np.float32),
        "movie_vectors": q[:, :dim].astype(np.float32),
        "user_bias": p[:, dim].astype(np.float32),
        "movie_bias": q[:, dim + 1].astype(np.float32),
        "seen_indptr": indptr.astype(np.int64),
        "seen_movies": world["seen_movies"][order].astype(np.int32),
        "seen_ratings": world["stars"][order].astype(np.float32),
    }
    documents = {
        "scoring": {"global_bias": float(mean), "rating_scale": [1, 5, 1]},
        "movies": [
            {
                "movie_id": m,
                "title": f"Movie {m}",
                "year": 2000,
                "genres": [GENRES[world["movie_genre"][m]]],
            }
            for m in range(movies)
        ],
    }
    engine = Recommender.from_artifact(
        write_artifact(workdir / "planted", arrays=arrays, documents=documents)
    )
    counts = np.bincount(world["seen_movies"], minlength=movies)
    true_scores = world["user_true"] @ world["movie_true"].T + world["quality"]
    fans_size = users // 20
    popular = [r.movie_id for r in engine.for_new_user(n=11)]
    rows = []
    rng = np.random.default_rng(2)
    bands = [
        ("head (>= 300 ratings)", 300, 10**9),
        ("torso (30-299)", 30, 299),
        ("tail (3-29)", 3, 29),
    ]
    for label, low, high in bands:
        chosen = rng.permutation(np.flatnonzero((counts >= low) & (counts <= high)))[:100]
        hits: dict[str, list[float]] = {"model": [], "raters": [], "popular": []}
        same_genre: dict[str, list[float]] = {"model": [], "raters": []}
        for movie in chosen.tolist():
            fans = np.argsort(-true_scores[:, movie])[:fans_size]
            liked = true_scores[fans].mean(axis=0)
            liked[movie] = -np.inf
            truth = set(np.argsort(-liked)[:10].tolist())
            hits["popular"].append(len(truth & set([m for m in popular if m != movie][:10])) / 10)
            for audience in same_genre:
                found = [r.movie_id for r in engine.also_liked(movie, 10, audience=audience)]
                hits[audience].append(len(truth & set(found)) / 10)
                same_genre[audience].append(
                    np.mean(world["movie_genre"][found] == world["movie_genre"][movie])
                )
        rows.append(
            (
                label,
                str(len(chosen)),
                *(f"{np.mean(hits[k]):.2f}" for k in hits),
                f"{np.mean(same_genre['model']):.2f} / {np.mean(same_genre['raters']):.2f}",
            )
        )
    return rows


def markdown(speed_rows: dict[str, list], quality_rows: list | None, calls: int) -> str:
    lines = [
        f"Measured {date.today().isoformat()} on {platform.machine()} "
        f"({_cpu()}), numpy {np.__version__}; {calls} calls per request kind.",
        "",
    ]
    for name, rows in speed_rows.items():
        shape = SIZES[name]
        lines += [
            f"### {name} size: {shape['users']:,} users x {shape['movies']:,} movies, D={DIM}",
            "",
            "| measure | median | p99 | p99 CPU time |",
            "|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in rows] + [""]
    if quality_rows:
        lines += [
            "### also_liked audiences on planted data (precision@10 vs the true answer)",
            "",
            "| movies | n | model | raters | popularity baseline | same genre: model / raters |",
            "|---|---|---|---|---|---|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in quality_rows] + [""]
    return "\n".join(lines)


def _cpu() -> str:
    cores = len(os.sched_getaffinity(0))
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    name = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        models = [
            line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        name = models[0].split(":", 1)[1].strip() if models else name
    return f"{name}, {cores} cores, OPENBLAS_NUM_THREADS={threads}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--quality", action="store_true", help="also compare the audiences")
    parser.add_argument("--write", action="store_true", help=f"update {RESULTS}")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        speed_rows = {name: speed(name, options.calls, Path(folder)) for name in options.sizes}
        quality_rows = quality_comparison(Path(folder)) if options.quality else None
    text = markdown(speed_rows, quality_rows, options.calls)
    print(text)
    if options.write:
        current = RESULTS.read_text()
        before, _, rest = current.partition(START)
        _, _, after = rest.partition(END)
        RESULTS.write_text(f"{before}{START}\n{text}\n{END}{after}")


if __name__ == "__main__":
    main()
