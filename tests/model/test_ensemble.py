"""An ensemble of two-tower networks is still one user vector and one movie vector."""

import dataclasses

import torch
from network_tables import tables

from movierec.model.ensemble import TowerEnsemble, build_network, members_of
from movierec.model.network import NetworkConfig, TwoTowerNetwork

CONFIG = NetworkConfig(vector_dim=8, biases=True, vector_activation="linear", members=3)


def ensemble() -> TowerEnsemble:
    torch.manual_seed(0)
    network = build_network(CONFIG, tables())
    assert isinstance(network, TowerEnsemble)
    with torch.no_grad():
        for index, member in enumerate(network.members):
            member.user_bias.uniform_(-1, 1)
            member.movie_bias.uniform_(-1, 1)
            member.global_bias.fill_(3.0 + index)
    return network.eval()


def test_the_dot_product_of_concatenated_vectors_is_the_members_mean() -> None:
    network = ensemble()
    users, movies = torch.tensor([0, 5, 9]), torch.tensor([1, 1, 7])
    mean = torch.stack([member(users, movies) for member in network.members]).mean(0)
    user_vectors, movie_vectors = network.user_tower(users), network.movie_tower(movies)
    assert user_vectors.shape == (3, 3 * 8)
    torch.testing.assert_close(network.score(user_vectors, movie_vectors, users, movies), mean)
    torch.testing.assert_close(network(users, movies), mean)
    user_bias, movie_bias, global_bias = network.rating_biases()
    dot = (user_vectors * movie_vectors).sum(1)
    torch.testing.assert_close(dot + user_bias[users] + movie_bias[movies] + global_bias, mean)


def test_members_start_differently() -> None:
    first, second = members_of(ensemble())[:2]
    assert not torch.equal(first.user.embedding.weight, second.user.embedding.weight)


def test_new_user_vectors_concatenate_the_members() -> None:
    network = ensemble()
    codes = (torch.tensor([1]), torch.tensor([2]), torch.tensor([3]))
    vectors = network.new_user_vectors(*codes)
    parts = [member.new_user_vectors(*codes) for member in network.members]
    torch.testing.assert_close(vectors, torch.cat(parts, 1) / 3 ** 0.5)


def test_one_member_is_a_plain_network() -> None:
    network = build_network(dataclasses.replace(CONFIG, members=1), tables())
    assert isinstance(network, TwoTowerNetwork)
    assert members_of(network) == [network]
