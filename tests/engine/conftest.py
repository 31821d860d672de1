"""Planted-structure artifacts: four genre clusters whose right answers are known.

Movies of cluster c have vectors near 2 * e_c, users who love cluster c have vectors near e_c,
so a user's own cluster predicts about 5 stars and any other about 3. Ids are deliberately not
the row indices (movie id = 10 * index + 7, user id = 3 * index + 100) to catch mix-ups.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from synthetic_artifacts import write_model

from movierec.artifacts import read_artifact
from movierec.engine import Recommender

CLUSTERS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Action",
        [
            ("Heat (1995)", "Action|Crime|Thriller"),
            ("Die Hard (1988)", "Action|Thriller"),
            ("Matrix, The (1999)", "Action|Sci-Fi|Thriller"),
            ("Terminator, The (1984)", "Action|Sci-Fi|Thriller"),
            ("Terminator 2: Judgment Day (1991)", "Action|Sci-Fi|Thriller"),
            ("Speed (1994)", "Action|Romance|Thriller"),
            ("Face/Off (1997)", "Action|Sci-Fi|Thriller"),
            ("Rock, The (1996)", "Action|Adventure|Thriller"),
            ("Con Air (1997)", "Action|Adventure|Thriller"),
            ("Ronin (1998)", "Action|Crime|Thriller"),
            ("Point Break (1991)", "Action|Thriller"),
            ("Lethal Weapon (1987)", "Action|Comedy|Crime"),
        ],
    ),
    (
        "Animation",
        [
            ("Toy Story (1995)", "Animation|Children's|Comedy"),
            ("Toy Story 2 (1999)", "Animation|Children's|Comedy"),
            ("Lion King, The (1994)", "Animation|Children's|Musical"),
            ("Aladdin (1992)", "Animation|Children's|Comedy|Musical"),
            ("Beauty and the Beast (1991)", "Animation|Children's|Musical"),
            ("Bug's Life, A (1998)", "Animation|Children's|Comedy"),
            ("Antz (1998)", "Animation|Children's"),
            ("Mulan (1998)", "Animation|Children's"),
            ("Hercules (1997)", "Adventure|Animation|Children's|Comedy|Musical"),
            ("Pocahontas (1995)", "Animation|Children's|Musical|Romance"),
            ("Tarzan (1999)", "Animation|Children's"),
            ("Little Mermaid, The (1989)", "Animation|Children's|Comedy|Musical|Romance"),
        ],
    ),
    (
        "Comedy",
        [
            ("Amélie (Fabuleux destin d'Amélie Poulain, Le) (2001)", "Comedy|Romance"),
            ("Annie Hall (1977)", "Comedy|Romance"),
            ("When Harry Met Sally... (1989)", "Comedy|Romance"),
            ("Groundhog Day (1993)", "Comedy|Romance"),
            ("Notting Hill (1999)", "Comedy|Romance"),
            ("Sleepless in Seattle (1993)", "Comedy|Romance"),
            ("Pretty Woman (1990)", "Comedy|Romance"),
            ("Clueless (1995)", "Comedy|Romance"),
            ("Four Weddings and a Funeral (1994)", "Comedy|Romance"),
            ("Roman Holiday (1953)", "Comedy|Romance"),
            ("Moonstruck (1987)", "Comedy"),
            ("Tootsie (1982)", "Comedy|Romance"),
        ],
    ),
    (
        "Horror",
        [
            ("Shining, The (1980)", "Horror|Thriller"),
            ("Alien (1979)", "Action|Horror|Sci-Fi|Thriller"),
            ("Halloween (1978)", "Horror"),
            ("Scream (1996)", "Horror|Thriller"),
            ("Exorcist, The (1973)", "Horror"),
            ("Psycho (1960)", "Horror|Thriller"),
            ("Birds, The (1963)", "Horror"),
            ("Carrie (1976)", "Horror"),
            ("Poltergeist (1982)", "Horror|Thriller"),
            ("Omen, The (1976)", "Horror"),
            ("Thing, The (1982)", "Action|Horror|Sci-Fi|Thriller"),
            ("Nosferatu (Nosferatu, eine Symphonie des Grauens) (1922)", "Horror"),
        ],
    ),
]
EXTRAS = [("Obscure Film (1960)", "Drama"), ("One Hit Wonder", "Drama")]
"""Outside every cluster: one nobody rated, one (without a year) that one user rated 5."""

PER_CLUSTER = 12
USERS_PER_CLUSTER = 10
DIM = 12
OWN_RATED = 4
"""Movies of their own cluster each user rated (5 stars); they also rated 3 others 3 stars."""


@dataclass
class Planted:
    """A planted artifact and the truth it was built from."""

    path: Path
    movie_ids: np.ndarray
    user_ids: np.ndarray
    movie_cluster: np.ndarray
    """Cluster of every movie index; -1 for the extras."""
    user_cluster: np.ndarray
    seen: dict[int, dict[int, float]] = field(default_factory=dict)
    """user id -> {movie id: stars} of the training ratings."""
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    documents: dict = field(default_factory=dict)

    def movies_in(self, cluster: int) -> set[int]:
        return set(self.movie_ids[self.movie_cluster == cluster].tolist())

    def cluster_of(self, movie_id: int) -> int:
        return int(self.movie_cluster[list(self.movie_ids).index(movie_id)])

    def user_in(self, cluster: int, which: int = 0) -> int:
        return int(self.user_ids[self.user_cluster == cluster][which])

    def movie_id(self, title_start: str) -> int:
        for record in self.documents["movies"]:
            if record["title"].startswith(title_start):
                return record["movie_id"]
        raise KeyError(title_start)


POPULAR = 6
"""The first POPULAR movies of each cluster are well known in the new-user head's prior."""


def build_planted(
    destination: Path, *, demographics: bool = True, ranking: bool = False,
    new_user_head: bool = False,
) -> Planted:
    rng = np.random.default_rng(7)
    titles = [
        (title, genres, c) for c, (_, movies) in enumerate(CLUSTERS) for title, genres in movies
    ]
    titles += [(title, genres, -1) for title, genres in EXTRAS]
    movie_count = len(titles)
    movie_cluster = np.array([c for _, _, c in titles])
    movie_ids = np.arange(movie_count) * 10 + 7
    movie_vectors = rng.normal(0, 0.08, (movie_count, DIM))
    for index, cluster in enumerate(movie_cluster):
        if cluster >= 0:
            movie_vectors[index, cluster] += 2.0
    user_cluster = np.repeat(np.arange(len(CLUSTERS)), USERS_PER_CLUSTER)
    user_count = len(user_cluster)
    user_ids = np.arange(user_count) * 3 + 100
    user_vectors = rng.normal(0, 0.08, (user_count, DIM))
    user_vectors[np.arange(user_count), user_cluster] += 1.0
    user_bias = rng.normal(0, 0.05, user_count)
    movie_bias = rng.normal(0, 0.05, movie_count)
    seen_rows, seen = [], {}
    for user, cluster in enumerate(user_cluster):
        within = user % USERS_PER_CLUSTER
        own = cluster * PER_CLUSTER + (np.arange(OWN_RATED) + within) % PER_CLUSTER
        if cluster == 1:
            own[0] = PER_CLUSTER  # every Animation fan rated Toy Story: it is the most rated
        # Never index 0 of a cluster, so Toy Story's ratings are all its fans' 5 stars.
        others = [((cluster + k) % 4) * PER_CLUSTER + 1 + (within + 5) % 11 for k in (1, 2, 3)]
        rated = {int(m): 5.0 for m in own} | {int(m): 3.0 for m in others}
        if user == 0:
            rated[movie_count - 1] = 5.0  # the one hit wonder
        seen_rows.append(rated)
        seen[int(user_ids[user])] = {int(movie_ids[m]): rated[m] for m in sorted(rated)}
    arrays: dict[str, np.ndarray] = {}
    if demographics:
        table = np.tile(user_vectors.mean(axis=0), (2, 7, 21, 1))
        for occupation in range(21):
            table[:, :, occupation, :] = 0.0
            table[:, :, occupation, occupation % 4] = 1.0
        arrays["demographic_vectors"] = table.astype(np.float32)
        arrays["user_demographics"] = np.stack(
            [np.arange(user_count) % 2, np.full(user_count, 2), user_cluster], axis=1
        ).astype(np.int16)
    if ranking:
        rotation, _ = np.linalg.qr(rng.normal(size=(DIM, DIM)))
        arrays["ranking_user_vectors"] = (user_vectors @ rotation).astype(np.float32)
        boosted = movie_vectors.copy()
        boosted[movie_count - 2, :4] = 3.0  # the obscure film ranks first for everyone
        arrays["ranking_movie_vectors"] = (boosted @ rotation).astype(np.float32)
    scoring: dict = {}
    if new_user_head:
        arrays |= _planted_head(movie_cluster, demographics)
        scoring["new_users"] = {"shrink": 1.0, "rating_offset": 3.0}
    movies = [
        {
            "movie_id": int(movie_ids[index]),
            "title": title,
            "year": int(title[-5:-1]) if title.endswith(")") else None,
            "genres": genres.split("|"),
            "imdb_id": None,
            "tmdb_id": None,
        }
        for index, (title, genres, _) in enumerate(titles)
    ]
    write_model(
        destination, user_ids=user_ids, movies=movies, user_vectors=user_vectors,
        movie_vectors=movie_vectors, seen=seen_rows, user_bias=user_bias, movie_bias=movie_bias,
        arrays=arrays, scoring=scoring,
        documents={"config": {"preset": "planted"}, "vocab": {"genres": ["<PAD>"]}},
    )
    written = read_artifact(destination)
    arrays, documents = dict(written.arrays), dict(written.documents)
    return Planted(
        destination, movie_ids, user_ids, movie_cluster, user_cluster, seen, arrays, documents
    )


def _planted_head(movie_cluster: np.ndarray, demographics: bool) -> dict[str, np.ndarray]:
    """A new-user head whose answers are known. It reads the cluster dimensions only: a 5-star
    rating of a cluster's movie (vector near 2 e_c) adds about (0.15 + 2 * 0.15) * 4 / 2 = 0.9
    to that cluster's movies (at least 0.7 with the planted noise) and at most 0.15 to any
    other, too little to matter; a 1-star one takes 0.3 away. The prior knows Action's
    well-known movies 75 likes each, the other clusters' 100, everything else 1 (log(1 +
    likes): 4.33, 4.62, 0.69): one 5-star rating lifts well-known Action above the rest, not
    obscure Action."""
    likes = np.ones(len(movie_cluster))
    for cluster in range(len(CLUSTERS)):
        well_known = np.flatnonzero(movie_cluster == cluster)[:POPULAR]
        likes[well_known] = 75 if cluster == 0 else 100
    clusters = np.zeros((DIM, DIM))
    clusters[np.arange(len(CLUSTERS)), np.arange(len(CLUSTERS))] = 1.0
    arrays = {
        "new_user_implicit": 0.15 * clusters,
        "new_user_explicit": 0.15 * clusters,
        "new_user_prior": np.log1p(likes),
    }
    if demographics:
        # Occupation o leans toward cluster o % 4, as the demographic vectors do.
        occupations = np.zeros((21, DIM))
        occupations[np.arange(21), np.arange(21) % 4] = 1.0
        arrays |= {"new_user_gender": np.zeros((2, DIM)), "new_user_age": np.zeros((7, DIM)),
                   "new_user_occupation": occupations}
    return {name: value.astype(np.float32) for name, value in arrays.items()}


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return build_planted(tmp_path_factory.mktemp("planted") / "model")


@pytest.fixture(scope="session")
def engine(planted: Planted) -> Recommender:
    return Recommender.from_artifact(planted.path)


@pytest.fixture(scope="session")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return build_planted(tmp_path_factory.mktemp("ranked") / "model", ranking=True)


@pytest.fixture(scope="session")
def ranked_engine(ranked: Planted) -> Recommender:
    return Recommender.from_artifact(ranked.path)


@pytest.fixture(scope="session")
def plain_engine(tmp_path_factory: pytest.TempPathFactory) -> Recommender:
    """A model without demographics, like one trained on ML-32M."""
    planted = build_planted(tmp_path_factory.mktemp("plain") / "model", demographics=False)
    return Recommender.from_artifact(planted.path)


@pytest.fixture(scope="session")
def headed(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    """The planted model with a new-user head."""
    return build_planted(tmp_path_factory.mktemp("headed") / "model", new_user_head=True)


@pytest.fixture(scope="session")
def headed_engine(headed: Planted) -> Recommender:
    return Recommender.from_artifact(headed.path)
