"""The towers' outputs for every user and every movie, in eval mode (no dropout)."""

import torch
from torch import Tensor

from movierec.model.ensemble import RatingNetwork
from movierec.model.network import AGES, GENDERS, OCCUPATIONS

CHUNK = 1 << 14
"""Rows per tower call: bounds the memory of the title CNN on the largest catalogues."""


def tower_vectors(network: RatingNetwork) -> tuple[Tensor, Tensor]:
    """(U, D) user vectors and (M, D) movie vectors; the network is left in eval mode."""
    network.eval()
    device = next(network.parameters()).device
    with torch.no_grad():
        users = _chunked(network.user_tower, network.user_count, device)
        movies = _chunked(network.movie_tower, network.movie_count, device)
    return users, movies


def demographic_vectors(network: RatingNetwork) -> Tensor:
    """(2, 7, 21, D): the user tower for every (gender, age index, occupation) with the id part
    set to the mean user id embedding, so that a new user can be served from demographics."""
    network.eval()
    with torch.no_grad():
        grid = torch.cartesian_prod(
            torch.arange(GENDERS), torch.arange(AGES), torch.arange(OCCUPATIONS)
        ).to(next(network.parameters()).device)  # (294, 3)
        vectors = network.new_user_vectors(grid[:, 0], grid[:, 1], grid[:, 2])  # (294, D)
    return vectors.reshape(GENDERS, AGES, OCCUPATIONS, -1)


def _chunked(tower, count: int, device: torch.device) -> Tensor:
    parts = [tower(torch.arange(start, min(start + CHUNK, count), device=device))
             for start in range(0, count, CHUNK)]
    return torch.cat(parts) if parts else torch.empty(0, device=device)
