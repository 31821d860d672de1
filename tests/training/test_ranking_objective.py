"""The softmax objective's corrections, checked against the cross-entropy written out by hand,
and the recall the ranking epochs report."""

import math

import pytest
import torch

from movierec.training.config import RankingConfig
from movierec.training.data import RatingTensors
from movierec.training.ranking_objective import SoftmaxObjective
from movierec.training.ranking_trainer import RecallProbe

# Training ratings of 4 users: user 0 rated movies 0, 1, 2; user 1 rated 0; user 2 rated 0 and 3;
# user 3 rated nothing.
USERS = torch.tensor([0, 0, 0, 1, 2, 2])
MOVIES = torch.tensor([0, 1, 2, 0, 0, 3])
MOVIE_COUNT = 5


def objective(**settings) -> SoftmaxObjective:
    """The objective on the ratings above; no correction or weighting unless asked for."""
    plain = {"batch_size": 4, "popularity_correction": 0.0, "disliked_weight": 1.0}
    return SoftmaxObjective(USERS, MOVIES, RankingConfig(**plain | settings), user_count=4,
                            movie_count=MOVIE_COUNT)


def test_in_batch_candidates_are_the_batch_movies_with_the_log_q_correction() -> None:
    candidates = objective().candidates(torch.tensor([3, 0, 3, 1]))
    assert candidates.movies.tolist() == [0, 1, 3]
    assert candidates.targets.tolist() == [2, 0, 2, 1]
    # Movie 0 is half the ratings: a batch of 4 holds it with chance 1 - 0.5^4.
    share = torch.tensor([3 / 6, 1 / 6, 1 / 6], dtype=torch.float64)
    inclusion = 1 - (1 - share) ** 4
    assert candidates.offsets.tolist() == pytest.approx((-inclusion.log()).tolist(), rel=1e-5)


def test_all_candidates_are_the_catalogue_uncorrected() -> None:
    candidates = objective(negatives="all").candidates(torch.tensor([3, 0]))
    assert candidates.movies.tolist() == list(range(MOVIE_COUNT))
    assert candidates.targets.tolist() == [3, 0]
    assert not candidates.offsets.any()


def test_popularity_correction_adds_lambda_log_popularity() -> None:
    plain = objective(negatives="all").candidates(torch.tensor([0]))
    corrected = objective(negatives="all", popularity_correction=0.5).candidates(
        torch.tensor([0]))
    difference = corrected.offsets - plain.offsets
    # Movie 4 was never rated: it counts as half a rating, not as minus infinity.
    expected = [0.5 * math.log(share) for share in (3 / 6, 1 / 6, 1 / 6, 1 / 6, 0.5 / 6)]
    assert difference.tolist() == pytest.approx(expected, rel=1e-5)


def test_a_users_other_training_movies_are_not_negatives() -> None:
    loss_of = objective(negatives="all")
    users = torch.tensor([0])
    candidates = loss_of.candidates(torch.tensor([1]))  # user 0's rating of movie 1
    user_vectors = torch.tensor([[1.0, 0.0]])
    movie_vectors = torch.tensor([[2.0, 0.0], [0.5, 0.0], [3.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    loss = loss_of.loss(user_vectors, movie_vectors, users, candidates)
    # Movies 0 and 2 (also rated by user 0) leave the softmax; 1 (the positive), 3 and 4 stay.
    logits = torch.tensor([0.5, 0.0, -1.0])
    assert float(loss) == pytest.approx(float(-torch.log_softmax(logits, 0)[0]), rel=1e-6)
    unmasked = objective(negatives="all", mask_seen=False).loss(
        user_vectors, movie_vectors, users, candidates)
    assert float(unmasked) > float(loss)


def test_seen_answers_for_every_user_and_candidate() -> None:
    seen = objective().seen(torch.tensor([2, 0, 1, 2, 3]), torch.tensor([3, 0, 2, 4]))
    # User 3 has no training ratings at all.
    assert seen.int().tolist() == [[1, 1, 0, 0], [0, 1, 1, 0], [0, 1, 0, 0], [1, 1, 0, 0],
                                   [0, 0, 0, 0]]


def test_disliked_positives_weigh_less() -> None:
    loss_of = objective(negatives="all", mask_seen=False, disliked_weight=0.25)
    users = torch.tensor([0, 1])
    candidates = loss_of.candidates(torch.tensor([1, 0]))
    user_vectors = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    movie_vectors = torch.tensor([[2.0, 0.0], [0.5, 0.0], [3.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    each = torch.nn.functional.cross_entropy(user_vectors @ movie_vectors.T,
                                             candidates.targets, reduction="none")
    weighted = loss_of.loss(user_vectors, movie_vectors, users, candidates,
                            torch.tensor([2.0, 5.0]))
    assert float(weighted) == pytest.approx(float((0.25 * each[0] + each[1]) / 1.25), rel=1e-6)
    unweighted = loss_of.loss(user_vectors, movie_vectors, users, candidates)
    assert float(unweighted) == pytest.approx(float(each.mean()), rel=1e-6)


def test_the_epoch_probe_counts_hits_in_the_top_10_of_unseen_movies() -> None:
    def part(pairs: list[tuple[int, int]]) -> RatingTensors:
        users, movies = zip(*pairs, strict=True)
        return RatingTensors(torch.tensor(users), torch.tensor(movies),
                             torch.full((len(pairs),), 4.0))

    # Both users score movie j at 12 - j: best first. User 0 saw movie 0 in training, so their
    # top 10 is movies 1..10: test movie 1 is found, 11 is not. User 1's movie 5 is found.
    probe = RecallProbe(part([(0, 0), (1, 3), (2, 2)]), part([(0, 1), (0, 11), (1, 5)]),
                         movie_count=12, seed=0)
    preference = torch.arange(12, 0, -1, dtype=torch.float32)
    assert probe.users.tolist() == [0, 1]  # user 2 has nothing to find
    assert probe.recall(preference.expand(2, 12), torch.eye(12)) == pytest.approx(0.75)
