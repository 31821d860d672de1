"""The rating-history feature: exact in evaluation, a bounded unbiased sample in training, and
never the pair's own rating."""

import torch

from movierec.model.history import RatingHistory
from movierec.model.tables import History

OTHERS, WIDTH = 50, 4


def one_long_row(length: int = 40) -> History:
    """Row 0 rated others 0..length-1 with centred ratings cycling -2..2; row 1 rated other 7
    only; row 2 rated nothing."""
    others = torch.cat([torch.arange(length), torch.tensor([7])])
    centred = torch.cat([(torch.arange(length) % 5 - 2).float(), torch.tensor([1.0])])
    return History(torch.tensor([0, length, length + 1, length + 1]), others, centred)


def feature(sample: int, length: int = 40, refreshes: int = 0) -> RatingHistory:
    torch.manual_seed(0)
    history = RatingHistory(OTHERS, WIDTH, sample, refreshes)
    history.use(one_long_row(length), offset=3.0)
    return history


def exact_mean(history: RatingHistory, others: torch.Tensor, centred: torch.Tensor
               ) -> torch.Tensor:
    return (history.implicit.weight[others]
            + centred[:, None] * history.explicit.weight[others]).mean(dim=0)


def test_evaluation_reads_every_rating() -> None:
    history = feature(sample=4).eval()
    rows = one_long_row()
    with torch.no_grad():
        values = history(torch.tensor([0, 1, 2]))
        torch.testing.assert_close(values[0], exact_mean(history, rows.others[:40],
                                                         rows.centred[:40]))
        torch.testing.assert_close(values[1], history.implicit.weight[7]
                                   + history.explicit.weight[7])
    assert torch.equal(values[2], torch.zeros(WIDTH))  # no ratings, no feature


def test_training_samples_an_unbiased_estimate_of_the_whole_mean() -> None:
    history = feature(sample=4).train()
    with torch.no_grad():
        whole = history.eval()(torch.tensor([0]))[0]
        history.train()
        draws = history(torch.zeros(20_000, dtype=torch.int64))  # each row drawn on its own
    assert not torch.allclose(draws[0], draws[1])
    # The draws' standard error is ~0.005 here: five of them either way.
    torch.testing.assert_close(draws.mean(dim=0), whole, atol=0.025, rtol=0)


def test_a_short_row_is_read_whole_in_training() -> None:
    history = feature(sample=64).train()
    with torch.no_grad():
        trained = history(torch.tensor([0, 1]))
        evaluated = history.eval()(torch.tensor([0, 1]))
    torch.testing.assert_close(trained, evaluated)


def test_a_step_reads_at_most_sample_ratings_per_row() -> None:
    history = feature(sample=3, length=40).train()
    history(torch.tensor([0, 0])).sum().backward()
    touched = history.implicit.weight.grad.to_dense().abs().sum(dim=1) > 0
    assert 1 <= int(touched.sum()) <= 6  # two rows of the batch, three draws each


def test_the_pairs_own_rating_is_never_read() -> None:
    """Row 0 rated other 5 (1 star); with that rating left out, other 5's embedding (made huge here)
    must never reach the feature, sampled or exact."""
    for sample in (4, 0, 64):
        history = feature(sample=sample).train()
        with torch.no_grad():
            history.implicit.weight[5] = 1e6
            history.explicit.weight[5] = 1e6
            values = torch.stack([
                history(torch.tensor([0]), (torch.tensor([5]), torch.tensor([1.0])))[0]
                for _ in range(200)
            ])
        assert values.abs().max() < 100, sample


def test_with_refreshes_the_value_is_the_whole_mean_and_the_gradient_a_sample() -> None:
    history = feature(sample=3, refreshes=2)
    rows, own = torch.tensor([0, 1]), (torch.tensor([4, 7]), torch.tensor([5.0, 4.0]))
    with torch.no_grad():
        exact = history.eval()(rows, own)
    history.train()
    values = history(rows, own)
    torch.testing.assert_close(values, exact)
    values.sum().backward()
    touched = history.implicit.weight.grad.abs().sum(dim=1) > 0
    assert 1 <= int(touched.sum()) <= 3  # row 0's draws; row 1 has only its own rating


def test_the_whole_means_are_refreshed_as_often_as_asked() -> None:
    history = feature(sample=3, refreshes=2).train()  # 41 ratings: every ~21 rows read
    rows = torch.zeros(7, dtype=torch.int64)
    history(rows)
    first = history.cache["sums"].clone()
    with torch.no_grad():
        history.implicit.weight.add_(1.0)
    history(rows)
    history(rows)
    assert torch.equal(history.cache["sums"], first)  # 14 rows read: not yet
    history(rows)  # 21 rows read: refreshed before this call
    assert not torch.equal(history.cache["sums"], first)
    torch.testing.assert_close(history(rows).detach(), history.eval()(rows))
