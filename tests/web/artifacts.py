"""Small synthetic model artifacts with real titles and a planted taste structure.

Each movie belongs to a genre cluster; its vector is the cluster's direction plus noise. Each user
likes one or two clusters. The training ratings follow from the vectors, so "similar movies" of a
comedy are comedies and a user who rates comedies highly is recommended comedies.
"""

from pathlib import Path

import numpy as np
from synthetic_artifacts import write_model

# (title as MovieLens writes it, genres, tmdb id or None); ids are 1.. in this order.
CATALOGUE: list[tuple[str, list[str], int | None]] = [
    ("Toy Story (1995)", ["Animation", "Children's", "Comedy"], 862),
    ("Jumanji (1995)", ["Adventure", "Children's", "Fantasy"], 8844),
    ("Heat (1995)", ["Action", "Crime", "Thriller"], 949),
    ("GoldenEye (1995)", ["Action", "Adventure", "Thriller"], 710),
    ("Babe (1995)", ["Children's", "Comedy", "Drama"], 9598),
    ("Usual Suspects, The (1995)", ["Crime", "Thriller"], 629),
    ("Braveheart (1995)", ["Action", "Drama", "War"], 197),
    ("Apollo 13 (1995)", ["Drama"], 568),
    ("Star Wars (1977)", ["Action", "Adventure", "Sci-Fi"], 11),
    ("Pulp Fiction (1994)", ["Crime", "Drama"], 680),
    ("Shawshank Redemption, The (1994)", ["Drama"], 278),
    ("Forrest Gump (1994)", ["Comedy", "Romance", "War"], 13),
    ("Lion King, The (1994)", ["Animation", "Children's", "Musical"], 8587),
    ("Jurassic Park (1993)", ["Action", "Adventure", "Sci-Fi"], 329),
    ("Schindler's List (1993)", ["Drama", "War"], 424),
    ("Fargo (1996)", ["Crime", "Drama", "Thriller"], 275),
    ("Godfather, The (1972)", ["Action", "Crime", "Drama"], 238),
    ("Casablanca (1942)", ["Drama", "Romance", "War"], 289),
    ("Matrix, The (1999)", ["Action", "Sci-Fi", "Thriller"], 603),
    ("Alien (1979)", ["Action", "Horror", "Sci-Fi"], 348),
    ("Shining, The (1980)", ["Horror"], 694),
    ("Psycho (1960)", ["Horror", "Thriller"], 539),
    ("Scream (1996)", ["Horror", "Thriller"], 4232),
    ("Halloween (1978)", ["Horror"], 948),
    ("Groundhog Day (1993)", ["Comedy", "Romance"], 137),
    ("Annie Hall (1977)", ["Comedy", "Romance"], 703),
    ("Big Lebowski, The (1998)", ["Comedy", "Crime"], 115),
    ("Airplane! (1980)", ["Comedy"], 813),
    ("Clueless (1995)", ["Comedy", "Romance"], 9603),
    ("When Harry Met Sally... (1989)", ["Comedy", "Romance"], 639),
    ("Sleepless in Seattle (1993)", ["Comedy", "Romance"], 858),
    ("Titanic (1997)", ["Drama", "Romance"], 597),
    ("Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)", ["Comedy", "Romance"], 194),
    ("Terminator 2: Judgment Day (1991)", ["Action", "Sci-Fi", "Thriller"], 280),
    ("Aliens (1986)", ["Action", "Sci-Fi", "Thriller", "War"], 679),
    ("Blade Runner (1982)", ["Film-Noir", "Sci-Fi"], 78),
    ("2001: A Space Odyssey (1968)", ["Drama", "Mystery", "Sci-Fi"], 62),
    ("Back to the Future (1985)", ["Comedy", "Sci-Fi"], 105),
    ("E.T. the Extra-Terrestrial (1982)", ["Children's", "Drama", "Fantasy", "Sci-Fi"], 601),
    ("Beauty and the Beast (1991)", ["Animation", "Children's", "Musical"], 10020),
    ("Aladdin (1992)", ["Animation", "Children's", "Comedy", "Musical"], 812),
    ("Snow White and the Seven Dwarfs (1937)", ["Animation", "Children's", "Musical"], 408),
    ("Good, the Bad and the Ugly, The (1966)", ["Action", "Western"], 429),
    ("Unforgiven (1992)", ["Western"], 33),
    ("Dances with Wolves (1990)", ["Adventure", "Drama", "Western"], 581),
    ("Sound of Music, The (1965)", ["Musical"], 15121),
    ("Singin' in the Rain (1952)", ["Musical", "Romance"], 872),
    ("Hoop Dreams (1994)", ["Documentary"], None),
    ("Spider-Man (2002)", ["Action", "Adventure", "Sci-Fi"], 557),
    ("Seven (Se7en) (1995)", ["Crime", "Thriller"], 807),
]

CLUSTERS = {
    "Action": 0,
    "Adventure": 0,
    "Sci-Fi": 0,
    "War": 0,
    "Western": 0,
    "Crime": 1,
    "Thriller": 1,
    "Film-Noir": 1,
    "Mystery": 1,
    "Comedy": 2,
    "Romance": 2,
    "Musical": 2,
    "Horror": 3,
    "Animation": 4,
    "Children's": 4,
    "Fantasy": 4,
    "Sci-Fi/Fantasy": 4,
    "Drama": 5,
    "Documentary": 5,
}
WIDTH = 8


def _split_title(title: str) -> tuple[str, int | None]:
    if title.endswith(")") and title[-6:-5] == "(" and title[-5:-1].isdigit():
        return title, int(title[-5:-1])
    return title, None


def make_artifact(
    destination: Path,
    *,
    users: int = 40,
    half_stars: bool = False,
    seed: int = 0,
    catalogue: list[tuple[str, list[str], int | None]] | None = None,
    demographics: bool = False,
    movie_ids: list[int] | None = None,
    user_ids: list[int] | None = None,
    dataset: str | None = None,
    site_ratings: dict | None = None,
) -> Path:
    """Write a consistent artifact at `destination` and return its path.

    Movie and user ids are 1.. in order unless `movie_ids` or `user_ids` give them (any int64
    the data loader accepts: negative, or longer than nine digits). `dataset` is the name the
    manifest records, as training writes it; none by default. `site_ratings` marks the model as
    retrained on a site's ratings (its manifest's summary of them), as a retrain writes it.

    With `demographics`, the model also has the (gender, age, occupation) user table: an
    occupation code c stands for the users who like genre cluster c % 6 most (programmers, 12,
    like action and science fiction; artists, 2, comedies), and each user's occupation is the
    code of their favourite cluster.
    """
    catalogue = catalogue or CATALOGUE
    movie_ids = movie_ids or list(range(1, len(catalogue) + 1))
    user_ids = user_ids or list(range(1, users + 1))
    rng = np.random.default_rng(seed)
    movie_count = len(catalogue)
    clusters = np.eye(WIDTH, dtype=np.float32)
    movie_vectors = np.stack(
        [clusters[CLUSTERS[genres[0]]] for _, genres, _ in catalogue]
    ) + rng.normal(0, 0.15, (movie_count, WIDTH)).astype(np.float32)
    tastes = rng.integers(0, 6, size=(users, 2))
    user_vectors = (clusters[tastes[:, 0]] * 1.2 + clusters[tastes[:, 1]] * 0.6).astype(np.float32)
    user_vectors += rng.normal(0, 0.1, (users, WIDTH)).astype(np.float32)
    user_bias = rng.normal(0, 0.1, users).astype(np.float32)
    movie_bias = rng.normal(0, 0.1, movie_count).astype(np.float32)
    global_bias = 3.0
    low, high, step = (0.5, 5.0, 0.5) if half_stars else (1.0, 5.0, 1.0)

    seen = []
    for user in range(users):
        # Everyone rated the well-known first ten a little more often than the rest.
        weights = np.where(np.arange(movie_count) < 10, 3.0, 1.0)
        chosen = np.sort(rng.choice(movie_count, 15, replace=False, p=weights / weights.sum()))
        raw = (
            movie_vectors[chosen] @ user_vectors[user] * 1.5
            + user_bias[user]
            + movie_bias[chosen]
            + global_bias
            + rng.normal(0, 0.3, len(chosen))
        )
        stars = np.clip(np.round((raw - low) / step) * step + low, low, high)
        seen.append(dict(zip(chosen.tolist(), stars.tolist(), strict=True)))

    movies = []
    for position, (title, genres, tmdb_id) in enumerate(catalogue):
        _, year = _split_title(title)
        movies.append(
            {
                "movie_id": movie_ids[position],
                "title": title,
                "year": year,
                "genres": genres,
                "imdb_id": 100_000 + position,
                "tmdb_id": tmdb_id,
            }
        )
    arrays = {}
    if demographics:
        table = np.zeros((2, 7, 21, WIDTH), dtype=np.float32)
        table[:, :, np.arange(21)] = clusters[np.arange(21) % 6] * 1.2
        arrays["demographic_vectors"] = table
        arrays["user_demographics"] = np.stack(
            [np.arange(users) % 2, np.arange(users) % 7, tastes[:, 0]], axis=1
        ).astype(np.int16)
    genre_names = sorted({genre for _, genres, _ in catalogue for genre in genres})
    documents = {
        "config": {"preset": "synthetic-test", "embedding_dim": WIDTH},
        "vocab": {"genres": ["<PAD>", *genre_names], "title_seed": ["<PAD>"], "title_words": []},
    }
    return write_model(
        destination, user_ids=user_ids, movies=movies, user_vectors=user_vectors,
        movie_vectors=movie_vectors, seen=seen, user_bias=user_bias, movie_bias=movie_bias,
        global_bias=global_bias, rating_scale=(low, high, step), arrays=arrays,
        documents=documents,
        provenance=({"dataset": dataset} if dataset else {})
        | ({"site_ratings": site_ratings} if site_ratings else {}),
    )
