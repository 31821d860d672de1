"""Hand-made feature tables for the model tests: small, seeded, with or without demographics.

Imported by basename (`from network_tables import ...`): pytest puts this folder on sys.path.
"""

import torch

from movierec.model.network import FeatureTables

USERS, MOVIES, GENRES, WORDS, TITLE = 40, 30, 19, 60, 15


def tables(demographics: bool = True, seed: int = 0) -> FeatureTables:
    generator = torch.Generator().manual_seed(seed)
    genres = torch.zeros(MOVIES, GENRES - 1, dtype=torch.long)
    genres[:, :3] = torch.randint(1, GENRES, (MOVIES, 3), generator=generator)
    titles = torch.zeros(MOVIES, TITLE, dtype=torch.long)
    titles[:, :4] = torch.randint(1, WORDS, (MOVIES, 4), generator=generator)
    codes = {}
    if demographics:
        codes = {
            "user_gender": torch.randint(0, 2, (USERS,), generator=generator),
            "user_age": torch.randint(0, 7, (USERS,), generator=generator),
            "user_occupation": torch.randint(0, 21, (USERS,), generator=generator),
        }
    return FeatureTables(genres, titles, GENRES, WORDS, USERS, **codes)
