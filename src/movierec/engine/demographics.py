"""A new user's gender, age and occupation: validation, and the user vector they imply."""

from dataclasses import dataclass

import numpy as np

from movierec.data.codes import AGE_BUCKETS, GENDERS, OCCUPATIONS
from movierec.engine.errors import InvalidRequest


@dataclass(frozen=True)
class Demographics:
    """Validated demographics in ML-1M codes; None where not given."""

    gender: str | None = None
    """F or M."""
    age: int | None = None
    """An ML-1M age bucket code: 1, 18, 25, 35, 45, 50 or 56."""
    occupation: int | None = None
    """An ML-1M occupation code, 0..20."""

    @property
    def given(self) -> bool:
        return self.gender is not None or self.age is not None or self.occupation is not None

    @property
    def indices(self) -> tuple[int | None, int | None, int | None]:
        """Positions in the (2, 7, 21, D) demographic table, None where not given."""
        return (
            None if self.gender is None else GENDERS[self.gender],
            None if self.age is None else list(AGE_BUCKETS).index(self.age),
            self.occupation,
        )


def check_demographics(
    gender: object = None, age: object = None, occupation: object = None
) -> Demographics:
    """Checked demographics; InvalidRequest naming the bad value and the accepted ones."""
    if gender is not None:
        gender = str(gender).strip().upper()
        if gender not in GENDERS:
            raise InvalidRequest(f"gender must be F or M, not {gender!r}")
    if age is not None and (_whole(age) not in AGE_BUCKETS):
        codes = ", ".join(f"{code} ({label})" for code, label in AGE_BUCKETS.items())
        raise InvalidRequest(f"age must be an ML-1M age code: {codes}; not {age!r}")
    if occupation is not None and (_whole(occupation) not in OCCUPATIONS):
        raise InvalidRequest(
            f"occupation must be an ML-1M occupation code 0..20 (12 = programmer), "
            f"not {occupation!r}"
        )
    return Demographics(
        gender,  # type: ignore[arg-type]
        None if age is None else _whole(age),
        None if occupation is None else _whole(occupation),
    )


def demographic_vector(
    table: np.ndarray, who: Demographics, user_demographics: np.ndarray | None
) -> np.ndarray:
    """The user vector of `who`: the table's cell, averaged over what was not given.

    The average over a missing field is weighted by how many training users fall in each cell
    (plus one, so empty cells still count a little): "women" means the women of the data, not
    every age and occupation equally.
    """
    weights = np.ones(table.shape[:3])
    if user_demographics is not None:
        np.add.at(weights, tuple(user_demographics.T), 1.0)
    selection = tuple(slice(None) if index is None else index for index in who.indices)
    cells = table[selection].reshape(-1, table.shape[-1])
    cell_weights = weights[selection].reshape(-1)
    return (cell_weights @ cells) / cell_weights.sum()


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
