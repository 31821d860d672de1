"""The seed network's layers against MODEL.md's table, and the shape guarantees of the towers."""

import dataclasses

import pytest
import torch
from network_tables import GENRES, MOVIES, TITLE, USERS, WORDS, tables

from movierec.model.network import NetworkConfig, ShapeError, TwoTowerNetwork
from movierec.model.tables import History
from movierec.model.towers import Dropout, activate


@pytest.fixture
def network() -> TwoTowerNetwork:
    torch.manual_seed(0)
    return TwoTowerNetwork(NetworkConfig(), tables())


def test_layers_have_the_sizes_of_model_md(network: TwoTowerNetwork) -> None:
    shapes = {name: tuple(value.shape) for name, value in network.named_parameters()}
    assert shapes["user.embedding.weight"] == (USERS, 32)
    assert shapes["user.gender.embedding.weight"] == (2, 16)
    assert shapes["user.age.embedding.weight"] == (7, 16)
    assert shapes["user.occupation.embedding.weight"] == (21, 16)
    assert shapes["user.dense.weight"] == (32, 32)
    for feature in ("gender", "age", "occupation"):
        assert shapes[f"user.{feature}.dense.weight"] == (32, 16)
    assert shapes["user.output.weight"] == (200, 128)
    assert shapes["movie.embedding.weight"] == (MOVIES, 32)
    assert shapes["movie.dense.weight"] == (32, 32)
    assert shapes["movie.genre_embedding.weight"] == (GENRES, 32)
    assert shapes["movie.genre_dense.weight"] == (32, 32)
    assert shapes["movie.title.word_embedding.weight"] == (WORDS, 32)
    for index, window in enumerate((2, 3, 4, 5)):
        assert shapes[f"movie.title.convolutions.{index}.weight"] == (8, 32, window)
    assert shapes["movie.output.weight"] == (200, 96)
    assert not any(name.split("_")[-1] == "bias" for name in shapes)  # no rating biases
    assert network.movie.title_dropout.p == 0.5


def test_intermediate_shapes(network: TwoTowerNetwork) -> None:
    seen: dict[str, tuple[int, ...]] = {}

    def recorder(name: str):
        def record(_module: torch.nn.Module, _inputs: object, output: torch.Tensor) -> None:
            seen.setdefault(name, tuple(output.shape))
        return record

    for name, module in network.named_modules():
        if name:
            module.register_forward_hook(recorder(name))
    batch = 7
    users = torch.arange(batch)
    movies = torch.arange(batch)  # distinct, so the movie tower works on 7 rows
    predictions = network(users, movies)
    assert predictions.shape == (batch,)
    assert seen["user.embedding"] == (batch, 32)
    assert seen["user.gender.dense"] == (2, 32)  # computed per code, then looked up per user
    assert seen["user.occupation.dense"] == (21, 32)
    assert seen["user.output"] == (batch, 200)
    assert seen["movie.genre_embedding"] == (batch, GENRES - 1, 32)
    assert seen["movie.title.word_embedding"] == (batch, TITLE, 32)
    assert seen["movie.title_dropout"] == (batch, 32)  # 4 windows x 8 filters, max-pooled
    assert seen["movie.output"] == (batch, 200)


def test_the_joint_title_convolution_is_four_separate_ones(network: TwoTowerNetwork) -> None:
    title = network.movie.title
    titles = network.movie.titles[:9]
    channels = title.word_embedding(titles).transpose(1, 2)  # (9, 32, 15)
    separate = []
    for convolution, window in zip(title.convolutions, (2, 3, 4, 5), strict=True):
        outputs = convolution(channels)
        assert outputs.shape == (9, 8, TITLE - window + 1)
        separate.append(torch.relu(outputs).amax(dim=2))
    torch.testing.assert_close(title(titles), torch.cat(separate, dim=1))


@pytest.mark.parametrize("batch", [1, 2, 64])
def test_prediction_is_one_number_per_pair(network: TwoTowerNetwork, batch: int) -> None:
    users = torch.randint(0, USERS, (batch,))
    movies = torch.randint(0, MOVIES, (batch,))
    assert network(users, movies).shape == (batch,)


def test_the_originals_broadcast_bug_cannot_happen(network: TwoTowerNetwork) -> None:
    batch = 5
    users = torch.arange(batch)
    user_vectors = network.user_tower(users).unsqueeze(1)  # (B, 1, 200): the original's shape
    movie_vectors = network.movie_tower(users)
    with pytest.raises(ShapeError):
        network.score(user_vectors, movie_vectors, users, users)
    with pytest.raises(ShapeError):
        network(torch.arange(3), torch.arange(4))
    with pytest.raises(ShapeError):
        network(torch.arange(4).view(2, 2), torch.arange(4).view(2, 2))


def test_duplicate_movies_in_a_batch_get_the_same_vector(network: TwoTowerNetwork) -> None:
    network.eval()
    movies = torch.tensor([3, 1, 3, 3, 0])
    vectors = network.movie_tower(movies)
    one_by_one = torch.cat([network.movie_tower(movie.view(1)) for movie in movies])
    torch.testing.assert_close(vectors, one_by_one)
    torch.testing.assert_close(vectors[0], vectors[2])


def test_padding_contributes_nothing_and_learns_nothing(network: TwoTowerNetwork) -> None:
    genres, words = network.movie.genre_embedding, network.movie.title.word_embedding
    assert genres.weight[0].abs().sum() == 0
    assert words.weight[0].abs().sum() == 0
    network(torch.arange(10), torch.arange(10)).sum().backward()
    assert genres.weight.grad[0].abs().sum() == 0
    assert words.weight.grad[0].abs().sum() == 0


def test_seed_initialisation(network: TwoTowerNetwork) -> None:
    for name in ("user.embedding", "user.gender.embedding", "user.age.embedding",
                 "user.occupation.embedding", "movie.embedding", "movie.genre_embedding",
                 "movie.title.word_embedding"):
        weight = network.get_submodule(name).weight
        assert weight.min() >= -1 and weight.max() <= 1
        assert weight.abs().max() > 0.9  # spread over [-1, 1], not a small normal
    for convolution in network.movie.title.convolutions:
        assert torch.all(convolution.bias == 0.1)
        assert convolution.weight.abs().max() <= 0.2


def test_tanh_output_is_tanh() -> None:
    values = torch.linspace(-6, 6, 101)
    torch.testing.assert_close(activate(values, "tanh"), torch.tanh(values))


def test_without_demographics_the_user_tower_is_the_id_alone() -> None:
    network = TwoTowerNetwork(NetworkConfig(), tables(demographics=False))
    names = {name for name, _ in network.named_parameters()}
    assert not any(name.startswith(("user.gender", "user.age", "user.occupation"))
                   for name in names)
    assert network.user.output.in_features == 32
    assert network(torch.arange(6), torch.arange(6)).shape == (6,)


def test_biases_add_to_the_dot_product() -> None:
    config = dataclasses.replace(NetworkConfig(), biases=True, vector_activation="linear")
    network = TwoTowerNetwork(config, tables()).eval()
    with torch.no_grad():
        network.user_bias[2] = 0.5
        network.movie_bias[4] = -0.25
        network.global_bias.fill_(3.0)
    users, movies = torch.tensor([2]), torch.tensor([4])
    dot = (network.user_tower(users) * network.movie_tower(movies)).sum()
    torch.testing.assert_close(network(users, movies), (dot + 3.25).view(1))


def test_bad_configs_are_refused() -> None:
    with pytest.raises(ValueError, match="vector_activation"):
        NetworkConfig(vector_activation="relu")
    with pytest.raises(ShapeError, match="widest"):
        TwoTowerNetwork(NetworkConfig(text_windows=(2, 20)), tables())


def histories() -> dict:
    """Every user rated movies (u, u + 1) mod MOVIES, with ratings 1..5 by position."""
    users = torch.arange(USERS).repeat_interleave(2)
    movies = torch.stack([torch.arange(USERS), torch.arange(USERS) + 1], 1).reshape(-1) % MOVIES
    ratings = (users + movies) % 5 + 1.0

    def side(owners: torch.Tensor, others: torch.Tensor, rows: int) -> History:
        order = torch.argsort(owners * 1000 + others)
        indptr = torch.cat([torch.zeros(1, dtype=torch.long),
                            torch.bincount(owners, minlength=rows).cumsum(0)])
        return History(indptr, others[order], ratings[order] - 3.0)

    return {"user_history": side(users, movies, USERS),
            "movie_history": side(movies, users, MOVIES), "rating_offset": 3.0}


def test_a_pairs_own_rating_is_left_out_of_the_histories() -> None:
    config = NetworkConfig(history_dim=8, vector_activation="linear", title_dropout=0.0)
    network = TwoTowerNetwork(config, tables()._replace(**histories())).eval()
    users, movies = torch.tensor([4]), torch.tensor([5])  # user 4 rated movies 4 (4*) and 5 (5*)
    rating = torch.tensor([5.0])
    assert not torch.allclose(network(users, movies), network(users, movies, rating))
    history = network.user.history
    left = history(users, (movies, rating))
    implicit, explicit = history.implicit.weight, history.explicit.weight
    torch.testing.assert_close(left[0], implicit[4] + (4.0 - 3.0) * explicit[4])
    whole = history(users)
    torch.testing.assert_close(
        whole[0], (implicit[4] + explicit[4] + implicit[5] + 2.0 * explicit[5]) / 2)


def test_id_shortcut_adds_the_id_embedding_to_the_output() -> None:
    config = NetworkConfig(id_shortcut=True, id_dim=16, vector_dim=16,
                           vector_activation="linear", title_dropout=0.0)
    network = TwoTowerNetwork(config, tables()).eval()
    assert network.user.dense is None and network.movie.dense is None
    assert network.movie.output.in_features == 32 + 32
    users = torch.tensor([3])
    tower = network.user
    codes = (tower.gender_codes[users], tower.age_codes[users], tower.occupation_codes[users])
    without_id = tower.vectors(torch.zeros(1, 16), codes)
    torch.testing.assert_close(network.user_tower(users), without_id + tower.embedding(users))
    with pytest.raises(ValueError, match="id_dim == vector_dim"):
        NetworkConfig(id_shortcut=True, id_dim=8, vector_dim=16)


def test_dropout_keeps_the_mean_and_is_off_in_eval() -> None:
    torch.manual_seed(0)
    dropout = Dropout(0.6)
    values = torch.ones(200_000)
    dropped = dropout(values)
    assert 0.58 < (dropped == 0).float().mean() < 0.62
    assert abs(float(dropped.mean()) - 1.0) < 0.02
    assert torch.equal(dropout.eval()(values), values)
